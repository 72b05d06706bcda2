"""Every case in tests/fixtures/rules/<CODE>.yaml: build the report(s), the document or the site,
run only that rule and compare its findings with ``expect`` (see tests/rulecases.py for the case
format)."""

from __future__ import annotations

import datetime as dt

import pytest
from rulecases import (
    build,
    build_document,
    build_previous,
    build_site,
    case_id,
    case_subject,
    check_case_shape,
    describe,
    load_cases,
    match_findings,
    rule_subjects,
)

from auditor.audit import check_report
from auditor.config import Config
from auditor.engine import run_subject
from auditor.rules import REGISTRY

CASES = load_cases()


def _date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _compare(code, case, findings, *, url=False):
    expected = case["expect"]
    if not match_findings(expected, findings):
        got = "\n  ".join(describe(f, url=url) for f in findings) or "(nothing)"
        want = "\n  ".join(repr(e) for e in expected) or "(nothing)"
        pytest.fail(f"{code} {case['name']!r}\nexpected:\n  {want}\ngot:\n  {got}",
                    pytrace=False)


@pytest.mark.parametrize(("code", "case"), CASES, ids=[case_id(c, k) for c, k in CASES])
def test_rule_case(code, case):
    problems = check_case_shape(case)
    assert not problems, f"malformed case: {problems}"
    subject = case_subject(case)
    rule_cls = REGISTRY[code]
    # A case on a subject the rule does not check would pass vacuously.
    assert subject in rule_subjects(rule_cls), \
        f"{code} does not apply to a {subject} (it checks {sorted(rule_subjects(rule_cls))})"
    if subject != "report":
        _check_subject_case(code, rule_cls, subject, case)
        return
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
    _compare(code, case, findings)


def _check_subject_case(code, rule_cls, subject, case):
    """A ``document`` or ``site`` case: only this rule, through ``run_subject``."""
    options = case.get("options") or {}
    unknown = set(options) - set(rule_cls.config_keys)
    assert not unknown, f"{code} has no options {sorted(unknown)}"
    rule = rule_cls(options)
    ctx = build_document(case["document"]) if subject == "document" else build_site(case["site"])
    findings = list(run_subject([rule], subject, ctx))
    assert all(f.rule == code for f in findings)
    _compare(code, case, findings, url=True)
