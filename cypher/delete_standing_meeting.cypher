// Remove one standing meeting and its relationships (seats and topics).
// $key: the standing meeting store key
MATCH (n:StandingMeeting {key: $key})
DETACH DELETE n
