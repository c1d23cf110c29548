"""Program metrics computed on a hand-built set of introductions, checked exactly."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from models import Introduction, IntroductionFeedback, IntroductionReview, OutcomeStep, db
from models.introductions import pair_key
from tests.metrics_data import T0, make_profile, six_introductions

URL = "/api/v1/metrics"
@pytest.fixture
def staff(as_role):
    return as_role("coordinator")[1]


@pytest.fixture
def program(client, staff):
    """Three SMEs, two mentors and six introductions, one in each state."""
    six_introductions(client, staff)
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
    # The last day a date can be was a 500 (the day after it overflowed), as any from it.
    ("to=9999-12-31", "to"), ("from=9999-12-31", "from"), ("from=0001-01-01", "from"),
])
def test_bad_filters_are_422(client, staff, query, field):
    response = client.get(f"{URL}?{query}", headers=staff)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_a_day_out_of_the_programs_years_is_refused_with_its_bounds(client, staff):
    response = client.get(f"{URL}?to=9999-12-31", headers={**staff, "Accept-Language": "es"})
    [problem] = response.get_json()["error"]["fields"]["to"]
    assert problem["code"] == "date_out_of_range"
    assert problem["params"] == {"min": "2000-01-01", "max": "2100-12-31"}
    assert "2000-01-01" in problem["message"] and "2100-12-31" in problem["message"]
    assert problem["message"].startswith("Escriba una fecha")
    assert client.get(f"{URL}?from=2000-01-01&to=2100-12-31", headers=staff).status_code == 200


def test_only_staff_see_metrics(client, as_role):
    for role in ("sme", "mentor", "buyer"):
        assert client.get(URL, headers=as_role(role)[1]).status_code == 403
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers=as_role("admin")[1]).status_code == 200


# --- introductions by state over time ---------------------------------------------------

STATES = ("requested", "accepted", "completed", "declined", "withdrawn", "expired")


def _period(start: str, **counts) -> dict:
    return {"start": start, **{s: counts.get(s, 0) for s in STATES},
            "total": sum(counts.values())}


def _add_intro(requester: int, target: int, state: str, created: datetime,
               score: float | None = None) -> int:
    intro = Introduction(kind="sme_mentor", state=state, requester_id=requester,
                         target_id=target, pair_key=pair_key(requester, target),
                         created_at=created, updated_at=created, score=score)
    db.session.add(intro)
    db.session.flush()
    return intro.id


@pytest.fixture
def timeline(client, staff):
    """Five introductions from Monday 2 March to Wednesday 15 April 2026."""
    smes = [make_profile(client, staff, "sme", "MX") for _ in range(3)]
    mentor = make_profile(client, staff, "mentor", "US")
    for sme, state, day in [(smes[0], "completed", datetime(2026, 3, 2, 23, 59, tzinfo=UTC)),
                            (smes[1], "declined", datetime(2026, 3, 8, 12, tzinfo=UTC)),
                            (smes[2], "requested", datetime(2026, 3, 9, tzinfo=UTC)),
                            (smes[0], "expired", datetime(2026, 3, 20, tzinfo=UTC)),
                            (smes[1], "accepted", datetime(2026, 4, 15, tzinfo=UTC))]:
        _add_intro(sme, mentor, state, day)
    db.session.commit()


def test_states_over_time_by_week(client, staff, timeline):
    data = client.get(URL, headers=staff).get_json()["by_state_over_time"]
    assert data == {"bucket": "week", "periods": [  # 2 March – 15 April: 45 days
        _period("2026-03-02", completed=1, declined=1), _period("2026-03-09", requested=1),
        _period("2026-03-16", expired=1), _period("2026-03-23"), _period("2026-03-30"),
        _period("2026-04-06"), _period("2026-04-13", accepted=1)]}


def test_states_over_time_by_day_follows_the_filters(client, staff, timeline):
    data = client.get(f"{URL}?from=2026-03-07&to=2026-03-10", headers=staff).get_json()
    assert data["by_state_over_time"] == {"bucket": "day", "periods": [
        _period("2026-03-07"), _period("2026-03-08", declined=1),
        _period("2026-03-09", requested=1), _period("2026-03-10")]}


def test_states_over_time_from_filter_to_last_creation(client, staff, timeline):
    data = client.get(f"{URL}?from=2026-03-09", headers=staff).get_json()
    periods = data["by_state_over_time"]["periods"]  # 9 March – 15 April: 38 days
    assert data["by_state_over_time"]["bucket"] == "week"
    assert [p["start"] for p in periods] == [
        "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30", "2026-04-06", "2026-04-13"]
    assert sum(p["total"] for p in periods) == 3


def test_states_over_time_by_month(client, staff):
    sme = make_profile(client, staff, "sme", "MX")
    mentor = make_profile(client, staff, "mentor", "US")
    _add_intro(sme, mentor, "completed", datetime(2026, 1, 31, tzinfo=UTC))
    _add_intro(sme, mentor, "withdrawn", datetime(2027, 3, 1, tzinfo=UTC))
    db.session.commit()
    data = client.get(URL, headers=staff).get_json()["by_state_over_time"]
    assert data["bucket"] == "month"
    assert data["periods"][0] == _period("2026-01-01", completed=1)
    assert data["periods"][-1] == _period("2027-03-01", withdrawn=1)
    assert [p["start"] for p in data["periods"][1:3]] == ["2026-02-01", "2026-03-01"]
    assert len(data["periods"]) == 15 and sum(p["total"] for p in data["periods"]) == 2


@pytest.mark.parametrize("query, bucket, first, last, count", [
    ("from=2026-03-01&to=2026-03-31", "day", "2026-03-01", "2026-03-31", 31),
    ("from=2026-03-01&to=2026-04-01", "week", "2026-02-23", "2026-03-30", 6),
    ("from=2026-01-01&to=2027-01-06", "week", "2025-12-29", "2027-01-04", 54),
    ("from=2026-01-01&to=2027-01-07", "month", "2026-01-01", "2027-01-01", 13),
    ("from=2026-05-05", "day", "2026-05-05", "2026-05-05", 1),
    ("to=2026-05-05", "day", "2026-05-05", "2026-05-05", 1),
])
def test_states_over_time_bucket_of_the_range(client, staff, query, bucket, first, last,
                                              count):
    data = client.get(f"{URL}?{query}", headers=staff).get_json()["by_state_over_time"]
    assert data["bucket"] == bucket and len(data["periods"]) == count
    assert (data["periods"][0]["start"], data["periods"][-1]["start"]) == (first, last)
    assert all(p["total"] == 0 for p in data["periods"])


def test_states_over_time_of_the_program(client, staff, program):
    data = client.get(URL, headers=staff).get_json()["by_state_over_time"]
    assert data == {"bucket": "day", "periods": [_period("2026-03-01", **dict.fromkeys(
        STATES, 1))]}


def test_states_over_time_without_data_or_range(client, staff):
    data = client.get(URL, headers=staff).get_json()["by_state_over_time"]
    assert data == {"bucket": "day", "periods": []}


# --- ranking quality: precision@5 and NDCG@5 from reviews and feedback ------------------


def _quality(requesters: int, rated: int, precision, ndcg) -> dict:
    return {"requesters": requesters, "rated": rated, "precision_at_k": precision,
            "ndcg_at_k": ndcg}


@pytest.fixture
def rated(client, staff, make_user):
    """Three requesters' completed introductions, rated by two coordinators and the parties.

    Reviews, in score order: A 5, 2, 4, 1, 3 | 5 (cut at 5); B (tie at 0.6, by id) 3, 4.5, 1;
    C 1, then 5 without a score. Feedback: A's best 4.5 (both parties), B 1, C 4.
    """
    a, c = make_profile(client, staff, "sme", "MX"), make_profile(client, staff, "sme", "MX")
    b = make_profile(client, staff, "sme", "CA")
    mentor = make_profile(client, staff, "mentor", "US")
    first, second = make_user("coordinator"), make_user("coordinator")
    rows = [  # requester, score, review ratings, feedback ratings by (requester, mentor)
        (a, 0.5, [3], []), (a, 0.9, [5], [5, 4]), (a, 0.4, [5], []), (a, 0.8, [2], []),
        (a, 0.7, [4], []), (a, 0.6, [1], []), (a, 0.95, [], []),
        (b, 0.6, [3], []), (b, 0.6, [4, 5], []), (b, 0.3, [1], [1]),
        (c, None, [5], []), (c, 0.7, [1], [4]),
    ]
    for requester, score, reviews, feedback in rows:
        intro = _add_intro(requester, mentor, "completed", T0, score)
        db.session.add_all(IntroductionReview(introduction_id=intro, reviewer_id=user.id,
                                              rating=rating)
                           for user, rating in zip((first, second), reviews, strict=False))
        db.session.add_all(IntroductionFeedback(introduction_id=intro, profile_id=party,
                                                rating=rating)
                           for party, rating in zip((requester, mentor), feedback,
                                                    strict=False))
    db.session.commit()


def test_ranking_quality_figures(client, staff, rated):
    data = client.get(URL, headers=staff).get_json()["ranking_quality"]
    # NDCG@5 (gain rating - 1): A 0.7447, B 0.8837, C 1/log2(3) = 0.6309.
    assert data == {"k": 5, "relevant_rating": 4,
                    "reviews": _quality(3, 11, 0.4111, 0.7531),
                    "feedback": _quality(3, 3, 0.6667, 1.0)}


def test_ranking_quality_follows_the_filters(client, staff, rated):
    data = client.get(f"{URL}?country=CA", headers=staff).get_json()["ranking_quality"]
    assert data["reviews"] == _quality(1, 3, 0.3333, 0.8837)
    assert data["feedback"] == _quality(1, 1, 0.0, None)  # a rating of 1 has no gain
    data = client.get(f"{URL}?kind=mentor_sme", headers=staff).get_json()["ranking_quality"]
    assert data["reviews"] == data["feedback"] == _quality(0, 0, None, None)


def test_ranking_quality_without_ratings(client, staff, program):
    data = client.get(URL, headers=staff).get_json()["ranking_quality"]
    assert data == {"k": 5, "relevant_rating": 4, "reviews": _quality(0, 0, None, None),
                    "feedback": _quality(0, 0, None, None)}


def add_step(intro, stage, status="confirmed", **fields):
    db.session.add(OutcomeStep(introduction_id=intro.id, stage=stage, status=status,
                               occurred_on=T0.date(), reported_for_id=intro.requester_id,
                               **fields))


def test_outcome_rates_by_score_decile_count_only_confirmed_steps(client, staff):
    _, intros = six_introductions(client, staff)
    accepted, _, completed = intros[:3]
    add_step(accepted, "session", minutes=60)
    add_step(accepted, "goal_achieved", goal="first_export")
    add_step(completed, "session", minutes=30)
    add_step(completed, "goal_achieved", status="reported", goal="first_export")
    add_step(completed, "goal_achieved", status="disputed", goal="first_export")
    db.session.commit()
    data = client.get(URL, headers=staff).get_json()
    assert data["outcomes_by_score_decile"] == [
        {"decile": 2, "from": 0.2, "to": 0.3, "introductions": 1, "accepted": 0, "met": 0,
         "ordered": 0, "accepted_rate": 0.0, "met_rate": 0.0, "order_rate": 0.0},
        {"decile": 3, "from": 0.3, "to": 0.4, "introductions": 1, "accepted": 1, "met": 1,
         "ordered": 0, "accepted_rate": 1.0, "met_rate": 1.0, "order_rate": 0.0},
        {"decile": 8, "from": 0.8, "to": 0.9, "introductions": 2, "accepted": 1, "met": 1,
         "ordered": 1, "accepted_rate": 0.5, "met_rate": 0.5, "order_rate": 0.5}]
    other = client.get(URL + "?kind=sme_buyer", headers=staff).get_json()
    assert other["outcomes_by_score_decile"] == []


def test_trade_orders_and_repeat_orders_count_as_ordered(client, staff):
    _, intros = six_introductions(client, staff)  # the stages are counted, whatever the kind
    add_step(intros[0], "met")
    add_step(intros[2], "repeat_order", amount=5, currency="USD")
    db.session.commit()
    rows = client.get(URL, headers=staff).get_json()["outcomes_by_score_decile"]
    assert [(r["decile"], r["met"], r["ordered"]) for r in rows] == [(2, 0, 0), (3, 1, 1),
                                                                     (8, 1, 0)]
