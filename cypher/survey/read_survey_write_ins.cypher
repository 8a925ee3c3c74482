// Every write-in of a survey wave, with who made it and how it was reviewed.
// $wave
MATCH (x:Respondent)-[:WROTE]->(w:WriteIn)
WHERE x.wave = $wave
RETURN w.key AS key, x.id AS respondent, w.question AS question, w.name AS name,
       w.frequency AS frequency, w.status AS status, w.person AS person
ORDER BY respondent, question, name
