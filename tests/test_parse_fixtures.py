"""Every report fixture parses to its ``<stem>.expected.json`` (see tests/report_cases.py)."""

from __future__ import annotations

import json

import pytest
from report_cases import REPORTS, compare, expected_files, fixture_for

CASES = expected_files()


def test_every_fixture_has_an_expected_file():
    inputs = {p.name for p in REPORTS.iterdir() if not p.name.endswith(".expected.json")}
    covered = {fixture_for(p).name for p in CASES}
    assert inputs == covered, f"fixtures without an expected file: {sorted(inputs - covered)}"


@pytest.mark.parametrize("expected_path", CASES, ids=[p.name[: -len(".expected.json")] for p in CASES])
def test_fixture_parses_to_expected(expected_path):
    from auditor import parse_report

    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    source = fixture_for(expected_path)
    report = parse_report(source.read_bytes(), source=source.name)
    problems = compare(expected, report)
    if problems:
        pytest.fail(f"{source.name}: {len(problems)} mismatch(es)\n  " + "\n  ".join(problems),
                    pytrace=False)
