// An API token by its public id.
// $id
MATCH (t:CgToken {id: $id})
RETURN t.email AS email, t.hash AS hash
