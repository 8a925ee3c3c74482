// Revoke a respondent's link; the answers stay.
// $key: the respondent's key
MATCH (x:Respondent {key: $key})
SET x.revoked = true
RETURN x.id AS id
