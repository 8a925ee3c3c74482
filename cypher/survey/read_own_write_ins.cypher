// The write-ins one respondent has made (its link's hash).
// $hash
MATCH (x:Respondent {token_hash: $hash})-[:WROTE]->(w:WriteIn)
RETURN w.question AS question, w.name AS name, w.frequency AS frequency
ORDER BY question, name
