// Create or update an account in the system graph (outside every district).
// $email, $role, $districts (list of district ids), $password_hash, $now (ISO time)
MERGE (a:CgAccount {email: $email})
SET a.role = $role, a.districts = $districts, a.password_hash = $password_hash,
    a.created = coalesce(a.created, $now), a.updated = $now
RETURN a.email AS email
