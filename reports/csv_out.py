"""CSV, one finding per row, safe to open in a spreadsheet.

The file starts with a UTF-8 byte order mark: Excel and WPS on Chinese Windows read a CSV
without one as GBK and show mojibake. The machine columns keep the schema keys (``table``,
``row``, ``column``, ``evidence`` as JSON); beside them ``status_cn``, ``severity_cn``,
``location_label`` and ``evidence_cn`` say the same in the report's words.

Scraped text is hostile: a cell starting with = + - @ (or a tab/CR) would run as a formula in
Excel or WPS, so such cells are prefixed with an apostrophe (OWASP CSV injection advice).
"""

from __future__ import annotations

import csv
import io
import json

from auditor.engine import AuditResult
from auditor.findings import STATUS_LABEL

COLUMNS = ("rule", "name", "status", "status_cn", "severity", "severity_cn", "message", "url",
           "location_label", "section", "table", "row", "column", "page", "line", "evidence",
           "evidence_cn", "legal_basis", "fingerprint", "waived")
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(result: AuditResult) -> str:
    from .xlsx_out import finding_evidence

    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for f in result.findings:
        loc = f.location
        evidence_cn = "\n".join(f"{label}：{value}"
                                for label, value in finding_evidence(f.to_dict()))
        writer.writerow([neutralise(v) for v in (
            f.rule, f.name, f.status, STATUS_LABEL[f.status], f.severity, f.severity.label,
            f.message, loc.url, loc.describe(), loc.section, loc.table, loc.row, loc.column,
            loc.page, loc.line, json.dumps(f.evidence, ensure_ascii=False, default=str),
            evidence_cn, f.legal_basis, f.fingerprint, f.waived)])
    return out.getvalue()
