// The districts where a partner account may change joint structure rows
// (teams, standing meetings, counterparts), as granted by the association.
// $email, $structure (list of district ids), $now
MATCH (a:CgAccount {email: $email})
SET a.structure = $structure, a.updated = $now
RETURN a.email AS email
