// Upsert (Position)-[:ATTENDS]->(StandingMeeting) relationships; endpoints matched on the indexed key.
// $rows: [{src, dst, props}]
UNWIND $rows AS r
MATCH (a:Position {key: r.src})
MATCH (b:StandingMeeting {key: r.dst})
MERGE (a)-[e:ATTENDS]->(b)
SET e = r.props
