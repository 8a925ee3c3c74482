"""``python -m collabgraph``: the command line."""

from collabgraph.cli import main

if __name__ == "__main__":
    main()
