// Every survey wave of the district's survey graph.
MATCH (s:Survey)
RETURN s.wave AS wave, s.state AS state, s.created_at AS created_at, s.closed_at AS closed_at
ORDER BY s.created_at, s.wave
