// Building representatives with no observed tie in or out: the isolates of the
// rep network, with their school.
// scope: district
MATCH (p:Person {district: $district})-[:HOLDS]->(pos:Position {position_kind: 'building_rep'})
OPTIONAL MATCH (pos)-[:AT]->(s:School)
OPTIONAL MATCH (p)-[t:TIE]-(:Person)
WITH p, s, count(t) AS ties
WHERE ties = 0
RETURN p.id AS person, p.name AS name, s.id AS school
ORDER BY person
