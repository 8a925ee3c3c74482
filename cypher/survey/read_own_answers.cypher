// What one respondent has answered (its link's hash), names for the form.
// $hash
MATCH (x:Respondent {token_hash: $hash})-[a:NAMED]->(p:SurveyPerson)
RETURN a.question AS question, p.id AS person, a.frequency AS frequency
ORDER BY question, person
