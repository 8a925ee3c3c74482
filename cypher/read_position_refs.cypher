// Positions that exist, by store key: side, row order, holder and how many positions the
// holder holds in all (a holder without a side of their own needs one).
// $keys: [store key]
UNWIND $keys AS k
MATCH (n:Position {key: k})
OPTIONAL MATCH (h)-[:HOLDS]->(n)
OPTIONAL MATCH (h)-[:HOLDS]->(held)
RETURN n.id AS id, n.side AS side, n.seq AS seq, h.id AS holder, h.side AS holder_side,
       count(held) AS holder_holds
