// How many counterpart pairs a position is in, as the management end and as the labor end.
// $key: the position store key
MATCH (n:Position {key: $key})
OPTIONAL MATCH (n)-[:COUNTERPART_OF]->(l)
WITH n, count(l) AS as_management
OPTIONAL MATCH (m)-[:COUNTERPART_OF]->(n)
RETURN as_management, count(m) AS as_labor
