// Upsert one Person row in one statement (atomic): its node, then each kind of
// relationship the row owns: the ones it no longer has are removed, the others merged.
// Every part ends in WITH count(*), so an empty list skips its part, not the rest.
// $key, $props: the node (its properties replace the old ones)
// $person_at_school: [{dst, props}] the row's (Person)-[:AT]->(School) relationships
MERGE (n:Person {key: $key})
SET n = $props
WITH count(*) AS _0
MATCH (n:Person {key: $key})
OPTIONAL MATCH (n)-[e:AT]->(x)
WHERE NOT x.key IN [r IN $person_at_school | r.dst]
DELETE e
WITH count(*) AS _1
UNWIND $person_at_school AS r
MATCH (n:Person {key: $key})
MATCH (x:School {key: r.dst})
MERGE (n)-[e:AT]->(x)
SET e = r.props
WITH count(*) AS _2
RETURN _2 AS done
