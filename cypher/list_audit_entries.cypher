// The newest $limit audit entries, optionally of one district, since a time, about one
// subject (newest first: the caller puts them back in time order).
// $district (or null), $since (ISO time or null), $subject (or null), $limit
MATCH (e:CgAudit)
WHERE ($district IS NULL OR e.district = $district)
  AND ($since IS NULL OR e.at >= $since)
  AND ($subject IS NULL OR e.subject = $subject)
RETURN e.at AS at, e.who AS who, e.role AS role, e.operation AS operation,
       e.district AS district, e.status AS status, e.subject AS subject
ORDER BY at DESC
LIMIT $limit
