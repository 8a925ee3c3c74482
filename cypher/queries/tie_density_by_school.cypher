// Observed tie density among the people placed at each school (through the
// positions they hold or their own school), one row per school.
// scope: district
MATCH (s:School)
OPTIONAL MATCH (h:Person)-[:HOLDS]->(:Position)-[:AT]->(s)
WITH s, collect(DISTINCT h) AS holders
OPTIONAL MATCH (w:Person)-[:AT]->(s)
WITH s, holders + collect(DISTINCT w) AS found
UNWIND (CASE WHEN size(found) = 0 THEN [null] ELSE found END) AS p
WITH s, collect(DISTINCT p) AS people
OPTIONAL MATCH (a:Person)-[t:TIE]->(b:Person)
WHERE a IN people AND b IN people
WITH s, size(people) AS n, count(t) AS m
RETURN s.id AS school, s.name AS name, s.level AS level, n, m,
       CASE WHEN n > 1 THEN toFloat(m) / (n * (n - 1)) ELSE null END AS density
ORDER BY school
