// Give respondents a new link (the hash of its token); the old link stops working.
// $rows: [{key, hash}]
UNWIND $rows AS r
MATCH (x:Respondent {key: r.key})
SET x.token_hash = r.hash, x.revoked = false
RETURN x.id AS id
