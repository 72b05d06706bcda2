"""The rule registry: one explicit table of every rule, by code (domain.md §6 ids).

A test checks that this table, the rule modules and the case files under
tests/fixtures/rules/ list the same codes.
"""

from __future__ import annotations

from auditor.engine import Rule

from .arithmetic import ARITHMETIC_RULES
from .cross_year import CROSS_YEAR_RULES
from .documents import DOCUMENT_RULES
from .freshness import FRESHNESS_RULES
from .percentages import PERCENTAGE_RULES
from .platform import PLATFORM_RULES
from .readability import READABILITY_RULES
from .site import SITE_RULES
from .structure import STRUCTURE_RULES
from .text_vs_table import TEXT_RULES
from .timeliness import TIMELINESS_RULES

ALL_RULES: list[type[Rule]] = [
    *TIMELINESS_RULES,
    *STRUCTURE_RULES,
    *READABILITY_RULES,
    *ARITHMETIC_RULES,
    *PERCENTAGE_RULES,
    *TEXT_RULES,
    *CROSS_YEAR_RULES,
    *DOCUMENT_RULES,
    *SITE_RULES,
    *FRESHNESS_RULES,
    *PLATFORM_RULES,
]

REGISTRY: dict[str, type[Rule]] = {rule.code: rule for rule in ALL_RULES}

FAMILIES = {"TIME": "timeliness", "STR": "structure", "ARI": "arithmetic", "TXT": "consistency",
            "XY": "cross_year", "WEB": "website", "SCAN": "coverage"}


def find_rule(key: str) -> type[Rule] | None:
    """A rule by code (``ARI-01``, case-insensitive), dotted name or alias."""
    wanted = key.strip()
    for rule in ALL_RULES:
        if wanted.upper() == rule.code or wanted == rule.name or wanted in rule.aliases:
            return rule
    return None


def matches(rule: type[Rule], selector: str) -> bool:
    """``ALL``, a code, a dotted name, a family code (``ARI``) or family name (``arithmetic``)."""
    s = selector.strip()
    family = rule.code.split("-")[0]
    return (s.upper() == "ALL" or s.upper() == rule.code or s == rule.name
            or s in rule.aliases or s.upper() == family or s == FAMILIES.get(family)
            or s == rule.name.split(".")[0])


def select(selectors: list[str] | None = None, ignore: list[str] | None = None
           ) -> list[type[Rule]]:
    chosen = [r for r in ALL_RULES if any(matches(r, s) for s in (selectors or ["ALL"]))]
    return [r for r in chosen if not any(matches(r, s) for s in (ignore or []))]
