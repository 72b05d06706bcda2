"""What a web page says about itself: its <meta> tags (《政府网站发展指引》 网页标签), the
网站标识码 in its footer, and a fingerprint of its main text (to see edits after publication)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from lxml import etree

from .decode import decode_bytes
from .html import _CONTAINER_HINTS, parse_html, text_of

_FOOTER_CODE = re.compile(r"网站标识码\s*[:：]?\s*((?:bm)?\d{8,10})", re.I)


@dataclass(frozen=True)
class PageFacts:
    meta: dict[str, str] = field(default_factory=dict)
    title: str | None = None
    footer_code: str | None = None
    text_hash: str | None = None
    error: str | None = None


def page_facts(data: bytes | str) -> PageFacts:
    """Meta tags, footer 网站标识码 and main-text hash of an HTML page; never raises."""
    if isinstance(data, bytes):
        decoded = decode_bytes(data)
        if decoded.error:
            return PageFacts(error=decoded.error)
        text = decoded.text
    else:
        text = data
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    try:
        root = parse_html(text or "<html/>")
    except (etree.ParserError, ValueError) as exc:
        return PageFacts(error=f"unreadable HTML ({exc})")
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        name = (el.get("name") or el.get("property") or "").strip()
        if name and name not in meta:
            meta[name] = (el.get("content") or "").strip()
    title_el = root.find(".//title")
    title = text_of(title_el).strip() if title_el is not None else None
    whole = unicodedata.normalize("NFKC", text_of(root))
    footer = _FOOTER_CODE.search(whole)
    main = text_of(_article(root))
    main = re.sub(r"\s+", "", unicodedata.normalize("NFKC", main))
    return PageFacts(meta, title or None, footer.group(1) if footer else None,
                     hashlib.sha256(main.encode("utf-8")).hexdigest() if main else None)


def _article(root):
    """The article body: the longest element marked as content (TRS_Editor, zoom, article…),
    else <body>. Navigation and sidebars stay out so edits to them are not content changes."""
    best, size = None, 0
    for el in root.iter("div", "td", "article", "section"):
        marker = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        if marker.strip() and any(h in marker for h in _CONTAINER_HINTS):
            length = len(text_of(el))
            if length > size:
                best, size = el, length
    if best is not None:
        return best
    body = root.find(".//body")
    return body if body is not None else root
