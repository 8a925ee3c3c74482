// Revoke every API token of an account.
// $email
MATCH (t:CgToken {email: $email})
DELETE t
RETURN count(*) AS removed
