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


#: The national report format, by version: a report in the 2019 format is judged against the
#: 2019 trial format (国办公开办函〔2019〕60号), not the 2021 one.
FORMAT_DOCUMENTS = {
    "2021": "中华人民共和国政府信息公开工作年度报告格式（国办公开办函〔2021〕30号）",
    "2019": "中华人民共和国政府信息公开工作年度报告格式（试行）（国办公开办函〔2019〕60号）",
}
#: How a finding's basis is headed: a legal document (依据) or a note of method (说明).
NOTE_PREFIX = "说明："


@dataclass(frozen=True, slots=True)
class LegalBasis:
    """An article of a document. ``verified=False`` marks domain.md [R] items. ``note=True``
    marks a statement of this tool's method, which is no legal document: it prints as
    说明：…, never in 《》 or under 依据."""

    article: str
    document: str = "中华人民共和国政府信息公开条例"
    verified: bool = True
    note: bool = False

    def __str__(self) -> str:
        if self.note:
            return NOTE_PREFIX + self.article
        text = f"《{self.document}》{self.article}" if self.document else self.article
        return text if self.verified else f"{text}（出处未核实）"


def for_format(basis: LegalBasis, fmt: str | None) -> LegalBasis:
    """The basis as it applies to a report of format ``fmt``: the 2019 format's document for a
    2019-format report."""
    if fmt == "2019" and basis.document == FORMAT_DOCUMENTS["2021"]:
        return LegalBasis(basis.article, FORMAT_DOCUMENTS["2019"], basis.verified, basis.note)
    return basis


def basis_line(legal_basis: str) -> tuple[str, str]:
    """(heading, text) to print a finding's basis: (依据, 《…》第…) or (说明, …)."""
    if legal_basis.startswith(NOTE_PREFIX):
        return "说明", legal_basis[len(NOTE_PREFIX):]
    return "依据", legal_basis


@dataclass(frozen=True, slots=True)
class Location:
    """Where the problem is: the document (URL or file), then section, table, row, column (the
    schema keys, for software), the page of a PDF and the line; ``label`` is the same place in
    the report's own words (表三 第（四）项“无法提供”1.本机关不掌握相关政府信息 / 自然人), set by the
    engine from the report's format. Only the document, section, table, row and column make the
    fingerprint: a label or line that changes does not make a finding new."""

    url: str | None = None
    section: str | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    line: int | None = None
    page: int | None = None
    label: str | None = None

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
                "column": self.column, "line": self.line, "page": self.page,
                "label": self.label or self.place() or None}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Location:
        """A location from its JSON form (stored findings; older ones lack page and label)."""
        data = data or {}
        return cls(**{k: data.get(k) for k in ("url", "section", "table", "row", "column",
                                                "line", "page", "label")})

    def place(self) -> str:
        """Where in the document, in the report's words (no page or line)."""
        from .vocabulary import location_label

        return self.label or location_label(self.table, self.row, self.column,
                                             section=self.section)

    def describe(self) -> str:
        """The place with its page and line: 表三 （七）总计 / 自然人（第4页第12行）."""
        place = self.place()
        at = (f"第{self.page}页" if self.page else "") + (f"第{self.line}行" if self.line else "")
        if place and at:
            return f"{place}（{at}）"
        return place or at


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
