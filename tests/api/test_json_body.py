"""API writes take JSON only: another body is 415, malformed JSON 400, an empty PATCH is 422;
a body over ``MAX_CONTENT_LENGTH`` is 413, with a ``Content-Length`` or in chunks; nothing is
written."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable, Iterator
from urllib.parse import urlencode

import pytest

from models import AuditEntry, db
from tests.factories import csrf_token, payload, row_counts


@pytest.fixture
def sme(client, as_role):
    """Return the URL and the headers of a coordinator's new SME profile."""
    _, headers = as_role("coordinator")
    response = client.post("/api/v1/smes", json=payload("sme"), headers=headers)
    return f"/api/v1/smes/{response.get_json()['id']}", headers


@pytest.mark.parametrize("content_type, body, status, code", [
    ("text/plain", '{"name": "Plain"}', 415, "unsupported_media_type"),
    ("application/x-www-form-urlencoded", "name=Form", 415, "unsupported_media_type"),
    ("application/json", '{"name": ', 400, "invalid_json"),  # JSON said, not JSON sent
    ("application/json; charset=utf-8", "\xff\xfe", 400, "invalid_json"),
    (None, '{"name": "No type"}', 415, "unsupported_media_type"),
])
def test_a_patch_whose_body_is_not_json_is_refused(client, sme, content_type, body, status,
                                                    code):
    url, headers = sme
    before = row_counts()
    extra = {"Content-Type": content_type} if content_type else {}
    response = client.patch(url, data=body, headers={**headers, **extra})
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert "body" in response.get_json()["error"]["fields"]
    assert client.get(url, headers=headers).get_json()["name"] == payload("sme")["name"]
    assert row_counts() == before


def test_a_post_whose_body_is_not_json_is_415(client, as_role):
    _, headers = as_role("coordinator")
    before = row_counts()
    response = client.post("/api/v1/smes", data="name=Form", headers={
        **headers, "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    assert row_counts() == before


@pytest.mark.parametrize("body", [{}, None])
def test_an_empty_patch_is_422(client, sme, body):
    url, headers = sme
    before = row_counts()
    response = client.patch(url, json=body, headers=headers) if body is not None else \
        client.patch(url, headers={**headers, "Content-Type": "text/plain"})
    assert response.status_code == 422
    assert "body" in response.get_json()["error"]["fields"]
    assert client.get(url, headers=headers).headers["ETag"] == '"1"'
    assert row_counts() == before


# -- bodies over MAX_CONTENT_LENGTH, however they are framed -----------------------------------

LIMIT = 1024 * 1024  # MAX_CONTENT_LENGTH
PIECE = 64 * 1024


class ChunkedBody(io.RawIOBase):
    """A body that arrives in pieces, as a chunked upload does (no Content-Length); counts
    the bytes the app read of it."""

    def __init__(self, pieces: Iterator[bytes]):
        self._pieces, self._left, self.read_so_far = pieces, b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self._left:
            self._left = next(self._pieces, b"")
        size = min(len(buffer), len(self._left))
        buffer[:size], self._left = self._left[:size], self._left[size:]
        self.read_so_far += size
        return size


def pieces_of(data: bytes, then: Iterable[bytes] = ()) -> Iterator[bytes]:
    """Yield the data in pieces of 64 KiB, then whatever ``then`` yields."""
    yield from (data[i:i + PIECE] for i in range(0, len(data), PIECE))
    yield from then


def send_chunked(client, method, url, headers, body: ChunkedBody, mimetype="application/json"):
    return client.open(url, method=method,
                       environ_overrides={"wsgi.input": body, "wsgi.input_terminated": True,
                                          "CONTENT_LENGTH": ""},
                       headers={**headers, "Content-Type": mimetype,
                                "Transfer-Encoding": "chunked"})


def padded(data: bytes, size: int) -> bytes:
    """Return JSON data followed by whitespace up to ``size`` bytes (still valid JSON)."""
    return data + b" " * (size - len(data))


@pytest.mark.parametrize("body", [
    pytest.param(padded(b'{"name": "Padded"}', 2 * LIMIT), id="2MiB-whitespace"),
    pytest.param(b'{"description": "' + b"x" * (LIMIT + LIMIT // 10) + b'"}', id="1.1MiB-string"),
    pytest.param(padded(b'{"name": "Padded"}', LIMIT + 1), id="one-byte-over"),
])
def test_a_chunked_body_over_the_limit_is_413_and_writes_nothing(client, sme, body):
    url, headers = sme
    before = row_counts()
    response = send_chunked(client, "PATCH", url, headers, ChunkedBody(pieces_of(body)))
    assert response.request.content_length is None
    assert response.status_code == 413, response.get_data(as_text=True)[:300]
    assert response.get_json()["error"]["code"] == "payload_too_large"
    stored = client.get(url, headers=headers)
    assert stored.get_json()["name"] == payload("sme")["name"]
    assert stored.headers["ETag"] == '"1"'
    assert row_counts() == before


def test_an_endless_chunked_body_is_413_after_reading_just_past_the_limit(client, sme):
    url, headers = sme
    body = ChunkedBody(pieces_of(b'{"name": "Endless"}', itertools.repeat(b" " * PIECE)))
    response = send_chunked(client, "PATCH", url, headers, body)
    assert response.status_code == 413
    assert LIMIT < body.read_so_far <= LIMIT + 1
    assert client.get(url, headers=headers).get_json()["name"] == payload("sme")["name"]


def test_a_chunked_body_of_exactly_the_limit_is_read_whole(client, sme):
    url, headers = sme
    body = padded(b'{"name": "Just fits"}', LIMIT)
    response = send_chunked(client, "PATCH", url, headers, ChunkedBody(pieces_of(body)))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["name"] == "Just fits"


def test_a_chunked_page_form_over_the_limit_is_413_and_signs_no_one_in(app, client, make_user):
    user = make_user("sme")
    form = urlencode({"email": user.email, "password": "correct horse battery",
                      "csrf_token": csrf_token(client)}).encode()
    before = row_counts()
    body = ChunkedBody(pieces_of(form + b"&pad=" + b"x" * (2 * LIMIT)))
    response = send_chunked(client, "POST", "/login", {}, body,
                            mimetype="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert client.get("/api/v1/me").status_code == 401
    assert row_counts() == before
    assert not db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action == "auth.login")).all()


@pytest.mark.parametrize("encoded", [
    b"\xef\xbb\xbf" + b'{"name": "Con BOM"}',  # UTF-8 with a byte-order mark
    '{"name": "Con BOM"}'.encode("utf-16"),  # UTF-16 (with its mark)
])
def test_json_in_another_unicode_encoding_is_read_as_json(client, sme, encoded):
    """JSON allows them and the body's check took them; the view's parser then answered 400
    with ``invalid_fields`` — a status and a code that contradicted each other."""
    url, headers = sme
    response = client.patch(url, data=encoded,
                            headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 200, response.get_json()
    assert client.get(url, headers=headers).get_json()["name"] == "Con BOM"
