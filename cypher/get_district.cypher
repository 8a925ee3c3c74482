// A district's own node: its id and display name.
// $district: the district id
MATCH (d:District {id: $district})
RETURN d.id AS id, d.name AS name
