// Observed tie density among the people placed at each school (through the
// positions they hold or their own school), one row per school.
// scope: district
MATCH (s:School {district: $district})
OPTIONAL MATCH (h:Person)-[:HOLDS]->(:Position)-[:AT]->(s)
WITH s, collect(DISTINCT h.key) AS held
OPTIONAL MATCH (w:Person)-[:AT]->(s)
WITH s, held, collect(DISTINCT w.key) AS own
WITH s, held + [k IN own WHERE NOT k IN held] AS people
OPTIONAL MATCH (a:Person)-[t:TIE]->(b:Person)
WHERE a.key IN people AND b.key IN people
WITH s, size(people) AS n, count(t) AS m
RETURN s.id AS school, s.name AS name, s.level AS level, n, m,
       CASE WHEN n > 1 THEN toFloat(m) / (n * (n - 1)) ELSE null END AS density
ORDER BY school
