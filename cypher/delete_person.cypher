// Remove one person and every relationship they are part of (school, seats, ties, positions held).
// $key: the person store key
MATCH (n:Person {key: $key})
DETACH DELETE n
