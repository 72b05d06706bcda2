"""Scraped text is hostile: spreadsheet formulas are neutralised in CSV."""

from __future__ import annotations

import csv
import io

import pytest

from auditor.engine import AuditResult
from auditor.findings import Finding, Location, Severity, Status
from auditor.reports import render
from auditor.reports.csv_out import neutralise


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)",
                                   "\t=1", "＝1"])
def test_formula_cells_are_prefixed(value):
    assert neutralise(value) == "'" + value


def test_plain_cells_untouched():
    assert neutralise("表三合计不平") == "表三合计不平" and neutralise(None) == ""


def test_csv_report_neutralises_hostile_message_and_url():
    finding = Finding("ARI-01", "arithmetic.table3_balance", Status.VIOLATION, Severity.HIGH,
                      "=HYPERLINK(\"http://evil\",\"点我\")",
                      Location(url="=cmd|' /C calc'!A0", table="table3"), {"x": 1}, "依据")
    result = AuditResult([finding], ["x"], ["ARI-01"])
    rows = list(csv.DictReader(io.StringIO(render(result, "csv").removeprefix("\ufeff"))))
    assert rows[0]["message"].startswith("'=") and rows[0]["url"].startswith("'=")
