// Recent failed sign-ins per throttle key (HMACs of an account or an address, never
// the values), with the time of the oldest one in the window.
// $keys, $since (seconds since the epoch)
MATCH (f:CgSignInFailure)
WHERE f.digest IN $keys AND f.at > $since
RETURN f.digest AS digest, count(f) AS n, min(f.at) AS first
