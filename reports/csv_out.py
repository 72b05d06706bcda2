"""CSV, one finding per row, safe to open in a spreadsheet.

Scraped text is hostile: a cell starting with = + - @ (or a tab/CR) would run as a formula in
Excel or WPS, so such cells are prefixed with an apostrophe (OWASP CSV injection advice).
"""

from __future__ import annotations

import csv
import io
import json

from auditor.engine import AuditResult
from auditor.findings import STATUS_LABEL

COLUMNS = ("rule", "name", "status", "status_cn", "severity", "message", "url", "section",
           "table", "row", "column", "line", "evidence", "legal_basis", "fingerprint", "waived")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(result: AuditResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for f in result.findings:
        loc = f.location
        writer.writerow([neutralise(v) for v in (
            f.rule, f.name, f.status, STATUS_LABEL[f.status], f.severity, f.message, loc.url,
            loc.section, loc.table, loc.row, loc.column, loc.line,
            json.dumps(f.evidence, ensure_ascii=False, default=str), f.legal_basis,
            f.fingerprint, f.waived)])
    return out.getvalue()
