// Remove the HOLDS relationships an upserted Position no longer has.
// $rows: [{owner, keep}]
// The far end has no label on purpose: with (a:Person) FalkorDB 4.16 scans every
// Person for each row instead of starting from the owner's indexed key.
UNWIND $rows AS r
MATCH (b:Position {key: r.owner})<-[e:HOLDS]-(a)
WHERE NOT a.key IN r.keep
DELETE e
