"""auditor.reports (placeholder until its issue lands)."""
