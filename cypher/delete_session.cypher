// End one dashboard session.
// $id
MATCH (s:CgSession {id: $id})
DELETE s
RETURN count(*) AS removed
