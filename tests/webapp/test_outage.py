"""Issue 15 #8: while the database cannot be reached, every request is answered 503 with
Retry-After (not a 500 with a traceback), the log gets one traceback and then one line per
failure, and the service recovers by itself when the database is back."""

from __future__ import annotations

import logging
import shutil
import socket
import sqlite3
import threading
import time

import pytest

from tests.factories import app_config

REFUSED = "postgresql+psycopg://postgres@127.0.0.1:{port}/puente?connect_timeout=2"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nobody listens once the socket is closed


@pytest.fixture
def app_without_database():
    from webapp import create_app

    app = create_app({**app_config(REFUSED.format(port=closed_port()))})
    app.testing = False  # as in production: no exception reaches the client
    return app


def test_an_outage_is_503_with_retry_after_and_one_traceback(app_without_database, caplog):
    client = app_without_database.test_client()
    caplog.set_level(logging.ERROR)
    answers = []
    for _ in range(4):
        answers.append(client.get("/api/v1/smes", headers={"Authorization": "Bearer pte_x"}))
        answers.append(client.post("/api/v1/auth/tokens",
                                   json={"email": "a@example.test", "password": "x"}))
    for response in answers:
        assert response.status_code == 503
        assert int(response.headers["Retry-After"]) > 0
        assert response.get_json()["error"]["code"] == "service_unavailable"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == len(answers)  # one entry per failure ...
    assert sum(r.exc_info is not None for r in errors) == 1  # ... and a single traceback
    assert all(len(r.getMessage()) < 200 for r in errors)


def test_a_page_during_an_outage_is_a_503_page(app_without_database):
    client = app_without_database.test_client()
    client.get("/login")
    response = client.post("/login", data={"email": "a@example.test", "password": "x" * 9},
                           headers={"Accept": "text/html"})
    assert response.status_code in (400, 503)  # CSRF first, when the form has no token
    from tests.factories import csrf_token

    token = csrf_token(client)
    response = client.post("/login", data={"email": "a@example.test", "password": "x" * 9,
                                           "csrf_token": token})
    assert response.status_code == 503 and "Retry-After" in response.headers
    assert "<html" in response.get_data(as_text=True)


def test_the_service_recovers_by_itself(database_url, tmp_path, make_user):
    """The database disappears and comes back under a running app: 503s, then 200s."""
    from webapp import create_app

    if not database_url.startswith("sqlite:///"):
        return _recovers_through_a_proxy(database_url, make_user)
    folder = tmp_path / "db"
    url = f"sqlite:///{folder}/puente.db"
    app = create_app(app_config(url))
    app.testing = False
    client = app.test_client()
    assert client.get("/api/v1/taxonomy/needs").status_code == 200  # needs no database
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer pte_x"}).status_code == 503
    folder.mkdir()  # the database comes back, with its data
    source = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    with sqlite3.connect(folder / "puente.db") as target:
        source.backup(target)
    source.close()
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer pte_x"}).status_code == 401
    dispose(app)
    shutil.rmtree(folder)


def _recovers_through_a_proxy(database_url, make_user):
    """On PostgreSQL: the app reaches the server through a TCP relay that is cut, then
    restored."""
    from sqlalchemy.engine import make_url

    from webapp import create_app
    from webapp.services import accounts

    _, secret = accounts.issue_token(make_user("sme"))
    target = make_url(database_url)
    relay = Relay(target.host or "127.0.0.1", target.port or 5432)
    app = create_app(app_config(str(target.set(host="127.0.0.1", port=relay.port)
                                    .render_as_string(hide_password=False))))
    app.testing = False
    client = app.test_client()
    me = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=me).status_code == 200
    relay.cut()
    assert client.get("/api/v1/me", headers=me).status_code == 503
    relay.restore()
    assert client.get("/api/v1/me", headers=me).status_code == 200
    dispose(app)
    relay.close()


def _app_through_a_relay(database_url, make_user, idle_ms: int):
    """Return (app, relay, token headers): an app reaching PostgreSQL through a relay, that
    checks a pooled connection before use once it sat idle ``idle_ms``."""
    from sqlalchemy.engine import make_url

    from webapp import create_app
    from webapp.services import accounts

    if database_url.startswith("sqlite:///"):
        pytest.skip("a file database has no connection for the server to drop")
    _, secret = accounts.issue_token(make_user("sme"))
    target = make_url(database_url)
    relay = Relay(target.host or "127.0.0.1", target.port or 5432)
    app = create_app({**app_config(str(target.set(host="127.0.0.1", port=relay.port)
                                       .render_as_string(hide_password=False))),
                      "PUENTE_DB_PING_IDLE_MS": idle_ms})
    app.testing = False
    return app, relay, {"Authorization": f"Bearer {secret}"}


def test_a_connection_dropped_while_idle_is_replaced_before_use(database_url, make_user):
    """The server drops the app's connections while the app is idle (a restart, a firewall's
    idle timeout): the next request is answered as usual, on a new connection."""
    app, relay, me = _app_through_a_relay(database_url, make_user, idle_ms=50)
    client = app.test_client()
    assert client.get("/api/v1/me", headers=me).status_code == 200
    relay.cut()
    relay.restore()  # the server is back; the pooled connection is dead
    time.sleep(0.2)
    assert client.get("/api/v1/me", headers=me).status_code == 200
    dispose(app)
    relay.close()


def test_a_connection_reused_at_once_is_not_checked(database_url, make_user):
    """Within PUENTE_DB_PING_IDLE_MS of its last use a pooled connection is used unchecked (a
    busy worker saves a round trip a request): one dropped in that window costs one request a
    503, and the pool is renewed for the next."""
    app, relay, me = _app_through_a_relay(database_url, make_user, idle_ms=60_000)
    client = app.test_client()
    assert client.get("/api/v1/me", headers=me).status_code == 200
    relay.cut()
    relay.restore()
    assert client.get("/api/v1/me", headers=me).status_code == 503
    assert client.get("/api/v1/me", headers=me).status_code == 200
    dispose(app)
    relay.close()


def dispose(app) -> None:
    from models import db

    with app.app_context():
        db.engine.dispose()


class Relay:
    """A TCP relay to the database that can be cut (every connection dropped, new ones
    refused) and restored on the same port."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.port = closed_port()
        self.sockets: list[socket.socket] = []
        self.server: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        self.server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.server,), daemon=True).start()

    def cut(self) -> None:
        for sock in [self.server, *self.sockets]:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        self.sockets.clear()

    close = cut

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass


