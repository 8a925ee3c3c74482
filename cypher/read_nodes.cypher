// Every node of one district with its label and properties.
// $district: the district id
MATCH (n)
WHERE n.district = $district
RETURN labels(n)[0] AS kind, properties(n) AS props
