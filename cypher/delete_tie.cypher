// Remove one tie, by its source and its tie key.
// $src: the source person store key; $key: the tie key
MATCH (a:Person {key: $src})-[e:TIE]->(b)
WHERE e.key = $key
DELETE e
