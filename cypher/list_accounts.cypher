// Every account, by e-mail address.
MATCH (a:CgAccount)
RETURN a.email AS email, a.role AS role, a.districts AS districts,
       a.password_hash AS password_hash, a.created AS created,
       a.structure AS structure
ORDER BY email
