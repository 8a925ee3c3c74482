// Upsert (Position)-[:COUNTERPART_OF]->(Position) relationships; endpoints matched on the indexed key.
// $rows: [{src, dst, props}]
UNWIND $rows AS r
MATCH (a:Position {key: r.src})
MATCH (b:Position {key: r.dst})
MERGE (a)-[e:COUNTERPART_OF]->(b)
SET e = r.props
