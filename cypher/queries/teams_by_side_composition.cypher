// Each team with how many members come from each side (through the positions
// they hold, or their own side), to spot one-sided teams.
// scope: district
// param team_kind string: only teams of this kind (dlt, slt, working_committee...)
MATCH (p:Person)-[m:MEMBER_OF]->(t:Team)
WHERE $team_kind IS NULL OR t.team_kind = $team_kind
OPTIONAL MATCH (p)-[:HOLDS]->(pos:Position)
WITH t, p, coalesce(p.side, head(collect(pos.side))) AS side
WITH t, side, count(p) AS members
RETURN t.id AS team, t.name AS name, t.team_kind AS kind, collect({side: side, members: members}) AS sides
ORDER BY team
