"""MkDocs build mechanics: the second render process, `serve --dirty`, link messages."""
