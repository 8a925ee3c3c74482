// Replace one respondent's answers and write-ins in one statement, only while its link is
// valid and its survey open; no row when refused. A write-in is known by its key (wave,
// respondent, question and text): one saved again keeps the association's review (matched
// or discarded) and takes the new frequency; one no longer sent is removed; a new one is
// pending.
// $hash, $answers: [{question, person: SurveyPerson key, frequency}],
// $write_ins: [{key, question, name, frequency}], $keys: the write-ins' keys,
// $submitted, $at, $open, $pending, $none
MATCH (x:Respondent {token_hash: $hash})
WHERE x.revoked = false
MATCH (s:Survey {key: x.wave})
WHERE s.state = $open
OPTIONAL MATCH (x)-[old:NAMED]->(:SurveyPerson)
DELETE old
WITH DISTINCT x, s
OPTIONAL MATCH (x)-[:WROTE]->(w:WriteIn)
WHERE NOT w.key IN $keys
DELETE w
WITH DISTINCT x, s
SET x.saved_at = $at, x.submitted = (x.submitted OR $submitted), s.answered = true
WITH x
CALL {
  WITH x
  UNWIND $answers AS a
  MATCH (p:SurveyPerson {key: a.person})
  CREATE (x)-[e:NAMED {question: a.question, frequency: a.frequency}]->(p)
  RETURN count(e) AS named
}
FOREACH (w IN $write_ins |
  MERGE (x)-[:WROTE]->(n:WriteIn {key: w.key})
  ON CREATE SET n.wave = x.wave, n.question = w.question, n.name = w.name,
                n.status = $pending, n.person = $none
  SET n.frequency = w.frequency)
RETURN x.id AS id, named, x.saved_at AS saved_at, x.submitted AS submitted
