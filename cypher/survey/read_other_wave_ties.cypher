// How many ties of a wave did not come from a survey (a workbook's or an edit's).
// $wave, $origin (survey)
MATCH (:Person)-[e:TIE]->(:Person)
WHERE e.wave = $wave AND (e.origin IS NULL OR e.origin <> $origin)
RETURN count(e) AS ties
