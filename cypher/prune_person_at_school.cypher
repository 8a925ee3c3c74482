// Remove the AT relationships an upserted Person no longer has.
// $rows: [{owner, keep}]
UNWIND $rows AS r
MATCH (a:Person {key: r.owner})-[e:AT]->(b:School)
WHERE NOT b.key IN r.keep
DELETE e
