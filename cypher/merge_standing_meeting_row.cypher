// Upsert one StandingMeeting row in one statement (atomic): its node, then each kind of
// relationship the row owns: the ones it no longer has are removed, the others merged.
// Every part ends in WITH count(*), so an empty list skips its part, not the rest.
// $key, $props: the node (its properties replace the old ones)
// $builtin: [{key, props}] built-in topics the row names, created if missing
// $standing_meeting_addresses_topic: [{dst, props}] the row's (StandingMeeting)-[:ADDRESSES]->(Topic) relationships
// $position_attends_standing_meeting: [{src, props}] the row's (Position)-[:ATTENDS]->(StandingMeeting) relationships
UNWIND $builtin AS r
MERGE (t:Topic {key: r.key})
ON CREATE SET t = r.props
WITH count(*) AS _0
MERGE (n:StandingMeeting {key: $key})
SET n = $props
WITH count(*) AS _1
MATCH (n:StandingMeeting {key: $key})
OPTIONAL MATCH (n)-[e:ADDRESSES]->(x)
WHERE NOT x.key IN [r IN $standing_meeting_addresses_topic | r.dst]
DELETE e
WITH count(*) AS _2
UNWIND $standing_meeting_addresses_topic AS r
MATCH (n:StandingMeeting {key: $key})
MATCH (x:Topic {key: r.dst})
MERGE (n)-[e:ADDRESSES]->(x)
SET e = r.props
WITH count(*) AS _3
MATCH (n:StandingMeeting {key: $key})
OPTIONAL MATCH (x)-[e:ATTENDS]->(n)
WHERE NOT x.key IN [r IN $position_attends_standing_meeting | r.src]
DELETE e
WITH count(*) AS _4
UNWIND $position_attends_standing_meeting AS r
MATCH (n:StandingMeeting {key: $key})
MATCH (x:Position {key: r.src})
MERGE (x)-[e:ATTENDS]->(n)
SET e = r.props
WITH count(*) AS _5
RETURN _5 AS done
