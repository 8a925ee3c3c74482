// What a close needs of the district: its tie scale, its people's ids, its topic ids, and
// how many ties the wave has from this survey and from anywhere else (a workbook's or an
// edit's).
// $wave, $origin (survey)
MATCH (d:District)
OPTIONAL MATCH (p:Person)
WITH d, collect(p.id) AS people
OPTIONAL MATCH (t:Topic)
WITH d, people, collect(t.id) AS topics
OPTIONAL MATCH (:Person)-[e:TIE]->(:Person)
WHERE e.wave = $wave
WITH d, people, topics, count(e) AS every,
     count(CASE WHEN e.origin = $origin THEN 1 END) AS ours
RETURN d.tie_scale AS scale, people, topics, every - ours AS others, ours
