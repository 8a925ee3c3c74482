"""Interactive views of a district (pyvis). Built in a later step; see the issues."""
