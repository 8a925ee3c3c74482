// Upsert (School)-[:IN_DISTRICT]->(District) relationships; endpoints matched on the indexed key.
// $rows: [{src, dst, props}]
UNWIND $rows AS r
MATCH (a:School {key: r.src})
MATCH (b:District {key: r.dst})
MERGE (a)-[e:IN_DISTRICT]->(b)
SET e = r.props
