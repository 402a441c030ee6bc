"""Table specs, pandera models and reference data: the project's knowledge as data."""
