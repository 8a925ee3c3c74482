// Upsert (Position)-[:RESPONSIBLE_FOR]->(Topic) relationships; endpoints matched on the indexed key.
// $rows: [{src, dst, props}]
UNWIND $rows AS r
MATCH (a:Position {key: r.src})
MATCH (b:Topic {key: r.dst})
MERGE (a)-[e:RESPONSIBLE_FOR]->(b)
SET e = r.props
