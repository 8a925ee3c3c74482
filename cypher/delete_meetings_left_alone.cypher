// Remove the standing meetings a position attends that would keep fewer than two seats
// once it leaves (run before delete_position).
// $key: the position store key
MATCH (p:Position {key: $key})-[:ATTENDS]->(m)
MATCH (a)-[:ATTENDS]->(m)
WITH m, count(a) AS seats
WHERE seats <= 2
DETACH DELETE m
