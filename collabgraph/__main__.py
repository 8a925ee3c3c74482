"""``python -m collabgraph``: the command line."""

from collabgraph.entry import run

if __name__ == "__main__":
    run()
