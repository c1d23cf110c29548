"""A worker remembers who a token or session names for a moment, and never serves what it
wrote itself stale (webapp/services/account_cache.py)."""

from __future__ import annotations

import re
import time

from sqlalchemy import create_engine, text

from models import User, db
from tests.factories import login

LIFETIME_MS = 1500


def test_a_token_revoked_through_another_worker_stops_within_the_cache_lifetime(
        app, client, database_url, make_user, token_for):
    app.config["PUENTE_ACCOUNT_CACHE_MS"] = LIFETIME_MS
    headers = token_for(make_user("sme"))
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    # Another worker (its own connection, not this app's session) deletes every token.
    other = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with other.begin() as conn:
            conn.execute(text("DELETE FROM api_tokens"))
    finally:
        other.dispose()
    remembered = client.get("/api/v1/me", headers=headers).status_code
    time.sleep(LIFETIME_MS / 1000 + 0.1)
    assert (remembered, client.get("/api/v1/me", headers=headers).status_code) == (200, 401)


def test_without_the_cache_a_revocation_elsewhere_applies_at_once(
        app, client, database_url, make_user, token_for):
    app.config["PUENTE_ACCOUNT_CACHE_MS"] = 0
    headers = token_for(make_user("sme"))
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    other = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with other.begin() as conn:
            conn.execute(text("DELETE FROM api_tokens"))
    finally:
        other.dispose()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_role_changed_in_this_worker_shows_at_once(app, client, make_user, token_for):
    app.config["PUENTE_ACCOUNT_CACHE_MS"] = 60_000
    user = make_user("sme")
    headers = token_for(user)
    assert client.get("/api/v1/me", headers=headers).get_json()["role"] == "sme"
    user.role = "coordinator"
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).get_json()["role"] == "coordinator"


def test_a_statement_deactivating_the_user_ends_its_token_and_session_at_once(
        app, client, make_user, token_for):
    app.config["PUENTE_ACCOUNT_CACHE_MS"] = 60_000
    user = make_user("sme")
    headers = token_for(user)
    login(client, user.email)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.get("/account").status_code == 200
    db.session.execute(text("UPDATE users SET active = :no WHERE id = :id"),
                       {"no": False, "id": user.id})
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.get("/account").status_code == 302  # back to the sign-in page


def test_signing_out_everywhere_ends_the_other_sessions_at_once(app, make_user):
    app.config["PUENTE_ACCOUNT_CACHE_MS"] = 60_000
    user = make_user("mentor")
    laptop, phone = app.test_client(), app.test_client()
    for browser in (laptop, phone):
        login(browser, user.email)
        assert browser.get("/account").status_code == 200
    db.session.get(User, user.id).session_epoch += 1
    db.session.commit()
    assert [b.get("/account").status_code for b in (laptop, phone)] == [302, 302]


def users_reads(client, headers) -> list[int]:
    """Return, for three requests of the token, how many statements read ``users`` (the first
    request notes the token's use besides)."""
    from tests.sql_capture import statements_sent

    counts = []
    for _ in range(3):
        with statements_sent(db.engine) as sent:
            assert client.get("/api/v1/me", headers=headers).status_code == 200
        counts.append(sum(re.search(r"\busers\b", sql) is not None for sql in sent))
    return counts


def test_a_verified_account_is_served_from_the_cache_an_unverified_one_read_afresh(
        app, client, make_user, token_for):
    # The address verified through another worker must count on the very next request
    # (introductions allowed, /me, the account page): an unverified account is never kept.
    app.config["PUENTE_ACCOUNT_CACHE_MS"] = 60_000
    verified, unverified = make_user("sme"), make_user("sme")
    unverified.email_verified_at = None
    db.session.commit()
    assert users_reads(client, token_for(verified))[1:] == [0, 0]
    assert users_reads(client, token_for(unverified))[1:] == [1, 1]


def test_an_address_verified_through_another_worker_counts_on_the_next_request(
        app, client, database_url, make_user, token_for):
    app.config["PUENTE_ACCOUNT_CACHE_MS"] = 60_000
    user = make_user("sme")
    user.email_verified_at = None
    db.session.commit()
    headers = token_for(user)
    login(client, user.email)
    assert client.get("/api/v1/me", headers=headers).get_json()["email_verified"] is False
    assert client.get("/api/v1/me").get_json()["email_verified"] is False  # the session
    other = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with other.begin() as conn:
            conn.execute(text("UPDATE users SET email_verified_at = CURRENT_TIMESTAMP"))
    finally:
        other.dispose()
    assert client.get("/api/v1/me", headers=headers).get_json()["email_verified"] is True
    assert client.get("/api/v1/me").get_json()["email_verified"] is True
