// Upsert (Team)-[:AT]->(School) relationships; endpoints matched on the indexed key.
// $rows: [{src, dst, props}]
UNWIND $rows AS r
MATCH (a:Team {key: r.src})
MATCH (b:School {key: r.dst})
MERGE (a)-[e:AT]->(b)
SET e = r.props
