// Schools of one district that exist, by store key (to check what an edited row names).
// $keys: [store key]
UNWIND $keys AS k
MATCH (n:School {key: k})
RETURN n.id AS id
