// The districts in the store (on FalkorDB, in one district's graph).
MATCH (d:District)
RETURN d.id AS id, d.name AS name
ORDER BY id
