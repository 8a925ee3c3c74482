// Give respondents their first link, only those who have none yet (the draft's opening:
// when two people open a survey at once, the first statement sets every link, the other none).
// size() rather than `= ''`: FalkorDB answers an equality with '' on this indexed
// property with no row.
// $rows: [{key, hash}]
UNWIND $rows AS r
MATCH (x:Respondent {key: r.key})
WHERE size(x.token_hash) = 0
SET x.token_hash = r.hash, x.revoked = false
RETURN x.id AS id
