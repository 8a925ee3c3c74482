// Remove the OVERSEES relationships an upserted Team no longer has.
// $rows: [{owner, keep}]
UNWIND $rows AS r
MATCH (a:Team)-[e:OVERSEES]->(b:Team {key: r.owner})
WHERE NOT a.key IN r.keep
DELETE e
