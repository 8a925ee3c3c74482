// Every relationship of a graph that holds one district except the ties (read by
// read_tie_columns), one plain column per property, for the verbose reply format
// (see read_node_columns). Ties are the only Person-to-Person relationships.
// (Naming the other types in the pattern instead is ten times slower on FalkorDB
// 4.16.) If the graph holds a type the store does not know, it reads maps instead.
MATCH (a)-[e]->(b)
WHERE NOT (a:Person AND b:Person)
RETURN labels(a)[0] AS src_kind, a.id AS src, type(e) AS type,
       labels(b)[0] AS dst_kind, b.id AS dst,
       e.order AS order, e.rank AS rank, e.note AS note, e.since AS since,
       e.role AS role, e.appointed_by AS appointed_by
