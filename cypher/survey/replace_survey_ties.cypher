// Replace a wave's survey ties in the district graph, in one statement (all or nothing):
// remove every TIE of origin 'survey' and wave $wave, add the topics the questions use
// when missing, then write the ties.
// $wave, $origin (survey), $topics: [{key, props}] (never empty), $ties: [{src, dst, key, props}]
OPTIONAL MATCH (:Person)-[old:TIE]->(:Person)
WHERE old.origin = $origin AND old.wave = $wave
DELETE old
WITH count(*) AS removed
UNWIND $topics AS t
MERGE (n:Topic {key: t.key})
ON CREATE SET n = t.props
WITH count(*) AS topics
UNWIND $ties AS r
MATCH (a:Person {key: r.src})
MATCH (b:Person {key: r.dst})
MERGE (a)-[e:TIE {key: r.key}]->(b)
SET e = r.props
RETURN count(e) AS ties
