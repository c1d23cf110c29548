"""A NUL character (which PostgreSQL cannot store) anywhere in a request is a 422 naming the
field, never a 500, and writes nothing — in the API and on the pages."""

import pytest

from tests.factories import csrf_token, login, row_counts
from tests.intro_factories import act, make_party, request_intro

NUL = "a\x00b"


@pytest.mark.parametrize("body, field", [
    ({"name": NUL}, "name"),
    ({"email": NUL, "password": "x"}, "email"),
])
def test_token_request_with_nul_is_422(client, make_user, body, field):
    user = make_user("sme")
    before = row_counts()
    response = client.post("/api/v1/auth/tokens", json={
        "email": user.email, "password": "correct horse battery", **body})
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert row_counts() == before


def test_cohort_filter_with_nul_is_422(client, as_role):
    _, staff = as_role("coordinator")
    before = row_counts()
    response = client.post("/api/v1/cohorts", headers=staff, json={
        "smes": {"filter": {"city": NUL, "sector": "31\x00"}}, "mentors": {"filter": {}}})
    assert response.status_code == 422, response.get_json()
    assert set(response.get_json()["error"]["fields"]) & {"smes.filter.sector", "smes"}
    assert row_counts() == before


@pytest.mark.parametrize("path", ["/api/v1/smes?country=M%00X", "/api/v1/introductions?state=a%00",
                                  "/api/v1/metrics?country=U%00S", "/api/v1/smes?q%00=x"])
def test_query_with_nul_is_422(client, as_role, path):
    _, staff = as_role("coordinator")
    response = client.get(path, headers=staff)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["fields"]


def test_token_form_with_nul_shows_the_error_next_to_the_name(client, make_user):
    user = make_user("sme")
    login(client, user.email)
    before = row_counts()
    response = client.post("/account/tokens", data={
        "name": NUL, "csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="name-error"' in html or "This value is not valid." in html
    assert row_counts() == before


def test_review_form_with_nul_shows_the_error_next_to_the_comment(client, as_role):
    sme = make_party(client, as_role, "sme")
    mentor = make_party(client, as_role, "mentor")
    intro = request_intro(client, sme, mentor)
    assert act(client, mentor, intro["id"], "accept").status_code == 200
    coordinator, _ = as_role("coordinator")
    login(client, coordinator.email)
    before = row_counts()
    response = client.post(f"/dashboard/{intro['id']}/review", data={
        "rating": "4", "comment": NUL, "csrf_token": csrf_token(client, "/dashboard")})
    assert response.status_code == 422
    assert "This value is not valid." in response.get_data(as_text=True)
    assert row_counts() == before
