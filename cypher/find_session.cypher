// A dashboard session by the SHA-256 of its cookie value.
// $id
MATCH (s:CgSession {id: $id})
RETURN s.email AS email, s.expires AS expires
