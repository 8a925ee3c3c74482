// Erase the write-ins a person wrote, or that were matched to them or carry their name.
// $person, $name (lower case)
MATCH (w:WriteIn)
OPTIONAL MATCH (x:Respondent)-[:WROTE]->(w)
WITH w, x
WHERE x.id = $person OR w.person = $person OR toLower(w.name) = $name
DETACH DELETE w
RETURN count(w) AS removed
