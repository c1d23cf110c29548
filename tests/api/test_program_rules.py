"""Program rules through the API: who may read and change them, validation, versions (412),
the audit trail, the preview, and the rankings (API matches, snapshots, cohorts) obeying them."""

from __future__ import annotations

import pytest

from models import AuditEntry, ProgramRule, db
from tests.factories import COLLECTION, payload, row_counts

URL = "/api/v1/program/rules"

MENTOR_NEAR_MX = payload(  # same country as the SME, covers its needs
    "mentor", name="Laura Treviño", country="MX", subdivision="MX-CHH", city="Chihuahua",
    languages=["es"], markets=["US"])
MENTOR_US = payload("mentor", name="Rosa Delgado")  # across the border, covers its needs
MENTOR_US_FINANCE = payload(  # across the border, covers none of its needs
    "mentor", name="Ana Ruiz", expertise=["financing"], languages=["es", "en"],
    bio="Crédito a la exportación y financiamiento bancario.")
MENTOR_EN = payload("mentor", name="Bill Carter", languages=["en"])  # no shared language


@pytest.fixture
def staff(as_role):
    return as_role("coordinator")[1]


@pytest.fixture
def program(client, staff):
    """An SME and four mentors; returns their ids by name."""
    ids = {"sme": create(client, staff, "sme", payload("sme", name="Autopartes"))}
    for body in (MENTOR_NEAR_MX, MENTOR_US, MENTOR_US_FINANCE, MENTOR_EN):
        ids[body["name"]] = create(client, staff, "mentor", body)
    return ids


def create(client, headers, kind, body) -> int:
    response = client.post(f"/api/v1/{COLLECTION[kind]}", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def ranked(client, headers, sme_id, query="") -> list[str]:
    response = client.get(f"/api/v1/smes/{sme_id}/matches?kind=mentor&k=10&{query}",
                          headers=headers)
    assert response.status_code == 200, response.get_json()
    return [m["profile"]["name"] for m in response.get_json()["matches"]]


def change(client, headers, body, method="patch", status=200, **extra):
    response = getattr(client, method)(URL, json=body, headers={**headers, **extra})
    assert response.status_code == status, response.get_json()
    return response


# -- reading and defaults --------------------------------------------------------------------

def test_defaults_are_no_rule_and_the_models_weights(client, staff):
    response = client.get(URL, headers=staff)
    assert response.status_code == 200
    assert response.headers["ETag"] == '"0"'
    body = response.get_json()
    assert set(body) == {"sme_mentor", "sme_buyer", "mentor_sme", "buyer_sme", "version",
                         "weight_range"}
    mentorship = body["sme_mentor"]
    assert mentorship == {"language_required": False, "cross_border_only": False,
                          "min_score": 0.0, "needs_covered_required": False,
                          "weights": dict.fromkeys(mentorship["weights"], 1.0)}
    assert "sourcing" in body["sme_buyer"]["weights"]
    assert "needs_covered_required" not in body["sme_buyer"]


@pytest.mark.parametrize("role", ["sme", "mentor", "buyer"])
def test_participants_may_neither_read_nor_change_rules(client, as_role, staff, role):
    _, headers = as_role(role)
    assert client.get(URL, headers=headers).status_code == 403
    for method in ("put", "patch"):
        response = getattr(client, method)(URL, json={"sme_mentor": {"min_score": 0.5}},
                                           headers=headers)
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "staff_only_rules"
    assert client.post(f"{URL}/preview", json={}, headers=headers).status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(ProgramRule)) == 0


def test_anonymous_is_401(client):
    assert client.get(URL).status_code == 401


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_staff_change_a_rule_and_read_it_back(client, as_role, role):
    _, headers = as_role(role)
    response = change(client, headers, {"sme_mentor": {"min_score": 0.4,
                                                       "weights": {"needs": 2.5}}})
    assert response.headers["ETag"] == '"1"'
    body = client.get(URL, headers=headers).get_json()
    assert body["sme_mentor"]["min_score"] == 0.4
    assert body["sme_mentor"]["weights"]["needs"] == 2.5
    assert body["sme_mentor"]["weights"]["sector"] == 1.0
    assert body["sme_buyer"]["min_score"] == 0.0
    assert body["version"] == 1


def test_patch_merges_and_put_replaces(client, staff):
    change(client, staff, {"sme_mentor": {"cross_border_only": True,
                                          "weights": {"needs": 2.0}}})
    change(client, staff, {"sme_mentor": {"weights": {"sector": 0.5}}})
    merged = client.get(URL, headers=staff).get_json()["sme_mentor"]
    assert merged["cross_border_only"] is True
    assert (merged["weights"]["needs"], merged["weights"]["sector"]) == (2.0, 0.5)
    change(client, staff, {"sme_buyer": {"min_score": 0.3}}, method="put")
    replaced = client.get(URL, headers=staff).get_json()
    assert replaced["sme_mentor"]["cross_border_only"] is False
    assert replaced["sme_mentor"]["weights"]["needs"] == 1.0
    assert replaced["sme_buyer"]["min_score"] == 0.3
    assert replaced["version"] == 3


def test_putting_an_empty_set_puts_every_rule_back_to_its_default(client, staff):
    defaults = client.get(URL, headers=staff).get_json()
    change(client, staff, {"sme_mentor": {"cross_border_only": True, "weights": {"needs": 2.0}},
                           "buyer_sme": {"min_score": 0.4}})
    reset = change(client, staff, {}, method="put").get_json()
    assert {k: v for k, v in reset.items() if k != "version"} == {
        k: v for k, v in defaults.items() if k != "version"}
    assert reset["version"] == 2


# -- validation ------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "field"), [
    ({"sme_mentor": {"min_score": 1.5}}, "sme_mentor.min_score"),
    ({"sme_mentor": {"min_score": -0.1}}, "sme_mentor.min_score"),
    ({"sme_mentor": {"min_score": "high"}}, "sme_mentor.min_score"),
    ({"sme_mentor": {"weights": {"sector": 6}}}, "sme_mentor.weights.sector"),
    ({"sme_mentor": {"weights": {"sector": -1}}}, "sme_mentor.weights.sector"),
    ({"sme_mentor": {"weights": {"charm": 1}}}, "sme_mentor.weights.charm"),
    ({"sme_mentor": {"weights": {"sourcing": 1}}}, "sme_mentor.weights.sourcing"),
    ({"sme_mentor": {"weights": {"sector": "2"}}}, "sme_mentor.weights.sector"),
    ({"sme_mentor": {"weights": ["sector"]}}, "sme_mentor.weights"),
    ({"sme_buyer": {"needs_covered_required": True}}, "sme_buyer.needs_covered_required"),
    ({"sme_mentor": {"language_required": "perhaps"}}, "sme_mentor.language_required"),
    ({"sme_mentor": {"cross_border_only": 1}}, "sme_mentor.cross_border_only"),
    ({"sme_mentor": {"colour": "red"}}, "sme_mentor.colour"),
    ({"sme_seller": {"min_score": 0.1}}, "sme_seller"),
    ([1, 2], "body"),
])
@pytest.mark.parametrize("method", ["put", "patch"])
def test_bad_values_are_422_naming_the_field_and_write_nothing(client, staff, body, field,
                                                               method):
    before = row_counts()
    response = change(client, staff, body, method=method, status=422)
    error = response.get_json()["error"]
    assert field in error["fields"], error
    assert all(p["message"] for p in error["fields"][field])
    assert row_counts() == before


def test_a_patch_that_changes_nothing_is_422(client, staff):
    response = change(client, staff, {}, method="patch", status=422)
    assert [p["code"] for p in response.get_json()["error"]["fields"]["body"]] == [
        "give_a_field"]


def test_non_finite_weights_are_422(client, staff):
    response = client.patch(URL, data='{"sme_mentor": {"weights": {"sector": NaN}}}',
                            headers={**staff, "Content-Type": "application/json"})
    assert response.status_code in (415, 422)
    assert client.get(URL, headers=staff).get_json()["version"] == 0


def test_a_body_that_is_not_json_is_415(client, staff):
    response = client.put(URL, data="min_score=1", headers={
        **staff, "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    assert client.get(URL, headers=staff).get_json()["version"] == 0


def test_unknown_factor_is_named_with_the_known_ones(client, staff):
    response = change(client, staff, {"mentor_sme": {"weights": {"charm": 2}}}, status=422)
    [problem] = response.get_json()["error"]["fields"]["mentor_sme.weights.charm"]
    assert problem["code"] == "unknown_factor"
    assert "needs" in problem["message"] and "sourcing" not in problem["message"]


# -- versions --------------------------------------------------------------------------------

def test_a_stale_if_match_is_412_and_changes_nothing(client, staff):
    etag = client.get(URL, headers=staff).headers["ETag"]
    change(client, staff, {"sme_mentor": {"min_score": 0.2}}, **{"If-Match": etag})
    response = change(client, staff, {"sme_mentor": {"min_score": 0.9}}, status=412,
                      **{"If-Match": etag})
    assert response.get_json()["error"]["code"] == "rules_changed"
    assert client.get(URL, headers=staff).get_json()["sme_mentor"]["min_score"] == 0.2
    fresh = client.get(URL, headers=staff).headers["ETag"]
    change(client, staff, {"sme_mentor": {"min_score": 0.9}}, method="put",
           **{"If-Match": fresh})


def test_an_unchanged_rule_set_keeps_its_version(client, staff):
    change(client, staff, {"sme_mentor": {"min_score": 0.2}})
    response = change(client, staff, {"sme_mentor": {"min_score": 0.2}})
    assert response.headers["ETag"] == '"1"'
    assert len(audit_entries()) == 1


# -- audit -----------------------------------------------------------------------------------

def audit_entries() -> list[AuditEntry]:
    return db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action == "program_rules.change").order_by(AuditEntry.id)).all()


def test_every_change_is_audited_with_before_and_after(client, as_role):
    user, headers = as_role("coordinator")
    change(client, headers, {"sme_mentor": {"min_score": 0.25, "weights": {"text": 0}}})
    change(client, headers, {"sme_buyer": {"cross_border_only": True}}, method="put")
    first, second = audit_entries()
    assert first.actor_id == user.id and second.actor_id == user.id
    assert first.details["before"]["sme_mentor"]["min_score"] == 0.0
    assert first.details["after"]["sme_mentor"]["min_score"] == 0.25
    assert first.details["after"]["sme_mentor"]["weights"]["text"] == 0.0
    assert second.details["before"] == first.details["after"]
    assert second.details["after"]["sme_mentor"]["min_score"] == 0.0
    assert second.details["after"]["sme_buyer"]["cross_border_only"] is True
    assert (first.details["version"], second.details["version"]) == (1, 2)


# -- rankings obey the rules -----------------------------------------------------------------

def test_default_rules_leave_the_ranking_as_it_was(client, staff, program):
    before = ranked(client, staff, program["sme"], "language_required=false")
    change(client, staff, {"sme_mentor": {"min_score": 0.0, "weights": {"sector": 1.0}}})
    assert ranked(client, staff, program["sme"], "language_required=false") == before
    assert "Bill Carter" in before and "Bill Carter" not in ranked(client, staff,
                                                                    program["sme"])


def test_cross_border_only_applies_to_the_api_ranking(client, staff, program):
    assert "Laura Treviño" in ranked(client, staff, program["sme"])
    change(client, staff, {"sme_mentor": {"cross_border_only": True}})
    shown = ranked(client, staff, program["sme"])
    assert "Laura Treviño" not in shown and "Rosa Delgado" in shown
    # a caller's "prefer" cannot lift a program rule
    assert "Laura Treviño" not in ranked(client, staff, program["sme"], "cross_border=prefer")


def test_language_rule_cannot_be_lifted_by_the_caller(client, staff, program):
    assert "Bill Carter" in ranked(client, staff, program["sme"], "language_required=false")
    change(client, staff, {"sme_mentor": {"language_required": True}})
    assert "Bill Carter" not in ranked(client, staff, program["sme"],
                                       "language_required=false")


def test_needs_covered_and_min_score_apply(client, staff, program):
    assert "Ana Ruiz" in ranked(client, staff, program["sme"])
    change(client, staff, {"sme_mentor": {"needs_covered_required": True}})
    assert "Ana Ruiz" not in ranked(client, staff, program["sme"])
    scores = client.get(f"/api/v1/smes/{program['sme']}/matches?kind=mentor",
                        headers=staff).get_json()["matches"]
    cut = (scores[0]["score"] + scores[-1]["score"]) / 2
    change(client, staff, {"sme_mentor": {"min_score": round(cut, 4)}})
    kept = client.get(f"/api/v1/smes/{program['sme']}/matches?kind=mentor",
                      headers=staff).get_json()["matches"]
    assert kept and len(kept) < len(scores)
    assert all(m["score"] >= round(cut, 4) for m in kept)


def test_weights_change_the_order_and_the_contributions(client, staff, program):
    url = f"/api/v1/smes/{program['sme']}/matches?kind=mentor"
    # Rosa is across the border, in the SME's market; Laura knows that market (the US).
    change(client, staff, {"sme_mentor": {"weights": {"cross_border": 5, "markets": 0}}})
    abroad_first = client.get(url, headers=staff).get_json()["matches"]
    assert abroad_first[0]["profile"]["name"] == "Rosa Delgado"
    assert all(m["contributions"]["markets"] == 0 for m in abroad_first)
    change(client, staff, {"sme_mentor": {"weights": {"cross_border": 0, "markets": 5,
                                                      "location": 0}}})
    market_first = client.get(url, headers=staff).get_json()["matches"]
    assert market_first[0]["profile"]["name"] == "Laura Treviño"
    assert all(m["contributions"]["cross_border"] == 0 for m in market_first)


def test_a_rule_of_one_pairing_leaves_the_others_alone(client, staff, program):
    mentor_view = client.get(f"/api/v1/mentors/{program['Laura Treviño']}/matches",
                             headers=staff).get_json()["matches"]
    change(client, staff, {"sme_mentor": {"min_score": 1.0}})
    assert ranked(client, staff, program["sme"]) == []
    assert client.get(f"/api/v1/mentors/{program['Laura Treviño']}/matches",
                      headers=staff).get_json()["matches"] == mentor_view


def test_introduction_snapshots_use_the_weights(client, as_role, staff, program):
    user, headers = as_role("sme")
    sme = create(client, headers, "sme", payload("sme", name="Mine"))
    change(client, staff, {"sme_mentor": {"weights": {"needs": 0}}})
    response = client.post("/api/v1/introductions", json={
        "target_id": program["Rosa Delgado"], "message": "Hola"}, headers=headers)
    assert response.status_code == 201, response.get_json()
    match = client.get(f"/api/v1/introductions/{response.get_json()['id']}",
                       headers=headers).get_json()["match"]
    assert match["contributions"]["needs"] == 0
    assert sme


def test_cohorts_apply_the_sme_mentor_rules(client, staff, program):
    mentors = [program[name] for name in ("Laura Treviño", "Rosa Delgado", "Ana Ruiz")]
    request = {"smes": {"ids": [program["sme"]]}, "mentors": {"ids": mentors},
               "options": {"mentors_per_sme": 3, "language_required": False}}
    before = client.post("/api/v1/cohorts", json=request, headers=staff).get_json()
    assert {p["mentor_id"] for p in before["result"]["pairs"]} == set(mentors)
    change(client, staff, {"sme_mentor": {"cross_border_only": True,
                                          "needs_covered_required": True}})
    after = client.post("/api/v1/cohorts", json=request, headers=staff).get_json()
    assert {p["mentor_id"] for p in after["result"]["pairs"]} == {program["Rosa Delgado"]}


def test_rules_stored_by_another_worker_apply_to_the_next_ranking(client, staff, program):
    ranked(client, staff, program["sme"])  # this process has built its indexes
    db.session.add(ProgramRule(pairing="sme_mentor", cross_border_only=True, weights={}))
    db.session.commit()  # as another process would have
    assert "Laura Treviño" not in ranked(client, staff, program["sme"])


def test_rules_changed_by_another_worker_apply_at_once_whatever_the_refresh(
        client, staff, program, app):
    """Issue 13 §5: the next ranking follows a coordinator's change, even in a worker that
    would re-read the rules only a minute later: the rules' version is read with the owner."""
    app.config["PUENTE_MATCHING_REFRESH_MS"] = 60_000
    change(client, staff, {"sme_mentor": {"min_score": 0.01}})  # stored, version 1
    assert "Laura Treviño" in ranked(client, staff, program["sme"])
    row = db.session.get(ProgramRule, "sme_mentor")
    row.cross_border_only, row.version = True, row.version + 1
    db.session.commit()  # as another worker would have: this one is not told
    assert "Laura Treviño" not in ranked(client, staff, program["sme"])


# -- preview ---------------------------------------------------------------------------------

def test_preview_shows_before_and_after_and_stores_nothing(client, staff, program):
    before_rows = row_counts()
    response = client.post(f"{URL}/preview", json={"sme_mentor": {"cross_border_only": True}},
                           headers=staff)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["sample_size"], body["k"]) == (20, 5)
    [entry] = body["pairings"]["sme_mentor"]
    assert entry["profile"] == {"id": program["sme"], "name": "Autopartes"}
    assert program["Laura Treviño"] in [m["id"] for m in entry["before"]]
    assert entry["left"] == [program["Laura Treviño"]]
    assert program["Laura Treviño"] not in [m["id"] for m in entry["after"]]
    assert all(m["name"] for m in entry["before"] + entry["after"])
    assert body["changed"] == {"sme_mentor": 1, "sme_buyer": 0, "mentor_sme": 0,
                               "buyer_sme": 0}
    assert row_counts() == before_rows
    assert client.get(URL, headers=staff).get_json()["version"] == 0


def test_preview_of_bad_rules_is_422(client, staff):
    response = client.post(f"{URL}/preview", json={"sme_mentor": {"min_score": 3}},
                           headers=staff)
    assert response.status_code == 422
    assert "sme_mentor.min_score" in response.get_json()["error"]["fields"]


def test_preview_sample_is_deterministic_and_spread(client, staff):
    ids = [create(client, staff, "sme", payload("sme", name=f"SME {i}")) for i in range(25)]
    first = client.post(f"{URL}/preview", json={}, headers=staff)
    assert first.status_code == 422  # a preview needs a proposal
    body = client.post(f"{URL}/preview", json={"sme_mentor": {"min_score": 0.1}},
                       headers=staff).get_json()
    sampled = [e["profile"]["id"] for e in body["pairings"]["sme_mentor"]]
    assert len(sampled) == 20 and sampled == sorted(sampled)
    assert sampled[0] == ids[0] and sampled[-1] >= ids[19]
    again = client.post(f"{URL}/preview", json={"sme_mentor": {"min_score": 0.1}},
                        headers=staff).get_json()
    assert [e["profile"]["id"] for e in again["pairings"]["sme_mentor"]] == sampled


def test_openapi_documents_the_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    rules = spec["paths"]["/api/v1/program/rules"]
    assert {"get", "put", "patch"} <= set(rules)
    assert "412" in rules["put"]["responses"] and "422" in rules["patch"]["responses"]
    assert "requestBody" in rules["put"]
    assert "post" in spec["paths"]["/api/v1/program/rules/preview"]
