"""Bad input: hostile, broken and awkward files thrown at ``communique ingest``."""
