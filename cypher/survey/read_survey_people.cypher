// The roster of a survey wave (the people a respondent may name).
// $wave
MATCH (n:SurveyPerson)
WHERE n.wave = $wave
RETURN n.id AS id, n.name AS name, n.school AS school
ORDER BY n.name, n.id
