// Set the revision token of the district (Neo4j; the embedded store keeps it beside the graph).
// $key: the district store key; $revision: the new token
MATCH (d:District {key: $key})
SET d.revision = $revision
RETURN d.revision AS revision
