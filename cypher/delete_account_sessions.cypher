// End every dashboard session of an account (sign-out everywhere, password change, removal).
// $email
MATCH (s:CgSession {email: $email})
DELETE s
RETURN count(*) AS removed
