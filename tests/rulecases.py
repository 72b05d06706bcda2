"""Helpers for the rule case files under ``tests/fixtures/rules/`` (after sqlfluff's
``std_rule_cases``).

Each ``<CODE>.yaml`` holds ``rule: CODE`` and a list of ``cases``. A case describes a report as
*overrides* of :func:`base_report` — a complete, consistent 2021-format report of a county
department for 2024 that passes every rule — so it only spells out what it changes:

``name``
    Shown in the test id (``ARI-04:review total wrong``).
``report``
    Overrides deep-merged into ``base_report()`` (see :func:`merge`).
``previous``
    Overrides merged into ``base_report(2023)`` (the same body's report for 2023, published
    2024-01-20), passed as the previous year's report; ``previous: {}`` uses it unchanged.
    Without the key no previous report is given.
``context``
    ``published`` / ``unit_type`` / ``today`` passed to ``check_report``.
``options``
    Rule options (``[rules.CODE]`` in auditor.toml) for this case only.
``expect``
    The findings of *this* rule: a list of ``{status, severity?, table?, row?, column?,
    section?, message_contains?}``; ``[]`` means the rule must find nothing.

Merging: a mapping merges key by key, anything else replaces; the string ``"__delete__"``
removes the key (a table row, a section, ``published``…). A table cell may be a number, ``null``
(not read: ``method="missing"``), a printed blank such as ``"/"`` or ``"—"``, or a provenance
object such as ``{value: null, method: split, options: [12, 21]}`` (an ambiguous run-together
row, see ``auditor.models._cell_from``).
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from auditor.models import TABLE3_COLUMNS, AnnualReport, report_from_dict

RULE_CASES = Path(__file__).resolve().parent / "fixtures" / "rules"

DELETE = "__delete__"

CASE_KEYS = {"name", "report", "previous", "context", "options", "expect"}
EXPECT_KEYS = {"status", "severity", "table", "row", "column", "section", "message_contains"}
CONTEXT_KEYS = {"published", "unit_type", "today"}
STATUSES = {"violation", "needs_review", "not_assessable"}
SEVERITIES = {"critical", "high", "medium", "low", "info"}

ISSUER = "某某县交通运输局"


def _row(*values: int | float | None) -> dict[str, Any]:
    """A table 三 row from its seven columns (自然人 … 其他, 总计)."""
    return dict(zip(TABLE3_COLUMNS, values, strict=True))


def _zero_row() -> dict[str, Any]:
    return _row(0, 0, 0, 0, 0, 0, 0)


def _table3() -> dict[str, dict[str, Any]]:
    """12 new (自然人 10, 商业企业 2) + 1 carried in = 12 concluded + 1 carried out.

    Concluded: 予以公开 6, 部分公开 2, 不予公开（过程性信息）1, 无法提供（不掌握）2,
    不予处理（重复申请）1.
    """
    rows: dict[str, dict[str, Any]] = {
        "new_received": _row(10, 2, 0, 0, 0, 0, 12),
        "carried_in": _row(1, 0, 0, 0, 0, 0, 1),
        "open": _row(5, 1, 0, 0, 0, 0, 6),
        "partial": _row(2, 0, 0, 0, 0, 0, 2),
    }
    for key in ("state_secret", "law_prohibited", "security_stability", "third_party",
                "internal_affairs", "process_info", "enforcement_file", "admin_query"):
        rows[f"withheld.{key}"] = _zero_row()
    rows["withheld.process_info"] = _row(1, 0, 0, 0, 0, 0, 1)
    rows["unavailable.not_held"] = _row(1, 1, 0, 0, 0, 0, 2)
    rows["unavailable.needs_creation"] = _zero_row()
    rows["unavailable.still_unclear"] = _zero_row()
    for key in ("petition", "repeat", "publication", "massive", "confirm"):
        rows[f"not_processed.{key}"] = _zero_row()
    rows["not_processed.repeat"] = _row(1, 0, 0, 0, 0, 0, 1)
    for key in ("no_correction", "fee_unpaid", "other"):
        rows[f"other.{key}"] = _zero_row()
    rows["total"] = _row(10, 2, 0, 0, 0, 0, 12)
    rows["carried_out"] = _row(1, 0, 0, 0, 0, 0, 1)
    return rows


def _table4() -> dict[str, dict[str, Any]]:
    zero = {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}
    return {
        "review": {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1},
        "litigation_direct": dict(zero),
        "litigation_after_review": dict(zero),
    }


def _sections(year: int) -> dict[str, str]:
    return {
        "1": (
            f"{year}年，{ISSUER}深入贯彻落实《中华人民共和国政府信息公开条例》，"
            "围绕交通运输中心工作扎实推进政务公开。"
            "（一）主动公开。全年通过县政府门户网站主动公开政府信息286条，"
            "本年度制发行政规范性文件2件，废止行政规范性文件2件，现行有效行政规范性文件15件。"
            "（二）依申请公开。全年共收到政府信息公开申请12件，上年结转1件，办结12件，"
            "1件结转下年度继续办理。其中予以公开6件，部分公开2件，不予公开1件，无法提供2件，"
            "不予处理1件。全年发生政府信息公开行政复议1件，复议结果为维持。"
            "（三）政府信息管理。严格落实公开前保密审查和动态调整机制。"
            "（四）平台建设。持续优化政府信息公开专栏栏目设置。"
            "（五）监督保障。将政务公开工作纳入年度绩效考核，主动接受社会评议，"
            "全年未发生责任追究情况。"
            f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        ),
        "2": "主动公开政府信息情况见下表。",
        "3": "收到和处理政府信息公开申请情况见下表。",
        "4": "政府信息公开行政复议、行政诉讼情况见下表。",
        "5": (
            "本年度政务公开工作仍存在一些不足：一是政策解读形式较为单一，图解、视频等解读比例不高，"
            "解读内容与群众关切结合不够紧密；二是依申请公开答复文书的规范性有待提升，个别答复"
            "告知救济途径的表述不够完整；三是基层站所政务公开工作人员业务能力参差不齐。"
            "下一步，我局将丰富政策解读形式，推出更多图文、短视频解读产品；制定依申请公开答复"
            "文书范本，完善办理流程和法律审核机制；加强业务培训，定期组织政务公开专题学习，"
            "进一步提升政务公开工作质量。"
        ),
        "6": "本年度未收取信息处理费。",
    }


def base_report(year: int = 2024) -> dict[str, Any]:
    """A complete, consistent 2021-format report of 某某县交通运输局 (a county department) for
    ``year``, published on 20 January of the next year; it passes every rule."""
    return {
        "title": f"{ISSUER}{year}年政府信息公开工作年度报告",
        "issuer": ISSUER,
        "year": year,
        "format": "2021",
        "published": f"{year + 1}-01-20",
        "sections": _sections(year),
        "table2": {
            "rules.issued": 0, "rules.repealed": 0, "rules.in_force": 0,
            "normative.issued": 2, "normative.repealed": 2, "normative.in_force": 15,
            "licensing.decisions": 120, "penalty.decisions": 35, "coercion.decisions": 3,
            "fees.amount": 0,
        },
        "table3": _table3(),
        "table4": _table4(),
        "row_labels": {},
        "page": {
            "url": f"https://www.example.gov.cn/zwgk/ndbg/{year + 1}01/t{year + 1}0120_123456.html",
            "source": ISSUER,
        },
        "source": f"case:{ISSUER}{year}",
    }


def _plain(value: Any) -> Any:
    """YAML reads ``2025-01-20`` as a date: the report model keeps dates as ISO strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def merge(base: dict[str, Any], overrides: dict[str, Any] | None) -> dict[str, Any]:
    """``base`` with ``overrides`` deep-merged in (a new dict; neither argument is changed)."""
    out = copy.deepcopy(base)
    for key, value in (overrides or {}).items():
        key = str(key)
        if isinstance(value, str) and value == DELETE:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = _plain(copy.deepcopy(value))
    return out


def build(overrides: dict[str, Any] | None = None, *, year: int = 2024) -> AnnualReport:
    """``base_report(year)`` with ``overrides`` merged in, as an :class:`AnnualReport`."""
    return report_from_dict(merge(base_report(year), overrides))


def build_previous(overrides: dict[str, Any] | None = None) -> AnnualReport:
    """The same body's 2023 report (published 2024-01-20) with ``overrides`` merged in."""
    return build(overrides, year=2023)


def load_case_files() -> list[tuple[Path, dict[str, Any]]]:
    return [(path, yaml.safe_load(path.read_text(encoding="utf-8")))
            for path in sorted(RULE_CASES.glob("*.yaml"))]


def load_cases() -> list[tuple[str, dict[str, Any]]]:
    """``(code, case)`` for every case of every case file."""
    out = []
    for _path, data in load_case_files():
        for case in data.get("cases") or []:
            out.append((data["rule"], case))
    return out


def case_id(code: str, case: dict[str, Any]) -> str:
    return f"{code}:{case['name']}"


def check_case_shape(case: dict[str, Any]) -> list[str]:
    """Typos in a case file (unknown keys, statuses…), as messages; empty when well formed."""
    problems = []
    unknown = set(case) - CASE_KEYS
    if unknown:
        problems.append(f"unknown case keys {sorted(unknown)}")
    if "name" not in case or "expect" not in case:
        problems.append("a case needs a name and an expect list")
    if not isinstance(case.get("expect"), list):
        problems.append("expect must be a list")
        return problems
    unknown = set(case.get("context") or {}) - CONTEXT_KEYS
    if unknown:
        problems.append(f"unknown context keys {sorted(unknown)}")
    for item in case["expect"]:
        if not isinstance(item, dict):
            problems.append(f"expected finding must be a mapping: {item!r}")
            continue
        unknown = set(item) - EXPECT_KEYS
        if unknown:
            problems.append(f"unknown expect keys {sorted(unknown)}")
        if item.get("status") not in STATUSES:
            problems.append(f"expect status must be one of {sorted(STATUSES)}: {item!r}")
        if "severity" in item and item["severity"] not in SEVERITIES:
            problems.append(f"unknown severity {item['severity']!r}")
    return problems


def finding_matches(expected: dict[str, Any], finding) -> bool:
    if str(finding.status) != expected["status"]:
        return False
    if "severity" in expected and str(finding.severity) != expected["severity"]:
        return False
    for key in ("table", "row", "column", "section"):
        if key in expected and getattr(finding.location, key) != _plain(expected[key]):
            return False
    wanted = expected.get("message_contains")
    return wanted is None or str(wanted) in finding.message


def match_findings(expected: list[dict[str, Any]], findings: list) -> bool:
    """Whether every expected finding matches a different actual one (same count)."""
    if len(expected) != len(findings):
        return False

    def assign(i: int, used: frozenset[int]) -> bool:
        if i == len(expected):
            return True
        return any(assign(i + 1, used | {j}) for j, f in enumerate(findings)
                   if j not in used and finding_matches(expected[i], f))

    return assign(0, frozenset())


def describe(finding) -> str:
    loc = finding.location
    where = ", ".join(f"{k}={getattr(loc, k)}" for k in ("section", "table", "row", "column")
                      if getattr(loc, k))
    return f"{finding.status}/{finding.severity} [{where}] {finding.message}"
