// Replace one respondent's answers and pending write-ins in one statement, only while
// its link is valid and its survey open; no row when refused.
// $hash, $answers: [{question, person: SurveyPerson key, frequency}],
// $write_ins: [{key, question, name, frequency}], $submitted, $at, $open, $pending, $none
MATCH (x:Respondent {token_hash: $hash})
WHERE x.revoked = false
MATCH (s:Survey {key: x.wave})
WHERE s.state = $open
OPTIONAL MATCH (x)-[old:NAMED]->(:SurveyPerson)
DELETE old
WITH DISTINCT x, s
OPTIONAL MATCH (x)-[:WROTE]->(w:WriteIn)
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
  CREATE (x)-[:WROTE]->(:WriteIn {key: w.key, wave: x.wave, question: w.question,
                                  name: w.name, frequency: w.frequency, status: $pending,
                                  person: $none}))
RETURN x.id AS id, named, x.saved_at AS saved_at, x.submitted AS submitted
