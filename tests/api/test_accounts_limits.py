"""E-mails sent on request — the verification link again, a password-reset link — are limited
per account as well as per address (webapp/ratelimits.py): from many addresses, one account
still gets no more than its budget, page and API together; and the reset request answers an
unknown address exactly as a registered one, over the limit too."""

from __future__ import annotations

import pytest

from models import OutboxMessage, db
from tests.conftest import PASSWORD, FreshContextClient
from tests.factories import app_config, csrf_token, login
from webapp import create_app
from webapp.services import accounts

LIMIT = 3


@pytest.fixture
def limited(app, database_url):
    """An app with the limits on, ``LIMIT`` an hour for resending and for reset requests."""
    limited = create_app({**app_config(database_url), "RATELIMIT_ENABLED": True,
                          "PUENTE_VERIFY_LIMIT": f"{LIMIT} per hour",
                          "PUENTE_RESET_LIMIT": f"{LIMIT} per hour",
                          "PUENTE_SIGNUP_LIMIT": f"{LIMIT} per hour"})
    limited.test_client_class = FreshContextClient
    with limited.app_context():
        limited.extensions["puente.limiter"].reset()
        yield limited
        db.session.remove()
        limited.extensions["puente.limiter"].reset()
        db.engine.dispose()


def address(n: int) -> dict:
    return {"environ_base": {"REMOTE_ADDR": f"203.0.113.{n}"}}


def sent(template: str) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage).where(
        OutboxMessage.template == template))


def test_the_verification_link_reaches_an_account_at_most_its_budget_from_any_address(
        limited):
    user = accounts.sign_up("new@example.test", PASSWORD, "sme")
    _, secret = accounts.issue_token(user)
    browser = limited.test_client()
    assert login(browser, "new@example.test").status_code == 302
    welcome = sent("verify_email")
    statuses = []
    for n in range(8):  # from eight addresses, by the API and the account page in turn
        if n % 2:
            response = limited.test_client().post(
                "/api/v1/me/verification", headers={"Authorization": f"Bearer {secret}"},
                **address(n))
        else:
            response = browser.post("/account/verification", data={
                "csrf_token": csrf_token(browser, "/account")}, **address(n))
        statuses.append(response.status_code)
    assert statuses == [302, 202, 302] + [429] * 5
    assert sent("verify_email") - welcome == LIMIT


def reset_requests(limited, email: str) -> list[tuple]:
    """Ask for a reset link for ``email`` from five addresses, page and API in turn (the
    address typed in several cases); return what each answer showed."""
    answers = []
    for n in range(5):
        client = limited.test_client()
        typed = email.upper() if n % 3 == 1 else email
        if n % 2:
            response = client.post("/api/v1/auth/password-reset", json={"email": typed},
                                   **address(n))
            shown = response.get_json()
        else:
            response = client.post("/password/forgot", data={
                "email": typed, "csrf_token": csrf_token(client, "/password/forgot")},
                **address(n))
            shown = response.headers.get("Location")
        answers.append((response.status_code, shown, "Retry-After" in response.headers))
    return answers


def test_reset_links_reach_an_account_at_most_its_budget_from_any_address(limited,
                                                                           make_user):
    make_user("sme", email="ivy@example.test")
    answers = reset_requests(limited, "ivy@example.test")
    assert [status for status, *_ in answers] == [302, 202, 302, 429, 429]
    assert sent("password_reset") == LIMIT


def test_an_unknown_address_gets_the_same_answers_over_the_limit_too(limited, make_user):
    make_user("sme", email="ivy@example.test")
    registered = reset_requests(limited, "ivy@example.test")
    unknown = reset_requests(limited, "nobody@example.test")
    assert unknown == registered
    assert sent("password_reset") == LIMIT  # the unknown address got none, as always


def test_another_account_keeps_its_own_budget(limited, make_user):
    make_user("sme", email="ivy@example.test")
    make_user("sme", email="other@example.test")
    reset_requests(limited, "ivy@example.test")
    answer = limited.test_client().post("/api/v1/auth/password-reset",
                                        json={"email": "other@example.test"}, **address(9))
    assert answer.status_code == 202


def sign_ups(limited, email: str) -> list[tuple]:
    """Sign up with ``email`` from five addresses (in capitals in some); return what each
    answer showed."""
    answers = []
    for n in range(5):
        client = limited.test_client()
        response = client.post("/signup", data={
            "role": "mentor", "email": email.upper() if n % 2 else email,
            "password": "tamales de elote 1987", "locale": "en",
            "csrf_token": csrf_token(client, "/signup")}, **address(n))
        answers.append((response.status_code, response.headers.get("Location"),
                        "Retry-After" in response.headers))
    return answers


def test_sign_up_notices_reach_an_account_at_most_its_budget_from_any_address(limited,
                                                                               make_user):
    # Each sign-up with a registered address e-mails its owner "someone tried to sign up":
    # from many addresses, as many e-mails as attempts.
    make_user("sme", email="ivy@example.test")
    registered = sign_ups(limited, "ivy@example.test")
    assert [status for status, *_ in registered] == [302, 302, 302, 429, 429]
    assert sent("signup_attempt") == LIMIT
    # a new address is answered alike, over the limit too (its welcome, once)
    assert sign_ups(limited, "newcomer@example.test") == registered
    assert sent("welcome") == 1 and sent("signup_attempt") == LIMIT + 2
