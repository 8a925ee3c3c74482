// Remove one team and its relationships (school, topics, seats, oversight both ways).
// $key: the team store key
MATCH (n:Team {key: $key})
DETACH DELETE n
