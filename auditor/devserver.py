"""A small local web server for fixture and demo sites (127.0.0.1, ephemeral port).

Serves a folder as a site, plus behaviours listed in the folder's ``_server.json`` so tests
and the demo can reproduce what real government sites do::

    {"status": {"/gone.html": 404}, "delay": {"/slow.html": 3.0},
     "redirect": {"/loop-a.html": "/loop-b.html", "/out.html": "http://elsewhere.example/"},
     "content_type": {"/gbk/index.html": "text/html; charset=gbk"},
     "sequence": {"/busy.html": [429, 200]},
     "hanweb": {"/module/web/jpage/dataproxy.jsp": "_hanweb"},
     "session": {"set": "/", "needed": ["/zwgk/zcwj/index_1.html"]}}

Files are served as nginx serves static pages: with ``ETag`` (a digest of the bytes) and
``Last-Modified`` (the file's time), answering ``304 Not Modified`` to a conditional request
whose validators still match (``If-None-Match`` first, as RFC 9110 says; ``"validators":
false`` in ``_server.json`` turns this off, like a CMS that sends neither).

``session`` is a CMS session: the ``set`` page sets a ``JSESSIONID`` cookie (with its 304s
too, as Tomcat does), and the ``needed`` pages answer 403 to a request without it.

``hanweb`` answers Hanweb jcms ``dataproxy.jsp`` POSTs from ``<folder>/<columnid>.json``
(a list of record HTML snippets). ``{port}`` in served files is replaced by the real port, so
fixture pages can hold absolute URLs. Never binds anything but the loopback address.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit


class SiteHandler(BaseHTTPRequestHandler):
    root: Path
    config: dict
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY, as nginx sets on keep-alive connections: without it the body, written
    # after the headers, waits for the client's delayed ACK (~40 ms a page on loopback).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet in tests
        pass

    def do_HEAD(self) -> None:  # noqa: N802
        self.handle_request(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self.handle_request()

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        path = urlsplit(self.path).path
        if self.api(path, body):
            return
        hanweb = self.config.get("hanweb", {})
        if path in hanweb:
            self.hanweb(self.root / hanweb[path], parse_qs(urlsplit(self.path).query),
                        parse_qs(body))
            return
        self.handle_request()

    def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
             head: bool = False, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def api(self, path: str, body: str = "") -> bool:
        """Answer a list API of a CMS family (auditor.devapis) if ``path`` is one."""
        from .devapis import answer

        for prefix, family in self.config.get("apis", {}).items():
            if path.startswith(prefix):
                form = parse_qs(body) if body and not body.lstrip().startswith("{") else {}
                status, content_type, text = answer(family, self.site_root, path,
                                                    parse_qs(urlsplit(self.path).query),
                                                    form, body)
                text = text.replace("{port}", str(self.server.server_port))
                self.send(status, text.encode("utf-8"), content_type)
                return True
        return False

    @property
    def site_root(self) -> Path:
        """The folder served for this request's host (``"hosts"`` in _server.json maps other
        host names, resolved to 127.0.0.1 by ``auditor.spiders.resolver.LoopbackResolver``, to
        sub-folders)."""
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        sub = self.config.get("hosts", {}).get(host)
        return (self.root / sub).resolve() if sub else self.root

    def hostile(self, path: str, head: bool) -> bool:
        """Serve a hostile behaviour (auditor.devhostile) if ``path`` is one of its routes."""
        from .devhostile import answer

        raw_path = urlsplit(self.path).path  # ;jsessionid= stays in the path
        for prefix, spec in self.config.get("hostile", {}).items():
            if not raw_path.startswith(prefix):
                continue
            out = answer(spec, prefix, unquote(raw_path))
            if out is None:
                return False
            headers = out.get("headers") or {}
            if "stream" in out:
                self.send_response(out["status"])
                self.send_header("Content-Type", "text/html; charset=utf-8")
                if out.get("length"):
                    self.send_header("Content-Length", str(out["length"]))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                if not head:
                    try:
                        for chunk in out["stream"]:
                            self.wfile.write(chunk)
                    except (BrokenPipeError, ConnectionResetError):
                        pass  # the client stopped reading: the point of the test
                return True
            self.send(out["status"], out["body"], head=head, headers=headers)
            return True
        return False

    def handle_request(self, head: bool = False) -> None:
        path = unquote(urlsplit(self.path).path)
        cfg = self.config
        if not head and self.api(path):
            return
        if self.hostile(path, head):
            return
        if path in cfg.get("hanweb", {}) and not head:
            self.hanweb(self.root / cfg["hanweb"][path], parse_qs(urlsplit(self.path).query), {})
            return
        if path in cfg.get("delay", {}):
            time.sleep(float(cfg["delay"][path]))
        if path in cfg.get("sequence", {}):
            # Answers in turn (e.g. [429, 200]): the n-th request gets the n-th status.
            with self.server.lock:
                served = self.server.counts.get(path, 0)
                self.server.counts[path] = served + 1
            steps = cfg["sequence"][path]
            status = int(steps[min(served, len(steps) - 1)])
            if status != 200:
                self.send(status, f"<html><body>{status}</body></html>".encode(), head=head,
                          headers={"Retry-After": "1"} if status in (429, 503) else None)
                return
        if path in cfg.get("redirect", {}):
            target = cfg["redirect"][path].replace("{port}", str(self.server.server_port))
            self.send(302, b"", head=head, headers={"Location": target})
            return
        if path in cfg.get("status", {}):
            status = int(cfg["status"][path])
            body = f"<html><body><h1>{status}</h1></body></html>".encode()
            if status == 412:
                body = (b"<html><script>var _0x=1;document.cookie='__jsl_clearance=1';"
                        b"location.reload();</script></html>")
            self.send(status, body, head=head)
            return
        session = cfg.get("session", {})
        if path in session.get("needed", ()) and \
                "JSESSIONID=fixture" not in (self.headers.get("Cookie") or ""):
            self.send(403, b"<html><body>403 session required</body></html>", head=head)
            return
        cookie = {"Set-Cookie": "JSESSIONID=fixture; Path=/"} if path == session.get("set") \
            else {}
        root = self.site_root
        file = (root / path.lstrip("/")).resolve()
        if self.root not in file.parents and file != self.root:
            self.send(403, b"forbidden", head=head)
            return
        if file.is_dir():
            file = file / "index.html"
        if not file.is_file() or file.name == "_server.json":
            self.send(404, b"<html><body>404 Not Found</body></html>", head=head)
            return
        data = file.read_bytes().replace(b"{port}", str(self.server.server_port).encode())
        content_type = cfg.get("content_type", {}).get(path) or (
            mimetypes.guess_type(file.name)[0] or "application/octet-stream")
        if content_type == "text/html":
            content_type = "text/html; charset=utf-8" if b"charset=gb" not in data[:2048].lower() \
                else "text/html"
        validators = None
        if cfg.get("validators", True):
            validators = {"ETag": '"' + hashlib.sha256(data).hexdigest()[:20] + '"',
                          "Last-Modified": formatdate(file.stat().st_mtime, usegmt=True)}
            if self.not_modified(validators):
                self.send_response(304)
                for key, value in {**validators, **cookie}.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        self.send(200, data, content_type, head=head, headers={**(validators or {}), **cookie})

    def not_modified(self, validators: dict[str, str]) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:  # when both are sent, If-Modified-Since is ignored
            return validators["ETag"] in [v.strip() for v in match.split(",")] or \
                match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return parsedate_to_datetime(since) >= parsedate_to_datetime(
                    validators["Last-Modified"])
            except (TypeError, ValueError):
                return False
        return False

    def hanweb(self, folder: Path, query: dict, form: dict) -> None:
        """A Hanweb ``dataproxy.jsp``: POST ``startrecord``/``endrecord`` windows, or GET
        ``page=N`` groups (group N+1 of ``perpage`` × 3 records: the column page carries the
        first group, as real sites do), each answer with ``<totalrecord>`` and, while more
        remain, a ``<nextgroup>`` link."""
        column = (form.get("columnid") or query.get("columnid") or [""])[0]
        records_file = folder / f"{column}.json"
        records = json.loads(records_file.read_text("utf-8")) if records_file.is_file() else []
        nextgroup = ""
        if "page" in query and "startrecord" not in query:
            group = int((query.get("perpage") or ["15"])[0]) * 3
            number = int((query.get("page") or ["1"])[0])
            chosen = records[number * group:(number + 1) * group]
            if (number + 1) * group < len(records):
                rest = "&".join(f"{k}={v[0]}" for k, v in query.items() if k != "page")
                nextgroup = (f"<nextgroup><![CDATA[<a href=\"{urlsplit(self.path).path}?"
                             f"page={number + 1}&{rest}\"></a>]]></nextgroup>")
        else:
            start = int((query.get("startrecord") or ["1"])[0])
            end = int((query.get("endrecord") or [str(len(records))])[0])
            chosen = records[start - 1:end]
        xml = ("<?xml version=\"1.0\" encoding=\"utf-8\"?><datastore>"
               f"<totalrecord>{len(records)}</totalrecord>{nextgroup}<recordset>"
               + "".join(f"<record><![CDATA[{r}]]></record>" for r in chosen)
               + "</recordset></datastore>")
        self.send(200, xml.encode("utf-8"), "text/xml; charset=utf-8")


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a client that hung up (a timed-out crawler) is not an error of the server


@contextmanager
def serve_site(root: str | Path, port: int = 0) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1; yields the base URL (``http://127.0.0.1:PORT``)."""
    root = Path(root).resolve()
    config_file = root / "_server.json"
    config = json.loads(config_file.read_text("utf-8")) if config_file.is_file() else {}
    handler = type("Handler", (SiteHandler,), {"root": root, "config": config})
    server = _QuietServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    server.lock = threading.Lock()
    server.counts = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()

