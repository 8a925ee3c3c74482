// Upsert (Team)-[:ADDRESSES]->(Topic) relationships; endpoints matched on the indexed key.
// $rows: [{src, dst, props}]
UNWIND $rows AS r
MATCH (a:Team {key: r.src})
MATCH (b:Topic {key: r.dst})
MERGE (a)-[e:ADDRESSES]->(b)
SET e = r.props
