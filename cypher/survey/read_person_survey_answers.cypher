// The answers one person gave as a respondent, in every survey wave of the district.
// $person
MATCH (x:Respondent {id: $person})-[a:NAMED]->(p:SurveyPerson)
RETURN x.wave AS wave, a.question AS question, p.id AS named, a.frequency AS frequency
ORDER BY wave, question, named
