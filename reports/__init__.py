"""Renderers of an :class:`~auditor.engine.AuditResult`: human, json, csv, sarif.

Every renderer reads the same result; none recomputes anything.
"""

from __future__ import annotations

from collections.abc import Callable

from auditor.engine import AuditResult

from .csv_out import render_csv
from .human import render_human
from .json_out import render_json
from .sarif import render_sarif

RENDERERS: dict[str, Callable[[AuditResult], str]] = {
    "human": render_human,
    "json": render_json,
    "csv": render_csv,
    "sarif": render_sarif,
}


def render(result: AuditResult, fmt: str) -> str:
    return RENDERERS[fmt](result)
