// Remove one membership (a seat of a person on a team), in one statement (no read first): how
// many were removed says whether it was there.
// $rows: [{src, dst}], one row for each way the key splits (person and team store keys)
UNWIND $rows AS r
MATCH (a:Person {key: r.src})-[e:MEMBER_OF]->(b)
WHERE b.key = r.dst
DELETE e
RETURN count(e) AS removed
