// The revision token of the district (Neo4j; null until the first load or edit sets one).
// $key: the district store key
MATCH (d:District {key: $key})
RETURN d.revision AS revision
