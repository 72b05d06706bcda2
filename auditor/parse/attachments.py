"""Reports published as attachments: tell the file type by its magic bytes and read it.

PDF → :mod:`.pdf`; Word (.docx, .doc, .wps) and spreadsheets (.xlsx, .xls) → :mod:`.office`;
images → an ``image-only`` result. Every reader turns the file into text lines in a layout the
text parser reads (table rows as ``a | b | c``) and keeps where each line came from (page,
sheet), so that each cell's provenance names it.
"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from io import BytesIO

from ..models import AnnualReport, Cell

_IMAGES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")


def sniff_attachment(data: bytes) -> str | None:
    """``pdf``, ``zip``, ``ole``, ``image:<FORMAT>`` or ``None`` (text, HTML or unknown)."""
    head = data[:16]
    # The PDF header may follow a few bytes of junk (the spec allows 1024), never markup.
    at = data.find(b"%PDF-", 0, 1024)
    if at >= 0 and b"<" not in data[:at]:
        return "pdf"
    if head.startswith(_ZIP):
        return "zip"
    if head.startswith(_OLE):
        return "ole"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image:WebP"
    for magic, name in _IMAGES:
        if head.startswith(magic):
            if name == "BMP" and not _bitmap_header(data):
                continue  # text that starts with "BM"
            return f"image:{name}"
    return None


def _bitmap_header(data: bytes) -> bool:
    """Reserved bytes zero and a known DIB header size."""
    return (len(data) > 18 and data[6:10] == b"\0\0\0\0"
            and int.from_bytes(data[14:18], "little") in (12, 40, 52, 56, 64, 108, 124))


def read_attachment(kind: str, data: bytes, source: str | None) -> AnnualReport:
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, source)
    if kind.startswith("image:"):
        return AnnualReport(
            source=source, input_kind="image",
            error=f"报告是图片（{kind.split(':', 1)[1]} 格式，无文字层），"
                  "不经文字识别（OCR）无法读取其中表格")
    from . import office

    if kind == "zip":
        return office.read_zip(data, source)
    return office.read_ole(data, source)


class ZipLimits:
    """Bounds checked on a ZIP container (.docx, .xlsx) before any member is decompressed."""

    MAX_MEMBERS = 5000
    MAX_MEMBER = 64 * 1024 * 1024
    MAX_TOTAL = 128 * 1024 * 1024
    MAX_RATIO = 200
    #: An XML part (document body, worksheet, shared strings) becomes a tree in memory at about
    #: ten times its size; a report's is well under 2 MB.
    MAX_XML = 24 * 1024 * 1024


def open_zip(data: bytes) -> tuple[zipfile.ZipFile | None, str | None]:
    """The archive, or why it must not be opened (corrupt, encrypted, a decompression bomb)."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except Exception:  # noqa: BLE001 - BadZipFile, NotImplementedError, OSError, ValueError…
        return None, "ZIP 容器（.docx/.xlsx）已损坏或不完整，无法读取"
    if len(infos) > ZipLimits.MAX_MEMBERS:
        return None, f"ZIP 容器有{len(infos)}个成员文件，超过上限（{ZipLimits.MAX_MEMBERS}），拒绝读取"
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            return None, "ZIP 容器已加密，需要密码，无法读取"
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ZipLimits.MAX_MEMBER or (ratio > ZipLimits.MAX_RATIO
                                                     and info.file_size > 1024 * 1024):
            return None, (f"ZIP 成员 {info.filename!r} 解压后有{info.file_size}字节"
                          f"（×{ratio:.0f}）：疑似解压炸弹，拒绝读取")
        if info.filename.endswith(".xml") and info.file_size > ZipLimits.MAX_XML:
            return None, (f"ZIP 成员 {info.filename!r} 是{info.file_size}字节的 XML："
                          f"超过报告的大小上限（{ZipLimits.MAX_XML}）")
    if total > ZipLimits.MAX_TOTAL:
        return None, (f"ZIP 容器解压后共{total}字节：疑似解压炸弹，拒绝读取"
                      f"（上限 {ZipLimits.MAX_TOTAL}）")
    return archive, None


def relocate(report: AnnualReport, locs: list[tuple[str | None, int]],
             warnings: list[str] | None = None) -> AnnualReport:
    """Point each cell at its page or sheet: text line ``i`` of the parsed text came from
    ``locs[i - 1] = (place, line)``; ``where`` gets the place in front, ``line`` the line there."""
    def move(cell: Cell) -> Cell:
        if not cell.line or not 0 < cell.line <= len(locs):
            return cell
        place, line = locs[cell.line - 1]
        where = cell.where
        if place:
            where = f"{place}, {where}" if where else place
        return replace(cell, where=where, line=line)

    return replace(
        report,
        table2={k: move(c) for k, c in report.table2.items()},
        table3={r: {k: move(c) for k, c in cols.items()} for r, cols in report.table3.items()},
        table4={r: {k: move(c) for k, c in cols.items()} for r, cols in report.table4.items()},
        warnings=tuple(report.warnings if warnings is None else warnings),
    )
