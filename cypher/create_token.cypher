// Record an API token: its public id and the argon2 hash of its secret part.
// $id, $email, $hash, $now
CREATE (t:CgToken {id: $id, email: $email, hash: $hash, created: $now})
RETURN t.id AS id
