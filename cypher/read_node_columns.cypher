// Every node of a graph that holds one district (the embedded store keeps one graph
// per district, so there is no filter), one plain column per property the graph
// model has (docs/graph-model.md). The embedded store reads this in FalkorDB's
// verbose reply format, which is several times faster to decode than a map per
// row; the properties that do not come back with their own type are `builtin`
// (a boolean) and `tie_scale` (a double), both sent as text. If the graph holds a property not listed here, the
// store reads with read_nodes/read_edges instead.
MATCH (n)
RETURN labels(n)[0] AS kind, n.id AS id, n.seq AS seq, n.name AS name,
       n.title AS title, n.state AS state, n.note AS note, n.level AS level,
       n.represented_staff AS represented_staff, n.side AS side,
       n.org_kind AS org_kind, n.position_kind AS position_kind,
       n.team_kind AS team_kind, n.description AS description,
       n.builtin AS builtin, n.decision_step AS decision_step,
       n.cadence AS cadence, n.last_held AS last_held,
       n.tie_scale AS tie_scale, n.rep_staff_healthy AS rep_staff_healthy,
       n.rep_staff_hard AS rep_staff_hard
