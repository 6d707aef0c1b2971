"""Private: the inspection displays."""
