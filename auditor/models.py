"""The annual-report model: the keys of docs/report-schema.md plus provenance.

A numeric cell is ``int``, ``float`` (fees, 2019 amounts) or ``None``. ``None`` means *unknown*
(blank, "/", "—", "无", unreadable or ambiguous), never zero; every cell keeps the raw text it was
read from, where it was found and how, so a finding can quote its evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Number = int | float

SECTION_IDS: tuple[str, ...] = ("1", "2", "3", "4", "5", "6")

TABLE3_COLUMNS: tuple[str, ...] = (
    "natural_person",
    "commercial",
    "research",
    "public_welfare",
    "legal_service",
    "other_org",
    "total",
)

TABLE4_GROUPS: tuple[str, ...] = ("review", "litigation_direct", "litigation_after_review")
TABLE4_COLUMNS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")


@dataclass(frozen=True, slots=True)
class Cell:
    """One numeric cell of a report table, with where it came from.

    ``raw`` is the source text the value was read from (for a run-together row, the whole run);
    ``where`` says which row label and which line; ``method`` is how the value was obtained:
    ``cell`` (its own cell), ``split`` (a run-together row with exactly one split admitted by the
    table identities), ``split+narrative`` (the narrative named the number) or ``missing``.
    """

    value: Number | None
    raw: str | None = None
    where: str | None = None
    line: int | None = None
    method: str = "cell"
    warning: str | None = None
    #: When the value is unknown because a run-together row admits several readings: the
    #: values this cell takes in those readings (so a narrative number can still be refuted).
    options: tuple[Number, ...] = ()

    @property
    def printed_blank(self) -> bool:
        """The report itself left the cell blank or wrote "/", "—", "无" (not a parse gap)."""
        return self.value is None and self.method == "cell" and self.raw is not None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "raw": self.raw, "where": self.where,
                               "line": self.line, "method": self.method}
        if self.warning:
            out["warning"] = self.warning
        if self.options:
            out["options"] = list(self.options)
        return out


MISSING = Cell(value=None, method="missing")


@dataclass(frozen=True)
class Section:
    """One of the six mandatory parts: its heading as printed and its text."""

    found: bool
    heading: str | None = None
    text: str = ""
    line: int | None = None


@dataclass(frozen=True)
class AnnualReport:
    """A parsed 政府信息公开工作年度报告 (see docs/report-schema.md for the key contract)."""

    title: str | None = None
    issuer: str | None = None
    year: int | None = None
    format: str | None = None
    published: str | None = None
    sections: dict[str, Section] = field(default_factory=dict)
    table2: dict[str, Cell] = field(default_factory=dict)
    table3: dict[str, dict[str, Cell]] = field(default_factory=dict)
    table4: dict[str, dict[str, Cell]] = field(default_factory=dict)
    #: Row labels as printed (dotted row key -> text), for label checks (STR-03).
    row_labels: dict[str, str] = field(default_factory=dict)
    #: What the page says about itself: "url", "source" (来源), "publisher" (发布机构), "pubdate".
    page: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    source: str | None = None
    input_kind: str | None = None
    encoding: str | None = None
    #: Set when the input could not be read as a report at all (empty, binary, not a report).
    error: str | None = None

    @property
    def recognised(self) -> bool:
        return self.error is None

    def cell(self, key: str) -> Cell:
        """The cell at a dotted schema path, e.g. ``table3.new_received.total``."""
        table, _, rest = key.partition(".")
        if table == "table2":
            return self.table2.get(rest, MISSING)
        if table in ("table3", "table4"):
            row, _, col = rest.rpartition(".")
            return getattr(self, table).get(row, {}).get(col, MISSING)
        raise KeyError(key)

    def value(self, key: str) -> Number | None:
        return self.cell(key).value

    def iter_cells(self):
        """Yield ``(dotted_key, cell)`` for every cell of tables 二, 三 and 四."""
        for key, cell in self.table2.items():
            yield f"table2.{key}", cell
        for name in ("table3", "table4"):
            for row, cols in getattr(self, name).items():
                for col, cell in cols.items():
                    yield f"{name}.{row}.{col}", cell

    def to_dict(self, provenance: bool = True) -> dict[str, Any]:
        """The JSON form: schema keys first, then extra keys (text, provenance, warnings)."""
        out: dict[str, Any] = {
            "title": self.title,
            "issuer": self.issuer,
            "year": self.year,
            "format": self.format,
            "published": self.published,
            "sections": {sid: self.sections.get(sid, Section(False)).found for sid in SECTION_IDS},
            "table2": {k: c.value for k, c in self.table2.items()},
            "table3": {r: {c: v.value for c, v in cols.items()} for r, cols in self.table3.items()},
            "table4": {g: {c: v.value for c, v in cols.items()} for g, cols in self.table4.items()},
            "section_headings": {sid: s.heading for sid, s in self.sections.items()},
            "row_labels": dict(self.row_labels),
            "page": dict(self.page),
            "section_text": {sid: s.text for sid, s in self.sections.items()},
            "warnings": list(self.warnings),
            "source": self.source,
            "input_kind": self.input_kind,
            "encoding": self.encoding,
        }
        if provenance:
            out["provenance"] = {key: cell.to_dict() for key, cell in self.iter_cells()}
        if self.error:
            out["error"] = self.error
        return out


def _cell_from(value: Any) -> Cell:
    """A cell from its JSON form: a number, ``None``, a printed blank such as ``"/"``, or a
    ``{"value", "raw", "method", "options"}`` object (the provenance form)."""
    if isinstance(value, Cell):
        return value
    if isinstance(value, dict):
        return Cell(value=value.get("value"), raw=value.get("raw"), where=value.get("where"),
                    line=value.get("line"), method=value.get("method", "cell"),
                    warning=value.get("warning"), options=tuple(value.get("options", ())))
    if isinstance(value, str):
        return Cell(value=None, raw=value, method="cell")
    if value is None:
        return Cell(value=None, method="missing")
    return Cell(value=value, raw=str(value), method="cell")


def report_from_dict(data: dict[str, Any]) -> AnnualReport:
    """Build a report from :meth:`AnnualReport.to_dict` output (or a hand-written subset).

    ``sections`` may map a section id to ``True``/``False`` or to the section's text;
    ``provenance`` entries, when present, restore raw text and options of cells.
    """
    provenance = data.get("provenance") or {}
    texts = data.get("section_text") or {}
    sections = {}
    for sid in SECTION_IDS:
        found = (data.get("sections") or {}).get(sid, False)
        text = found if isinstance(found, str) else texts.get(sid, "")
        sections[sid] = Section(bool(found), (data.get("section_headings") or {}).get(sid), text)

    def cell(key: str, value: Any) -> Cell:
        return _cell_from(provenance.get(key, value))

    return AnnualReport(
        title=data.get("title"), issuer=data.get("issuer"), year=data.get("year"),
        format=data.get("format"), published=data.get("published"), sections=sections,
        table2={k: cell(f"table2.{k}", v) for k, v in (data.get("table2") or {}).items()},
        table3={r: {c: cell(f"table3.{r}.{c}", v) for c, v in cols.items()}
                for r, cols in (data.get("table3") or {}).items()},
        table4={g: {c: cell(f"table4.{g}.{c}", v) for c, v in cols.items()}
                for g, cols in (data.get("table4") or {}).items()},
        row_labels=dict(data.get("row_labels") or {}), page=dict(data.get("page") or {}),
        warnings=tuple(data.get("warnings") or ()), source=data.get("source"),
        input_kind=data.get("input_kind"), encoding=data.get("encoding"),
    )


# --------------------------------------------------------------------------- document dates

import datetime as _datetime  # noqa: E402 - appended section, kept apart from the report model


@dataclass(frozen=True, slots=True)
class DateEvidence:
    """One date of a document page and where it was read (``auditor.parse.dates``).

    ``kind`` is ``issued`` (成文日期, or 形成/印发/签发日期) or ``published`` (发布日期);
    ``strategy`` names how it was found (``metadata``, ``meta-tag``, ``visible-text``,
    ``signature``, ``list-page``, ``url``); ``raw`` is the text it was read from (label and
    value, the meta tag, or the URL); ``time`` is ``HH:MM[:SS]`` when the page gave one.
    """

    value: _datetime.date
    kind: str
    strategy: str
    raw: str
    time: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value.isoformat(), "kind": self.kind, "strategy": self.strategy,
                "raw": self.raw, "time": self.time}
