// Remove the IN_DISTRICT relationships an upserted School no longer has.
// $rows: [{owner, keep}]
UNWIND $rows AS r
MATCH (a:School {key: r.owner})-[e:IN_DISTRICT]->(b:District)
WHERE NOT b.key IN r.keep
DELETE e
