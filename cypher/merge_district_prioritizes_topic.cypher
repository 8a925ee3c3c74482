// Upsert (District)-[:PRIORITIZES]->(Topic) relationships; endpoints matched on the indexed key.
// $rows: [{src, dst, props}]
UNWIND $rows AS r
MATCH (a:District {key: r.src})
MATCH (b:Topic {key: r.dst})
MERGE (a)-[e:PRIORITIZES]->(b)
SET e = r.props
