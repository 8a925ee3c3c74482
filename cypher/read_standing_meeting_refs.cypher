// Standing meetings that exist, by store key, with their row order.
// $keys: [store key]
UNWIND $keys AS k
MATCH (n:StandingMeeting {key: k})
RETURN n.id AS id, n.seq AS seq
