"""Program metrics computed on a hand-built set of introductions, checked exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models import Introduction, Profile, db
from models.introductions import pair_key
from tests.factories import payload

URL = "/api/v1/metrics"
T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
PLACES = {"MX": ("MX-CHH", "Ciudad Juárez", 31.69, -106.42),
          "CA": ("CA-ON", "Toronto", 43.65, -79.38), "US": ("US-TX", "El Paso", 31.76, -106.49)}


@pytest.fixture
def staff(as_role):
    return as_role("coordinator")[1]


def _profile(client, staff, kind, country, **changes) -> int:
    subdivision, city, lat, lon = PLACES[country]
    response = client.post(f"/api/v1/{kind}s", headers=staff, json=payload(
        kind, country=country, subdivision=subdivision, city=city, latitude=lat,
        longitude=lon, **changes))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


@pytest.fixture
def program(client, staff):
    """Three SMEs, two mentors and six introductions, one in each state."""
    a = _profile(client, staff, "sme", "MX", ownership=["women"])
    b = _profile(client, staff, "sme", "MX", ownership=[])
    c = _profile(client, staff, "sme", "CA", ownership=["indigenous", "women"])
    m1 = _profile(client, staff, "mentor", "US", capacity=3)
    m2 = _profile(client, staff, "mentor", "MX", capacity=2)
    db.session.get(Profile, m1).active_count = 2
    db.session.get(Profile, m2).active_count = 2
    rows = [  # requester, target, state, score, hours to answer
        (a, m1, "accepted", 0.85, 2), (b, m1, "declined", 0.82, 4),
        (c, m1, "completed", 0.35, 10), (a, m2, "expired", 0.25, None),
        (b, m2, "requested", 0.5, None), (c, m2, "withdrawn", 0.9, None),
    ]
    for requester, target, state, score, hours in rows:
        db.session.add(Introduction(
            kind="sme_mentor", state=state, requester_id=requester, target_id=target,
            pair_key=pair_key(requester, target), created_at=T0, updated_at=T0, score=score,
            responded_at=T0 + timedelta(hours=hours) if hours is not None else None))
    db.session.commit()


def test_metrics_figures(client, staff, program):
    response = client.get(URL, headers=staff)
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["introductions"] == 6
    assert data["by_state"] == {s: 1 for s in (
        "requested", "accepted", "completed", "declined", "withdrawn", "expired")}
    assert data["acceptance_rate"] == 0.5
    assert data["median_hours_to_answer"] == 4.0
    assert [(d["decile"], d["decided"], d["accepted"], d["acceptance_rate"])
            for d in data["acceptance_by_score_decile"]] == [
        (2, 1, 0, 0.0), (3, 1, 1, 1.0), (8, 2, 1, 0.5)]
    assert data["cross_border"] == {"share": 0.6667, "by_country_pair": {
        "CA-MX": {"introductions": 1, "share": 0.1667},
        "CA-US": {"introductions": 1, "share": 0.1667},
        "MX-MX": {"introductions": 2, "share": 0.3333},
        "MX-US": {"introductions": 2, "share": 0.3333}}}
    assert data["acceptance_by_sme_country"] == {
        "CA": {"decided": 1, "accepted": 1, "acceptance_rate": 1.0},
        "MX": {"decided": 3, "accepted": 1, "acceptance_rate": 0.3333}}
    assert data["acceptance_by_ownership"] == {
        "indigenous": {"decided": 1, "accepted": 1, "acceptance_rate": 1.0},
        "none": {"decided": 1, "accepted": 0, "acceptance_rate": 0.0},
        "women": {"decided": 3, "accepted": 2, "acceptance_rate": 0.6667}}
    assert data["mentor_utilisation"] == {"mentors": 2, "capacity": 5, "load": 4,
                                          "utilisation": 0.8, "full": 1}
    assert data["model"] is None


@pytest.mark.parametrize("query, count", [
    ("country=CA", 2), ("kind=sme_mentor", 6), ("kind=mentor_sme", 0),
    ("from=2026-03-02", 0), ("to=2026-03-01", 6), ("from=2026-03-01&to=2026-03-01", 6),
    ("to=2026-02-28", 0),
])
def test_metrics_filters(client, staff, program, query, count):
    response = client.get(f"{URL}?{query}", headers=staff)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["introductions"] == count


def test_metrics_with_nothing_decided(client, staff):
    data = client.get(URL, headers=staff).get_json()
    assert data["introductions"] == 0 and data["acceptance_rate"] is None
    assert data["median_hours_to_answer"] is None and data["cross_border"]["share"] is None


@pytest.mark.parametrize("query, field", [
    ("from=yesterday", "from"), ("country=FR", "country"), ("kind=x", "kind"),
    ("from=2026-03-02&to=2026-03-01", "to"), ("colour=red", "colour"),
])
def test_bad_filters_are_422(client, staff, query, field):
    response = client.get(f"{URL}?{query}", headers=staff)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_only_staff_see_metrics(client, as_role):
    for role in ("sme", "mentor", "buyer"):
        assert client.get(URL, headers=as_role(role)[1]).status_code == 403
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers=as_role("admin")[1]).status_code == 200
