// Size and directed tie density of every district's association network
// (people holding labor-side positions), one row per district.
// scope: all
MATCH (d:District)
OPTIONAL MATCH (p:Person {district: d.id})-[:HOLDS]->(:Position {side: 'labor'})
WITH d, collect(DISTINCT p.key) AS people
OPTIONAL MATCH (a:Person)-[t:TIE]->(b:Person)
WHERE a.key IN people AND b.key IN people
WITH d, size(people) AS n, count(t) AS m
RETURN d.id AS district, d.name AS name, n, m,
       CASE WHEN n > 1 THEN toFloat(m) / (n * (n - 1)) ELSE null END AS density
ORDER BY district
