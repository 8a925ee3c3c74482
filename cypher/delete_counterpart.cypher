// Remove one declared counterpart pair.
// $src: the management position store key; $dst: the labor position store key
MATCH (a:Position {key: $src})-[e:COUNTERPART_OF]->(b)
WHERE b.key = $dst
DELETE e
