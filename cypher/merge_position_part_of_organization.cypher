// Upsert (Position)-[:PART_OF]->(Organization) relationships; endpoints matched on the indexed key.
// $rows: [{src, dst, props}]
UNWIND $rows AS r
MATCH (a:Position {key: r.src})
MATCH (b:Organization {key: r.dst})
MERGE (a)-[e:PART_OF]->(b)
SET e = r.props
