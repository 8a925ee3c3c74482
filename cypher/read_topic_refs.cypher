// Declared (or already created built-in) topics that exist, by store key.
// $keys: [store key]
UNWIND $keys AS k
MATCH (n:Topic {key: k})
RETURN n.id AS id, n.builtin AS builtin
