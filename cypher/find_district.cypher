// One district's node, found by its key ("<district>;<district>").
// $key: the district's store key
MATCH (d:District {key: $key})
RETURN d.id AS id
