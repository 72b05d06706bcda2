"""Markup noise real government pages carry, applied to a replica site's pages after it is
built: the same list, written the way an older CMS or another template writes it.

Upper-case tag names (``<LI><A HREF=…>``, scripts' HTML strings too), attribute values in
single quotes, no whitespace between tags, HTML and conditional comments between list items,
CRLF line ends, and GBK bytes declared by the page's own ``<meta>`` (the server then names no
charset). Scripts keep their own quoting and whitespace. List APIs' JSON is left as it is.
"""

from __future__ import annotations

import re
from pathlib import Path

_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
_DOUBLE_QUOTED = re.compile(r"""(\s[\w-]+)="([^"']*)\"""")
_SCRIPT = re.compile(r"(<script.*?</script>)", re.S | re.I)
_PAGE_SUFFIXES = (".html", ".shtml", ".htm", ".jsp")


def _outside_scripts(text: str, change) -> str:
    return "".join(part if part[:7].lower() == "<script" else change(part)
                   for part in _SCRIPT.split(text))


def noisy(text: str) -> str:
    text = _outside_scripts(text, lambda t: _DOUBLE_QUOTED.sub(r"\1='\2'", t))
    text = _outside_scripts(text, lambda t: re.sub(r">\s+<", "><", t))
    text = _outside_scripts(text, lambda t: t.replace("</li>", "</li><!-- 列表项 -->").replace(
        "<ul", "<!--[if lt IE 9]><p>请升级浏览器</p><![endif]--><ul"))
    text = _TAG_NAME.sub(lambda m: "<" + m.group(1) + m.group(2).upper(), text)
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def add_noise(root: Path) -> int:
    """Rewrite every HTML page under ``root`` with :func:`noisy`, in GBK; returns how many."""
    count = 0
    for path in root.rglob("*"):
        if not path.is_file() or path.name.startswith("_") or "_api" in path.parts or \
                path.suffix.lower() not in _PAGE_SUFFIXES:
            continue
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            continue
        if "<" not in text:
            continue
        text = re.sub(r"charset=utf-8", "charset=gbk", noisy(text), flags=re.I)
        path.write_bytes(text.encode("gbk", "xmlcharrefreplace"))
        count += 1
    return count
