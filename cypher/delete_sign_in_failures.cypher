// Forget an account's failed sign-ins (after a right password).
// $digest
MATCH (f:CgSignInFailure {digest: $digest})
DELETE f
