// Every survey wave's settings (JSON text).
MATCH (s:Survey)
RETURN s.key AS wave, s.spec AS spec
ORDER BY wave
