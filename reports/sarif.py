"""SARIF 2.1.0 for code-scanning dashboards and CI: one run, rules from the registry."""

from __future__ import annotations

import json

from auditor.engine import AuditResult
from auditor.findings import Severity, Status

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
          Severity.LOW: "note", Severity.INFO: "note"}


def render_sarif(result: AuditResult) -> str:
    from auditor.rules import REGISTRY

    used = sorted({f.rule for f in result.findings})
    index = {code: i for i, code in enumerate(used)}
    rules = []
    for code in used:
        rule = REGISTRY.get(code)
        rules.append({
            "id": code,
            "name": rule.name if rule else code,
            "shortDescription": {"text": rule.title if rule else code},
            "fullDescription": {"text": rule.doc() if rule else ""},
            "properties": {"legal_basis": str(rule.legal_basis) if rule else ""},
        })
    results = []
    for f in result.findings:
        loc = f.location
        logical = "/".join(p for p in (loc.table, loc.row, loc.column) if p) or (
            f"section {loc.section}" if loc.section else "report")
        location = {"logicalLocations": [{"fullyQualifiedName": logical}]}
        if loc.url:
            physical = {"artifactLocation": {"uri": loc.url}}
            if loc.line:
                physical["region"] = {"startLine": loc.line}
            location["physicalLocation"] = physical
        item = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": "none" if f.status == Status.NOT_ASSESSABLE else _LEVEL[f.severity],
            "kind": "fail" if f.status == Status.VIOLATION else (
                "review" if f.status == Status.NEEDS_REVIEW else "notApplicable"),
            "message": {"text": f.message},
            "locations": [location],
            "partialFingerprints": {"zwgkFingerprint/v2": f.fingerprint},
            "properties": {"status": str(f.status), "severity": str(f.severity),
                           "evidence": f.evidence, "legal_basis": f.legal_basis},
        }
        if f.waived:
            item["suppressions"] = [{"kind": "external", "justification": f.waived}]
        results.append(item)
    from auditor import __version__

    sarif = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "zwgk-auditor", "version": __version__,
                                "informationUri": "https://github.com/zwgk-auditor/zwgk-auditor",
                                "rules": rules}},
            "results": results,
            "properties": {"coverage": result.coverage, "summary": result.counts()},
        }],
    }
    return json.dumps(sarif, ensure_ascii=False, indent=2, default=str) + "\n"
