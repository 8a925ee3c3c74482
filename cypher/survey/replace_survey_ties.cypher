// Replace a wave's survey ties in the district graph, in one statement (all or nothing).
// First find every person the ties name, once each; only when all of them are there
// (in the order given) remove every TIE of origin $origin and wave $wave, add the topics
// the questions use when missing, then create the ties between the people found (the
// wave has no other ties: the close checks that under the district's lock, which row
// edits and loads take too). Returns the ties written (0 and nothing changed when a
// person is missing).
// $replace: [1] when the wave has survey ties to remove, else [] (no need to look),
// $wave, $origin (survey), $gt (>), $bar (|), $keys: [Person key], $ids: [Person id]
// (same order), $topics: [topic id], $freqs: [frequency], $weights: [weight] (same order),
// $topic_rows: [{key, props}],
// $ties: [[source index, target index, topic index, frequency index, order]]
UNWIND $keys AS k
MATCH (p:Person {key: k})
WITH collect(p) AS people, collect(k) AS found
WHERE found = $keys
CALL {
  UNWIND $replace AS once
  MATCH (:Person)-[old:TIE]->(:Person)
  WHERE old.origin = $origin AND old.wave = $wave
  DELETE old
  RETURN count(*) AS removed
}
CALL {
  UNWIND $topic_rows AS t
  MERGE (n:Topic {key: t.key})
  ON CREATE SET n = t.props
  RETURN count(*) AS topics
}
UNWIND $ties AS r
WITH people[r[0]] AS a, people[r[1]] AS b, r
CREATE (a)-[e:TIE {key: $ids[r[0]] + $gt + $ids[r[1]] + $bar + $topics[r[2]] + $bar + $wave,
                   weight: $weights[r[3]], frequency: $freqs[r[3]], topic: $topics[r[2]],
                   wave: $wave, origin: $origin, order: r[4]}]->(b)
RETURN count(e) AS ties
