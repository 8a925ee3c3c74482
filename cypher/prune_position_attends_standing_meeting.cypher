// Remove the ATTENDS relationships an upserted StandingMeeting no longer has.
// $rows: [{owner, keep}]
// The far end has no label on purpose: with (a:Position) FalkorDB 4.16 scans every
// Position for each row instead of starting from the owner's indexed key.
UNWIND $rows AS r
MATCH (b:StandingMeeting {key: r.owner})<-[e:ATTENDS]-(a)
WHERE NOT a.key IN r.keep
DELETE e
