"""Fair exposure in the rankings served: a profile other participants keep being shown gives
way to an equally good one never shown, never to a much worse one; the requester's own views
do not reshuffle its list; staff see what the participant sees, and the plain ranking on
request; the setting switches it off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from models import MatchImpression, User, db, utcnow
from tests.factories import app_config, database_url_for_tests, login, payload
from tests.intro_factories import make_party
from webapp import create_app
from webapp.config import ConfigError

TWIN = payload("mentor", name="Twin A")


@pytest.fixture
def coordinator(as_role):
    return as_role("coordinator")[1]


@pytest.fixture
def world(client, as_role, coordinator):
    """An SME with an account, two equally good mentors (A first by id) and two other SMEs.

    The twins differ in a market the SME does not target (same score): exact copies would be
    collapsed into one as near-duplicates.
    """
    sme = make_party(client, as_role, "sme")
    ids = [_create(client, coordinator, "mentor", {**TWIN, "name": name, "markets": markets})
           for name, markets in (("Twin A", ["MX"]), ("Twin B", ["MX", "GT"]))]
    others = [_create(client, coordinator, "sme", payload("sme", name=f"Other {n}"))
              for n in range(2)]
    return sme, ids, others


def _create(client, headers, kind, body) -> int:
    collection = {"sme": "smes", "mentor": "mentors"}[kind]
    response = client.post(f"/api/v1/{collection}", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _show(requester: int, shown: int, *, rank: int = 1, kind: str = "sme_mentor",
          days_ago: float = 1) -> None:
    db.session.add(MatchImpression(ranking=f"r{requester}-{shown}-{rank}", rank=rank, kind=kind,
                                   at=utcnow() - timedelta(days=days_ago),
                                   requester_id=requester, shown_id=shown, sme_country="MX"))
    db.session.commit()


def _ranked(client, headers, sme_id: int, query: str = "", status: int = 200) -> dict:
    response = client.get(f"/api/v1/smes/{sme_id}/matches?{query}", headers=headers)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def _names(body: dict) -> list[str]:
    return [m["profile"]["name"] for m in body["matches"]]


def _impressions() -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(MatchImpression))


def test_a_profile_others_were_shown_gives_way_to_an_equal_one_never_shown(client, world):
    sme, (twin_a, _), others = world
    assert _names(_ranked(client, world[0].headers, sme.id, "plain=false")) == [
        "Twin A", "Twin B"]
    for other in others:
        _show(other, twin_a)
    body = _ranked(client, sme.headers, sme.id)
    assert _names(body) == ["Twin B", "Twin A"] and body["exposure_adjusted"] is True
    assert body["matches"][0]["score"] == body["matches"][1]["score"]  # its own score


def test_the_matches_page_shows_the_reranked_order(client, world):
    sme, (twin_a, _), others = world
    for other in others:
        _show(other, twin_a)
    assert login(client, db.session.get(User, sme.user_id).email).status_code == 302
    page = client.get("/matches").get_data(as_text=True)
    assert page.index("Twin B") < page.index("Twin A")


def test_staff_see_what_the_participant_sees_and_may_ask_for_the_plain_ranking(
        client, world, coordinator):
    sme, (twin_a, _), others = world
    _show(others[0], twin_a)
    before = _impressions()
    assert _names(_ranked(client, coordinator, sme.id)) == ["Twin B", "Twin A"]
    body = _ranked(client, coordinator, sme.id, "plain=true")
    assert _names(body) == ["Twin A", "Twin B"] and body["exposure_adjusted"] is False
    assert _impressions() == before  # staff views are not exposure


def test_participants_cannot_ask_for_the_plain_ranking(client, world):
    sme, *_ = world
    body = _ranked(client, sme.headers, sme.id, "plain=true", status=403)
    assert body["error"]["code"] == "plain_ranking_forbidden"
    assert _impressions() == 0


def test_a_bad_plain_value_is_a_422_naming_it(client, world):
    sme, *_ = world
    body = _ranked(client, sme.headers, sme.id, "plain=maybe", status=422)
    assert "plain" in str(body["error"]["fields"])


def test_ones_own_views_do_not_reshuffle_ones_list(client, world):
    sme, (twin_a, _), _ = world
    _show(sme.id, twin_a, days_ago=2)  # as if it had seen only Twin A on its first visit
    first = _names(_ranked(client, sme.headers, sme.id))
    assert _names(_ranked(client, sme.headers, sme.id)) == first == ["Twin A", "Twin B"]
    assert _impressions() == 1 + 2 + 2  # both requests were logged


def test_a_much_better_profile_is_not_passed(client, world, coordinator, app):
    sme, (twin_a, twin_b), others = world
    far = _create(client, coordinator, "mentor", payload(
        "mentor", name="Far", subdivision="US-MI", city="Detroit", languages=["es"],
        markets=["CA"], sectors=["541611"], expertise=["financing"],
        bio="Corporate finance for Michigan manufacturers."))
    for other in others:
        for shown in (twin_a, twin_b):
            _show(other, shown)
    body = _ranked(client, sme.headers, sme.id)
    scores = {m["profile"]["name"]: m["score"] for m in body["matches"]}
    assert scores["Twin A"] - scores["Far"] > app.config["PUENTE_EXPOSURE_STRENGTH"]
    assert _names(body) == ["Twin A", "Twin B", "Far"] and far


@pytest.mark.parametrize("showing", [
    {"days_ago": 40},  # older than the window
    {"rank": 6},  # below the first five places
    {"kind": "sme_buyer"},  # another pairing
])
def test_old_deep_or_other_pairing_showings_do_not_count(client, world, showing):
    sme, (twin_a, _), others = world
    for other in others:
        _show(other, twin_a, **showing)
    assert _names(_ranked(client, sme.headers, sme.id)) == ["Twin A", "Twin B"]


@pytest.mark.parametrize("setting", [{"PUENTE_EXPOSURE_RERANK": False},
                                     {"PUENTE_EXPOSURE_STRENGTH": 0}])
def test_switched_off_the_ranking_is_plain(client, world, app, setting):
    sme, (twin_a, _), others = world
    _show(others[0], twin_a)
    app.config.update(setting)
    body = _ranked(client, sme.headers, sme.id)
    assert _names(body) == ["Twin A", "Twin B"] and body["exposure_adjusted"] is False


def test_a_stronger_setting_lifts_from_further_down(client, world, coordinator, app):
    sme, (twin_a, twin_b), others = world
    near_far = _create(client, coordinator, "mentor", {**TWIN, "name": "Farther twin",
                                                       "city": "Chihuahua",
                                                       "subdivision": "MX-CHH",
                                                       "country": "MX"})
    for other in others:
        for shown in (twin_a, twin_b):
            _show(other, shown)
    app.config["PUENTE_EXPOSURE_STRENGTH"] = 0.0001
    assert _names(_ranked(client, coordinator, sme.id))[-1] == "Farther twin"
    app.config["PUENTE_EXPOSURE_STRENGTH"] = 1.0
    assert _names(_ranked(client, coordinator, sme.id))[0] == "Farther twin" and near_far


def test_an_unreadable_log_serves_the_plain_ranking(client, world):
    sme, (twin_a, _), others = world
    _show(others[0], twin_a)
    with db.engine.begin() as conn:
        conn.execute(text("ALTER TABLE match_impressions RENAME TO match_impressions_off"))
    try:
        body = _ranked(client, sme.headers, sme.id)
    finally:
        with db.engine.begin() as conn:
            conn.execute(text("ALTER TABLE match_impressions_off RENAME TO match_impressions"))
    assert _names(body) == ["Twin A", "Twin B"]
    assert body["exposure_adjusted"] is False  # the counts were not used: it says so
    again = _ranked(client, sme.headers, sme.id)  # the log readable again: re-ranked, said
    assert _names(again) == ["Twin B", "Twin A"] and again["exposure_adjusted"] is True


@pytest.mark.parametrize("name, value", [
    ("PUENTE_EXPOSURE_RERANK", "yes"), ("PUENTE_EXPOSURE_STRENGTH", 2),
    ("PUENTE_EXPOSURE_STRENGTH", -0.1), ("PUENTE_EXPOSURE_STRENGTH", "strong"),
    ("PUENTE_EXPOSURE_DEPTH", -1), ("PUENTE_EXPOSURE_WINDOW_DAYS", 0),
    ("PUENTE_EXPOSURE_WINDOW_DAYS", 2.5),
])
def test_a_bad_setting_stops_the_app_at_start_up_naming_it(name, value):
    with pytest.raises(ConfigError, match=f"{name}=.* cannot be used"):
        create_app({**app_config(database_url_for_tests()), name: value})


def test_pages_neither_repeat_nor_skip_a_candidate(client, as_role, coordinator, app):
    """Paging a re-ranked list: the SME sees each mentor once, on the page of its place in
    the one re-ranked order, at any page size (was: a never-shown mentor entering the deeper
    pool of page 2 pushed page 1's mentors onto page 2 again)."""
    app.config["PUENTE_EXPOSURE_DEPTH"] = 2
    sme = make_party(client, as_role, "sme")
    markets = ("GT", "BZ", "HN", "SV", "NI", "CR", "PA", "CO")  # not the SME's: equal scores
    ids = [_create(client, coordinator, "mentor",
                   {**TWIN, "name": f"Twin {n}", "markets": ["MX", market]})
           for n, market in enumerate(markets)]
    others = [_create(client, coordinator, "sme", payload("sme", name=f"Other {n}"))
              for n in range(2)]
    for other in others:
        for shown in ids[:5]:
            _show(other, shown)
    whole = [m["profile"]["id"] for m in _ranked(client, sme.headers, sme.id,
                                                 "per_page=8")["matches"]]
    assert sorted(whole) == sorted(ids) and whole[:2] == ids[5:7]
    for per_page in (1, 2, 3):
        shown, page, more = [], 1, True
        while more:
            body = _ranked(client, sme.headers, sme.id, f"per_page={per_page}&page={page}")
            shown += [m["profile"]["id"] for m in body["matches"]]
            more, page = body["has_more"], page + 1
        assert shown == whole, per_page
