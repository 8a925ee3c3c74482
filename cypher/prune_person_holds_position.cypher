// Remove the HOLDS relationships an upserted Position no longer has.
// $rows: [{owner, keep}]
UNWIND $rows AS r
MATCH (a:Person)-[e:HOLDS]->(b:Position {key: r.owner})
WHERE NOT a.key IN r.keep
DELETE e
