// Erase a person's respondent records and roster copies (and the answers on them) in
// every survey wave of the district.
// $person
MATCH (n)
WHERE (n:Respondent OR n:SurveyPerson) AND n.id = $person
DETACH DELETE n
RETURN count(n) AS removed
