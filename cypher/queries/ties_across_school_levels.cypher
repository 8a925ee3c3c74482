// Observed ties counted by the school level at each end (people placed at a
// school through a position they hold). Optionally one survey wave.
// scope: district
// param wave string: only ties of this survey wave (all waves when null)
MATCH (a:Person {district: $district})-[t:TIE]->(b:Person)
WHERE $wave IS NULL OR t.wave = $wave
MATCH (a)-[:HOLDS]->(:Position)-[:AT]->(sa:School)
MATCH (b)-[:HOLDS]->(:Position)-[:AT]->(sb:School)
RETURN sa.level AS from_level, sb.level AS to_level, count(t) AS ties
ORDER BY from_level, to_level
