"""Read a document from a path or an http(s) URL: the only I/O the parse path needs."""

from __future__ import annotations

from pathlib import Path

USER_AGENT = "zwgk-auditor/0.1 (+https://github.com/zwgk-auditor; government transparency audit)"
#: Larger documents are refused: no annual report page comes near this.
MAX_BYTES = 50 * 1024 * 1024


class FetchError(Exception):
    """The input could not be read; the message names the input and the problem."""


def is_url(target: str) -> bool:
    return target.lower().startswith(("http://", "https://"))


#: Why a request failed, as a person reads it (requests' exception names).
_NETWORK = {"ConnectionError": "无法连接或域名无法解析", "SSLError": "证书或加密连接错误",
            "TooManyRedirects": "重定向过多", "InvalidURL": "网址无效", "MissingSchema": "网址无效",
            "InvalidSchema": "网址无效", "ChunkedEncodingError": "传输中断",
            "ContentDecodingError": "内容解压失败"}


def read_target(target: str, timeout: float = 30.0) -> bytes:
    """The bytes of a file or URL; raises :class:`FetchError` with a one-line reason."""
    if is_url(target):
        return _fetch_url(target, timeout)
    path = Path(target)
    if not path.exists():
        raise FetchError(f"{target}：文件不存在")
    if path.is_dir():
        raise FetchError(f"{target}：是目录，不是报告文件")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise FetchError(f"{target}：文件有{size}字节，超过报告的大小上限（{MAX_BYTES}字节）")
        return path.read_bytes()
    except OSError as exc:
        raise FetchError(f"{target}：无法读取（{exc.strerror or exc}）") from exc


def _fetch_url(url: str, timeout: float) -> bytes:
    import requests  # here: every command imports this module, few fetch a URL

    try:
        response = requests.get(url, timeout=timeout, headers={"User-Agent": USER_AGENT},
                                stream=True)
    except requests.Timeout:
        raise FetchError(f"{url}：访问超时（{timeout:g}秒）") from None
    except requests.RequestException as exc:
        raise FetchError(f"{url}：无法访问（{_NETWORK.get(type(exc).__name__, '网络错误')}）") from None
    with response:
        if response.status_code >= 400:
            raise FetchError(f"{url}：服务器返回 HTTP {response.status_code}")
        chunks, total = [], 0
        for chunk in response.iter_content(65536):
            total += len(chunk)
            if total > MAX_BYTES:
                raise FetchError(f"{url}：超过{MAX_BYTES}字节，未读取")
            chunks.append(chunk)
    return b"".join(chunks)
