"""Program rules hold for introductions a member asks for, not only for the rankings: a
profile found by its id that the pairing's must-match rules exclude is refused (422 on
``target_id`` naming what fails), nothing written; with the rules off, requests go as before."""

from __future__ import annotations

import pytest

from models import Introduction, db
from tests.api.test_program_rules import (
    MENTOR_EN,
    MENTOR_NEAR_MX,
    MENTOR_US,
    MENTOR_US_FINANCE,
    change,
    create,
)
from tests.factories import payload, row_counts


@pytest.fixture
def staff(as_role):
    return as_role("coordinator")[1]


@pytest.fixture
def mentors(client, staff):
    """The four mentors of ``test_program_rules`` by name: one in Mexico, three in the US (one
    covering none of the SME's needs, one sharing no language with it)."""
    return {body["name"]: create(client, staff, "mentor", body)
            for body in (MENTOR_NEAR_MX, MENTOR_US, MENTOR_US_FINANCE, MENTOR_EN)}


@pytest.fixture
def sme(client, as_role):
    """A signed-in SME owner (Mexico, Spanish, needs the mentors of MENTOR_US cover)."""
    user, headers = as_role("sme")
    create(client, headers, "sme", payload("sme", name="Autopartes del Norte"))
    return headers


def ask(client, headers, target_id, lang=""):
    return client.post(f"/api/v1/introductions{'?lang=' + lang if lang else ''}",
                       json={"target_id": target_id, "message": "Hola"}, headers=headers)


def refused_for(response) -> list[str]:
    assert response.status_code == 422, response.get_json()
    [problem] = response.get_json()["error"]["fields"]["target_id"]
    assert problem["code"] == "excluded_by_program_rules"
    return problem["params"]["rules"]


def test_with_no_rule_a_member_may_ask_anyone_as_before(client, sme, mentors):
    for name in ("Laura Treviño", "Bill Carter", "Ana Ruiz"):
        assert ask(client, sme, mentors[name]).status_code == 201


def test_cross_border_only_refuses_a_same_country_request_and_writes_nothing(
        client, staff, sme, mentors):
    change(client, staff, {"sme_mentor": {"cross_border_only": True}})
    before = row_counts()
    response = ask(client, sme, mentors["Laura Treviño"])
    assert refused_for(response) == ["cross_border_only"]
    assert "same country" in response.get_json()["error"]["fields"]["target_id"][0]["message"]
    assert row_counts() == before
    assert ask(client, sme, mentors["Rosa Delgado"]).status_code == 201  # across the border


def test_each_rule_is_named_in_the_readers_language(client, staff, sme, mentors):
    change(client, staff, {"sme_mentor": {"language_required": True,
                                          "needs_covered_required": True}})
    assert refused_for(ask(client, sme, mentors["Bill Carter"])) == ["language_required"]
    assert refused_for(ask(client, sme, mentors["Ana Ruiz"])) == ["needs_covered_required"]
    es = ask(client, sme, mentors["Bill Carter"], lang="es").get_json()["error"]
    assert "idioma" in es["fields"]["target_id"][0]["message"]
    fr = ask(client, sme, mentors["Ana Ruiz"], lang="fr").get_json()["error"]
    assert "expertise" in fr["fields"]["target_id"][0]["message"]
    assert db.session.scalar(db.select(db.func.count(Introduction.id))) == 0


def test_a_minimum_score_refuses_what_the_ranking_would_not_show(client, staff, sme, mentors):
    change(client, staff, {"sme_mentor": {"min_score": 1.0}})
    assert refused_for(ask(client, sme, mentors["Rosa Delgado"])) == ["min_score"]
    change(client, staff, {"sme_mentor": {"min_score": 0.0}})
    assert ask(client, sme, mentors["Rosa Delgado"]).status_code == 201


def test_every_failing_rule_is_named(client, staff, sme, mentors):
    change(client, staff, {"sme_mentor": {"cross_border_only": True, "min_score": 1.0}})
    assert refused_for(ask(client, sme, mentors["Laura Treviño"])) == ["cross_border_only",
                                                                       "min_score"]


def test_the_rules_of_the_requesters_pairing_apply(client, staff, as_role, mentors):
    """A mentor asking for an SME is held to ``mentor_sme``'s rules, not ``sme_mentor``'s."""
    staff_sme = create(client, staff, "sme", payload("sme", name="Conservas Sonora"))
    _, mentor = as_role("mentor")
    create(client, mentor, "mentor", MENTOR_NEAR_MX)  # in Mexico, like the SME
    change(client, staff, {"sme_mentor": {"cross_border_only": True}})
    assert ask(client, mentor, staff_sme).status_code == 201
    db.session.execute(db.delete(Introduction))
    db.session.commit()
    change(client, staff, {"mentor_sme": {"cross_border_only": True}})
    assert refused_for(ask(client, mentor, staff_sme)) == ["cross_border_only"]


def test_staff_asking_on_behalf_are_held_to_the_rules_too(client, staff, mentors):
    sme_id = create(client, staff, "sme", payload("sme", name="Conservas Sonora"))
    change(client, staff, {"sme_mentor": {"cross_border_only": True}})
    response = client.post("/api/v1/introductions", json={
        "requester_id": sme_id, "target_id": mentors["Laura Treviño"]}, headers=staff)
    assert refused_for(response) == ["cross_border_only"]
    assert db.session.scalar(db.select(db.func.count(Introduction.id))) == 0


def test_a_minimum_score_holds_a_buyer_to_the_score_its_ranking_shows(client, staff, as_role):
    """A buyer's ranking of SMEs leaves the diversity term out (the buyer may not learn an
    SME's ownership), so a request is judged on that score too: two SMEs alike but for a
    declared ownership the buyer's goal names are refused alike. Judged on the full score,
    the one meeting the goal was accepted though never shown — which told the buyer its
    ownership."""
    _, buyer = as_role("buyer")
    buyer_id = create(client, buyer, "buyer", payload("buyer", diversity_goals=["women"]))
    declared = create(client, staff, "sme", payload("sme", name="Declared", ownership=["women"]))
    undeclared = create(client, staff, "sme", payload("sme", name="Undeclared", ownership=[]))
    shown = client.get(f"/api/v1/buyers/{buyer_id}/matches?plain=true",
                       headers=staff).get_json()["matches"]
    score = {m["profile"]["id"]: m["score"] for m in shown}
    assert score[declared] > score[undeclared]
    change(client, staff, {"buyer_sme": {"min_score": (score[declared] + score[undeclared]) / 2}})
    seen = client.get(f"/api/v1/buyers/{buyer_id}/matches", headers=buyer).get_json()["matches"]
    assert not {declared, undeclared} & {m["profile"]["id"] for m in seen}
    before = row_counts()
    for sme_id in (undeclared, declared):
        assert refused_for(ask(client, buyer, sme_id)) == ["min_score"], sme_id
    assert row_counts() == before
    # Staff may see ownership: asking on the buyer's behalf, the full score counts.
    response = client.post("/api/v1/introductions", json={
        "requester_id": buyer_id, "target_id": declared}, headers=staff)
    assert response.status_code == 201, response.get_json()
