// Remove the OVERSEES relationships an upserted Team no longer has.
// $rows: [{owner, keep}]
// The far end has no label on purpose: with (a:Team) FalkorDB 4.16 scans every
// Team for each row instead of starting from the owner's indexed key.
UNWIND $rows AS r
MATCH (b:Team {key: r.owner})<-[e:OVERSEES]-(a)
WHERE NOT a.key IN r.keep
DELETE e
