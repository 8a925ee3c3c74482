// Observed tie density among the people placed at each school (through the
// positions they hold or their own school), one row per school. Pairs are
// counted once: `m` is the number of pairs tied in either direction (parallel
// ties of several topics or waves count once) and `density` = 2m / n(n-1),
// undirected.
// scope: district
MATCH (s:School {district: $district})
OPTIONAL MATCH (h:Person)-[:HOLDS]->(:Position)-[:AT]->(s)
WITH s, collect(DISTINCT h.key) AS held
OPTIONAL MATCH (w:Person)-[:AT]->(s)
WITH s, held, collect(DISTINCT w.key) AS own
WITH s, held + [k IN own WHERE NOT k IN held] AS people
OPTIONAL MATCH (a:Person)-[:TIE]->(b:Person)
WHERE a.key IN people AND b.key IN people AND a.key <> b.key
WITH s, size(people) AS n,
     collect(DISTINCT CASE WHEN a IS NULL THEN null
                           WHEN a.key < b.key THEN a.key + '|' + b.key
                           ELSE b.key + '|' + a.key END) AS pairs
RETURN s.id AS school, s.name AS name, s.level AS level, n, size(pairs) AS m,
       CASE WHEN n > 1 THEN 2.0 * size(pairs) / (n * (n - 1)) ELSE null END AS density
ORDER BY school
