// Take the write lock of the district (Neo4j: setting a property locks the node until commit)
// and return its revision token as it is now.
// $key: the district store key
MATCH (d:District {key: $key})
SET d.revision = d.revision
RETURN d.revision AS revision
