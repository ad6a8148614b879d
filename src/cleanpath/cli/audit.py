"""audit command (placeholder until wired)."""
