// Nodes of one district, by label.
// $district: the district id
MATCH (n)
WHERE n.district = $district
RETURN labels(n)[0] AS label, count(n) AS n
