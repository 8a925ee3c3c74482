// Upsert one Position row in one statement (atomic): its node, then each kind of
// relationship the row owns: the ones it no longer has are removed, the others merged.
// Every part ends in WITH count(*), so an empty list skips its part, not the rest.
// $key, $props: the node (its properties replace the old ones)
// $builtin: [{key, props}] built-in topics the row names, created if missing
// $position_at_school: [{dst, props}] the row's (Position)-[:AT]->(School) relationships
// $position_part_of_organization: [{dst, props}] the row's (Position)-[:PART_OF]->(Organization) relationships
// $position_responsible_for_topic: [{dst, props}] the row's (Position)-[:RESPONSIBLE_FOR]->(Topic) relationships
// $person_holds_position: [{src, props}] the row's (Person)-[:HOLDS]->(Position) relationships
UNWIND $builtin AS r
MERGE (t:Topic {key: r.key})
ON CREATE SET t = r.props
WITH count(*) AS _0
MERGE (n:Position {key: $key})
SET n = $props
WITH count(*) AS _1
MATCH (n:Position {key: $key})
OPTIONAL MATCH (n)-[e:AT]->(x)
WHERE NOT x.key IN [r IN $position_at_school | r.dst]
DELETE e
WITH count(*) AS _2
UNWIND $position_at_school AS r
MATCH (n:Position {key: $key})
MATCH (x:School {key: r.dst})
MERGE (n)-[e:AT]->(x)
SET e = r.props
WITH count(*) AS _3
MATCH (n:Position {key: $key})
OPTIONAL MATCH (n)-[e:PART_OF]->(x)
WHERE NOT x.key IN [r IN $position_part_of_organization | r.dst]
DELETE e
WITH count(*) AS _4
UNWIND $position_part_of_organization AS r
MATCH (n:Position {key: $key})
MATCH (x:Organization {key: r.dst})
MERGE (n)-[e:PART_OF]->(x)
SET e = r.props
WITH count(*) AS _5
MATCH (n:Position {key: $key})
OPTIONAL MATCH (n)-[e:RESPONSIBLE_FOR]->(x)
WHERE NOT x.key IN [r IN $position_responsible_for_topic | r.dst]
DELETE e
WITH count(*) AS _6
UNWIND $position_responsible_for_topic AS r
MATCH (n:Position {key: $key})
MATCH (x:Topic {key: r.dst})
MERGE (n)-[e:RESPONSIBLE_FOR]->(x)
SET e = r.props
WITH count(*) AS _7
MATCH (n:Position {key: $key})
OPTIONAL MATCH (x)-[e:HOLDS]->(n)
WHERE NOT x.key IN [r IN $person_holds_position | r.src]
DELETE e
WITH count(*) AS _8
UNWIND $person_holds_position AS r
MATCH (n:Position {key: $key})
MATCH (x:Person {key: r.src})
MERGE (x)-[e:HOLDS]->(n)
SET e = r.props
WITH count(*) AS _9
RETURN _9 AS done
