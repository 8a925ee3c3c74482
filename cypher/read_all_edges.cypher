// Every relationship of a graph that holds one district, except the ties (the only
// Person-to-Person relationships, read by read_all_ties): both ends as (label, id),
// the type and the properties.
MATCH (a)-[e]->(b)
WHERE NOT (a:Person AND b:Person)
RETURN labels(a)[0] AS src_kind, a.id AS src, type(e) AS type,
       labels(b)[0] AS dst_kind, b.id AS dst, properties(e) AS props
