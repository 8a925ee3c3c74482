// The respondents of a survey wave and how far each has got.
// $wave
MATCH (x:Respondent)
WHERE x.wave = $wave
RETURN x.id AS id, x.name AS name, x.school AS school, x.submitted AS submitted,
       x.saved_at AS saved_at, x.revoked AS revoked, size(x.token_hash) > 0 AS has_link
ORDER BY x.name, x.id
