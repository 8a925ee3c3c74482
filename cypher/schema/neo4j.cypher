// Constraints and indexes for Neo4j (all districts in one database).
// `key` is "<district>;<id>", unique per label; `district` is indexed for the
// district-wide reads and deletes. Run on first use; safe to run again.
CREATE CONSTRAINT collabgraph_district_key IF NOT EXISTS FOR (n:District) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT collabgraph_school_key IF NOT EXISTS FOR (n:School) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT collabgraph_organization_key IF NOT EXISTS FOR (n:Organization) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT collabgraph_topic_key IF NOT EXISTS FOR (n:Topic) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT collabgraph_person_key IF NOT EXISTS FOR (n:Person) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT collabgraph_position_key IF NOT EXISTS FOR (n:Position) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT collabgraph_team_key IF NOT EXISTS FOR (n:Team) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT collabgraph_standing_meeting_key IF NOT EXISTS FOR (n:StandingMeeting) REQUIRE n.key IS UNIQUE;
CREATE INDEX collabgraph_district_district IF NOT EXISTS FOR (n:District) ON (n.district);
CREATE INDEX collabgraph_school_district IF NOT EXISTS FOR (n:School) ON (n.district);
CREATE INDEX collabgraph_organization_district IF NOT EXISTS FOR (n:Organization) ON (n.district);
CREATE INDEX collabgraph_topic_district IF NOT EXISTS FOR (n:Topic) ON (n.district);
CREATE INDEX collabgraph_person_district IF NOT EXISTS FOR (n:Person) ON (n.district);
CREATE INDEX collabgraph_position_district IF NOT EXISTS FOR (n:Position) ON (n.district);
CREATE INDEX collabgraph_team_district IF NOT EXISTS FOR (n:Team) ON (n.district);
CREATE INDEX collabgraph_standing_meeting_district IF NOT EXISTS FOR (n:StandingMeeting) ON (n.district)
