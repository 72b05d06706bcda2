"""Read a document from a path or an http(s) URL: the only I/O the parse path needs."""

from __future__ import annotations

from pathlib import Path

import requests

USER_AGENT = "zwgk-auditor/0.1 (+https://github.com/zwgk-auditor; government transparency audit)"
#: Larger documents are refused: no annual report page comes near this.
MAX_BYTES = 50 * 1024 * 1024


class FetchError(Exception):
    """The input could not be read; the message names the input and the problem."""


def is_url(target: str) -> bool:
    return target.lower().startswith(("http://", "https://"))


def read_target(target: str, timeout: float = 30.0) -> bytes:
    """The bytes of a file or URL; raises :class:`FetchError` with a one-line reason."""
    if is_url(target):
        return _fetch_url(target, timeout)
    path = Path(target)
    if not path.exists():
        raise FetchError(f"{target}: no such file")
    if path.is_dir():
        raise FetchError(f"{target}: is a directory, not a report file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise FetchError(f"{target}: {size} bytes is too large for a report (limit {MAX_BYTES})")
        return path.read_bytes()
    except OSError as exc:
        raise FetchError(f"{target}: cannot read ({exc.strerror or exc})") from exc


def _fetch_url(url: str, timeout: float) -> bytes:
    try:
        response = requests.get(url, timeout=timeout, headers={"User-Agent": USER_AGENT},
                                stream=True)
    except requests.Timeout:
        raise FetchError(f"{url}: timed out after {timeout:g}s") from None
    except requests.RequestException as exc:
        raise FetchError(f"{url}: cannot fetch ({type(exc).__name__})") from None
    with response:
        if response.status_code >= 400:
            raise FetchError(f"{url}: HTTP {response.status_code} {response.reason or ''}".strip())
        chunks, total = [], 0
        for chunk in response.iter_content(65536):
            total += len(chunk)
            if total > MAX_BYTES:
                raise FetchError(f"{url}: larger than {MAX_BYTES} bytes, not read")
            chunks.append(chunk)
    return b"".join(chunks)
