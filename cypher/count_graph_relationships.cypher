// Every relationship of the graph the statement runs on (see count_graph_nodes).
MATCH ()-[r]->()
RETURN count(r) AS n
