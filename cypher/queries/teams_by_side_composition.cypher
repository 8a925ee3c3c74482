// Each team with how many members come from each side (their own side, else
// the side of a position they hold), to spot one-sided teams.
// scope: district
// param team_kind string: only teams of this kind (dlt, slt, working_committee...)
MATCH (p:Person)-[:MEMBER_OF]->(t:Team {district: $district})
WHERE $team_kind IS NULL OR t.team_kind = $team_kind
OPTIONAL MATCH (p)-[:HOLDS]->(pos:Position)
WITH t, p, collect(pos.side) AS held
WITH t, coalesce(p.side, head(held), 'unknown') AS side, count(DISTINCT p) AS members
ORDER BY side
RETURN t.id AS team, t.name AS name, t.team_kind AS kind,
       collect({side: side, members: members}) AS sides
ORDER BY team
