"""Every case in tests/fixtures/rules/<CODE>.yaml: build the report(s), the document or the site,
run only that rule and compare its findings with ``expect`` (see tests/rulecases.py for the case
format)."""

from __future__ import annotations

import pytest
from rulecases import (
    case_findings,
    case_id,
    case_subject,
    check_case_shape,
    describe,
    load_cases,
    match_findings,
    rule_subjects,
)

from auditor.rules import REGISTRY

CASES = load_cases()


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
        unknown = set(case.get("options") or {}) - set(rule_cls.config_keys)
        assert not unknown, f"{code} has no options {sorted(unknown)}"
    findings = case_findings(code, case)
    assert all(f.rule == code for f in findings)
    _compare(code, case, findings, url=subject != "report")
