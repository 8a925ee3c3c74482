"""``python -m collabgraph``: the command line."""

from collabgraph.entry import main

if __name__ == "__main__":
    main()
