"""The annual-report model: the keys of docs/report-schema.md plus provenance.

A numeric cell is ``int``, ``float`` (fees, 2019 amounts) or ``None``. ``None`` means *unknown*
(blank, "/", "—", "无", unreadable or ambiguous), never zero; every cell keeps the raw text it was
read from, where it was found and how, so a finding can quote its evidence.

The parser also says what it understood (docs/design.md §9): every row has a status
(:data:`ROW_STATUSES`), every table a status (:data:`TABLE_STATUSES`) and a confidence, and a
row whose printed digits admit several readings keeps them as a :class:`CandidateSet`, so the
rules can tell "absent" from "not understood" and evaluate an identity over every reading.
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

TABLES: tuple[str, ...] = ("table2", "table3", "table4")

#: Row status (``AnnualReport.row_status``): ``present`` — label and numbers read;
#: ``absent`` — the label is not in the document; ``not_understood`` — the label is there (or the
#: part of the document that would hold it was not read) but its numbers could not be attributed;
#: ``blank`` — the label is printed with every cell blank, "/" or "—".
ROW_STATUSES: tuple[str, ...] = ("present", "absent", "not_understood", "blank")
#: Table status (``AnnualReport.table_status``): ``read`` — every row present, blank or absent;
#: ``partial`` — some rows not understood; ``not_understood`` — labels or numbers found but no
#: row attributed; ``absent`` — nothing of the table in the document.
TABLE_STATUSES: tuple[str, ...] = ("read", "partial", "not_understood", "absent")
#: Row statuses the parser is sure of (the confidence of a table is their share of its rows).
UNDERSTOOD = frozenset({"present", "absent", "blank"})


@dataclass(frozen=True, slots=True)
class Cell:
    """One numeric cell of a report table, with where it came from.

    ``raw`` is the cell's own text: what the report printed in that cell, or for a cell split
    out of a run-together row the digits it was given (``None`` while the row admits several
    readings; ``""`` for a row whose label is printed with nothing after it); ``run`` is the
    whole run-together text a split cell came from; ``where`` says which row label and which
    line; ``method`` is how the value was obtained: ``cell`` (its own cell), ``split``
    (a run-together row with exactly one split admitted by the table identities),
    ``split+identity`` (the column identities chose it), ``split+narrative`` (the narrative named
    the number), ``rows`` (the numbers of several rows printed together after their labels,
    shared among them in order), ``unread`` (the row's label is there but its numbers could not
    be attributed) or ``missing`` (the row's label is not there).
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
    #: The run-together text the cell was split from (``None`` for a cell printed on its own).
    run: str | None = None

    @property
    def printed_blank(self) -> bool:
        """The report itself left the cell blank or wrote "/", "—", "无" (not a parse gap)."""
        return (self.value is None and self.method in ("cell", "rows") and self.raw is not None
                and not self.options)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "raw": self.raw, "where": self.where,
                               "line": self.line, "method": self.method}
        if self.warning:
            out["warning"] = self.warning
        if self.options:
            out["options"] = list(self.options)
        if self.run is not None and self.run != self.raw:
            out["run"] = self.run
        return out


MISSING = Cell(value=None, method="missing")


@dataclass(frozen=True, slots=True)
class CandidateSet:
    """The readings a group of cells can take together (run-together digits, numbers printed
    apart from their labels): ``cells`` are dotted keys, each reading gives one value per cell.

    Readings are joint: a row "6045" reads (6, 0, 45) or (60, 4, 5), never (6, 4, 5). Only sets
    that were enumerated completely are kept; a cell whose readings could not all be listed is
    simply unknown.
    """

    cells: tuple[str, ...]
    readings: tuple[tuple[Number, ...], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"cells": list(self.cells), "readings": [list(r) for r in self.readings]}


def schema_keys() -> frozenset[str]:
    """Every cell key of tables 二, 三 and 四 in the 2019 and 2021 formats (report-schema.md),
    subtotal rows included."""
    global _SCHEMA_KEYS
    if _SCHEMA_KEYS is None:
        from . import vocabulary as v

        keys = {f"table2.{k}" for fmt in v.FORMATS for k in v.TABLE2_COLUMNS[fmt]}
        rows = [*v.TABLE3_TOP_ROWS, *v.TABLE3_ITEMS, *(f"subtotal.{g}" for g in v.TABLE3_GROUPS)]
        keys |= {f"table3.{r}.{c}" for r in rows for c in TABLE3_COLUMNS}
        keys |= {f"table4.{g}.{c}" for g in TABLE4_GROUPS for c in TABLE4_COLUMNS}
        _SCHEMA_KEYS = frozenset(keys)
    return _SCHEMA_KEYS


_SCHEMA_KEYS: frozenset[str] | None = None


def unknown_key(key: str) -> str:
    """The message of the KeyError for a key no format has: the nearest keys, if any."""
    import difflib

    near = difflib.get_close_matches(key, sorted(schema_keys()), n=3, cutoff=0.6)
    hint = f"；最接近的是 {'、'.join(near)}" if near else ""
    return f"{key} 不是年报数据结构中的单元格（docs/report-schema.md）{hint}"


def row_key_of(cell_key: str) -> str:
    """``table3.withheld.state_secret.total`` -> ``table3.withheld.state_secret``; table 二
    rows are ``table2.normative`` for ``table2.normative.issued``."""
    return cell_key.rsplit(".", 1)[0]


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
    #: The text before section 一 (the introduction: what the report is based on, the 统计期限,
    #: where to ask); "" when no section heading was found.
    preamble: str = ""
    table2: dict[str, Cell] = field(default_factory=dict)
    table3: dict[str, dict[str, Cell]] = field(default_factory=dict)
    table4: dict[str, dict[str, Cell]] = field(default_factory=dict)
    #: Row labels as printed (dotted row key -> text), for label checks (STR-03).
    row_labels: dict[str, str] = field(default_factory=dict)
    #: What the page says about itself: "url", "source" (来源), "publisher" (发布机构), "pubdate".
    page: dict[str, str] = field(default_factory=dict)
    #: Dotted row key (``table2.normative``, ``table3.withheld.state_secret``, ``table4.review``)
    #: -> one of :data:`ROW_STATUSES`. Rows not listed: see :meth:`row_state`.
    row_status: dict[str, str] = field(default_factory=dict)
    #: ``table2``/``table3``/``table4`` -> one of :data:`TABLE_STATUSES`.
    table_status: dict[str, str] = field(default_factory=dict)
    #: ``table2``/``table3``/``table4`` -> share (0–1) of the table's rows whose status the parser
    #: is sure of (present, blank or absent); 0 when nothing of the table was found.
    table_confidence: dict[str, float] = field(default_factory=dict)
    #: Joint readings of cells whose printed digits admit several (see :class:`CandidateSet`).
    candidates: tuple[CandidateSet, ...] = ()
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
        """The cell at a dotted schema path, e.g. ``table3.new_received.total``: the cell as
        read, or an unknown ``missing`` cell when the report does not have it. A key that is in
        no format's schema (a typo: ``table3.new_recieved.total``) raises :class:`KeyError`
        naming the nearest key, never a quiet ``None``."""
        table, _, rest = key.partition(".")
        if table == "table2":
            found = self.table2.get(rest)
        elif table in ("table3", "table4"):
            row, _, col = rest.rpartition(".")
            found = getattr(self, table).get(row, {}).get(col)
        else:
            found = None
        if found is not None:
            return found
        if key not in schema_keys():
            raise KeyError(unknown_key(key))
        return MISSING

    def value(self, key: str) -> Number | None:
        return self.cell(key).value

    def row_cells(self, row_key: str) -> dict[str, Cell]:
        """The cells of a dotted row key (``table2.normative`` -> its three cells)."""
        table, _, row = row_key.partition(".")
        if table == "table2":
            return {k: c for k, c in self.table2.items() if k.rsplit(".", 1)[0] == row}
        return dict(getattr(self, table, {}).get(row, {})) if table in ("table3", "table4") else {}

    def row_state(self, row_key: str) -> str:
        """The row's status: as the parser recorded it, else told from its cells (a report built
        by hand): no cells or only ``missing`` ones -> absent, ``unread`` -> not_understood,
        every cell printed blank -> blank, else present."""
        if row_key in self.row_status:
            return self.row_status[row_key]
        return status_from_cells(list(self.row_cells(row_key).values()))

    def table_state(self, table: str) -> str:
        """The table's status as recorded, else told from its rows' statuses."""
        if table in self.table_status:
            return self.table_status[table]
        rows = self.table_rows(table)
        states = [self.row_state(r) for r in rows]
        if not states or all(s == "absent" for s in states):
            return "absent"
        if all(s in UNDERSTOOD for s in states):
            return "read"
        return "partial" if any(s in ("present", "blank") for s in states) else "not_understood"

    def table_rows(self, table: str) -> list[str]:
        """Dotted row keys of a table: those with a status, then those with cells."""
        rows = [k for k in self.row_status if k.startswith(table + ".")]
        if table == "table2":
            found = {f"table2.{k.rsplit('.', 1)[0]}" for k in self.table2}
        else:
            found = {f"{table}.{r}" for r in getattr(self, table, {})}
        return rows + sorted(found - set(rows))

    def candidate_set(self, key: str) -> CandidateSet | None:
        """The joint readings that include the cell ``key``, if any."""
        for cset in self.candidates:
            if key in cset.cells:
                return cset
        return None

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
            "row_status": {r: self.row_state(r) for t in TABLES for r in self.table_rows(t)},
            "table_status": {t: self.table_state(t) for t in TABLES},
            "table_confidence": dict(self.table_confidence),
            "candidates": [c.to_dict() for c in self.candidates],
            "page": dict(self.page),
            "section_text": {sid: s.text for sid, s in self.sections.items()},
            "preamble": self.preamble,
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
                    warning=value.get("warning"), options=tuple(value.get("options", ())),
                    run=value.get("run"))
    if isinstance(value, str):
        return Cell(value=None, raw=value, method="cell")
    if value is None:
        return Cell(value=None, method="missing")
    return Cell(value=value, raw=str(value), method="cell")


def status_from_cells(cells: list[Cell]) -> str:
    """A row's status told from its cells alone (reports built by hand or by older code)."""
    if not cells or all(c.method == "missing" for c in cells):
        return "absent"
    if any(c.method == "unread" for c in cells):
        return "not_understood"
    if all(c.printed_blank for c in cells):
        return "blank"
    return "present"


def report_from_dict(data: dict[str, Any]) -> AnnualReport:
    """Build a report from :meth:`AnnualReport.to_dict` output (or a hand-written subset).

    ``sections`` may map a section id to ``True``/``False`` or to the section's text;
    ``provenance`` entries, when present, restore raw text and options of cells.
    ``row_status`` (dotted row key -> status) marks rows absent, not understood or blank: the
    cells of a row marked ``not_understood`` or ``absent`` become unknown (``unread`` /
    ``missing``) unless given explicitly. ``candidates`` lists joint readings
    (``{"cells": [...], "readings": [[...], ...]}``).
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

    row_status = {str(k): str(v) for k, v in (data.get("row_status") or {}).items()}
    unknown = [f"{k}={v}" for k, v in row_status.items() if v not in ROW_STATUSES]
    if unknown:
        raise ValueError(f"unknown row status {', '.join(unknown)} (one of {', '.join(ROW_STATUSES)})")

    def status_cell(key: str, value: Any) -> Cell:
        # A row marked absent / not understood / blank has no numbers, whatever the (merged)
        # case gave it; an explicit provenance object or printed text is kept as given.
        status = row_status.get(row_key_of(key))
        explicit = key in provenance or isinstance(value, (dict, str, Cell))
        if status in ("not_understood", "absent") and not explicit:
            method = "unread" if status == "not_understood" else "missing"
            return Cell(None, method=method, warning=f"row {status.replace('_', ' ')}")
        if status == "blank" and not explicit:
            return Cell(None, raw="", method="cell", warning="printed blank")
        return cell(key, value)

    candidates = tuple(
        CandidateSet(tuple(c["cells"]), tuple(tuple(r) for r in c["readings"]))
        for c in data.get("candidates") or ())
    return AnnualReport(
        title=data.get("title"), issuer=data.get("issuer"), year=data.get("year"),
        format=data.get("format"), published=data.get("published"), sections=sections,
        preamble=data.get("preamble") or "",
        table2={k: status_cell(f"table2.{k}", v) for k, v in (data.get("table2") or {}).items()},
        table3={r: {c: status_cell(f"table3.{r}.{c}", v) for c, v in cols.items()}
                for r, cols in (data.get("table3") or {}).items()},
        table4={g: {c: status_cell(f"table4.{g}.{c}", v) for c, v in cols.items()}
                for g, cols in (data.get("table4") or {}).items()},
        row_labels=dict(data.get("row_labels") or {}), page=dict(data.get("page") or {}),
        row_status=row_status,
        table_status={str(k): str(v) for k, v in (data.get("table_status") or {}).items()},
        table_confidence={str(k): float(v) for k, v in (data.get("table_confidence") or {}).items()},
        candidates=candidates,
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
