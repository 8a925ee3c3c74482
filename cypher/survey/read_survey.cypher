// One survey wave's settings and state.
// $wave
MATCH (s:Survey {key: $wave})
RETURN s.wave AS wave, s.state AS state, s.spec AS spec, s.answered AS answered,
       s.created_at AS created_at, s.closed_at AS closed_at, s.ties AS ties
