// Remove one position and its relationships (holder, school, portfolio, pairs, seats).
// $key: the position store key
MATCH (n:Position {key: $key})
DETACH DELETE n
