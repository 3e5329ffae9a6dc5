"""The page plan: catalog, taxonomies, pages and what templates receive (no MkDocs import)."""
