// The write-ins the association matched to a roster person, of a wave's respondents who
// submitted (a close counts them as answers).
// $wave, $matched (matched)
MATCH (x:Respondent)-[:WROTE]->(w:WriteIn)
WHERE x.wave = $wave AND x.submitted = true AND w.status = $matched AND size(w.person) > 0
RETURN x.id AS respondent, w.question AS question, w.person AS person,
       w.frequency AS frequency
