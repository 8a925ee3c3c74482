// Forget failed sign-ins older than the throttle's window.
// $before (seconds since the epoch)
MATCH (f:CgSignInFailure)
WHERE f.at <= $before
DELETE f
