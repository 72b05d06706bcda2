"""The report's table as a picture: 表二/三/四 rebuilt as the report printed them, with the
national-format labels, and the cells a finding is about marked, so an inspector sees the
problem before reading the sentence (issue 12).

:func:`table_grids` lays a parsed table out as the format prints it (header rows with their
spans, group headings, one row a line); :func:`marks_of` tells, from a finding's location and
evidence, which cells to mark and how: ``target`` (the cell the finding is about), ``broken``
(the other cells of a broken identity), ``candidate`` (a run-together cell that can be read
several ways, with the readings), ``unknown`` (blank or not read). :func:`paragraph_of` finds
the paragraph of a narrative sentence (TXT) so the sentence is shown marked in it.

Pure: a parsed :class:`~auditor.models.AnnualReport` and a stored finding in, plain data out
for the HTML template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from auditor import vocabulary as v
from auditor.models import TABLE3_COLUMNS, TABLE4_COLUMNS, TABLE4_GROUPS, AnnualReport

#: Rules whose findings are shown on the table.
PICTURED = ("ARI", "XY", "TXT")


@dataclass
class Cell:
    text: str
    key: str | None = None  # dotted cell key of a number cell
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    indent: int = 0
    note: str = ""  # the readings of a candidate cell, for the picture


@dataclass
class Grid:
    """One printed table (table 二 prints several small ones, one per block)."""

    caption: str
    rows: list[list[Cell]] = field(default_factory=list)


def _value_text(report: AnnualReport, key: str) -> Cell:
    cell = report.cell(key)
    if cell.value is not None:
        value = cell.value
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        return Cell(text, key)
    if cell.options:
        return Cell("？", key, note="可能为" + "/".join(str(o) for o in cell.options))
    if cell.printed_blank:
        return Cell(cell.raw.strip() if cell.raw and cell.raw.strip() else "空白", key)
    return Cell("未读出", key)


def _table2(report: AnnualReport) -> list[Grid]:
    fmt = report.format if report.format in v.FORMATS else "2021"
    rows = v.TABLE2_ROWS[fmt]
    columns = v.TABLE2_COLUMNS[fmt]
    blocks: dict[str, list[str]] = {}
    for row, (block, _) in rows.items():
        blocks.setdefault(block, []).append(row)
    grids = []
    for block, block_rows in blocks.items():
        cols = [k.split(".", 1)[1] for k in columns if k.split(".", 1)[0] == block_rows[0]]
        grid = Grid(f"表二 {block}")
        grid.rows.append([Cell("信息内容", header=True)]
                         + [Cell(columns[f"{block_rows[0]}.{c}"], header=True) for c in cols])
        for row in block_rows:
            grid.rows.append([Cell(rows[row][1], header=True)]
                             + [_value_text(report, f"table2.{row}.{c}") for c in cols])
        grids.append(grid)
    return grids


def _table3_layout(report: AnnualReport) -> list[tuple[str | None, str, int]]:
    """(row key or None for a heading without numbers, label, indent) in printed order."""
    out: list[tuple[str | None, str, int]] = [
        ("new_received", v.TABLE3_TOP_ROWS["new_received"], 0),
        ("carried_in", v.TABLE3_TOP_ROWS["carried_in"], 0),
        (None, v.TABLE3_RESULTS_HEADING, 0),
        ("open", v.TABLE3_TOP_ROWS["open"], 1),
        ("partial", v.TABLE3_TOP_ROWS["partial"], 1),
    ]
    single_other = "other" in report.table3 or report.format == "2019"
    for group, (ordinal, name) in v.TABLE3_GROUPS.items():
        if group == "other" and single_other:
            out.append(("other", v.TABLE3_TOP_ROWS["other"], 1))
            continue
        subtotal = f"subtotal.{group}"
        out.append((subtotal if subtotal in report.table3 else None, f"{ordinal}{name}", 1))
        out += [(key, item, 2) for key, item in v.TABLE3_ITEMS.items()
                if key.startswith(group + ".")]
    out += [("total", v.TABLE3_TOP_ROWS["total"], 1),
            ("carried_out", v.TABLE3_TOP_ROWS["carried_out"], 0)]
    return out


def _table3(report: AnnualReport) -> list[Grid]:
    grid = Grid(f"表三 {v.TABLE_TITLES['table3']}")
    orgs = [v.TABLE3_COLUMNS[c] for c in TABLE3_COLUMNS[1:-1]]
    grid.rows.append([Cell(v.TABLE3_CORNER, rowspan=3, header=True),
                      Cell(v.TABLE3_APPLICANT_HEADER, colspan=7, header=True)])
    grid.rows.append([Cell(v.TABLE3_COLUMNS["natural_person"], rowspan=2, header=True),
                      Cell(v.TABLE3_ORG_HEADER, colspan=5, header=True),
                      Cell(v.TABLE3_COLUMNS["total"], rowspan=2, header=True)])
    grid.rows.append([Cell(name, header=True) for name in orgs])
    for row, label, indent in _table3_layout(report):
        head = Cell(label, header=True, indent=indent)
        if row is None:
            grid.rows.append([head] + [Cell("") for _ in TABLE3_COLUMNS])
        else:
            grid.rows.append([head] + [_value_text(report, f"table3.{row}.{c}")
                                       for c in TABLE3_COLUMNS])
    return [grid]


def _table4(report: AnnualReport) -> list[Grid]:
    grid = Grid(f"表四 {v.TABLE_TITLES['table4']}")
    cols = [v.TABLE4_COLUMNS[c] for c in TABLE4_COLUMNS]
    grid.rows.append([Cell("行政复议", colspan=5, header=True),
                      Cell("行政诉讼", colspan=10, header=True)])
    grid.rows.append([Cell(c, rowspan=2, header=True) for c in cols]
                     + [Cell("未经复议直接起诉", colspan=5, header=True),
                        Cell("复议后起诉", colspan=5, header=True)])
    grid.rows.append([Cell(c, header=True) for c in cols * 2])
    grid.rows.append([_value_text(report, f"table4.{g}.{c}") for g in TABLE4_GROUPS
                      for c in TABLE4_COLUMNS])
    return [grid]


def table_grids(report: AnnualReport, table: str) -> list[Grid]:
    """The table as the report printed it (table 二: one small table a 第二十条 block)."""
    if table == "table2":
        return _table2(report)
    if table == "table3":
        return _table3(report)
    if table == "table4":
        return _table4(report)
    return []


_KEY = re.compile(r"(?<![\w:])table[234](?:\.[A-Za-z_]+)+")


def marks_of(finding: dict[str, Any], report: AnnualReport) -> dict[str, str]:
    """Cell key -> how to mark it, for one stored finding (keys of this year's report only)."""
    marks: dict[str, str] = {}
    evidence = finding.get("evidence") or {}
    loc = finding.get("location") or {}
    table = loc.get("table")
    keys: list[str] = []
    if isinstance(evidence, dict):
        for name in ("equation",):
            if isinstance(evidence.get(name), str):
                keys += _KEY.findall(evidence[name])
        for name in ("values", "candidates"):
            if isinstance(evidence.get(name), dict):
                keys += [k for k in evidence[name] if _KEY.fullmatch(k)]
        for name in ("key", "cells"):
            value = evidence.get(name)
            keys += [k for k in ([value] if isinstance(value, str) else value or [])
                     if isinstance(k, str) and _KEY.fullmatch(k)]
    for key in keys:
        marks[key] = "broken"
    if isinstance(evidence, dict) and isinstance(evidence.get("candidates"), dict):
        for key in evidence["candidates"]:
            if _KEY.fullmatch(key):
                marks[key] = "candidate"
    if table and loc.get("row"):
        columns = ([loc["column"]] if loc.get("column") else
                   [k.rsplit(".", 1)[1] for k, _ in report.iter_cells()
                    if k.startswith(f"{table}.{loc['row']}.")])
        for column in columns:
            key = f"{table}.{loc['row']}.{column}"
            if marks.get(key) != "candidate":
                marks[key] = "target"
    elif table and loc.get("column") and table == "table3":
        for key, _ in report.iter_cells():
            if key.startswith("table3.") and key.endswith("." + loc["column"]):
                marks.setdefault(key, "broken")
    for key, cell in report.iter_cells():
        if key in marks and cell.value is None and marks[key] != "candidate":
            marks[key] = "unknown-marked"
    return marks


def sentences_of(finding: dict[str, Any]) -> list[str]:
    """The narrative sentences a TXT finding quotes."""
    evidence = finding.get("evidence") or {}
    if not isinstance(evidence, dict):
        return []
    found = []
    narrative = evidence.get("narrative")
    if isinstance(narrative, list):
        found += [n.get("sentence") for n in narrative if isinstance(n, dict)]
    if isinstance(evidence.get("sentence"), str):
        found.append(evidence["sentence"])
    return [s for s in dict.fromkeys(found) if s]


def paragraph_of(report: AnnualReport, sentence: str) -> tuple[str, str, str, str] | None:
    """(part heading, text before, the sentence, text after) of the paragraph that holds the
    sentence, or ``None`` when it is not found as printed. Whitespace is ignored (the narrative
    reader joins lines); a sentence that runs over a line break takes both lines."""
    probe = re.sub(r"\s+", "", sentence)
    if not probe:
        return None
    for sid, section in report.sections.items():
        text = re.sub(r"[^\S\n]+", "", section.text or "")
        joined, where = "", []
        for index, char in enumerate(text):
            if char != "\n":
                joined += char
                where.append(index)
        at = joined.find(probe)
        if at < 0:
            continue
        start, end = where[at], where[at + len(probe) - 1] + 1
        first = text.rfind("\n", 0, start) + 1
        last = text.find("\n", end)
        last = len(text) if last < 0 else last
        heading = v.SECTION_TITLES.get(sid, section.heading or "")
        return (heading, text[first:start].replace("\n", ""),
                text[start:end].replace("\n", ""), text[end:last])
    return None


def picture_of(finding: dict[str, Any], report: AnnualReport | None) -> dict[str, Any] | None:
    """What the HTML report draws for one finding: the marked table and, for a narrative
    finding, the marked paragraph; ``None`` when there is nothing to draw."""
    if report is None or finding.get("rule", "").split("-")[0] not in PICTURED:
        return None
    table = (finding.get("location") or {}).get("table")
    marks = marks_of(finding, report) if table else {}
    grids = table_grids(report, table) if table else []
    if table == "table2":  # only the blocks the finding is about
        marked_rows = {k.split(".")[1] for k in marks}
        grids = [g for g in grids if any(c.key and c.key.split(".")[1] in marked_rows
                                         for row in g.rows for c in row)] or grids
    paragraphs = []
    for sentence in sentences_of(finding):
        found = paragraph_of(report, sentence)
        if found:
            paragraphs.append({"heading": found[0], "before": found[1][-160:],
                               "sentence": found[2], "after": found[3][:160]})
    if not grids and not paragraphs:
        return None
    return {"grids": [{"caption": g.caption,
                       "rows": [[{"text": c.text, "colspan": c.colspan, "rowspan": c.rowspan,
                                  "header": c.header, "indent": c.indent, "note": c.note,
                                  "mark": marks.get(c.key or "", "") if c.key else "",
                                  "unknown": bool(c.key) and report.cell(c.key).value is None,
                                  "label": v.cell_label(c.key, report.format) if c.key else ""}
                                 for c in row] for row in g.rows]}
                      for g in grids],
            "paragraphs": paragraphs, "marked": sum(1 for m in marks.values() if m)}
