// Move a survey to another state, only from one of the states named; no row when it was elsewhere.
// $wave, $from: [state], $to, $at, $ties (null unless closing)
MATCH (s:Survey {key: $wave})
WHERE s.state IN $from
SET s.state = $to, s.closed_at = $at, s.ties = $ties
RETURN s.state AS state
