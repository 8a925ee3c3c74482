// Remove one tie by its key, in one statement (no read first): how many were removed says
// whether it was there. $rows: [{src, key}], one row for each person the key's text before a
// '>' may name (a source person store key); the tie key itself
UNWIND $rows AS r
MATCH (a:Person {key: r.src})-[e:TIE]->(b)
WHERE e.key = r.key
DELETE e
RETURN count(e) AS removed
