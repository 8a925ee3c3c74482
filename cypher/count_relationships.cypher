// Relationships of one district, by type.
// $district: the district id
MATCH (a)-[e]->()
WHERE a.district = $district
RETURN type(e) AS type, count(e) AS n
