"""The revalidation pass's HTTP/1.1 connection (spiders/keepalive.py) against a raw socket
server answering what real servers send: it keeps the connection when the answer's framing
allows it, closes it otherwise, and refuses what is not HTTP."""

from __future__ import annotations

import socket
import threading

import pytest

from auditor.spiders.keepalive import KeepAliveConnection, ProtocolError


class CannedServer:
    """Answers each request with the next canned bytes (one list per accepted connection is
    not needed: the answers are taken in order, whatever the connection); records the
    requests and how many connections were accepted."""

    def __init__(self, answers: list[bytes]) -> None:
        self.answers = list(answers)
        self.requests: list[bytes] = []
        self.connections = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self.answer, args=(sock,), daemon=True).start()

    def answer(self, sock: socket.socket) -> None:
        buffer = b""
        with sock:
            while self.answers:
                while b"\r\n\r\n" not in buffer:
                    data = sock.recv(65536)
                    if not data:
                        return
                    buffer += data
                request, _, buffer = buffer.partition(b"\r\n\r\n")
                self.requests.append(request)
                answer = self.answers.pop(0)
                if answer is None:
                    return  # close without answering
                sock.sendall(answer)
                if b"Connection: close" in answer or answer.startswith(b"HTTP/1.0"):
                    return

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def canned():
    servers = []

    def make(*answers: bytes) -> tuple[CannedServer, KeepAliveConnection]:
        server = CannedServer(list(answers))
        servers.append(server)
        return server, KeepAliveConnection("http", "127.0.0.1", server.port, 5.0,
                                           drain_limit=100)
    yield make
    for server in servers:
        server.close()


NOT_MODIFIED = (b'HTTP/1.1 304 Not Modified\r\nETag: "a-1"\r\nSet-Cookie: s=1; Path=/\r\n'
                b"Set-Cookie: t=2\r\n\r\n")


def test_304s_keep_one_connection_and_every_header_value_is_read(canned):
    server, connection = canned(NOT_MODIFIED, NOT_MODIFIED, NOT_MODIFIED)
    for _ in range(3):
        status, headers = connection.get("/a.html", {"If-None-Match": b'"a-1"'})
        assert status == 304
    assert headers["etag"] == ['"a-1"'] and headers["set-cookie"] == ["s=1; Path=/", "t=2"]
    assert server.connections == 1 and len(server.requests) == 3
    assert server.requests[0].startswith(b"GET /a.html HTTP/1.1\r\nHost: 127.0.0.1:")
    connection.close()


def test_a_small_sized_body_is_read_and_the_connection_kept(canned):
    server, connection = canned(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
                                NOT_MODIFIED)
    assert connection.get("/a", {})[0] == 200
    assert connection.get("/b", {})[0] == 304
    assert server.connections == 1


@pytest.mark.parametrize("answer", [
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n" + b"x" * 500,  # over the drain limit
    b"HTTP/1.1 200 OK\r\n\r\nread until the server closes",
    b"HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n",
    b"HTTP/1.0 304 Not Modified\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
], ids=["chunked", "large", "unsized", "connection-close", "http-1.0", "two-lengths"])
def test_an_answer_whose_framing_is_not_kept_closes_the_connection(canned, answer):
    server, connection = canned(answer, NOT_MODIFIED)
    connection.get("/a", {})
    assert connection.sock is None  # closed: the next request opens a new connection
    assert connection.get("/b", {})[0] == 304
    assert server.connections == 2


@pytest.mark.parametrize("answer", [
    b"SSH-2.0-OpenSSH_9.2\r\n\r\n",
    b"HTTP/1.1 abc Weird\r\n\r\n",
    b"HTTP/1.1 100 Continue\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nX: " + b"y" * (70 * 1024),  # headers that never end
    None,  # the server closes without a word
], ids=["not-http", "bad-status", "interim", "bad-header", "endless-headers", "closed"])
def test_what_is_not_http_raises_and_closes(canned, answer):
    _, connection = canned(answer)
    with pytest.raises(ProtocolError):
        connection.get("/a", {})
    assert connection.sock is None


def test_scraped_values_cannot_add_headers_or_requests(canned):
    server, connection = canned(NOT_MODIFIED)
    connection.get("/a", {"If-None-Match": b'"x"\r\nX-Injected: 1', "Referer": b"http://a/"})
    assert b"X-Injected" not in server.requests[0] and b"Referer: http://a/" in server.requests[0]
    for target in ("/a b", "/a\r\nGET /evil", "http://elsewhere/"):
        with pytest.raises(ProtocolError):
            connection.get(target, {})


def test_a_timeout_is_an_os_error(canned):
    listener = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    try:
        connection = KeepAliveConnection("http", "127.0.0.1", listener.getsockname()[1], 0.3)
        with pytest.raises(OSError):
            connection.get("/a", {})
        assert connection.sock is None
    finally:
        listener.close()


def test_a_host_idna_refuses_still_makes_a_connection_object():
    connection = KeepAliveConnection("http", "a" * 70 + ".example", 80, 1.0)
    assert connection.host_header.endswith(b".example")
