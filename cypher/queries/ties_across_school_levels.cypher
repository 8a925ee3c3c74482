// Observed ties counted by the school level at each end (people placed at a
// school through a position they hold). Directed: `ties` counts ordered pairs
// (a reports b) once per pair of levels, however many topics or waves the pair
// has. A person holding positions at schools of two levels counts at both.
// Optionally one survey wave.
// scope: district
// param wave string: only ties of this survey wave (all waves when null)
MATCH (a:Person {district: $district})-[t:TIE]->(b:Person)
WHERE ($wave IS NULL OR t.wave = $wave) AND a.key <> b.key
MATCH (a)-[:HOLDS]->(:Position)-[:AT]->(sa:School)
MATCH (b)-[:HOLDS]->(:Position)-[:AT]->(sb:School)
WITH sa.level AS from_level, sb.level AS to_level, a.key + '>' + b.key AS arc
RETURN from_level, to_level, count(DISTINCT arc) AS ties
ORDER BY from_level, to_level
