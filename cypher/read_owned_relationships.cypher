// Every relationship a workbook row owns (the kinds the prune_* statements remove), with the
// label and key of both ends: an upsert prunes only the owners whose stored relationships
// differ from the workbook's. Embedded store only (a graph holds one district: no filter).
// (A filter on type(e) is about twice as fast on FalkorDB 4.16 as the types in the pattern.)
// $types: the owned relationship types
MATCH (a)-[e]->(b)
WHERE type(e) IN $types
RETURN labels(a)[0] AS src_label, a.key AS src, type(e) AS type, labels(b)[0] AS dst_label,
       b.key AS dst
