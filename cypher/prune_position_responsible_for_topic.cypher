// Remove the RESPONSIBLE_FOR relationships an upserted Position no longer has.
// $rows: [{owner, keep}]
UNWIND $rows AS r
MATCH (a:Position {key: r.owner})-[e:RESPONSIBLE_FOR]->(b:Topic)
WHERE NOT b.key IN r.keep
DELETE e
