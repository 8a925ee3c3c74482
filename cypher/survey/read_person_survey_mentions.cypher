// The answers that name one person (without who gave them: that is the respondent's data).
// $person
MATCH (:Respondent)-[a:NAMED]->(p:SurveyPerson {id: $person})
RETURN p.wave AS wave, a.question AS question, a.frequency AS frequency
ORDER BY wave, question, frequency
