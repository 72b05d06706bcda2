"""auditor.spiders (placeholder until its issue lands)."""
