// Organizations that exist, by store key, with their side (a position must share it).
// $keys: [store key]
UNWIND $keys AS k
MATCH (n:Organization {key: k})
RETURN n.id AS id, n.side AS side
