// Remove one membership (a seat of a person on a team).
// $src: the person store key; $dst: the team store key
MATCH (a:Person {key: $src})-[e:MEMBER_OF]->(b)
WHERE b.key = $dst
DELETE e
