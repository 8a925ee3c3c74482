// Remove the AFFILIATE_OF relationships an upserted Organization no longer has.
// $rows: [{owner, keep}]
UNWIND $rows AS r
MATCH (a:Organization {key: r.owner})-[e:AFFILIATE_OF]->(b:Organization)
WHERE NOT b.key IN r.keep
DELETE e
