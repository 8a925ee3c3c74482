// Remove one declared counterpart pair, in one statement (no read first): how many were removed
// says whether it was there.
// $rows: [{src, dst}], one row for each way the key splits (management and labor position
// store keys)
UNWIND $rows AS r
MATCH (a:Position {key: r.src})-[e:COUNTERPART_OF]->(b)
WHERE b.key = r.dst
DELETE e
RETURN count(e) AS removed
