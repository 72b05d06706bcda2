"""Every case in tests/fixtures/rules/<CODE>.yaml: build the report(s), run only that rule and
compare its findings with ``expect`` (see tests/rulecases.py for the case format)."""

from __future__ import annotations

import datetime as dt

import pytest
from rulecases import (
    build,
    build_previous,
    case_id,
    check_case_shape,
    describe,
    load_cases,
    match_findings,
)

from auditor.audit import check_report
from auditor.config import Config

CASES = load_cases()


def _date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@pytest.mark.parametrize(("code", "case"), CASES, ids=[case_id(c, k) for c, k in CASES])
def test_rule_case(code, case):
    problems = check_case_shape(case)
    assert not problems, f"malformed case: {problems}"
    report = build(case.get("report"))
    previous = build_previous(case["previous"]) if "previous" in case else None
    context = case.get("context") or {}
    published = context.get("published")
    config = Config(select=[code], rule_options={code: case["options"]} if case.get("options")
                    else {})
    result = check_report(report, previous=previous,
                          published=published.isoformat() if isinstance(published, dt.date)
                          else published,
                          unit_type=context.get("unit_type"), config=config,
                          today=_date(context.get("today")))
    assert result.rules_run == [code]
    findings = [f for f in result.findings if f.rule == code]
    expected = case["expect"]
    if not match_findings(expected, findings):
        got = "\n  ".join(describe(f) for f in findings) or "(nothing)"
        want = "\n  ".join(repr(e) for e in expected) or "(nothing)"
        pytest.fail(f"{code} {case['name']!r}\nexpected:\n  {want}\ngot:\n  {got}",
                    pytrace=False)
