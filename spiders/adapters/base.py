"""The adapter interface, the generic reader, and helpers the family adapters share."""

from __future__ import annotations

import json
import re
from typing import Any

from auditor.parse.lists import ListReading, generic_reading
from auditor.parse.page import Page


class ListAdapter:
    """Base: generic HTML lists — links that look like documents or have a date beside them,
    and 下一页 / numbered / ``index_N`` pager links."""

    name = "generic"

    def cue(self, page: Page) -> str | None:
        return "页面链接"

    def read(self, page: Page, cue: str) -> ListReading:
        return generic_reading(page, adapter=self.name, cue=cue)


def js_object(text: str) -> dict[str, str]:
    """The flat ``key: value`` pairs of a JavaScript object literal (unquoted or quoted keys,
    numbers or quoted strings); nested objects are returned as their source text."""
    out: dict[str, str] = {}
    i, n = 0, len(text)
    key_re = re.compile(r"\s*,?\s*['\"]?([A-Za-z_$][\w$]*)['\"]?\s*:\s*")
    while i < n:
        m = key_re.match(text, i)
        if not m:
            break
        key, j = m.group(1), m.end()
        if j >= n:
            break
        ch = text[j]
        if ch in "'\"":
            end = text.find(ch, j + 1)
            end = n if end < 0 else end
            out[key] = text[j + 1:end]
            i = end + 1
        elif ch in "{[":
            depth, k = 0, j
            while k < n:
                if text[k] in "{[":
                    depth += 1
                elif text[k] in "}]":
                    depth -= 1
                    if depth == 0:
                        break
                k += 1
            out[key] = text[j + 1:k]
            i = k + 1
        else:
            m2 = re.match(r"[^,}\n]*", text[j:])
            out[key] = m2.group(0).strip()
            i = j + m2.end()
    return out


def json_of(page: Page) -> Any:
    """The page's body as JSON, or ``None`` when it is not JSON."""
    text = page.text.strip()
    if not text or text[0] not in "{[":
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def balanced(text: str, start: int) -> str:
    """The bracketed literal (``{…}`` or ``[…]``) that opens at ``text[start]``, quotes
    respected; the rest of the text when it never closes."""
    opening = text[start]
    closing = {"{": "}", "[": "]"}[opening]
    depth, i, quote = 0, start, None
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == opening:
            depth += 1
        elif ch == closing:
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
        i += 1
    return text[start:]


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL."""
    m = re.match(r"^([a-z][a-z0-9+.-]*://[^/?#]+)", url, re.I)
    return m.group(1) if m else ""
