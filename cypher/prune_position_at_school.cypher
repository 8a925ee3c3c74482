// Remove the AT relationships an upserted Position no longer has.
// $rows: [{owner, keep}]
UNWIND $rows AS r
MATCH (a:Position {key: r.owner})-[e:AT]->(b:School)
WHERE NOT b.key IN r.keep
DELETE e
