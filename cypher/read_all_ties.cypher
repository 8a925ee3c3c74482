// Every tie of a graph that holds one district, one plain column per property of a
// tie (see collabgraph.model.Tie): far cheaper to transfer and decode than a map per
// row when a district has a million ties. The embedded store reads it in the
// verbose reply format, where doubles arrive as text: `weight` is turned back
// into a number by the reader.
MATCH (a:Person)-[e:TIE]->(b:Person)
RETURN a.id AS src, b.id AS dst, e.key AS key, e.weight AS weight,
       e.frequency AS frequency, e.topic AS topic, e.wave AS wave,
       e.origin AS origin, e.order AS order
