"""The rule registry, the rule modules and the case files agree, and every rule documents itself."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest
from rulecases import (
    FILE_KEYS,
    RULE_CASES,
    case_subject,
    check_case_shape,
    load_case_files,
    rule_subjects,
)

import auditor.rules as rules_pkg
from auditor.engine import Rule
from auditor.findings import LegalBasis, Severity
from auditor.rules import ALL_RULES, FAMILIES, REGISTRY


def defined_rule_classes() -> dict[str, type[Rule]]:
    """Every concrete rule class (a Rule subclass with a ``code``) defined in a rule module."""
    found: dict[str, type[Rule]] = {}
    for info in pkgutil.iter_modules(rules_pkg.__path__):
        module = importlib.import_module(f"{rules_pkg.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (issubclass(cls, Rule) and cls is not Rule and cls.__module__ == module.__name__
                    and getattr(cls, "code", None)):
                assert cls.code not in found or found[cls.code] is cls, \
                    f"two classes with code {cls.code}"
                found[cls.code] = cls
    return found


CASE_FILES = load_case_files()
RULES = sorted(REGISTRY.items())


def test_registry_modules_and_case_files_list_the_same_codes():
    defined = defined_rule_classes()
    stems = {path.stem for path, _ in CASE_FILES}
    assert set(REGISTRY) == set(defined), "REGISTRY and the rule modules differ"
    assert set(REGISTRY) == stems, (f"rules without a case file: {sorted(set(REGISTRY) - stems)}; "
                                    f"case files without a rule: {sorted(stems - set(REGISTRY))}")
    for code, cls in defined.items():
        assert REGISTRY[code] is cls


def test_codes_and_names_are_unique():
    codes = [r.code for r in ALL_RULES]
    names = [r.name for r in ALL_RULES]
    assert len(codes) == len(set(codes)), codes
    assert len(names) == len(set(names)), names
    aliases = [a for r in ALL_RULES for a in r.aliases]
    assert not set(aliases) & (set(codes) | set(names))


@pytest.mark.parametrize(("code", "rule"), RULES, ids=[c for c, _ in RULES])
def test_rule_metadata(code, rule):
    assert rule.code == code
    assert re.fullmatch(r"[A-Z]+-\d{2}", code), code
    family = code.split("-")[0]
    assert family in FAMILIES, f"unknown family {family}"
    assert re.fullmatch(r"[a-z_]+\.[a-z0-9_]+", rule.name), f"name not dotted: {rule.name!r}"
    assert rule.name.split(".")[0] == FAMILIES[family], rule.name
    assert isinstance(rule.title, str) and rule.title.strip()
    assert isinstance(rule.severity, Severity)
    assert isinstance(rule.legal_basis, LegalBasis)
    assert str(rule.legal_basis).strip()
    if not rule.legal_basis.verified:
        assert "未核实" in str(rule.legal_basis)
    assert rule.subject in ("report", "report_pair", "document", "site")
    for extra in rule.extra_subjects:
        assert extra in ("document", "site") and extra != rule.subject, extra
        assert callable(getattr(rule, f"check_{extra}", None)), f"{code} lacks check_{extra}"


@pytest.mark.parametrize(("code", "rule"), RULES, ids=[c for c, _ in RULES])
def test_rule_docstring_has_every_section(code, rule):
    assert rule.doc(), f"{code} has no docstring"
    assert rule.summary().strip()
    assert rule.missing_doc_sections() == [], f"{code} docstring lacks {rule.missing_doc_sections()}"
    for section in ("为什么：", "依据：", "违规示例：", "合规示例："):
        assert section in rule.doc()



#: Names an inspector reads in Latin letters: the page tags of the 《政府网站发展指引》 and the
#: names of file formats and protocols.
LATIN_NAMES = {"SiteName", "SiteDomain", "SiteIDCode", "ArticleTitle", "PubDate", "ContentSource",
               "ColumnName", "HTML", "HTTP", "Word"}
_CODE = re.compile(r"``.+?``|`[^`\n]+`")
_URL = re.compile(r"(?:https?://)?[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+(?:/[A-Za-z0-9_./-]*)?",
                  re.ASCII)
_RULE_CODE = re.compile(r"(?<![A-Za-z])[A-Z]+-\d{2}(?!\d)")


def english_words(rule: type[Rule]) -> list[str]:
    """The English words (4+ letters) of a rule's documentation, outside code, options, URLs,
    host and file names, rule codes and the names in LATIN_NAMES."""
    text = _RULE_CODE.sub(" ", _URL.sub(" ", _CODE.sub(" ", rule.doc())))
    return [word for word in re.findall(r"[A-Za-z]{4,}", text)
            if word not in LATIN_NAMES and word not in rule.config_keys]


def test_english_words_are_found_outside_code_and_names():
    class Sample(Rule):
        """示例：`exempt_columns`，WEB-06，www.example.gov.cn/a.htm，SiteIDCode，needs review。"""

    assert english_words(Sample) == ["needs", "review"]


@pytest.mark.parametrize(("code", "rule"), RULES, ids=[c for c, _ in RULES])
def test_rule_docstring_is_chinese(code, rule):
    """Every registered rule's documentation is Chinese prose (inspectors read it)."""
    assert not english_words(rule), f"{code} docstring has English words: {english_words(rule)}"


#: Rules that only report what could not be checked (coverage gaps): they never emit a
#: violation or needs_review, so their "fail" cases are not_assessable ones.
COVERAGE_ONLY = {"SCAN-01"}


def _rule_source(rule: type[Rule]) -> str:
    """The source of the rule class and the base classes it inherits ``check`` from."""
    source = ""
    for cls in rule.__mro__:
        if cls is Rule or cls is object:
            break
        source += inspect.getsource(cls)
    return source


def _may_be_not_assessable(rule: type[Rule]) -> bool:
    """Whether the rule (or a base class it inherits ``check`` from) can emit not_assessable."""
    source = _rule_source(rule)
    return "NOT_ASSESSABLE" in source or "_consecutive(" in source


@pytest.mark.parametrize(("path", "data"), CASE_FILES, ids=[p.stem for p, _ in CASE_FILES])
def test_case_file_covers_pass_fail_and_unknown(path, data):
    assert data["rule"] == path.stem, f"{path.name} says rule: {data['rule']}"
    assert not set(data) - FILE_KEYS, \
        f"{path.name}: unknown top-level keys {sorted(set(data) - FILE_KEYS)} (anchors go under shared:)"
    cases = data.get("cases") or []
    names = [c.get("name") for c in cases]
    assert len(names) == len(set(names)), f"duplicate case names in {path.name}"
    for case in cases:
        assert not check_case_shape(case), (case.get("name"), check_case_shape(case))
    statuses = [{e["status"] for e in c["expect"]} for c in cases]
    assert any(not s for s in statuses), f"{path.name}: no pass case (expect: [])"
    rule = REGISTRY[path.stem]
    if path.stem in COVERAGE_ONLY:
        source = _rule_source(rule)
        assert "VIOLATION" not in source and "NEEDS_REVIEW" not in source, \
            f"{path.stem} now emits violations: take it out of COVERAGE_ONLY"
        assert any("not_assessable" in s for s in statuses), f"{path.name}: no fail case"
    else:
        assert any(s & {"violation", "needs_review"} for s in statuses), \
            f"{path.name}: no fail case"
    # Every subject the rule checks (report, document, site) has cases, and no case targets a
    # subject the rule ignores (it would pass vacuously).
    subjects = {case_subject(c) for c in cases}
    assert subjects == rule_subjects(rule), \
        f"{path.name}: cases for {sorted(subjects)}, the rule checks {sorted(rule_subjects(rule))}"
    for subject in rule_subjects(rule) - {"report"}:
        subject_statuses = [s for c, s in zip(cases, statuses, strict=True)
                            if case_subject(c) == subject]
        assert any(not s for s in subject_statuses), f"{path.name}: no {subject} pass case"
        assert any(s for s in subject_statuses), f"{path.name}: no {subject} fail case"
    if _may_be_not_assessable(rule):
        assert any("not_assessable" in s for s in statuses), \
            f"{path.name}: the rule can be not assessable but no case shows it"


def test_case_directory_exists():
    assert RULE_CASES.is_dir()
