// Every tie of a graph that holds one district, one plain column per property of a
// tie, for the verbose reply format (see read_node_columns). Only `weight` is a
// double, which that format sends as text.
MATCH (a:Person)-[e:TIE]->(b:Person)
RETURN a.id AS src, b.id AS dst, e.key AS key, e.weight AS weight,
       e.frequency AS frequency, e.topic AS topic, e.wave AS wave,
       e.origin AS origin, e.order AS order
