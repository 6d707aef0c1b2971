"""Private: the backend, math, validation and display helpers the package shares.

Nothing here is public; the modules are imported by their private names.
"""

__all__ = []
