// What a close needs of the district: its tie scale, its people's ids, its topic ids, and
// how many ties of the wave did not come from a survey (a workbook's or an edit's).
// $wave, $origin (survey)
MATCH (d:District)
OPTIONAL MATCH (p:Person)
WITH d, collect(p.id) AS people
OPTIONAL MATCH (t:Topic)
WITH d, people, collect(t.id) AS topics
OPTIONAL MATCH (:Person)-[e:TIE]->(:Person)
WHERE e.wave = $wave AND (e.origin IS NULL OR e.origin <> $origin)
RETURN d.tie_scale AS scale, people, topics, count(e) AS others
