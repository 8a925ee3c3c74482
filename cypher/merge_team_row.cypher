// Upsert one Team row in one statement (atomic): its node, then each kind of
// relationship the row owns: the ones it no longer has are removed, the others merged.
// Every part ends in WITH count(*), so an empty list skips its part, not the rest.
// $key, $props: the node (its properties replace the old ones)
// $builtin: [{key, props}] built-in topics the row names, created if missing
// $team_at_school: [{dst, props}] the row's (Team)-[:AT]->(School) relationships
// $team_addresses_topic: [{dst, props}] the row's (Team)-[:ADDRESSES]->(Topic) relationships
// $team_oversees_team: [{src, props}] the row's (Team)-[:OVERSEES]->(Team) relationships
UNWIND $builtin AS r
MERGE (t:Topic {key: r.key})
ON CREATE SET t = r.props
WITH count(*) AS _0
MERGE (n:Team {key: $key})
SET n = $props
WITH count(*) AS _1
MATCH (n:Team {key: $key})
OPTIONAL MATCH (n)-[e:AT]->(x)
WHERE NOT x.key IN [r IN $team_at_school | r.dst]
DELETE e
WITH count(*) AS _2
UNWIND $team_at_school AS r
MATCH (n:Team {key: $key})
MATCH (x:School {key: r.dst})
MERGE (n)-[e:AT]->(x)
SET e = r.props
WITH count(*) AS _3
MATCH (n:Team {key: $key})
OPTIONAL MATCH (n)-[e:ADDRESSES]->(x)
WHERE NOT x.key IN [r IN $team_addresses_topic | r.dst]
DELETE e
WITH count(*) AS _4
UNWIND $team_addresses_topic AS r
MATCH (n:Team {key: $key})
MATCH (x:Topic {key: r.dst})
MERGE (n)-[e:ADDRESSES]->(x)
SET e = r.props
WITH count(*) AS _5
MATCH (n:Team {key: $key})
OPTIONAL MATCH (x)-[e:OVERSEES]->(n)
WHERE NOT x.key IN [r IN $team_oversees_team | r.src]
DELETE e
WITH count(*) AS _6
UNWIND $team_oversees_team AS r
MATCH (n:Team {key: $key})
MATCH (x:Team {key: r.src})
MERGE (x)-[e:OVERSEES]->(n)
SET e = r.props
WITH count(*) AS _7
RETURN _7 AS done
