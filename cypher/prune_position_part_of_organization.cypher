// Remove the PART_OF relationships an upserted Position no longer has.
// $rows: [{owner, keep}]
UNWIND $rows AS r
MATCH (a:Position {key: r.owner})-[e:PART_OF]->(b:Organization)
WHERE NOT b.key IN r.keep
DELETE e
