// Counterpart pairs that exist between two positions, with their row order.
// $rows: [{src, dst}] (management and labor position store keys)
UNWIND $rows AS r
MATCH (a:Position {key: r.src})-[e:COUNTERPART_OF]->(b)
WHERE b.key = r.dst
RETURN b.key AS dst, e.order AS order
