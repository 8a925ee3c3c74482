// Remove the ADDRESSES relationships an upserted StandingMeeting no longer has.
// $rows: [{owner, keep}]
UNWIND $rows AS r
MATCH (a:StandingMeeting {key: r.owner})-[e:ADDRESSES]->(b:Topic)
WHERE NOT b.key IN r.keep
DELETE e
