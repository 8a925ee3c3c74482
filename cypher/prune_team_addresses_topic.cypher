// Remove the ADDRESSES relationships an upserted Team no longer has.
// $rows: [{owner, keep}]
UNWIND $rows AS r
MATCH (a:Team {key: r.owner})-[e:ADDRESSES]->(b:Topic)
WHERE NOT b.key IN r.keep
DELETE e
