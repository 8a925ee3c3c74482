// Every relationship of one district: both ends as (label, id), its type and properties.
// $district: the district id
MATCH (a)-[e]->(b)
WHERE a.district = $district
RETURN labels(a)[0] AS src_kind, a.id AS src, type(e) AS type,
       labels(b)[0] AS dst_kind, b.id AS dst, properties(e) AS props
