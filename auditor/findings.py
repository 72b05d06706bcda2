"""The one finding model every rule emits and every reporter renders."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    VIOLATION = "violation"
    NEEDS_REVIEW = "needs_review"
    NOT_ASSESSABLE = "not_assessable"


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @property
    def label(self) -> str:
        return _SEVERITY_LABEL[self]


_SEVERITY_RANK = {Severity.CRITICAL: 4, Severity.HIGH: 3, Severity.MEDIUM: 2,
                  Severity.LOW: 1, Severity.INFO: 0}
_SEVERITY_LABEL = {Severity.CRITICAL: "严重", Severity.HIGH: "高", Severity.MEDIUM: "中",
                   Severity.LOW: "低", Severity.INFO: "提示"}
STATUS_LABEL = {Status.VIOLATION: "违规", Status.NEEDS_REVIEW: "需人工复核",
                Status.NOT_ASSESSABLE: "无法评估"}


@dataclass(frozen=True, slots=True)
class LegalBasis:
    """An article of a document. ``verified=False`` marks domain.md [R] items."""

    article: str
    document: str = "中华人民共和国政府信息公开条例"
    verified: bool = True

    def __str__(self) -> str:
        text = f"《{self.document}》{self.article}" if self.document else self.article
        return text if self.verified else f"{text}（出处未核实）"


@dataclass(frozen=True, slots=True)
class Location:
    """Where the problem is: the document (URL or file), then section, table, row, column."""

    url: str | None = None
    section: str | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    line: int | None = None

    def key(self) -> str:
        return "|".join(str(p or "") for p in (self.url, self.section, self.table, self.row,
                                                self.column))

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "section": self.section, "table": self.table, "row": self.row,
                "column": self.column, "line": self.line}

    def describe(self) -> str:
        parts = []
        if self.table:
            parts.append({"table2": "表二", "table3": "表三", "table4": "表四"}.get(self.table,
                                                                            self.table))
        elif self.section:
            parts.append(f"第{'一二三四五六'[int(self.section) - 1]}部分"
                         if self.section.isdigit() and 1 <= int(self.section) <= 6
                         else self.section)
        if self.row:
            parts.append(self.row)
        if self.column:
            parts.append(self.column)
        if self.line:
            parts.append(f"第{self.line}行")
        return " / ".join(parts)


@dataclass(frozen=True)
class Finding:
    rule: str
    name: str
    status: Status
    severity: Severity
    message: str
    location: Location
    evidence: dict[str, Any] = field(default_factory=dict)
    legal_basis: str = ""
    #: Set when a configured waiver covers the finding: the reason, shown beside it.
    waived: str | None = None
    #: Distinguishes two findings of one rule at one location (e.g. two narrative sentences).
    discriminator: str = ""

    @property
    def fingerprint(self) -> str:
        """Stable across runs: rule, location and discriminator, not the changing numbers."""
        key = f"{self.rule}|{self.location.key()}|{self.discriminator}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "status": str(self.status),
            "severity": str(self.severity),
            "message": self.message,
            "location": self.location.to_dict(),
            "evidence": self.evidence,
            "legal_basis": self.legal_basis,
            "fingerprint": self.fingerprint,
            "waived": self.waived,
        }
