"""Hostile text in every free-text field is stored verbatim and shown escaped on every page.

One world where each text a user can type — profile names and texts, certifications, an
introduction's message, a decline's note, feedback and review comments, a token's name —
carries script and SQL injection; then every page that shows them is read as each party.
"""

import pytest

from tests.factories import login
from tests.intro_factories import act, make_party, request_intro

HOSTILE = ("<script>alert('x')</script><img src=x onerror=alert(1)>"
           "'; DROP TABLE profiles; -- \" onmouseover=\"alert(2)")
SHORT = "<script>alert('c')</script>'; DROP TABLE profiles; --"  # within 100 characters
RAW_MARKUP = ("<script>alert", "<img src=x", '" onmouseover="')


@pytest.fixture
def world(app, client, as_role):
    sme = make_party(client, as_role, "sme", name=f"Taller {HOSTILE}", description=HOSTILE,
                     needs_text=HOSTILE, products_text=HOSTILE, certifications=[SHORT])
    mentor = make_party(client, as_role, "mentor", name=f"Mentora {HOSTILE}", bio=HOSTILE)
    other = make_party(client, as_role, "sme", name=f"Otro {HOSTILE}")
    coordinator, staff = as_role("coordinator")
    accepted = request_intro(client, sme, mentor, message=HOSTILE)
    assert act(client, mentor, accepted["id"], "accept").status_code == 200
    assert act(client, sme, accepted["id"], "feedback", rating=4,
               comment=HOSTILE).status_code in (200, 201)
    assert client.post(f"/api/v1/introductions/{accepted['id']}/review", headers=staff,
                       json={"rating": 2, "comment": HOSTILE}).status_code in (200, 201)
    declined = request_intro(client, other, mentor, message=HOSTILE)
    assert act(client, mentor, declined["id"], "decline", reason_code="other",
               reason_text=HOSTILE).status_code == 200
    return {"sme": sme, "mentor": mentor, "other": other, "coordinator": coordinator,
            "staff": staff, "accepted": accepted, "declined": declined}


def _page_as(app, user_email: str, path: str) -> str:
    client = app.test_client()
    assert login(client, user_email).status_code == 302
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def _assert_escaped(html: str, where: str) -> None:
    for raw in RAW_MARKUP:
        assert raw not in html, f"{raw!r} unescaped on {where}"
    assert "&lt;script&gt;alert(" in html, f"the hostile text is missing from {where}"


def test_the_api_returns_the_text_verbatim(client, world):
    sme, mentor = world["sme"], world["mentor"]
    profile = client.get(f"/api/v1/smes/{sme.id}", headers=sme.headers).get_json()
    assert profile["description"] == profile["needs_text"] == profile["products_text"] == HOSTILE
    assert profile["certifications"] == [SHORT]
    intro = client.get(f"/api/v1/introductions/{world['accepted']['id']}",
                       headers=mentor.headers).get_json()
    assert intro["message"] == HOSTILE


def test_every_page_shows_the_text_escaped(app, client, world, make_user):
    from models import User, db

    def email(party) -> str:
        return db.session.get(User, party.user_id).email

    sme, mentor, other = world["sme"], world["mentor"], world["other"]
    coordinator = world["coordinator"].email
    pages = [
        (email(sme), "/profile"), (email(sme), f"/profiles/{sme.id}"),
        (email(sme), "/introductions"), (email(sme), "/matches?kind=mentor"),
        (email(mentor), "/introductions"), (email(mentor), f"/profiles/{sme.id}"),
        (email(mentor), "/matches"), (email(other), "/introductions"),
        (coordinator, "/dashboard"), (coordinator, "/profiles?kind=sme"),
        (coordinator, f"/profiles/{sme.id}"), (coordinator, f"/profiles/{mentor.id}"),
    ]
    for user_email, path in pages:
        _assert_escaped(_page_as(app, user_email, path), f"{path} as {user_email}")


def test_a_hostile_token_name_is_shown_escaped(app, client, world):
    from models import User, db

    user_email = db.session.get(User, world["sme"].user_id).email
    response = client.post("/api/v1/auth/tokens", json={
        "email": user_email, "password": "correct horse battery", "name": SHORT})
    assert response.status_code == 201, response.get_json()
    _assert_escaped(_page_as(app, user_email, "/account"), "/account")


def test_a_cohort_page_shows_hostile_names_escaped(app, client, world):
    sme, mentor = world["sme"], world["mentor"]
    response = client.post("/api/v1/cohorts", headers=world["staff"], json={
        "smes": {"ids": [sme.id, world["other"].id]}, "mentors": {"ids": [mentor.id]}})
    assert response.status_code == 201, response.get_json()
    html = _page_as(app, world["coordinator"].email, f"/cohorts/{response.get_json()['id']}")
    _assert_escaped(html, "the cohort page")
