// Write-ins a person wrote, or that were matched to them or carry their name.
// $person, $name (lower case)
MATCH (w:WriteIn)
OPTIONAL MATCH (x:Respondent)-[:WROTE]->(w)
WITH w, x
WHERE x.id = $person OR w.person = $person OR toLower(w.name) = $name
RETURN w.wave AS wave, w.question AS question, w.name AS name, w.frequency AS frequency,
       w.status AS status, x.id = $person AS written_by_them
ORDER BY wave, question, name
