// Every relationship type used in a graph (to check that the column reads cover them all).
CALL db.relationshipTypes() YIELD relationshipType
RETURN relationshipType
