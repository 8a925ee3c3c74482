// Size and tie density of every district's association network (people holding
// labor-side positions), one row per district. Pairs are counted once: `m` is
// the number of pairs tied in either direction and `density` = 2m / n(n-1)
// (undirected); `arcs` counts ordered pairs (a reports b) once and
// `directed_density` = arcs / n(n-1). Parallel ties (several topics or waves for
// one pair) count once. Given a district, answers for that district only.
// scope: all
MATCH (d:District)
WHERE $district IS NULL OR d.id = $district
OPTIONAL MATCH (p:Person {district: d.id})-[:HOLDS]->(:Position {side: 'labor'})
WITH d, collect(DISTINCT p.key) AS people
OPTIONAL MATCH (a:Person)-[:TIE]->(b:Person)
WHERE a.key IN people AND b.key IN people AND a.key <> b.key
WITH d, size(people) AS n,
     collect(DISTINCT CASE WHEN a IS NULL THEN null ELSE a.key + '>' + b.key END) AS arcs,
     collect(DISTINCT CASE WHEN a IS NULL THEN null
                           WHEN a.key < b.key THEN a.key + '|' + b.key
                           ELSE b.key + '|' + a.key END) AS pairs
RETURN d.id AS district, d.name AS name, n, size(pairs) AS m, size(arcs) AS arcs,
       CASE WHEN n > 1 THEN 2.0 * size(pairs) / (n * (n - 1)) ELSE null END AS density,
       CASE WHEN n > 1 THEN toFloat(size(arcs)) / (n * (n - 1)) ELSE null END AS directed_density
ORDER BY district
