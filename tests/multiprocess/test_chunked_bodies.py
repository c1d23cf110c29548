"""A body sent in chunks to a real gunicorn worker (which terminates the chunked input, as
``wsgi.input_terminated`` says) is bounded by ``MAX_CONTENT_LENGTH`` like one with a
``Content-Length``: over it, 413 and nothing written (webapp/api/json_body.py)."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest

from tests.factories import payload
from tests.multiprocess.servers import call, worker
from webapp.services import accounts

LIMIT = 1024 * 1024


@pytest.fixture(scope="module")
def server_url(database_url):
    with worker(database_url) as base:
        yield base


def send_chunked(base: str, token: str, path: str, body: bytes) -> tuple[int | None, bytes]:
    """PATCH the body in chunks of 64 KiB (no Content-Length); return the answer's status and
    bytes — no status when the connection was cut before any answer came: a server that
    refuses a body before reading it all may close the connection under the sender, so a
    client sees a reset instead of the 413 (as Werkzeug's documentation warns)."""
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall((f"PATCH {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                      f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                      "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").encode())
        try:
            for i in range(0, len(body), 65536):
                piece = body[i:i + 65536]
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # answered (and closed) before the whole body was taken
        answer = b""
        try:
            while piece := sock.recv(65536):
                answer += piece
        except ConnectionResetError:
            pass
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else None
    return status, answer


@pytest.mark.parametrize("body", [
    b'{"name": "Padded"}' + b" " * (2 * LIMIT),
    b'{"description": "' + b"x" * (LIMIT + LIMIT // 10) + b'"}',
], ids=["2MiB-whitespace", "1.1MiB-string"])
def test_a_chunked_body_over_the_limit_is_refused_and_nothing_written(app, make_user,
                                                                      server_url, body):
    _, token = accounts.issue_token(make_user("coordinator"))
    path = f"/api/v1/smes/{call(server_url, 'POST', '/api/v1/smes', token, payload('sme'))['id']}"
    status, answer = send_chunked(server_url, token, path, body)
    assert status in (413, None), answer[:500]
    if status == 413:
        assert b'"payload_too_large"' in answer
    stored = call(server_url, "GET", path, token)
    assert (stored["name"], stored["description"]) == (payload("sme")["name"],
                                                       payload("sme")["description"])


def test_a_chunked_body_within_the_limit_is_read_whole(app, make_user, server_url):
    _, token = accounts.issue_token(make_user("coordinator"))
    path = f"/api/v1/smes/{call(server_url, 'POST', '/api/v1/smes', token, payload('sme'))['id']}"
    status, answer = send_chunked(server_url, token, path, b'{"name": "Fits"}' + b" " * (
        LIMIT - 16))
    assert status == 200, answer[:500]
    assert call(server_url, "GET", path, token)["name"] == "Fits"
