"""A password of only spaces is no password, through every door (issue 7's password policy):
the API refuses it 422 naming the field with the pages' words ("This field is required."),
wherever a password is chosen or given; a password that merely has spaces is kept as typed."""

from __future__ import annotations

import re

import pytest

from models import OutboxMessage, db
from tests.conftest import PASSWORD
from tests.factories import csrf_token, login, row_counts
from webapp.services.passwords import password_problem

BLANKS = [" " * 8, " " * 40, "\t" * 9, "\u00a0" * 10, "  \n\t  \r\n  "]
REQUIRED = "This field is required."


@pytest.mark.parametrize("password", BLANKS)
def test_the_policy_refuses_a_password_that_is_empty_once_stripped(password):
    problem = password_problem(password, "ana@example.test")
    assert problem is not None and problem.code == "required"


@pytest.mark.parametrize("password", ["  tortillas de harina  ", " maple syrup and poutine",
                                      "tamales de elote 1987 "])
def test_a_password_with_spaces_around_it_is_kept_as_typed(client, as_role, password):
    user, headers = as_role("sme")
    response = client.post("/api/v1/me/password", headers=headers,
                           json={"current_password": PASSWORD, "new_password": password})
    assert response.status_code == 204, response.get_json()
    assert client.post("/api/v1/auth/tokens", json={
        "email": user.email, "password": password}).status_code == 201
    assert client.post("/api/v1/auth/tokens", json={
        "email": user.email, "password": password.strip()}).status_code == 401
    assert login(client, user.email, password).status_code == 302


def refused_field(response, field: str) -> str:
    """Return the message of the one problem of the field in a 422 envelope."""
    assert response.status_code == 422, response.get_json()
    [problem] = response.get_json()["error"]["fields"][field]
    assert problem["code"] == "required"
    return problem["message"]


@pytest.mark.parametrize("password", BLANKS[:2])
def test_changing_to_a_blank_password_is_422_and_changes_nothing(client, as_role, password):
    user, headers = as_role("sme")
    before = row_counts()
    response = client.post("/api/v1/me/password", headers=headers,
                           json={"current_password": PASSWORD, "new_password": password})
    assert refused_field(response, "new_password") == REQUIRED
    assert row_counts() == before
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # token kept
    assert client.post("/api/v1/auth/tokens", json={
        "email": user.email, "password": PASSWORD}).status_code == 201


def test_a_reset_to_a_blank_password_is_422_and_the_link_still_works(client, make_user):
    user = make_user("sme")
    assert client.post("/api/v1/auth/password-reset", json={"email": user.email}).status_code \
        == 202
    body = db.session.scalar(db.select(OutboxMessage.body).where(
        OutboxMessage.template == "password_reset"))
    token = re.search(r"/password/reset/(\S+)", body).group(1)
    url = "/api/v1/auth/password-reset/confirm"
    before = row_counts()
    response = client.post(url, json={"token": token, "new_password": " " * 12})
    assert refused_field(response, "new_password") == REQUIRED
    assert row_counts() == before
    assert client.post(url, json={"token": token,
                                  "new_password": "a brand new passphrase"}).status_code == 204


@pytest.mark.parametrize("path, body, field", [
    ("/api/v1/auth/tokens", {"email": "{email}", "password": " " * 21}, "password"),
    ("/api/v1/me/password", {"current_password": " " * 21,
                             "new_password": "a brand new passphrase"}, "current_password"),
])
def test_a_blank_password_given_to_the_api_is_refused_as_the_login_page_does(
        app, client, as_role, path, body, field):
    user, headers = as_role("sme")
    page = app.test_client()
    refused = login(page, user.email, " " * 21)
    assert refused.status_code == 422 and REQUIRED in refused.get_data(as_text=True)
    before = row_counts()
    body = {k: v.format(email=user.email) for k, v in body.items()}
    response = client.post(path, headers=headers, json=body)
    assert refused_field(response, field) == REQUIRED
    assert row_counts() == before


def test_deleting_the_account_with_a_blank_password_is_422(client, as_role):
    _, headers = as_role("sme")
    before = row_counts()
    response = client.delete("/api/v1/me", headers=headers, json={"password": " " * 9})
    assert refused_field(response, "password") == REQUIRED
    assert row_counts() == before


def test_the_command_line_refuses_a_blank_password(runner):
    before = row_counts()
    result = runner.invoke(args=["create-user", "a@example.test", "--role", "sme",
                                 "--password", " " * 12])
    assert result.exit_code != 0 and "required" in result.output
    assert row_counts() == before


def test_the_sign_up_page_refuses_it_alike(client):
    before = row_counts()
    response = client.post("/signup", data={
        "role": "sme", "email": "nuevo@example.test", "password": " " * 12, "locale": "en",
        "csrf_token": csrf_token(client, "/signup")})
    assert response.status_code == 422 and REQUIRED in response.get_data(as_text=True)
    assert row_counts() == before


@pytest.mark.parametrize("method, path, body, field", [
    ("post", "/api/v1/auth/tokens", {"email": "{email}", "password": ""}, "password"),
    ("post", "/api/v1/me/password", {"current_password": "",
                                     "new_password": "a brand new passphrase"},
     "current_password"),
    ("delete", "/api/v1/me", {"password": ""}, "password"),
])
def test_an_empty_password_is_refused_once_not_twice(client, as_role, method, path, body,
                                                      field):
    """An empty password is one missing field: one problem, not the same one twice."""
    user, headers = as_role("sme")
    before = row_counts()
    body = {k: v.format(email=user.email) for k, v in body.items()}
    response = getattr(client, method)(path, headers=headers, json=body)
    assert refused_field(response, field) == REQUIRED
    assert row_counts() == before
