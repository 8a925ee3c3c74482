// Replace a survey's stored settings, whatever its state (an erasure edits the list of
// people asked).
// $wave, $spec (JSON text)
MATCH (s:Survey {key: $wave})
SET s.spec = $spec
RETURN s.wave AS wave
