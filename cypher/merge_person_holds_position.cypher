// Upsert (Person)-[:HOLDS]->(Position) relationships; endpoints matched on the indexed key.
// $rows: [{src, dst, props}]
UNWIND $rows AS r
MATCH (a:Person {key: r.src})
MATCH (b:Position {key: r.dst})
MERGE (a)-[e:HOLDS]->(b)
SET e = r.props
