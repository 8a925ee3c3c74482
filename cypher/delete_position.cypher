// Remove one position and its relationships (holder, school, portfolio, pairs, seats), and
// the standing meetings it attends that would keep fewer than two seats without it.
// $key: the position store key
MATCH (p:Position {key: $key})
OPTIONAL MATCH (p)-[:ATTENDS]->(m)
OPTIONAL MATCH (a)-[:ATTENDS]->(m)
WITH m, count(a) AS seats
WITH collect(CASE WHEN seats <= 2 THEN m END) AS lonely
UNWIND lonely AS m
DETACH DELETE m
WITH count(*) AS _0
MATCH (p:Position {key: $key})
DETACH DELETE p
