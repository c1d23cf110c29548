"""Each match card's mark and introduction, read with the owner's profile in one statement:
either party's request, the latest of a pair's introductions, the owner's own marks only."""

from __future__ import annotations

from models import db
from tests.intro_factories import act, make_party, request_intro
from tests.sql_capture import statements_sent

EXPERTISE = ["certification", "rules_of_origin", "financing", "logistics"]
TOPICS = ["aduanas", "logística", "calidad"]


def mentor(client, as_role, i: int):
    """A mentor unlike the others (alike ones would be collapsed into one match)."""
    return make_party(client, as_role, "mentor", name=f"Mentor {TOPICS[i]}",
                      expertise=EXPERTISE[i:i + 2],
                      bio=f"Experta en {TOPICS[i]} número {i} para exportadores.")


def cards(client, party) -> dict[int, dict]:
    response = client.get(f"/api/v1/smes/{party.id}/matches?per_page=20", headers=party.headers)
    assert response.status_code == 200, response.get_json()
    return {m["profile"]["id"]: m for m in response.get_json()["matches"]}


def save(client, party, candidate: int) -> None:
    response = client.post(f"/api/v1/smes/{party.id}/matches/{candidate}/save",
                           headers=party.headers)
    assert response.status_code == 200, response.get_json()


def test_cards_tell_either_partys_request_the_latest_of_a_pair_and_the_owners_marks(
        client, as_role):
    sme, other_sme = make_party(client, as_role, "sme"), make_party(client, as_role, "sme")
    asking, asked, untouched = (mentor(client, as_role, i) for i in range(3))
    from_mentor = request_intro(client, asking, sme)
    request_intro(client, other_sme, untouched)  # another owner's: not on this owner's cards
    first = request_intro(client, sme, asked)
    assert act(client, sme, first["id"], "withdraw").status_code == 200
    second = request_intro(client, sme, asked, message="Otra vez")
    save(client, sme, asking.id)
    save(client, other_sme, untouched.id)  # another owner's mark

    shown = cards(client, sme)
    assert shown[asking.id]["introduction"] == {"id": from_mentor["id"], "state": "requested",
                                               "requested_by_you": False}
    assert shown[asking.id]["saved"] is True
    assert shown[asked.id]["introduction"] == {"id": second["id"], "state": "requested",
                                              "requested_by_you": True}
    assert shown[asked.id]["saved"] is False
    assert shown[untouched.id]["introduction"] is None and shown[untouched.id]["saved"] is False

    assert act(client, sme, from_mentor["id"], "accept").status_code == 200
    assert cards(client, sme)[asking.id]["introduction"]["state"] == "accepted"
    assert cards(client, other_sme)[untouched.id]["saved"] is True


def test_a_ranking_reads_the_profile_its_marks_and_introductions_in_one_statement(
        client, as_role):
    sme = make_party(client, as_role, "sme")
    mentor = make_party(client, as_role, "mentor")  # one mentor: no near-duplicates
    request_intro(client, sme, mentor)
    save(client, sme, mentor.id)
    cards(client, sme)  # the worker's first ranking builds its state: not counted
    with statements_sent(db.engine) as statements:
        shown = cards(client, sme)
    assert shown[mentor.id]["saved"] and shown[mentor.id]["introduction"]["requested_by_you"]
    reading = [s for s in statements if "match_marks" in s or "introductions" in s]
    assert len(reading) == 1, statements
    assert "FROM profiles" in reading[0] and "introductions" in reading[0]


def test_the_saved_list_shows_each_cards_introduction_read_with_the_profile(client, as_role):
    sme = make_party(client, as_role, "sme")
    asking, asked = mentor(client, as_role, 0), mentor(client, as_role, 1)
    from_mentor = request_intro(client, asking, sme)
    save(client, sme, asking.id)
    save(client, sme, asked.id)
    with statements_sent(db.engine) as statements:
        response = client.get(f"/api/v1/smes/{sme.id}/matches/saved", headers=sme.headers)
    assert response.status_code == 200, response.get_json()
    shown = {m["profile"]["id"]: m for m in response.get_json()["matches"]}
    assert shown[asking.id]["introduction"] == {"id": from_mentor["id"], "state": "requested",
                                               "requested_by_you": False}
    assert shown[asked.id]["introduction"] is None
    assert all(card["saved"] for card in shown.values())
    assert len([s for s in statements if "introductions" in s]) == 1, statements


def test_a_coordinator_reads_the_profiles_owner_in_the_profiles_statement(client, as_role):
    """Whether staff may see a profile asks for its owner's verification: read with the
    profile, not in a statement of its own after it (participants rank their own profile,
    whose owner, themselves, is already loaded)."""
    sme = make_party(client, as_role, "sme")
    make_party(client, as_role, "mentor")
    _, staff = as_role("coordinator")
    path = f"/api/v1/smes/{sme.id}/matches"
    assert client.get(path, headers=staff).status_code == 200  # warm: state, token
    db.session.expire_all()
    with statements_sent(db.engine) as statements:
        response = client.get(path, headers=staff)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["matches"]
    owner_alone = [s for s in statements
                   if "FROM users" in s and "profiles" not in s and "api_tokens" not in s]
    assert owner_alone == [], statements
    assert any("FROM profiles" in s and "users" in s for s in statements), statements
