"""Coordinator dashboard (webapp/ui/dashboard.py)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from models import Introduction, db
from tests.factories import csrf_token, login, row_counts
from tests.ui.helpers import text_of
from tests.ui.test_profiles import make_profile
from webapp.services import introduction_states as states
from webapp.services import introductions as service


@pytest.fixture
def intros(make_user):
    """Two SMEs asking one mentor: one accepted, one waiting for ten days."""
    mentor = make_user("mentor")
    make_profile(mentor, "mentor")
    ids = []
    for name in ("Autopartes A", "Autopartes B"):
        sme = make_user("sme")
        make_profile(sme, "sme", name=name)
        ids.append(service.create_introduction(sme, {"target_id": mentor.profile.id}).id)
    states.accept(mentor, ids[0])
    old = db.session.get(Introduction, ids[1])
    old.created_at = old.created_at - timedelta(days=10)
    db.session.commit()
    return ids


def review(client, intro_id, **data):
    data["csrf_token"] = csrf_token(client, "/dashboard")
    return client.post(f"/dashboard/{intro_id}/review", data=data,
                       headers={"Accept-Language": "en"})


@pytest.mark.parametrize("role", ["sme", "mentor", "buyer"])
def test_only_staff_see_the_dashboard(client, signed_in, role):
    signed_in(role)
    assert client.get("/dashboard").status_code == 403
    assert client.post("/dashboard/1/review").status_code in (400, 403)


def test_dashboard_shows_counts_rate_stale_and_reasons(client, signed_in, intros):
    signed_in("coordinator")
    response = client.get("/dashboard", headers={"Accept-Language": "en"})
    html = response.get_data(True)
    text = text_of(html)
    assert response.status_code == 200
    assert "Requested: 1" in text and "Accepted: 1" in text
    assert "100%" in text  # one accepted, none declined
    assert f'href="/introductions/{intros[1]}"' in html.split('id="stale"')[1].split("</ul>")[0]
    assert 'class="reasons"' in html
    assert 'href="/profiles/' in html
    assert "rosa@mentor.example" not in html and "ventas@autopartes.example" not in html


def test_state_filter(client, signed_in, intros):
    signed_in("coordinator")
    html = client.get("/dashboard?state=accepted").get_data(True)
    assert f'id="introduction-{intros[0]}"' in html
    assert f'id="introduction-{intros[1]}"' not in html


@pytest.mark.parametrize("lang, counts", [
    ("es", ["Solicitada: 1", "Aceptada: 1", "Concluida: 0", "Tasa de aceptación: 100%"]),
    ("fr", ["Demandée : 1", "Acceptée : 1", "Terminée : 0", "Taux d’acceptation : 100 %"]),
])
def test_counts_by_state_read_as_a_label_and_its_figure(client, signed_in, intros, lang,
                                                        counts):
    """A state's label is one introduction's ("Aceptada"): put after a figure it read
    "0 Concluida", "87 Acceptée"; as a label before its figure it reads right at any count."""
    signed_in("coordinator")
    for path in ("/dashboard", "/"):
        text = text_of(client.get(f"{path}?lang={lang}").get_data(True))
        text = re.sub("[\u00a0\u202f]", " ", text)
        assert all(count in text for count in counts), (path, text)
        assert "0 Concluida" not in text and "0 Terminée" not in text


def test_every_state_the_filter_offers_is_accepted(client, signed_in, intros):
    signed_in("coordinator")
    html = client.get("/dashboard").get_data(True)
    select = html.split('name="state"')[1].split("</select>")[0]
    offered = re.findall(r'<option value="(\w+)"', select)
    assert offered and "party_left" not in offered  # a requester's reading, not a state
    for state in offered:
        assert client.get(f"/dashboard?state={state}").status_code == 200, state


def test_a_bad_filter_is_said_next_to_its_field_and_dropped(client, signed_in, intros):
    signed_in("admin")
    response = client.get("/dashboard?state=nope&kind=x", headers={"Accept-Language": "en"})
    html = response.get_data(True)
    assert response.status_code == 422
    assert all(f'id="introduction-{i}"' in html for i in intros)
    for name in ("state", "kind"):
        assert f'id="{name}-error"' in html and f'aria-describedby="{name}-error"' in html
    assert "Choose one of the options." in html
    assert client.get("/dashboard?state=accepted&kind=").status_code == 200


def test_review_is_saved_once(client, signed_in, intros):
    signed_in("coordinator")
    response = review(client, intros[0], rating="4", comment="Buen avance", flag="y")
    assert response.status_code == 302
    intro = db.session.get(Introduction, intros[0])
    assert [(r.rating, r.comment, r.flag) for r in intro.reviews] == [(4, "Buen avance", True)]
    html = client.get("/dashboard").get_data(True)
    assert f"/dashboard/{intros[0]}/review" not in html and "Flagged" in html
    before = row_counts()
    assert review(client, intros[0], rating="2").status_code == 302
    assert row_counts() == before


@pytest.mark.parametrize("rating", ["", "0", "6", "x"])
def test_bad_rating_is_shown_by_the_field(client, signed_in, intros, rating):
    signed_in("coordinator")
    before = row_counts()
    response = review(client, intros[0], rating=rating)
    assert response.status_code == 422
    assert f'id="rating-{intros[0]}-error"' in response.get_data(True)
    assert row_counts() == before


def test_unknown_introduction_is_404(client, signed_in, intros):
    signed_in("coordinator")
    assert review(client, 9999, rating="3").status_code == 404


def test_staff_are_sent_from_the_inbox_to_the_dashboard(client, signed_in):
    signed_in("coordinator")
    assert client.get("/introductions").location.endswith("/dashboard")


def test_dashboard_in_navigation_for_staff(client, make_user):
    user = make_user("coordinator")
    login(client, user.email)
    assert 'href="/dashboard"' in client.get("/profiles").get_data(True)


def test_dashboard_pages_through_every_introduction(client, signed_in, intros, monkeypatch):
    from webapp.ui import dashboard

    monkeypatch.setattr(dashboard, "DASHBOARD_SIZE", 1)  # two introductions, one a page
    signed_in("coordinator")
    first = client.get("/dashboard", headers={"Accept-Language": "en"}).get_data(True)
    second = client.get("/dashboard?page=2", headers={"Accept-Language": "en"}).get_data(True)
    assert f'id="introduction-{intros[0]}"' in first and "Page 1 of 2" in text_of(first)
    assert f'id="introduction-{intros[1]}"' in second and "Page 2 of 2" in text_of(second)
    assert 'href="/dashboard?page=2"' in first and 'href="/dashboard?page=1"' in second
    for bad in ("0", "-1", "abc", "9999999"):
        html = client.get(f"/dashboard?page={bad}").get_data(True)
        assert f'id="introduction-{intros[0]}"' in html  # read as the first page
    review_form = second.split('class="feedback" action="')[1].split('"')[0]
    assert "page=2" in review_form  # a review brings the coordinator back to the same page


def test_dashboard_rate_counts_expired_requests_as_the_metrics_do(client, signed_in, intros):
    old = db.session.get(Introduction, intros[1])
    old.state = "expired"
    db.session.commit()
    signed_in("coordinator")
    text = text_of(client.get("/dashboard", headers={"Accept-Language": "en"}).get_data(True))
    assert "Acceptance rate: 50%" in text  # one accepted of two decided (accepted, expired)


def test_a_review_posted_with_url_keywords_keeps_only_the_filters(client, signed_in, intros):
    signed_in("coordinator")
    data = {"rating": "4", "csrf_token": csrf_token(client, "/dashboard")}
    response = client.post(f"/dashboard/{intros[0]}/review?state=accepted&_scheme=javascript"
                           "&_anchor=x", data=data, headers={"Accept-Language": "en"})
    assert response.status_code == 302
    assert response.location.endswith("/dashboard?state=accepted")
