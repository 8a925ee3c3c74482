// One account by e-mail address.
// $email
MATCH (a:CgAccount {email: $email})
RETURN a.email AS email, a.role AS role, a.districts AS districts,
       a.password_hash AS password_hash, a.created AS created,
       a.structure AS structure
