// Ties that exist, by source and tie key, with their row order.
// $rows: [{src, key}] (source person store key, tie key)
UNWIND $rows AS r
MATCH (a:Person {key: r.src})-[e:TIE]->(b)
WHERE e.key = r.key
RETURN e.key AS key, e.order AS order
