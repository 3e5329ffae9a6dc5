"""Loading story files and data/, and running every check on them."""
