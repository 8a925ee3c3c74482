// Every node of a graph that holds one district (the embedded store keeps one
// graph per district, so no filter is needed): label and properties.
MATCH (n)
RETURN labels(n)[0] AS kind, properties(n) AS props
