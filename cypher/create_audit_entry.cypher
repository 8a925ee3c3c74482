// One audit entry: who, when, what kind of operation, which district; never the values.
// $at, $who, $role, $operation, $district, $status, $subject
CREATE (e:CgAudit {at: $at, who: $who, role: $role, operation: $operation,
                   district: $district, status: $status, subject: $subject})
RETURN e.at AS at
