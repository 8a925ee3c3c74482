// Every property name used in a graph (to check that the column reads cover them all).
CALL db.propertyKeys() YIELD propertyKey
RETURN propertyKey
