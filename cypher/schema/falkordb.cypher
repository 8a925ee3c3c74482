// Indexes for FalkorDB (one graph per district). FalkorDB has no constraints and
// no IF NOT EXISTS: the store creates these on a new, empty graph only.
// Every MERGE matches on `key`, the district-scoped id, so each label gets a range index.
CREATE INDEX FOR (n:District) ON (n.key);
CREATE INDEX FOR (n:School) ON (n.key);
CREATE INDEX FOR (n:Organization) ON (n.key);
CREATE INDEX FOR (n:Topic) ON (n.key);
CREATE INDEX FOR (n:Person) ON (n.key);
CREATE INDEX FOR (n:Position) ON (n.key);
CREATE INDEX FOR (n:Team) ON (n.key);
CREATE INDEX FOR (n:StandingMeeting) ON (n.key);
