"""Abuse limits answer 429 with Retry-After and the error envelope."""

import pytest

from models import db
from tests.factories import csrf_token
from webapp import create_app


@pytest.fixture
def limited_client(database_url, tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "SECRET_KEY": "x", "RATELIMIT_ENABLED": True,
                      "PUENTE_TOKEN_LIMIT": "3 per minute", "PUENTE_LOGIN_LIMIT": "2 per minute"})
    with app.app_context():
        app.extensions["puente.limiter"].reset()
        yield app.test_client()
        db.session.remove()
        db.engine.dispose()


def test_token_creation_is_limited(limited_client):
    body = {"email": "nobody@example.test", "password": "wrong password"}
    statuses = [limited_client.post("/api/v1/auth/tokens", json=body).status_code
                for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    response = limited_client.post("/api/v1/auth/tokens", json=body)
    assert int(response.headers["Retry-After"]) > 0
    assert response.get_json()["error"]["code"] == "too_many_requests"


def test_login_form_is_limited_but_showing_it_is_not(limited_client):
    for _ in range(2):
        limited_client.post("/login", data={"email": "a@example.test", "password": "x" * 9,
                                            "csrf_token": csrf_token(limited_client)})
    refused = limited_client.post("/login", data={"email": "a@example.test", "password": "x" * 9,
                                                  "csrf_token": csrf_token(limited_client)})
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert limited_client.get("/login").status_code == 200


def test_redis_storage_when_configured(database_url, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "SECRET_KEY": "x"})
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
