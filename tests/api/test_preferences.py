"""Stated preferences through the API: buyer diversity goals (private to who may see the SME's
ownership), languages written after the worker built its index, mentor mode."""

from __future__ import annotations

import pytest

from models import Profile, db
from tests.factories import COLLECTION, payload, row_counts
from tests.intro_factories import make_party, request_intro

DIVERSITY_CODES = {"seeks_suppliers_like_you", "meets_diversity_goal"}


@pytest.fixture
def coordinator(as_role):
    return as_role("coordinator")[1]


def create(client, headers, kind, body):
    response = client.post(f"/api/v1/{COLLECTION[kind]}", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def ranked(client, headers, kind, profile_id, query=""):
    response = client.get(f"/api/v1/{COLLECTION[kind]}/{profile_id}/matches?{query}",
                          headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["matches"]


def codes(match) -> set[str]:
    return {reason["code"] for reason in match["reasons"]}


def test_a_buyer_states_diversity_goals_and_reads_them_back(client, as_role):
    _, buyer = as_role("buyer")
    body = payload("buyer", diversity_goals=["women", "indigenous"])
    response = client.post("/api/v1/buyers", json=body, headers=buyer)
    assert response.status_code == 201
    assert response.get_json()["diversity_goals"] == ["women", "indigenous"]


@pytest.mark.parametrize("goals", [["robots"], "women", [1]])
def test_bad_diversity_goals_name_the_field_and_write_nothing(client, as_role, goals):
    _, buyer = as_role("buyer")
    before = row_counts()
    response = client.post("/api/v1/buyers", json=payload("buyer", diversity_goals=goals),
                           headers=buyer)
    assert response.status_code == 422
    assert "diversity_goals" in response.get_json()["error"]["fields"]
    assert row_counts() == before


def test_diversity_goals_are_a_buyer_field_only(client, as_role):
    _, sme = as_role("sme")
    response = client.post("/api/v1/smes", json=payload("sme", diversity_goals=["women"]),
                           headers=sme)
    assert response.status_code == 422
    assert "diversity_goals" in response.get_json()["error"]["fields"]


def test_the_goal_counts_where_it_can_be_explained_and_never_tells_the_buyer(client, as_role,
                                                                            coordinator):
    """The goal ranks a declared SME first for staff, and the buyer first for the SME (both
    explained); the buyer's own ranking of SMEs does not depend on ownership at all — not by
    a reason, a factor, nor its order or scores (the score less the shown contributions told
    it when the hidden term still counted)."""
    buyer_user, buyer = as_role("buyer")
    buyer_id = create(client, buyer, "buyer", payload("buyer", diversity_goals=["women"]))
    undeclared = create(client, coordinator, "sme", payload("sme", name="Undeclared",
                                                            ownership=[]))
    _, owner = as_role("sme")  # created second: a tie puts it second
    declared = create(client, owner, "sme", payload("sme", name="Declared",
                                                     ownership=["women"]))
    seen = ranked(client, buyer, "buyer", buyer_id)
    assert [m["profile"]["id"] for m in seen][:2] == [undeclared, declared]
    assert seen[0]["score"] == seen[1]["score"]
    assert seen[0]["contributions"] == seen[1]["contributions"]
    for match in seen:  # the buyer may not see ownership: nothing tells it
        assert not codes(match) & DIVERSITY_CODES
        assert "diversity" not in match["factors"] and "diversity" not in match["contributions"]
        assert "ownership" not in match["profile"]
    staff = ranked(client, coordinator, "buyer", buyer_id)
    assert [m["profile"]["id"] for m in staff][:2] == [declared, undeclared]
    assert staff[0]["score"] > staff[1]["score"]
    assert "meets_diversity_goal" in codes(staff[0])
    mine = ranked(client, owner, "sme", declared, "kind=buyer")
    [toward] = [m for m in mine if m["profile"]["id"] == buyer_id]
    [reason] = [r for r in toward["reasons"] if r["code"] == "seeks_suppliers_like_you"]
    assert reason["message"] == "This buyer seeks suppliers like you (supplier-diversity goal)"


def test_an_introduction_snapshot_does_not_reveal_ownership_to_the_buyer(client, as_role):
    sme = make_party(client, as_role, "sme", "en", ownership=["indigenous"])
    buyer = make_party(client, as_role, "buyer", "en", diversity_goals=["indigenous"])
    intro = request_intro(client, sme, buyer)
    assert "seeks_suppliers_like_you" in codes(intro["match"])  # the SME's own view
    shown = client.get(f"/api/v1/introductions/{intro['id']}",
                       headers=buyer.headers).get_json()["match"]
    assert not codes(shown) & DIVERSITY_CODES and "diversity" not in shown["factors"]
    # nor its score: the buyer reads the score its own ranking gives the SME
    mine = intro["match"]
    assert mine["contributions"]["diversity"] > 0 and shown["score"] < mine["score"]
    [ranked_sme] = [m for m in ranked(client, buyer.headers, "buyer", buyer.id,
                                      "k=50") if m["profile"]["id"] == sme.id]
    assert shown["score"] == pytest.approx(ranked_sme["score"], abs=1e-6)


def test_a_language_first_seen_after_the_index_was_built_is_required_exactly(client,
                                                                             coordinator):
    create(client, coordinator, "mentor", payload("mentor", name="Spanish only"))
    sme = create(client, coordinator, "sme", payload("sme", languages=["es"]))
    ranked(client, coordinator, "sme", sme)  # the worker builds its bundle and index now
    create(client, coordinator, "mentor", payload("mentor", name="Tzeltal speaker",
                                                  languages=["tzh", "es"]))
    tzeltal = create(client, coordinator, "sme", payload("sme", languages=["tzh"]))
    seen = ranked(client, coordinator, "sme", tzeltal)
    assert [m["profile"]["name"] for m in seen] == ["Tzeltal speaker"]
    [reason] = [r for r in seen[0]["reasons"] if r["code"] == "shared_language"]
    assert reason["params"]["languages"] == ["tzh"]


def test_a_far_virtual_mentor_outranks_a_far_in_person_twin(client, coordinator):
    sme = create(client, coordinator, "sme", payload("sme"))
    far = {"country": "CA", "subdivision": "CA-ON", "city": "Toronto", "latitude": 43.6532,
           "longitude": -79.3832}
    create(client, coordinator, "mentor", payload("mentor", name="In person", mode="in_person",
                                                  **far))
    create(client, coordinator, "mentor", payload("mentor", name="Online", mode="virtual",
                                                  **far))
    seen = ranked(client, coordinator, "sme", sme)
    assert [m["profile"]["name"] for m in seen] == ["Online", "In person"]
    assert seen[0]["score"] > seen[1]["score"] and "meets_online" in codes(seen[0])


def test_the_column_round_trips(client, coordinator):
    buyer = create(client, coordinator, "buyer", payload("buyer", diversity_goals=["minority"]))
    db.session.expire_all()
    assert db.session.get(Profile, buyer).diversity_goals == ["minority"]


def test_the_buyers_data_export_does_not_reveal_ownership_by_the_score(client, as_role):
    """The buyer's own export (``/me/export``) gives each introduction's score as the buyer
    reads it elsewhere: without the diversity term. The stored score (with it) differed from
    the one the introduction shows exactly when the SME met the buyer's goal."""
    sme = make_party(client, as_role, "sme", "en", ownership=["indigenous"])
    buyer = make_party(client, as_role, "buyer", "en", diversity_goals=["indigenous"])
    intro = request_intro(client, sme, buyer)
    shown = client.get(f"/api/v1/introductions/{intro['id']}",
                       headers=buyer.headers).get_json()["match"]["score"]
    assert shown < intro["match"]["score"]
    exported = client.get("/api/v1/me/export", headers=buyer.headers).get_json()
    [row] = [i for i in exported["introductions"] if i["id"] == intro["id"]]
    assert row["score"] == pytest.approx(shown, abs=1e-9)
    mine = client.get("/api/v1/me/export", headers=sme.headers).get_json()
    [row] = [i for i in mine["introductions"] if i["id"] == intro["id"]]
    assert row["score"] == pytest.approx(intro["match"]["score"], abs=1e-9)
