// Create built-in topics that are used but missing; a declared topic of the same id is left alone.
// $rows: [{key, props}]
UNWIND $rows AS r
MERGE (n:Topic {key: r.key})
ON CREATE SET n = r.props
