// Replace a survey's questions and texts, only while no answer has arrived.
// $wave, $spec (JSON text), $open
MATCH (s:Survey {key: $wave})
WHERE s.answered = false AND s.state = $open
SET s.spec = $spec
RETURN s.wave AS wave
