// Every answer of a survey wave: who named whom, for which question, how often.
// $wave
MATCH (x:Respondent)-[a:NAMED]->(p:SurveyPerson)
WHERE x.wave = $wave
RETURN x.id AS respondent, a.question AS question, p.id AS person, a.frequency AS frequency
ORDER BY respondent, question, person
