// Match a write-in to a roster person, or discard it.
// $key, $status: matched or discarded, $person: roster person id or ''
MATCH (w:WriteIn {key: $key})
SET w.status = $status, w.person = $person
RETURN w.key AS key
