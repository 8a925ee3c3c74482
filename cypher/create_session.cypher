// A dashboard session: the SHA-256 of its cookie value, never the value itself.
// $id, $email, $now, $expires
CREATE (s:CgSession {id: $id, email: $email, created: $now, expires: $expires})
RETURN s.id AS id
