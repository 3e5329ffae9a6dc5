"""What is made from built pages: the 繁體 mirror, the search index, exports, feeds, offline assets."""
