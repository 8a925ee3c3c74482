// The answers of a wave's respondents who submitted (what a close turns into ties): one
// text per respondent, "respondent" then "<line>question<sep>person<sep>frequency" for
// each answer (quicker to read back than a row per answer; no id contains either
// separator).
// $wave, $sep (a tab), $line (a newline), $none (the empty text)
MATCH (x:Respondent)
WHERE x.wave = $wave AND x.submitted = true
MATCH (x)-[a:NAMED]->(p:SurveyPerson)
WITH x, collect(a.question + $sep + p.id + $sep + a.frequency) AS answers
RETURN x.id + reduce(text = $none, one IN answers | text + $line + one) AS answers
