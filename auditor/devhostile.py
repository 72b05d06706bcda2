"""Hostile behaviours of real government sites, served by :mod:`auditor.devserver` for tests and
benchmarks (never by the auditor itself): pages made on request, so a trap can be endless
without filling a disk.

Routes are path prefixes under ``"hostile"`` in a site's ``_server.json``::

    {"hostile": {"/rili/": {"kind": "calendar"}, "/big.html": {"kind": "huge", "mb": 60}}}

``calendar``  ``/rili/YYYY-MM-DD.html``: a 日历 page linking every day of its month and the months
              around it, 1900–2100 (a crawler that follows it never ends)
``endless``   ``…/index.html`` and ``…/index_N.html`` for every N: the same items on every page,
              a “下一页” link always
``huge``      a page of ``mb`` megabytes, sent in pieces (``"chunked": true``: no Content-Length)
``gzipbomb``  a gzip body that inflates to ``mb`` megabytes
``status``    always ``status`` (503 with ``Retry-After``)
``chain``     ``…/N`` redirects to ``…/N+1`` until ``hops``, then a page
``empty``     a 200 with an empty body (a firewall's blank answer)
``session``   a page linking to itself under a new ``;jsessionid=`` every time
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import functools
import re
import struct
import zlib
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=4)
@functools.lru_cache(maxsize=4)
def gzip_bomb(megabytes: int) -> bytes:
    """A gzip stream of ``megabytes`` MiB of zeros (about 1 KB per MiB compressed).

    Built from one compressed MiB repeated: after a full flush the deflate history is empty,
    so every MiB of zeros compresses to the same bytes. Compressing 1.2 GB afresh took the
    server 5-10 s per request on a loaded machine, long enough for the crawler's timeout to
    fire before the size cut it is meant to test."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    chunk = b"\0" * (1024 * 1024)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # gzip, deflate, no name, no mtime
    final_block = b"\x03\x00"  # an empty final block (fixed Huffman)
    trailer = struct.pack("<II", crc, (megabytes * len(chunk)) & 0xFFFFFFFF)
    return header + block * megabytes + final_block + trailer


def _page(title: str, body: str) -> bytes:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body>{body}</body></html>").encode()


def _calendar_page(path: str, prefix: str) -> bytes | None:
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", path)
    day = dt.date(2025, 3, 1)
    if m:
        try:
            day = dt.date(*(int(g) for g in m.groups()))
        except ValueError:
            return None
    if not dt.date(1900, 1, 1) <= day <= dt.date(2100, 12, 31):
        return None
    days = month_calendar.monthrange(day.year, day.month)[1]
    cells = "".join(
        f'<li><a href="{prefix}{day.year:04d}-{day.month:02d}-{d:02d}.html">'
        f"{day.year}年{day.month}月{d}日</a><span>{day.year}-{day.month:02d}-{d:02d}</span></li>"
        for d in range(1, days + 1))
    before = (day.replace(day=1) - dt.timedelta(days=1))
    after = (day.replace(day=days) + dt.timedelta(days=1))
    nav = (f'<a href="{prefix}{before:%Y-%m-%d}.html">上个月</a>'
           f'<a href="{prefix}{after:%Y-%m-%d}.html">下个月</a>')
    return _page(f"日历 {day:%Y-%m}", f'<div class="rili"><ul>{cells}</ul>{nav}</div>')


def answer(spec: dict[str, Any], prefix: str, path: str) -> dict[str, Any] | None:
    """What to send for a hostile route: ``status``, ``body`` (or ``stream``: a list of chunks
    and an optional length), ``headers``; ``None`` to serve the path as an ordinary file."""
    kind = spec.get("kind")
    if kind == "calendar":
        body = _calendar_page(path, prefix)
        return {"status": 200 if body else 404, "body": body or b"not found"}
    if kind == "endless":
        if not re.search(r"(?:/|index(?:_\d+)?\.html)$", path):
            return None  # the documents the list links to are ordinary files
        items = "".join(f'<li><a href="{href}">{title}</a><span>{date}</span></li>'
                        for href, title, date in spec.get("items", []))
        m = re.search(r"index_(\d+)\.html$", path)
        number = int(m.group(1)) if m else 0
        body = (f'<ul class="list">{items}</ul><div class="pager">'
                f'<a href="{prefix}index_{number + 1}.html">下一页</a></div>')
        return {"status": 200, "body": _page(spec.get("title", "通知公告"), body)}
    if kind == "huge":
        size = int(spec.get("mb", 60)) * 1024 * 1024
        piece = (b"<p>" + "政务公开内容".encode() * 200 + b"</p>\n")
        count = size // len(piece) + 1
        return {"status": 200, "stream": (piece for _ in range(count)),
                "length": None if spec.get("chunked") else count * len(piece)}
    if kind == "gzipbomb":
        return {"status": 200, "body": gzip_bomb(int(spec.get("mb", 1200))),
                "headers": {"Content-Encoding": "gzip"}}
    if kind == "status":
        return {"status": int(spec.get("status", 503)), "body": b"<html>busy</html>",
                "headers": {"Retry-After": str(spec.get("retry_after", 1))}}
    if kind == "chain":
        m = re.search(r"/(\d+)$", path)
        hop = int(m.group(1)) if m else 0
        if hop < int(spec.get("hops", 12)):
            return {"status": 302, "body": b"", "headers": {"Location": f"{prefix}{hop + 1}"}}
        return {"status": 200, "body": _page("终点", "<p>重定向链的终点。</p>")}
    if kind == "empty":
        return {"status": 200, "body": b""}
    if kind == "session":
        m = re.search(r";jsessionid=(\d+)", path)
        n = int(m.group(1)) + 1 if m else 1
        links = "".join(f'<li><a href="{prefix}doc.html;jsessionid={n * 10 + k}">'
                        f"会话页面{n}-{k}</a><span>2025-03-01</span></li>" for k in range(5))
        return {"status": 200, "body": _page("会话", f"<ul>{links}</ul>")}
    return {"status": 404, "body": b"unknown hostile kind"}
