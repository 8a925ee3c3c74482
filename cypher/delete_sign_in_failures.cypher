// Forget an account's failed sign-ins (after a right password).
// $key
MATCH (f:CgSignInFailure {key: $key})
DELETE f
