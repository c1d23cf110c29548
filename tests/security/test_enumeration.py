"""Issue 15 #6: neither sign-up nor sign-in tells anyone whether an address is registered —
not by the status, the headers, the body, the cookie or the time taken. The owner of an
address someone tried to sign up with is told, by e-mail."""

from __future__ import annotations

import base64
import json
import re
import statistics
import time

from models import User, db
from tests.factories import csrf_token, login
from tests.intro_factories import outbox

PASSWORD = "tamales de elote 1987"


def sign_up(client, email: str):
    return client.post("/signup", data={"role": "sme", "email": email, "password": PASSWORD,
                                        "locale": "es", "csrf_token": csrf_token(client,
                                                                                 "/signup")})


def session_of(response) -> dict:
    """Return what the session cookie set by the answer holds (it is signed, not secret)."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith("session="):
            value = header.split(";")[0].removeprefix("session=")
            payload = value.lstrip(".").split(".")[0]
            raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
            if value.startswith("."):
                import zlib

                raw = zlib.decompress(raw)
            return {k: v for k, v in json.loads(raw).items() if k != "csrf_token"}
    return {}


def answer(response, email: str = "") -> tuple:
    """Return what a visitor can read of an answer, the address they typed and the (random)
    CSRF token left out."""
    body = re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "", response.get_data(as_text=True))
    return (response.status_code, response.headers.get("Location"),
            body.replace(email, "EMAIL") if email else body, sorted(session_of(response)))


def test_sign_up_answers_the_same_for_a_new_and_a_registered_address(app, make_user):
    owner = make_user("buyer", email="taken@example.test", locale="fr")
    registered = sign_up(app.test_client(), "Taken@example.test")
    new = sign_up(app.test_client(), "fresh@example.test")
    assert answer(registered) == answer(new)
    assert registered.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(User.id))) == 2  # the owner, the new one
    assert db.session.get(User, owner.id).role == "buyer"  # untouched


def test_the_owner_of_a_registered_address_is_told_and_the_newcomer_welcomed(app, make_user):
    owner = make_user("buyer", email="taken@example.test", locale="fr")
    sign_up(app.test_client(), "taken@example.test")
    sign_up(app.test_client(), "fresh@example.test")
    told = outbox(owner.id)
    assert [m.template for m in told] == ["signup_attempt"]
    assert told[0].locale == "fr" and told[0].to_address == "taken@example.test"
    assert PASSWORD not in told[0].body
    fresh = db.session.scalar(db.select(User).where(User.email == "fresh@example.test"))
    assert [m.template for m in outbox(fresh.id)] == ["welcome"]


def test_a_new_account_logs_in_with_the_password_it_chose(app):
    client = app.test_client()
    response = sign_up(client, "fresh@example.test")
    assert client.get("/api/v1/me").status_code == 401  # not signed in by the sign-up itself
    assert response.headers["Location"].startswith("/login")
    assert login(client, "fresh@example.test", PASSWORD).status_code == 302
    assert client.get("/api/v1/me").get_json()["email"] == "fresh@example.test"


def test_sign_up_takes_as_long_for_a_registered_address(app, make_user):
    make_user("buyer", email="taken@example.test")
    timings = {"registered": [], "new": []}
    for i in range(6):
        for kind, email in (("registered", "taken@example.test"),
                            ("new", f"fresh{i}@example.test")):
            client = app.test_client()
            token = csrf_token(client, "/signup")
            started = time.perf_counter()
            client.post("/signup", data={"role": "sme", "email": email, "password": PASSWORD,
                                         "locale": "en", "csrf_token": token})
            timings[kind].append(time.perf_counter() - started)
    registered, new = (statistics.median(timings[k]) for k in ("registered", "new"))
    assert 0.5 < registered / new < 2, timings


def test_sign_in_answers_the_same_for_a_wrong_password_and_an_unknown_address(app, make_user):
    make_user("sme", email="known@example.test")
    known = app.test_client().post("/api/v1/auth/tokens", json={
        "email": "known@example.test", "password": "wrong horse battery"})
    unknown = app.test_client().post("/api/v1/auth/tokens", json={
        "email": "unknown@example.test", "password": "wrong horse battery"})
    assert (known.status_code, known.get_json()) == (unknown.status_code, unknown.get_json())
    emails = ("known@example.test", "unknown@example.test")
    page = [login(app.test_client(), email, "wrong horse battery") for email in emails]
    assert answer(page[0], emails[0]) == answer(page[1], emails[1])
