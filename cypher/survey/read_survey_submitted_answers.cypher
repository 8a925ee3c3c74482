// The answers of a wave's respondents who submitted, unordered (what a close turns into ties),
// each as one text "respondent<sep>question<sep>person<sep>frequency" (quicker to read back
// than four columns; no id contains the separator).
// $wave, $sep (a tab)
MATCH (x:Respondent)-[a:NAMED]->(p:SurveyPerson)
WHERE x.wave = $wave AND x.submitted = true
RETURN x.id + $sep + a.question + $sep + p.id + $sep + a.frequency AS answer
