"""Private: the backend, math, validation and display helpers the package shares."""
