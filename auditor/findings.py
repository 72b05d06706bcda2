"""The one finding model every rule emits and every reporter renders."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit


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
        """The full location as text (waivers match a substring of it: URLs with their host)."""
        return "|".join(str(p or "") for p in (self.url, self.section, self.table, self.row,
                                                self.column))

    def site_key(self) -> str:
        """Like :meth:`key`, with a web address reduced to its path within the site, so the
        fingerprint survives the site moving to another scheme, host or port."""
        return "|".join(str(p or "") for p in (site_path(self.url), self.section, self.table,
                                                self.row, self.column))

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
        """Stable across runs: rule, location within the site and discriminator, not the
        changing numbers, nor the scheme, host or port the site was reached on."""
        return fingerprint(self.rule, self.location, self.discriminator)

    @property
    def legacy_fingerprint(self) -> str:
        """The first fingerprint scheme (v1: the whole URL, host and port included): what
        older databases store and older waivers name."""
        return legacy_fingerprint(self.rule, self.location, self.discriminator)

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


def site_path(url: str | None) -> str | None:
    """An http(s) URL's path within its site: path, query and fragment, without scheme, host or
    port (``http://127.0.0.1:8123/a/b.html?x=1`` -> ``/a/b.html?x=1``). The fragment stays
    because the crawler names a POSTed list page ``URL#body``. Anything else — a report checked
    from a file — is returned as it is."""
    if not url:
        return url
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return url
    return parts._replace(scheme="", netloc="").geturl() if parts.path else \
        parts._replace(scheme="", netloc="", path="/").geturl()


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def fingerprint(rule: str, location: Location, discriminator: str = "") -> str:
    """The fingerprint of a finding from its parts (also for findings read back from a store)."""
    return _digest(f"{rule}|{location.site_key()}|{discriminator}")


def legacy_fingerprint(rule: str, location: Location, discriminator: str = "") -> str:
    """The v1 fingerprint, which hashed the whole URL (``http://host:port/...``)."""
    return _digest(f"{rule}|{location.key()}|{discriminator}")
