// Create a survey wave with its roster snapshot and its respondents, in one statement;
// nothing is created when the wave already exists (created is then false).
// $wave, $nonce, $props: {spec, state, created_at}, $people: [{key, wave, id, name, school}],
// $respondents: [{key, wave, id, name, school, token_hash, revoked, submitted, saved_at}]
MERGE (s:Survey {key: $wave})
ON CREATE SET s += $props, s.nonce = $nonce, s.wave = $wave, s.answered = false
WITH s
WHERE s.nonce = $nonce
CALL {
  WITH s
  UNWIND $people AS p
  CREATE (n:SurveyPerson)
  SET n = p
  RETURN count(n) AS people
}
CALL {
  WITH s
  UNWIND $respondents AS r
  CREATE (x:Respondent)
  SET x = r
  RETURN count(x) AS respondents
}
RETURN s.key AS wave, people, respondents
