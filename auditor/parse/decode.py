"""Bytes to text: encodings that government sites really use, and inputs that are not text.

GB2312 and GBK declarations are decoded as GB18030 (its superset): pages declared GB2312
routinely hold characters outside it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}

# Magic numbers of formats we cannot read as text (yet): named in the error message.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF 文件"),
    (b"PK\x03\x04", "ZIP 容器（.docx/.xlsx/.ofd）"),
    (b"\xd0\xcf\x11\xe0", "OLE 文档（.doc/.xls/.wps）"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    error: str | None = None


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b)


def sniff_binary(data: bytes) -> str | None:
    """Name the binary format of ``data``, or ``None`` if it looks like text."""
    head = data[:8]
    for magic, name in _BINARY_MAGIC:
        if head.startswith(magic):
            return name
    sample = data[:4096]
    if not sample:
        return None
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if b"\x00" in sample or controls > len(sample) * 0.05:
        return "二进制数据（binary）"
    return None


def _normalise_charset(name: str) -> str:
    name = name.strip().lower()
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


def decode_bytes(data: bytes) -> Decoded:
    """Decode document bytes; never raises. ``error`` names why the bytes are not text."""
    if not data.strip():
        return Decoded("", "empty", "输入内容为空")
    binary = sniff_binary(data)
    if binary:
        return Decoded("", "binary", f"输入是{binary}，"
                       "不是文本或网页")
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(data[3:].decode("utf-8", "replace"), "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(data.decode("utf-16", "replace"), "utf-16")
    declared = _META_CHARSET.search(data[:4096])
    candidates = []
    if declared:
        candidates.append(_normalise_charset(declared.group(1).decode("ascii", "replace")))
    candidates += ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return Decoded(data.decode(encoding), encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    # Mixed or damaged bytes: keep what decodes, mark the rest.
    first = candidates[0]
    utf8_bad = data.decode("utf-8", "replace").count("\ufffd")
    gb_bad = data.decode("gb18030", "replace").count("\ufffd")
    encoding = "utf-8" if utf8_bad <= gb_bad else "gb18030"
    if declared and first not in ("utf-8", "gb18030"):
        encoding = first
    return Decoded(data.decode(encoding, "replace"), f"{encoding} (with undecodable bytes)")
