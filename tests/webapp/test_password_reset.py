"""Password reset by e-mail: the link, its expiry, single use, and what a reset ends."""

from __future__ import annotations

import re
from unittest import mock

import pytest

from models import ApiToken, OutboxMessage, User, db
from tests.conftest import PASSWORD
from tests.factories import csrf_token, login, row_counts

NEW = "a brand new passphrase"


def mailed_link(address: str) -> str:
    """Return the path of the last reset link e-mailed to the address (as its reader would)."""
    body = db.session.scalars(db.select(OutboxMessage.body).where(
        OutboxMessage.to_address == address, OutboxMessage.template == "password_reset")
        .order_by(OutboxMessage.id.desc())).first()
    assert body is not None, "no reset e-mail"
    url = re.search(r"http://\S+/password/reset/\S+", body).group(0)
    assert url.startswith("http://127.0.0.1:5000/password/reset/")  # PUENTE_BASE_URL's page
    return url.removeprefix("http://127.0.0.1:5000")


def ask(client, email: str):
    return client.post("/password/forgot", data={"email": email,
                                                 "csrf_token": csrf_token(client)})


def choose(client, path: str, password: str = NEW, again: str | None = None):
    return client.post(path, data={"new_password": password,
                                   "new_password_again": again or password,
                                   "csrf_token": csrf_token(client, path)})


def test_the_link_sets_a_new_password_and_ends_every_session_and_token(client, app,
                                                                       make_user, token_for):
    user = make_user("sme", email="ana@example.test", locale="es")
    headers = token_for(user)
    other = app.test_client()
    login(other, "ana@example.test")
    assert other.get("/account").status_code == 200
    assert ask(client, "ana@example.test").headers["Location"].startswith("/login")
    message = db.session.scalars(db.select(OutboxMessage).where(
        OutboxMessage.template == "password_reset")).one()
    assert message.locale == "es" and "contraseña" in message.subject.lower()
    response = choose(client, mailed_link("ana@example.test"))
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert login(client, "ana@example.test", NEW).status_code == 302
    assert login(app.test_client(), "ana@example.test", PASSWORD).status_code == 422
    assert other.get("/account").status_code == 302  # the other session ended
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401
    assert db.session.scalar(db.select(db.func.count()).select_from(ApiToken)) == 0


def test_a_link_works_once(client, make_user):
    make_user("mentor", email="bo@example.test")
    ask(client, "bo@example.test")
    path = mailed_link("bo@example.test")
    assert choose(client, path).status_code == 302
    again = choose(client, path, "yet another passphrase")
    assert again.status_code == 400
    assert "used already" in again.get_data(as_text=True)
    assert login(client, "bo@example.test", NEW).status_code == 302


def test_an_expired_link_is_refused_and_changes_nothing(client, app, make_user):
    make_user("buyer", email="cy@example.test")
    ask(client, "cy@example.test")
    path = mailed_link("cy@example.test")
    before = row_counts()
    later = app.config["PUENTE_RESET_HOURS"] * 3600 + 60
    with mock.patch("itsdangerous.timed.time.time", return_value=_now() + later):
        response = choose(client, path)
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    assert row_counts() == before
    assert login(client, "cy@example.test", PASSWORD).status_code == 302


def _now() -> float:
    import time
    return time.time()


@pytest.mark.parametrize("path", ["/password/reset/not-a-token",
                                  "/password/reset/eyJ1IjoxLCJwIjoieCJ9.Zz.bad"])
def test_a_forged_link_is_refused(client, make_user, path):
    make_user("sme", email="dee@example.test")
    response = client.get(path)
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_the_answer_is_the_same_for_an_unknown_address(client, make_user):
    make_user("sme", email="eve@example.test")
    known = ask(client, "eve@example.test")
    unknown = ask(client, "nobody@example.test")
    assert (known.status_code, known.headers["Location"]) == (
        unknown.status_code, unknown.headers["Location"])
    page_known = client.get("/login").get_data(as_text=True)  # flash shown on the next page
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 1
    assert "nobody@example.test" not in page_known


def test_a_refused_password_is_shown_next_to_its_field(client, make_user):
    make_user("sme", email="fay@example.test")
    ask(client, "fay@example.test")
    path = mailed_link("fay@example.test")
    response = choose(client, path, "password")  # among the most common
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="new_password-error"' in html and 'aria-invalid="true"' in html
    assert choose(client, path, NEW, "something else").status_code == 422
    assert login(client, "fay@example.test", PASSWORD).status_code == 302  # unchanged


def test_the_api_resets_with_the_token(client, make_user):
    make_user("sme", email="gus@example.test")
    assert client.post("/api/v1/auth/password-reset",
                       json={"email": "gus@example.test"}).status_code == 202
    assert client.post("/api/v1/auth/password-reset",
                       json={"email": "nobody@example.test"}).status_code == 202
    token = mailed_link("gus@example.test").rsplit("/", 1)[1]
    bad = client.post("/api/v1/auth/password-reset/confirm",
                      json={"token": token + "x", "new_password": NEW})
    assert bad.status_code == 422 and bad.get_json()["error"]["fields"]["token"][0]["code"] \
        == "link_invalid"
    ok = client.post("/api/v1/auth/password-reset/confirm",
                     json={"token": token, "new_password": NEW})
    assert ok.status_code == 204
    used = client.post("/api/v1/auth/password-reset/confirm",
                       json={"token": token, "new_password": "yet another passphrase"})
    assert used.get_json()["error"]["fields"]["token"][0]["code"] == "link_used"


def test_an_inactive_account_gets_no_link(client, make_user):
    user = make_user("sme", email="hal@example.test")
    user.active = False
    db.session.commit()
    assert ask(client, "hal@example.test").status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 0


def test_a_reset_verifies_the_address(client, make_user):
    user = make_user("sme", email="jo@example.test")
    user.email_verified_at = None
    db.session.commit()
    ask(client, "jo@example.test")
    choose(client, mailed_link("jo@example.test"))
    db.session.expire_all()
    assert db.session.get(User, user.id).email_verified_at is not None

