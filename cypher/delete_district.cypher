// Remove one district: every node carrying its id and their relationships.
// $district: the district id
MATCH (n)
WHERE n.district = $district
DETACH DELETE n
