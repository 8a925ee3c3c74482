// Upsert (Team)-[:OVERSEES]->(Team) relationships; endpoints matched on the indexed key.
// $rows: [{src, dst, props}]
UNWIND $rows AS r
MATCH (a:Team {key: r.src})
MATCH (b:Team {key: r.dst})
MERGE (a)-[e:OVERSEES]->(b)
SET e = r.props
