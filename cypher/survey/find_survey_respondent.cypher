// The respondent a link belongs to (by the hash of its token) and its survey's state.
// $hash
MATCH (x:Respondent {token_hash: $hash})
MATCH (s:Survey {key: x.wave})
RETURN x.key AS key, x.id AS id, x.name AS name, x.wave AS wave, x.revoked AS revoked,
       x.submitted AS submitted, x.saved_at AS saved_at, s.state AS state, s.spec AS spec
