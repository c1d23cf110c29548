"""Mentors pause until a date (``paused_until``): out of the rankings and of new requests until
that day, back by itself on it; a day not after today is refused with the field named."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from models import Profile, db
from tests.intro_factories import make_party
from webapp.services import matching


def today() -> date:
    return datetime.now(UTC).date()


def ranked_ids(client, headers, sme_id) -> list[int]:
    response = client.get(f"/api/v1/smes/{sme_id}/matches", headers=headers)
    assert response.status_code == 200, response.get_json()
    return [m["profile"]["id"] for m in response.get_json()["matches"]]


def pause(client, mentor, until) -> object:
    return client.patch(f"/api/v1/mentors/{mentor.id}", headers=mentor.headers,
                        json={"paused_until": until})


def test_a_paused_mentor_is_back_in_the_rankings_on_its_day_by_itself(client, as_role,
                                                                      monkeypatch):
    sme, mentor = make_party(client, as_role, "sme"), make_party(client, as_role, "mentor")
    assert ranked_ids(client, sme.headers, sme.id) == [mentor.id]
    back_on = today() + timedelta(days=2)
    response = pause(client, mentor, back_on.isoformat())
    assert response.status_code == 200 and response.get_json()["paused_until"] == (
        back_on.isoformat())
    assert ranked_ids(client, sme.headers, sme.id) == []
    refused = client.post("/api/v1/introductions", headers=sme.headers,
                          json={"target_id": mentor.id})
    assert refused.status_code == 409
    # The day comes: no write, no job; the next ranking has the mentor back.
    later = datetime.combine(back_on, datetime.min.time(), UTC) + timedelta(hours=1)
    monkeypatch.setattr(matching, "utcnow", lambda: later)
    assert ranked_ids(client, sme.headers, sme.id) == [mentor.id]


@pytest.mark.parametrize("days", [0, -1, -400])
def test_a_day_not_after_today_is_refused_naming_the_field(client, as_role, days):
    mentor = make_party(client, as_role, "mentor")
    response = pause(client, mentor, (today() + timedelta(days=days)).isoformat())
    assert response.status_code == 422
    [problem] = response.get_json()["error"]["fields"]["paused_until"]
    assert problem["code"] == "date_not_ahead"
    db.session.expire_all()
    assert db.session.get(Profile, mentor.id).paused_until is None


@pytest.mark.parametrize("value", ["tomorrow", "2026-13-01", 5])
def test_a_bad_date_is_refused(client, as_role, value):
    mentor = make_party(client, as_role, "mentor")
    response = pause(client, mentor, value)
    assert response.status_code == 422
    assert "paused_until" in response.get_json()["error"]["fields"]


def test_a_pause_that_is_over_reads_null_and_does_not_block_edits(client, as_role):
    mentor = make_party(client, as_role, "mentor")
    assert pause(client, mentor, (today() + timedelta(days=1)).isoformat()).status_code == 200
    profile = db.session.get(Profile, mentor.id)
    profile.paused_until = today() - timedelta(days=3)  # the pause ended three days ago
    db.session.commit()
    response = client.patch(f"/api/v1/mentors/{mentor.id}", headers=mentor.headers,
                            json={"name": "Rosa D."})
    assert response.status_code == 200 and response.get_json()["paused_until"] is None
