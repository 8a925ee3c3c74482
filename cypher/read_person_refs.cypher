// People that exist, by store key: their side, their row order and the positions they hold.
// $keys: [store key]
// The far end has no label on purpose (FalkorDB would scan the label instead of the edges).
UNWIND $keys AS k
MATCH (n:Person {key: k})
OPTIONAL MATCH (n)-[:HOLDS]->(p)
RETURN n.id AS id, n.side AS side, n.seq AS seq, collect(p.id) AS holds
