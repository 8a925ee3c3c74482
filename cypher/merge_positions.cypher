// Upsert Position nodes by their district-scoped key; the row's properties replace the old ones.
// $rows: [{key, props}]
UNWIND $rows AS r
MERGE (n:Position {key: r.key})
SET n = r.props
