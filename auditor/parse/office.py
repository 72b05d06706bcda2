"""Word documents and spreadsheets: .docx, .doc/.wps, .xlsx, .xls.

Each becomes text lines the way the HTML reader writes them: one line per paragraph, one line
per table row with its cells separated by ``|`` and empty cells as :data:`BLANK_CELL`. A cell
merged into the one above (a vertical merge) is left out of its row and a cell spanning several
grid columns is written once, as HTML does with ``rowspan``/``colspan``.

- .docx: python-docx opens the package; the body is walked in order (paragraphs and tables).
- .doc and .wps (Word 97–2003 binary; WPS Office writes its .wps files in the same format): a
  small reader of our own over ``olefile``: the piece table gives the text, the paragraph
  properties tell table cells and row ends apart. No converter program, no subprocess.
- .xlsx with openpyxl, .xls with xlrd: every sheet, rows as table lines, merged cells once.

ZIP containers are checked before anything is decompressed (:func:`attachments.open_zip`:
member count, sizes, compression ratio, encryption); sheets and tables are read up to fixed
row and column limits.
"""

from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass, field

from ..models import AnnualReport
from .attachments import open_zip, relocate
from .text import BLANK_CELL, trim_blank_cells

MAX_ROWS = 3000
MAX_COLS = 64
MAX_LINES = 20000

_WS = re.compile(r"\s+")


@dataclass
class DocLines:
    """Text lines and where each came from: ``(place or None, line number there)``."""

    lines: list[str] = field(default_factory=list)
    locs: list[tuple[str | None, int]] = field(default_factory=list)
    images: int = 0
    warnings: list[str] = field(default_factory=list)

    def add(self, text: str, place: str | None = None, line: int | None = None) -> None:
        text = text.replace("\r", " ").replace("\n", " ").strip()
        if text and len(self.lines) < MAX_LINES:
            self.lines.append(text)
            self.locs.append((place, line if line is not None else len(self.lines)))

    def row(self, cells: list[str], place: str | None = None, line: int | None = None) -> None:
        cells = trim_blank_cells(cells)  # merged-cell leftovers out, blank data cells kept
        if cells:
            self.add(" | ".join(cells), place, line)


def _join_parts(parts: list[str]) -> str:
    """Paragraphs of one cell: labels rejoined ("商业" "企业"), numbers kept apart."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and out[-1].isdigit() and part[0].isdigit():
            out += " "
        out += part
    return _WS.sub(" ", out).strip() or BLANK_CELL


def _parse(doc: DocLines, source: str | None, kind: str) -> AnnualReport:
    from . import parse_text

    if not doc.lines:
        if doc.images:
            return AnnualReport(
                source=source, input_kind="image",
                error=f"{kind} 文档只有图片（{doc.images}张，无文字），"
                      "不经文字识别（OCR）无法读取其中表格")
        return AnnualReport(source=source, input_kind=kind, error=f"{kind} 文档中没有文字")
    facts = {"file_images": str(doc.images)} if doc.images else {}
    report = parse_text("\n".join(doc.lines), source=source, input_kind=kind, page=facts)
    warnings = list(report.warnings) + doc.warnings
    if doc.images and not any(c.value is not None for _, c in report.iter_cells()):
        warnings.append(f"文档含{doc.images}张图片、没有可读的表格：表格可能是图片")
    return relocate(report, doc.locs, warnings)


# ---------------------------------------------------------------- dispatch

def read_zip(data: bytes, source: str | None) -> AnnualReport:
    archive, error = open_zip(data)
    if archive is None:
        return AnnualReport(source=source, error=error)
    names = set(archive.namelist())
    if "word/document.xml" in names or any(n.startswith("word/") for n in names):
        return _guard(read_docx, data, source, "docx")
    if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
        return _guard(read_xlsx, data, source, "xlsx")
    if "OFD.xml" in names:
        return AnnualReport(source=source, input_kind="ofd",
                            error="OFD 版式文档：暂不支持，请发布或转换为 PDF")
    if any(n.lower().endswith(".pdf") for n in names):
        return AnnualReport(source=source, error="ZIP 压缩包（内含 PDF）："
                                                 "请解压后检查报告文件本身")
    return AnnualReport(source=source, error="ZIP 压缩包，不是 Word 或 Excel 文档")


def read_ole(data: bytes, source: str | None) -> AnnualReport:
    import olefile

    try:
        ole = olefile.OleFileIO(data)
    except Exception:  # noqa: BLE001 - olefile raises OSError and others on bad files
        return AnnualReport(source=source, error="OLE 文档（.doc/.wps/.xls）已损坏或不完整，"
                                                 "无法读取")
    with ole:
        if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
            return AnnualReport(source=source, error="Office 文档已加密（有密码保护），"
                                                     "无法读取")
        if ole.exists("WordDocument"):
            return _guard(lambda d, s: read_doc(ole, s), data, source, "doc")
        if ole.exists("Workbook") or ole.exists("Book"):
            return _guard(read_xls, data, source, "xls")
        streams = ", ".join("/".join(p) for p in ole.listdir()[:6])
        return AnnualReport(source=source, error=f"未知类型的 OLE 文档（数据流："
                                                 f"{streams}），不是 Word 或 Excel 文件")


def _guard(reader, data: bytes, source: str | None, kind: str) -> AnnualReport:
    """Run a reader; a library failure on a damaged file becomes a one-line error."""
    try:
        return reader(data, source)
    except (MemoryError, RecursionError):
        return AnnualReport(source=source, input_kind=kind,
                            error=f"{kind} 文档过大或嵌套过深，无法读取")
    except Exception as exc:  # noqa: BLE001 - docx/openpyxl/xlrd raise many types on bad files
        detail = str(exc).splitlines()[0][:120] if str(exc) else ""
        return AnnualReport(source=source, input_kind=kind,
                            error=f"{kind} 文档已损坏或无法读取（{type(exc).__name__}"
                                  f"{'：' + detail if detail else ''}）")


# ---------------------------------------------------------------- .docx

def read_docx(data: bytes, source: str | None) -> AnnualReport:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    out = DocLines()
    out.images = len(body.xpath(".//w:drawing | .//w:pict"))
    p_tag, tbl_tag, sdt_tag = qn("w:p"), qn("w:tbl"), qn("w:sdt")
    tables = 0

    def para_text(p) -> str:
        return "".join(_docx_run_text(p))

    def walk(parent) -> None:
        nonlocal tables
        for child in parent.iterchildren():
            if child.tag == p_tag:
                out.add(para_text(child))
            elif child.tag == tbl_tag:
                tables += 1
                _docx_table(child, out, tables, para_text)
            elif child.tag == sdt_tag:
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    walk(content)

    walk(body)
    return _parse(out, source, "docx")


def _docx_run_text(p):
    from docx.oxml.ns import qn

    t, tab, br, cr = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
    instr = qn("w:instrText")
    for el in p.iter():
        if el.tag == t and el.text:
            yield el.text
        elif el.tag == tab:
            yield "\t"
        elif el.tag in (br, cr):
            yield " "
        elif el.tag == instr:
            continue


def _docx_table(tbl, out: DocLines, number: int, para_text) -> None:
    from docx.oxml.ns import qn

    tr_tag, tc_tag, p_tag = qn("w:tr"), qn("w:tc"), qn("w:p")
    for r, tr in enumerate(tbl.iterchildren(tr_tag), start=1):
        if r > MAX_ROWS:
            out.warnings.append(f"Word 第{number}个表格超过{MAX_ROWS}行，其余未读取")
            break
        cells = []
        for tc in tr.iter(tc_tag):
            if tc.getparent() is not tr and tc.getparent().getparent() is not tr:
                continue  # a cell of a nested table: its text is in the outer cell
            if tc.vMerge == "continue":
                continue  # merged into the cell above (HTML rowspan)
            texts = [para_text(p) for p in tc.iter(p_tag)]
            cells.append(_join_parts(texts))
            if len(cells) >= MAX_COLS:
                break
        out.row(cells, f"Word table {number}, row {r}", r)


# ---------------------------------------------------------------- spreadsheets

def _cell_str(value) -> str:
    if value is None:
        return BLANK_CELL
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = _WS.sub(" ", str(value)).strip()
    return text or BLANK_CELL


def read_xlsx(data: bytes, source: str | None) -> AnnualReport:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    out = DocLines()
    for ws in wb.worksheets:
        hidden = set()
        for rng in ws.merged_cells.ranges:
            for row in range(rng.min_row, min(rng.max_row, MAX_ROWS) + 1):
                for col in range(rng.min_col, min(rng.max_col, MAX_COLS) + 1):
                    if (row, col) != (rng.min_row, rng.min_col):
                        hidden.add((row, col))
        out.images += len(getattr(ws, "_images", ()))
        if ws.max_row > MAX_ROWS or ws.max_column > MAX_COLS:
            out.warnings.append(f"工作表“{ws.title}”只读取了前{MAX_ROWS}行、前{MAX_COLS}列")
        for r, row in enumerate(ws.iter_rows(max_row=min(ws.max_row, MAX_ROWS),
                                             max_col=min(ws.max_column, MAX_COLS),
                                             values_only=True), start=1):
            cells = [_cell_str(v) for c, v in enumerate(row, start=1) if (r, c) not in hidden]
            out.row(cells, f"sheet {ws.title!r}, row {r}", r)
    return _parse(out, source, "xlsx")


def read_xls(data: bytes, source: str | None) -> AnnualReport:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=True,
                              logfile=io.StringIO(), verbosity=0, on_demand=True)
    out = DocLines()
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            hidden = set()
            for rlo, rhi, clo, chi in sheet.merged_cells:
                for row in range(rlo, min(rhi, MAX_ROWS)):
                    for col in range(clo, min(chi, MAX_COLS)):
                        if (row, col) != (rlo, clo):
                            hidden.add((row, col))
            for r in range(min(sheet.nrows, MAX_ROWS)):
                cells = []
                for c in range(min(sheet.row_len(r), MAX_COLS)):
                    if (r, c) in hidden:
                        continue
                    cell = sheet.cell(r, c)
                    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                        cells.append(BLANK_CELL)
                    else:
                        cells.append(_cell_str(cell.value))
                out.row(cells, f"sheet {sheet.name!r}, row {r + 1}", r + 1)
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return _parse(out, source, "xls")


# ---------------------------------------------------------------- .doc / .wps (Word 97–2003)

_SPRM_PF_IN_TABLE = 0x2416
_SPRM_PF_TTP = 0x2417
_SPRM_T_DEF_TABLE = 0xD608
#: The paragraph's properties are too large for its FKP: they are in the Data stream.
_SPRM_P_HUGE_PAPX = 0x6646
_SPRM_SIZES = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}


class DocFormatError(ValueError):
    """The WordDocument stream is not what the Word 97 format says it must be."""


def _u16(b: bytes, o: int) -> int:
    return struct.unpack_from("<H", b, o)[0]


def _u32(b: bytes, o: int) -> int:
    return struct.unpack_from("<I", b, o)[0]


def read_doc(ole, source: str | None) -> AnnualReport:
    wd = ole.openstream("WordDocument").read()
    if len(wd) < 0x1AA:
        return AnnualReport(source=source, input_kind="doc",
                            error="Word 文档不完整（文件信息块被截断）")
    ident = _u16(wd, 0)
    if ident == 0xA5DC:
        return AnnualReport(source=source, input_kind="doc",
                            error="Word 6/95 文档：不支持，请另存为 .docx 或 PDF")
    if ident != 0xA5EC:
        return AnnualReport(source=source, input_kind="doc",
                            error="OLE 文档中的 WordDocument 数据流不是 Word 97–2003 格式")
    flags = _u16(wd, 0x0A)
    if flags & 0x0100:
        return AnnualReport(source=source, input_kind="doc",
                            error="Word 文档已加密（有密码保护），无法读取")
    table_name = "1Table" if flags & 0x0200 else "0Table"
    if not ole.exists(table_name):
        return AnnualReport(source=source, input_kind="doc",
                            error=f"Word 文档已损坏（缺少 {table_name} 数据流）")
    table = ole.openstream(table_name).read()
    data = ole.openstream("Data").read() if ole.exists("Data") else b""
    chars = _doc_chars(wd, table)
    papx = _PapxIndex(wd, table, data)
    out = _doc_lines(chars, papx)
    return _parse(out, source, "doc")


def _fib_fc_lcb(wd: bytes, index: int) -> tuple[int, int]:
    csw = _u16(wd, 32)
    pos = 34 + csw * 2
    cslw = _u16(wd, pos)
    pos += 2 + cslw * 4 + 2
    return _u32(wd, pos + 8 * index), _u32(wd, pos + 8 * index + 4)


def _ccp_text(wd: bytes) -> int:
    csw = _u16(wd, 32)
    return _u32(wd, 34 + csw * 2 + 2 + 12)


_CP1252_FIX = {0x82: "‚", 0x83: "ƒ", 0x84: "„", 0x85: "…", 0x86: "†", 0x87: "‡", 0x88: "ˆ",
               0x89: "‰", 0x8A: "Š", 0x8B: "‹", 0x8C: "Œ", 0x91: "‘", 0x92: "’", 0x93: "“",
               0x94: "”", 0x95: "•", 0x96: "–", 0x97: "—", 0x98: "˜", 0x99: "™", 0x9A: "š",
               0x9B: "›", 0x9C: "œ", 0x9F: "Ÿ"}


def _doc_chars(wd: bytes, table: bytes) -> list[tuple[str, int]]:
    """The main document's characters with their file offsets (for paragraph properties)."""
    fc_clx, lcb_clx = _fib_fc_lcb(wd, 33)
    clx = table[fc_clx:fc_clx + lcb_clx]
    if len(clx) != lcb_clx or not clx:
        raise DocFormatError("piece table out of range")
    i = 0
    while i < len(clx) and clx[i] == 1:  # Prc: property modifiers, skipped
        i += 3 + struct.unpack_from("<h", clx, i + 1)[0]
    if i + 5 > len(clx) or clx[i] != 2:
        raise DocFormatError("no piece table")
    lcb = _u32(clx, i + 1)
    plc = clx[i + 5:i + 5 + lcb]
    n = (len(plc) - 4) // 12
    if n <= 0:
        raise DocFormatError("empty piece table")
    cps = [_u32(plc, 4 * k) for k in range(n + 1)]
    limit = _ccp_text(wd)
    out: list[tuple[str, int]] = []
    for k in range(n):
        start_cp, end_cp = cps[k], min(cps[k + 1], limit)
        if end_cp <= start_cp:
            continue
        raw_fc = _u32(plc, 4 * (n + 1) + 8 * k + 2)
        count = end_cp - start_cp
        if raw_fc & 0x40000000:
            fc = (raw_fc & 0x3FFFFFFF) // 2
            chunk = wd[fc:fc + count]
            out.extend((_CP1252_FIX.get(b) or chr(b), fc + j) for j, b in enumerate(chunk))
        else:
            fc = raw_fc & 0x3FFFFFFF
            text = wd[fc:fc + 2 * count].decode("utf-16-le", "replace")
            out.extend((ch, fc + 2 * j) for j, ch in enumerate(text))
        if len(out) > 5_000_000:
            raise DocFormatError("text too long")
    return out


class _PapxIndex:
    """Paragraph properties by file offset: is a paragraph mark in a table, is it a row end."""

    def __init__(self, wd: bytes, table: bytes, data: bytes = b"") -> None:
        self.wd = wd
        self.data = data
        self.runs: list[tuple[int, int, bool, bool]] = []  # (fc start, fc end, in table, ttp)
        try:
            fc, lcb = _fib_fc_lcb(wd, 13)
            plc = table[fc:fc + lcb]
            n = (len(plc) - 4) // 8
            for k in range(n):
                pn = _u32(plc, 4 * (n + 1) + 4 * k) & 0x3FFFFF
                self._read_fkp(wd[pn * 512:pn * 512 + 512])
        except (struct.error, IndexError):
            self.runs = []
        self.runs.sort()

    def _read_fkp(self, fkp: bytes) -> None:
        if len(fkp) < 512:
            return
        crun = fkp[511]
        for i in range(crun):
            start, end = _u32(fkp, 4 * i), _u32(fkp, 4 * (i + 1))
            offset = fkp[4 * (crun + 1) + 13 * i] * 2
            in_table = ttp = False
            if offset:
                cb = fkp[offset]
                if cb == 0:
                    begin, length = offset + 2, 2 * fkp[offset + 1]
                else:
                    begin, length = offset + 1, 2 * cb - 1
                in_table, ttp = _table_flags(fkp[begin + 2:begin + length], self.data)
            self.runs.append((start, end, in_table, ttp))

    def flags(self, fc: int) -> tuple[bool, bool] | None:
        lo, hi = 0, len(self.runs)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.runs[mid][1] <= fc:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self.runs) and self.runs[lo][0] <= fc < self.runs[lo][1]:
            return self.runs[lo][2], self.runs[lo][3]
        return None


def _table_flags(grpprl: bytes, data: bytes = b"") -> tuple[bool, bool]:
    in_table = ttp = False
    i = 0
    while i + 2 <= len(grpprl):
        sprm = _u16(grpprl, i)
        spra = sprm >> 13
        if sprm in (_SPRM_PF_IN_TABLE, _SPRM_PF_TTP) and i + 2 < len(grpprl):
            if grpprl[i + 2]:
                in_table = True
                ttp = ttp or sprm == _SPRM_PF_TTP
        elif sprm == _SPRM_P_HUGE_PAPX and i + 6 <= len(grpprl) and data:
            offset = _u32(grpprl, i + 2)
            if offset + 2 <= len(data):
                size = _u16(data, offset)
                huge = _table_flags(data[offset + 2:offset + 2 + size])
                in_table, ttp = in_table or huge[0], ttp or huge[1]
        if spra == 6:
            if sprm == _SPRM_T_DEF_TABLE:
                if i + 4 > len(grpprl):
                    break
                i += 4 + _u16(grpprl, i + 2) - 1
            else:
                if i + 3 > len(grpprl):
                    break
                i += 3 + grpprl[i + 2]
        else:
            i += 2 + _SPRM_SIZES[spra]
    return in_table, ttp


def _doc_lines(chars: list[tuple[str, int]], papx: _PapxIndex) -> DocLines:
    out = DocLines()
    para: list[str] = []
    cell_parts: list[str] = []
    cells: list[str] = []
    rows = 0
    field_depth = 0
    in_instruction: list[bool] = []
    for ch, fc in chars:
        if ch == "\x13":
            field_depth += 1
            in_instruction.append(True)
            continue
        if ch == "\x14" and in_instruction:
            in_instruction[-1] = False
            continue
        if ch == "\x15" and in_instruction:
            in_instruction.pop()
            field_depth -= 1
            continue
        if in_instruction and in_instruction[-1]:
            continue
        if ch in "\x01\x08":
            out.images += 1
            continue
        if ch == "\r":
            flags = papx.flags(fc)
            if flags and flags[0]:
                cell_parts.append("".join(para))
            else:
                out.add("".join(para))
            para = []
            continue
        if ch == "\x07":
            flags = papx.flags(fc)
            ttp = flags[1] if flags else (not para and not cell_parts)
            if ttp:
                rows += 1
                out.row(cells, None, None)
                cells = []
            else:
                cells.append(_join_parts(cell_parts + ["".join(para)]))
            para, cell_parts = [], []
            continue
        if ch == "\x0c":
            out.add("".join(para))
            para = []
            continue
        if ch == "\x0b":
            para.append(" ")
            continue
        if ch == "\x1e":
            para.append("-")
            continue
        if ch < " " and ch != "\t":
            continue
        para.append(ch)
    out.add("".join(cell_parts + para))
    out.row(cells)
    return out
