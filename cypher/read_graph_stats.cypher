// Nodes per label and relationships per type of a graph that holds one district
// (the embedded store's layout), from FalkorDB's own counters: constant time,
// where counting with MATCH walks every relationship.
CALL db.meta.stats() YIELD labels, relTypes
RETURN labels, relTypes
