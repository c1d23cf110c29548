"""Exposure: rankings served through the API and the matches page are logged, and the
metrics count how often each SME country and ownership group was shown, checked exactly."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from models import MatchImpression, User, db
from tests.factories import login
from tests.intro_factories import make_party

URL = "/api/v1/metrics"
PLACES = {"MX": dict(country="MX", subdivision="MX-CHH", city="Ciudad Juárez"),
          "CA": dict(country="CA", subdivision="CA-ON", city="Toronto"),
          "US": dict(country="US", subdivision="US-TX", city="El Paso")}


@pytest.fixture
def staff(as_role):
    return as_role("coordinator")[1]


def _impressions() -> list[MatchImpression]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(MatchImpression).order_by(MatchImpression.id)))


def _exposure(client, staff, query: str = "") -> dict:
    response = client.get(f"{URL}?{query}", headers=staff)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["exposure"]


def _group(profiles: int, impressions: int, share_p, share_i, per_profile) -> dict:
    return {"profiles": profiles, "impressions": impressions, "share_of_profiles": share_p,
            "share_of_impressions": share_i, "per_profile": per_profile}


# --- logging --------------------------------------------------------------------------------


def test_api_ranking_logs_its_top_ten(client, as_role, staff):
    mentor = make_party(client, as_role, "mentor")
    # Each targets one more market of its own: twelve copies would be listed once.
    smes = [make_party(client, as_role, "sme", name=f"Taller {n}", markets=["US", extra],
                       **PLACES["MX"])
            for n, extra in enumerate(("GT", "DE", "FR", "JP", "KR", "CN", "BR", "CL", "CO",
                                       "PE", "ES", "GB"))]
    response = client.get(f"/api/v1/mentors/{mentor.id}/matches?k=20", headers=mentor.headers)
    assert response.status_code == 200, response.get_json()
    shown = [m["profile"]["id"] for m in response.get_json()["matches"]]
    assert len(shown) == 12 and set(shown) == {s.id for s in smes}
    rows = _impressions()
    assert [(r.rank, r.shown_id, r.requester_id, r.kind) for r in rows] == [
        (n + 1, pid, mentor.id, "mentor_sme") for n, pid in enumerate(shown[:10])]
    assert {(r.sme_country, r.sme_ownership) for r in rows} == {("MX", "women")}
    assert len({r.ranking for r in rows}) == 1
    assert _exposure(client, staff) == {
        "rankings": 1, "impressions": 10, "by_kind": {"sme": 10, "mentor": 0, "buyer": 0},
        "by_sme_country": {"MX": _group(12, 10, 1.0, 1.0, 0.8333)},
        "by_ownership": {"women": _group(12, 10, 1.0, 1.0, 0.8333)}}


def test_a_short_page_logs_only_what_it_showed(client, as_role):
    """The API ranks one more than a page to tell whether a next one exists; that one was not
    shown, so it is not logged as shown."""
    mentor = make_party(client, as_role, "mentor")
    for n, extra in enumerate(("GT", "DE", "FR", "JP", "KR")):
        make_party(client, as_role, "sme", name=f"Taller {n}", markets=["US", extra],
                   **PLACES["MX"])
    response = client.get(f"/api/v1/mentors/{mentor.id}/matches?per_page=3",
                          headers=mentor.headers)
    body = response.get_json()
    assert response.status_code == 200 and body["has_more"] is True, body
    shown = [m["profile"]["id"] for m in body["matches"]]
    assert len(shown) == 3
    assert [(r.rank, r.shown_id) for r in _impressions()] == [(1, shown[0]), (2, shown[1]),
                                                            (3, shown[2])]


def test_sme_ranking_is_logged_under_the_smes_country_and_groups(client, as_role, staff):
    sme = make_party(client, as_role, "sme", ownership=["women", "indigenous"], **PLACES["MX"])
    for markets in (["MX"], ["MX", "GT"]):  # not copies of each other
        make_party(client, as_role, "mentor", markets=markets)
    response = client.get(f"/api/v1/smes/{sme.id}/matches", headers=sme.headers)
    assert len(response.get_json()["matches"]) == 2
    rows = _impressions()
    assert [(r.rank, r.kind, r.sme_country, r.sme_ownership) for r in rows] == [
        (1, "sme_mentor", "MX", "indigenous,women"), (2, "sme_mentor", "MX", "indigenous,women")]
    exposure = _exposure(client, staff)
    assert (exposure["rankings"], exposure["impressions"], exposure["by_kind"]) == (
        1, 2, {"sme": 0, "mentor": 2, "buyer": 0})
    assert exposure["by_sme_country"] == {"MX": _group(1, 0, 1.0, None, 0.0)}


def test_matches_page_logs_impressions(app, client, as_role, staff):
    sme = make_party(client, as_role, "sme")
    mentor = make_party(client, as_role, "mentor")
    assert login(client, db.session.get(User, sme.user_id).email).status_code == 302
    assert client.get("/matches").status_code == 200
    assert [(r.requester_id, r.shown_id, r.rank) for r in _impressions()] == [
        (sme.id, mentor.id, 1)]
    assert _exposure(app.test_client(), staff)["rankings"] == 1  # no signed-in session


def test_rankings_viewed_by_staff_are_not_logged(client, as_role, staff):
    sme = make_party(client, as_role, "sme")
    make_party(client, as_role, "mentor")
    response = client.get(f"/api/v1/smes/{sme.id}/matches", headers=staff)
    assert len(response.get_json()["matches"]) == 1
    assert _impressions() == []


def test_empty_ranking_logs_nothing(client, as_role):
    sme = make_party(client, as_role, "sme")
    response = client.get(f"/api/v1/smes/{sme.id}/matches", headers=sme.headers)
    assert response.status_code == 200 and response.get_json()["matches"] == []
    assert _impressions() == []


def test_a_failed_log_does_not_fail_the_ranking(client, as_role):
    sme = make_party(client, as_role, "sme")
    mentor = make_party(client, as_role, "mentor")
    with db.engine.begin() as conn:
        conn.execute(text("ALTER TABLE match_impressions RENAME TO match_impressions_off"))
    try:
        response = client.get(f"/api/v1/smes/{sme.id}/matches", headers=sme.headers)
    finally:
        with db.engine.begin() as conn:
            conn.execute(text("ALTER TABLE match_impressions_off RENAME TO match_impressions"))
    assert response.status_code == 200
    assert [m["profile"]["id"] for m in response.get_json()["matches"]] == [mentor.id]
    assert _impressions() == []


def test_impressions_outlive_the_profiles(client, as_role, staff):
    mentor = make_party(client, as_role, "mentor")
    sme = make_party(client, as_role, "sme", ownership=[], **PLACES["CA"])
    client.get(f"/api/v1/mentors/{mentor.id}/matches", headers=mentor.headers)
    assert client.delete(f"/api/v1/smes/{sme.id}", headers=sme.headers).status_code == 204
    assert client.delete(f"/api/v1/mentors/{mentor.id}",
                         headers=mentor.headers).status_code == 204
    assert [(r.requester_id, r.shown_id, r.sme_country) for r in _impressions()] == [
        (None, None, "CA")]
    exposure = _exposure(client, staff)
    assert exposure["rankings"] == 1
    assert exposure["by_ownership"] == {"none": _group(0, 1, None, 1.0, None)}


# --- figures on hand-built impressions ------------------------------------------------------


def _shown(ranking: str, at: datetime, kind: str, requester: int | None,
           shown: list[tuple[int | None, str, str]]) -> None:
    db.session.add_all(MatchImpression(ranking=ranking, at=at, kind=kind, requester_id=requester,
                                       shown_id=pid, rank=n, sme_country=cc, sme_ownership=own)
                       for n, (pid, cc, own) in enumerate(shown, start=1))


@pytest.fixture
def shown(client, as_role):
    """Active SMEs a (MX, women), b (MX, none), c (CA, indigenous+women); d (US) inactive.

    Four rankings: a mentor's (1 March: a, c, b), a buyer's (5 March: c, a, d), a's for
    mentors (5 March: two mentors) and d's for buyers (1 April: one buyer).
    """
    a = make_party(client, as_role, "sme", ownership=["women"], **PLACES["MX"]).id
    b = make_party(client, as_role, "sme", ownership=[], **PLACES["MX"]).id
    c = make_party(client, as_role, "sme", ownership=["women", "indigenous"], **PLACES["CA"]).id
    d = make_party(client, as_role, "sme", ownership=[], active=False, **PLACES["US"]).id
    m1, m2 = (make_party(client, as_role, "mentor").id for _ in range(2))
    buyer = make_party(client, as_role, "buyer").id
    _shown("r1", datetime(2026, 3, 1, 9, tzinfo=UTC), "mentor_sme", m1,
           [(a, "MX", "women"), (c, "CA", "indigenous,women"), (b, "MX", "")])
    _shown("r2", datetime(2026, 3, 5, 9, tzinfo=UTC), "buyer_sme", buyer,
           [(c, "CA", "indigenous,women"), (a, "MX", "women"), (d, "US", "")])
    _shown("r3", datetime(2026, 3, 5, 10, tzinfo=UTC), "sme_mentor", a,
           [(m1, "MX", "women"), (m2, "MX", "women")])
    _shown("r4", datetime(2026, 4, 1, 23, 59, tzinfo=UTC), "sme_buyer", d,
           [(buyer, "US", "")])
    db.session.commit()


def test_exposure_figures(client, staff, shown):
    assert _exposure(client, staff) == {
        "rankings": 4, "impressions": 9, "by_kind": {"sme": 6, "mentor": 2, "buyer": 1},
        "by_sme_country": {"CA": _group(1, 2, 0.3333, 0.3333, 2.0),
                           "MX": _group(2, 3, 0.6667, 0.5, 1.5),
                           "US": _group(0, 1, 0.0, 0.1667, None)},
        "by_ownership": {"indigenous": _group(1, 2, 0.3333, 0.3333, 2.0),
                         "none": _group(1, 2, 0.3333, 0.3333, 2.0),
                         "women": _group(2, 4, 0.6667, 0.6667, 2.0)}}


@pytest.mark.parametrize("query, rankings, by_kind", [
    ("from=2026-03-02", 3, {"sme": 3, "mentor": 2, "buyer": 1}),
    ("to=2026-03-31", 3, {"sme": 6, "mentor": 2, "buyer": 0}),
    ("from=2026-04-01&to=2026-04-01", 1, {"sme": 0, "mentor": 0, "buyer": 1}),
    ("to=2026-02-28", 0, {"sme": 0, "mentor": 0, "buyer": 0}),
    ("kind=buyer_sme", 1, {"sme": 3, "mentor": 0, "buyer": 0}),
    ("kind=sme_mentor", 1, {"sme": 0, "mentor": 2, "buyer": 0}),
    ("country=MX", 3, {"sme": 3, "mentor": 2, "buyer": 0}),
    ("country=US", 2, {"sme": 1, "mentor": 0, "buyer": 1}),
])
def test_exposure_filters(client, staff, shown, query, rankings, by_kind):
    exposure = _exposure(client, staff, query)
    assert (exposure["rankings"], exposure["by_kind"]) == (rankings, by_kind)
    assert exposure["impressions"] == sum(by_kind.values())


def test_exposure_groups_follow_the_filters(client, staff, shown):
    exposure = _exposure(client, staff, "country=MX&from=2026-03-02")
    assert exposure["by_sme_country"] == {"MX": _group(2, 1, 1.0, 1.0, 0.5)}
    assert exposure["by_ownership"] == {"none": _group(1, 0, 0.5, 0.0, 0.0),
                                        "women": _group(1, 1, 0.5, 1.0, 1.0)}


def test_exposure_without_impressions(client, staff):
    assert _exposure(client, staff) == {
        "rankings": 0, "impressions": 0, "by_kind": {"sme": 0, "mentor": 0, "buyer": 0},
        "by_sme_country": {}, "by_ownership": {}}


def test_only_staff_see_exposure(client, as_role):
    assert client.get(URL, headers=as_role("sme")[1]).status_code == 403


def test_buffered_log_writes_each_ranking_within_its_wait(app, client, as_role):
    app.config["PUENTE_IMPRESSION_FLUSH_MS"] = 100  # as served: batches off the request path
    mentor = make_party(client, as_role, "mentor")
    smes = [make_party(client, as_role, "sme", name=f"Taller {n}", markets=["US", extra],
                       **PLACES["MX"]) for n, extra in enumerate(("GT", "DE", "FR"))]
    for _ in range(2):
        response = client.get(f"/api/v1/mentors/{mentor.id}/matches", headers=mentor.headers)
        assert response.status_code == 200
    deadline = time.monotonic() + 5
    while len(rows := _impressions()) < 6 and time.monotonic() < deadline:
        db.session.rollback()
        time.sleep(0.05)
    assert len({r.ranking for r in rows}) == 2 and len(rows) == 6
    assert {r.shown_id for r in rows} == {s.id for s in smes}
    assert {(r.sme_country, r.requester_id) for r in rows} == {("MX", mentor.id)}
