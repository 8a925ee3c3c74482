// One failed sign-in, counted under each of its throttle keys (account and address).
// $keys, $now (seconds since the epoch)
UNWIND $keys AS key
CREATE (:CgSignInFailure {digest: key, at: $now})
