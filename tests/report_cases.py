"""Helpers shared by the parser tests: where the report fixtures live and how to compare them.

Every fixture under ``tests/fixtures/reports/`` has a sibling ``<stem>.expected.json`` holding the
expected subset of ``AnnualReport.to_dict()`` (``title``, ``issuer``, ``year``, ``format``,
``published``, ``sections``, ``table2``, ``table3``, ``table4``; ``null`` = unknown). Extra keys
understood: ``"error": true`` (the input is not a readable report: ``.error`` must be a
non-empty one-line string), ``"error": null`` (``.error`` must be ``None``, the default),
``row_status`` (dotted row key -> present / absent / not_understood / blank; the rows listed
must have that status) and ``table_status`` (table -> read / partial / not_understood / absent).

Table comparison is cell by cell on the flattened dotted keys. A cell the parser does not emit
counts as ``None`` (``report.value()`` says the same). A schema cell the parser emits with a value
that the expected file does not list is a mismatch too (e.g. ``other.no_correction`` in a report
that kept the single old row （六）其他处理); keys outside the schema are ignored.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPORTS = FIXTURES / "reports"

SCALAR_KEYS = ("title", "issuer", "year", "format", "published")

TABLE2_KEYS = frozenset(
    # 2021 format
    ["rules.issued", "rules.repealed", "rules.in_force", "normative.issued", "normative.repealed",
     "normative.in_force", "licensing.decisions", "penalty.decisions", "coercion.decisions",
     "fees.amount"]
    # 2019 format
    + ["rules.made", "rules.published", "rules.total", "normative.made", "normative.published",
       "normative.total"]
    + [f"{row}.{col}" for row in ("licensing", "other_services", "penalty", "coercion")
       for col in ("prev_items", "change", "decisions")]
    + ["fees.prev_items", "fees.change", "procurement.items", "procurement.amount"]
)
TABLE3_ROWS = frozenset(
    ["new_received", "carried_in", "open", "partial"]
    + [f"withheld.{k}" for k in ("state_secret", "law_prohibited", "security_stability",
                                 "third_party", "internal_affairs", "process_info",
                                 "enforcement_file", "admin_query")]
    + [f"unavailable.{k}" for k in ("not_held", "needs_creation", "still_unclear")]
    + [f"not_processed.{k}" for k in ("petition", "repeat", "publication", "massive", "confirm")]
    + ["other.no_correction", "other.fee_unpaid", "other.other", "other", "total", "carried_out"]
)
TABLE3_COLS = ("natural_person", "commercial", "research", "public_welfare", "legal_service",
               "other_org", "total")
TABLE4_GROUPS = ("review", "litigation_direct", "litigation_after_review")
TABLE4_COLS = ("upheld", "corrected", "other", "pending", "total")
TABLE3_KEYS = frozenset(f"{r}.{c}" for r in TABLE3_ROWS for c in TABLE3_COLS)
TABLE4_KEYS = frozenset(f"{g}.{c}" for g in TABLE4_GROUPS for c in TABLE4_COLS)
SCHEMA_KEYS = {"table2": TABLE2_KEYS, "table3": TABLE3_KEYS, "table4": TABLE4_KEYS}


def expected_files() -> list[Path]:
    return sorted(REPORTS.glob("*.expected.json"))


def fixture_for(expected_path: Path) -> Path:
    """The input file beside ``<stem>.expected.json``: ``<stem>.<ext>``."""
    stem = expected_path.name[: -len(".expected.json")]
    matches = [p for p in REPORTS.iterdir()
               if p.name.startswith(stem + ".") and not p.name.endswith(".expected.json")
               and p.name.rsplit(".", 1)[0] == stem]
    assert len(matches) == 1, f"{expected_path.name}: expected one input file, found {matches}"
    return matches[0]


def load_expected(name: str) -> dict[str, Any]:
    path = REPORTS / name
    if not name.endswith(".expected.json"):
        path = REPORTS / (name.rsplit(".", 1)[0] + ".expected.json")
    return json.loads(path.read_text(encoding="utf-8"))


def read_fixture(name: str) -> bytes:
    return (REPORTS / name).read_bytes()


def parse_fixture(name: str):
    from auditor import parse_report

    return parse_report(read_fixture(name), source=name)


def flatten(table: dict[str, Any], depth: int) -> dict[str, Any]:
    """``{"row": {"col": v}}`` -> ``{"row.col": v}`` (depth 2); table2 is already flat (depth 1)."""
    if depth == 1:
        return dict(table)
    return {f"{row}.{col}": v for row, cols in table.items() for col, v in (cols or {}).items()}


def same_value(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)
    return a == b


def compare(expected: dict[str, Any], report) -> list[str]:
    """Mismatches between an expected-file dict and a parsed report, one line each."""
    got = report.to_dict()
    prov = got.get("provenance") or {}
    problems: list[str] = []

    def show(table: str, key: str) -> str:
        p = prov.get(f"{table}.{key}")
        if not p:
            return ""
        return f"   [raw={p.get('raw')!r} line={p.get('line')} method={p.get('method')}]"

    if "error" in expected:
        err = report.error
        if expected["error"]:
            if not (isinstance(err, str) and err.strip() and "\n" not in err):
                problems.append(f"error: expected a non-empty one-line message, got {err!r}")
        elif err is not None:
            problems.append(f"error: expected None, got {err!r}")
    elif report.error is not None:
        problems.append(f"error: expected None, got {report.error!r}")

    for key in SCALAR_KEYS:
        if key in expected and not same_value(expected[key], got.get(key)):
            problems.append(f"{key}: expected {expected[key]!r}, got {got.get(key)!r}")

    if "sections" in expected:
        for sid, want in expected["sections"].items():
            have = (got.get("sections") or {}).get(sid)
            if have is not want:
                problems.append(f"sections.{sid}: expected {want!r}, got {have!r}")

    for key in ("row_status", "table_status"):
        for name, want in (expected.get(key) or {}).items():
            have = (got.get(key) or {}).get(name)
            if have != want:
                problems.append(f"{key}.{name}: expected {want!r}, got {have!r}")

    for table, depth in (("table2", 1), ("table3", 2), ("table4", 2)):
        if table not in expected:
            continue
        want = flatten(expected[table], depth)
        have = flatten(got.get(table) or {}, depth)
        for key, value in want.items():
            if not same_value(value, have.get(key)):
                problems.append(f"{table}.{key}: expected {value!r}, got {have.get(key)!r}"
                                + show(table, key))
        for key, value in have.items():
            if key not in want and key in SCHEMA_KEYS[table] and value is not None:
                problems.append(f"{table}.{key}: not expected in this report, got {value!r}"
                                + show(table, key))
    return problems
