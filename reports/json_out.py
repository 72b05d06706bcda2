"""JSON: ``{"findings": [...], "summary", "coverage", ...}`` (AuditResult.to_dict)."""

from __future__ import annotations

import json

from auditor.engine import AuditResult


def render_json(result: AuditResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n"
