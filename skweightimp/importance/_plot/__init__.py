"""Private: the importance displays."""
