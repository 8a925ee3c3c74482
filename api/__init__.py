"""The collabgraph HTTP API (FastAPI). Built in a later step; see the issues."""
