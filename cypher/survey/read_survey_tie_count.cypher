// How many ties of a wave a survey wrote into the district graph.
// $wave, $origin (survey)
MATCH (:Person)-[e:TIE]->(:Person)
WHERE e.origin = $origin AND e.wave = $wave
RETURN count(e) AS ties
