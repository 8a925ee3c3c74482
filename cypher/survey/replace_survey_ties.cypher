// Replace a wave's survey ties in the district graph, in one statement (all or nothing):
// remove every TIE of origin $origin and wave $wave, add the topics the questions use
// when missing, then create the ties (the wave has no other ties: the close checks that
// under the district's lock, which row edits and loads take too).
// $wave, $origin (survey), $prefix (district;), $gt (>), $bar (|),
// $topics: [{key, props}] (never empty),
// $ties: [[source id, target id, topic, frequency, weight, order]]
OPTIONAL MATCH (:Person)-[old:TIE]->(:Person)
WHERE old.origin = $origin AND old.wave = $wave
DELETE old
WITH count(*) AS removed
UNWIND $topics AS t
MERGE (n:Topic {key: t.key})
ON CREATE SET n = t.props
WITH count(*) AS topics
UNWIND $ties AS r
MATCH (a:Person {key: $prefix + r[0]})
MATCH (b:Person {key: $prefix + r[1]})
CREATE (a)-[e:TIE {key: r[0] + $gt + r[1] + $bar + r[2] + $bar + $wave}]->(b)
SET e.weight = r[4], e.frequency = r[3], e.topic = r[2], e.wave = $wave,
    e.origin = $origin, e.order = r[5]
RETURN count(e) AS ties
