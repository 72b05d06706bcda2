"""auditor.rules (placeholder until its issue lands)."""
