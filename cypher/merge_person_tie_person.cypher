// Upsert (Person)-[:TIE]->(Person) relationships; endpoints matched on the indexed key.
// $rows: [{src, dst, key, props}]
UNWIND $rows AS r
MATCH (a:Person {key: r.src})
MATCH (b:Person {key: r.dst})
MERGE (a)-[e:TIE {key: r.key}]->(b)
SET e = r.props
