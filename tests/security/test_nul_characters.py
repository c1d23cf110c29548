"""A NUL character (which PostgreSQL cannot store) anywhere in a request is a 422 naming the
field, never a 500, and writes nothing — in the API and on the pages."""

import pytest

from tests.factories import csrf_token, login, payload, row_counts
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


# -- issue 15 #3: one rule for every text, in every transport ----------------------------------
# A lone UTF-16 surrogate ("\ud800" in JSON) is not text: it cannot be encoded, hashed or stored.

SURROGATE_BODIES = [
    (b'{"email": "a@example.test", "password": "\\ud800"}', "password"),
    (b'{"email": "\\udfff@example.test", "password": "x"}', "email"),
    (b'{"email": "a@example.test", "password": "x", "name": "k\\ud83d"}', "name"),
    (b'{"email": "a@example.test", "password": "x", "\\ud800": 1}', "\\ud800"),
]


@pytest.mark.parametrize("raw, field", SURROGATE_BODIES)
def test_lone_surrogate_in_an_anonymous_token_request_is_422(client, raw, field):
    before = row_counts()
    response = client.post("/api/v1/auth/tokens", data=raw,
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert field in response.get_json()["error"]["fields"]
    assert row_counts() == before


def test_lone_surrogate_in_a_profile_is_422_naming_the_nested_field(client, as_role):
    import json

    _, headers = as_role("sme")
    body = json.dumps(payload("sme", certifications=["ISO 9001", "x"])).replace(
        '"x"', '"\\ud800"').encode()
    before = row_counts()
    response = client.post("/api/v1/smes", data=body,
                           headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert "certifications.1" in response.get_json()["error"]["fields"]
    assert row_counts() == before


def test_a_well_formed_pair_of_surrogates_is_text(client, as_role):
    import json

    _, headers = as_role("sme")
    body = json.dumps(payload("sme", name="Tacos 🌮")).encode()  # "\ud83c\udf2e" in JSON
    assert b"\\ud83c\\udf2e" in body
    response = client.post("/api/v1/smes", data=body,
                           headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 201 and response.get_json()["name"] == "Tacos 🌮"


def test_nul_in_a_chunked_body_is_422(client, make_user):
    """A body sent in chunks (no Content-Length) is checked like any other."""
    import io
    import json

    user = make_user("sme")
    raw = json.dumps({"email": user.email, "password": "correct horse battery",
                      "name": NUL}).encode()
    before = row_counts()
    response = client.post("/api/v1/auth/tokens", input_stream=io.BytesIO(raw),
                           environ_overrides={"wsgi.input_terminated": True,
                                              "CONTENT_LENGTH": ""},
                           headers={"Content-Type": "application/json",
                                    "Transfer-Encoding": "chunked"})
    assert response.request.content_length is None
    assert response.status_code == 422, response.get_data(as_text=True)
    assert "name" in response.get_json()["error"]["fields"]
    assert row_counts() == before


@pytest.mark.parametrize("path, form, field", [
    ("/login", {"email": "a\x00@example.test", "password": "correct horse battery"}, "email"),
    ("/login", {"email": "a@example.test", "password": "pass\x00word"}, "password"),
    ("/signup", {"role": "sme", "email": "new\x00@example.test",
                 "password": "tamales de elote 1987", "locale": "es"}, "email"),
    ("/signup", {"role": "sme", "email": "new@example.test",
                 "password": "tamales de\x00elote 1987", "locale": "es"}, "password"),
])
def test_nul_in_the_sign_in_and_sign_up_forms_is_shown_by_the_field(client, path, form, field):
    before = row_counts()
    response = client.post(path, data={**form, "csrf_token": csrf_token(client, path)})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and "This value is not valid." in html
    assert row_counts() == before


def test_every_page_form_applies_the_text_rule():
    """No form can forget the rule: every page form is a StorableForm."""
    import flask_wtf

    import webapp.ui  # noqa: F401 - registers every form class
    from webapp.ui.forms import StorableForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    forms = [c for c in subclasses(flask_wtf.FlaskForm) if c.__module__.startswith("webapp.")]
    assert len(forms) > 10
    assert [c.__name__ for c in forms if not issubclass(c, StorableForm)] == []


PAGE_QUERIES = ["/profiles?kind=sme&q=Auto%00", "/profiles?kind=sme&country=M%00X",
                "/dashboard?state=a%00", "/dashboard?kind=%00&page=%00",
                "/dashboard/metrics?country=U%00S&from=%00", "/dashboard/metrics.csv?to=%00",
                "/dashboard/introductions.csv?country=%00", "/introductions?page=1%00",
                "/matches?country=M%00X&kind=%00", "/login?next=/%00", "/cohorts?page=%00",
                "/?lang=e%00s"]


@pytest.mark.parametrize("path", PAGE_QUERIES)
def test_a_nul_in_a_page_query_is_never_a_server_error(app, make_user, path):
    for role in ("admin", "sme"):
        user = make_user(role)
        client = app.test_client()
        login(client, user.email)
        response = client.get(path)
        assert response.status_code < 500, (role, path)
