// Remove the ATTENDS relationships an upserted StandingMeeting no longer has.
// $rows: [{owner, keep}]
UNWIND $rows AS r
MATCH (a:Position)-[e:ATTENDS]->(b:StandingMeeting {key: r.owner})
WHERE NOT a.key IN r.keep
DELETE e
