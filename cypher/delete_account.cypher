// Remove an account (its tokens and sessions go with delete_account_tokens/_sessions).
// $email
MATCH (a:CgAccount {email: $email})
DELETE a
RETURN count(*) AS removed
