// Upsert (Person)-[:MEMBER_OF]->(Team) relationships; endpoints matched on the indexed key.
// $rows: [{src, dst, props}]
UNWIND $rows AS r
MATCH (a:Person {key: r.src})
MATCH (b:Team {key: r.dst})
MERGE (a)-[e:MEMBER_OF]->(b)
SET e = r.props
