// Memberships that exist between a person and a team, with their row order.
// $rows: [{src, dst}] (person and team store keys)
UNWIND $rows AS r
MATCH (a:Person {key: r.src})-[e:MEMBER_OF]->(b)
WHERE b.key = r.dst
RETURN b.key AS dst, e.order AS order
