// What a close needs of the district: its tie scale, its people's ids, its topic ids.
MATCH (d:District)
OPTIONAL MATCH (p:Person)
WITH d, collect(p.id) AS people
OPTIONAL MATCH (t:Topic)
RETURN d.tie_scale AS scale, people, collect(t.id) AS topics
