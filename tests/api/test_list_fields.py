"""Issue 15 #4 and #7: list fields are bounded sets, and every profile the API shows — a
retired (anonymised) one included — keeps to the published contract."""

import pytest
import schemathesis

from models import Profile, db
from tests.factories import COLLECTION, payload, row_counts

OWNERSHIP = ["women", "indigenous", "minority", "veteran"]
# field -> (kind, a valid value to repeat, the bound)
BOUNDED = {
    "ownership": ("sme", "veteran", 4),
    "certifications": ("sme", "ISO 9001", 30),
    "needs": ("sme", "certification", 14),
    "sectors": ("sme", "336390", 10),
    "languages": ("sme", "es", 12),
    "markets": ("sme", "US", 60),
    "expertise": ("mentor", "certification", 14),
    "required_certifications": ("buyer", "PrimusGFS", 30),
    "sourcing_countries": ("buyer", "MX", 60),
    "diversity_goals": ("buyer", "women", 4),
}


def test_ownership_is_a_set(client, as_role):
    _, headers = as_role("sme")
    body = payload("sme", ownership=["veteran", "women", "veteran", "women"])
    created = client.post("/api/v1/smes", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["ownership"] == ["veteran", "women"]


def test_a_repeated_ownership_group_counts_once_in_the_metrics(client, as_role):
    from tests.intro_factories import act, make_party, request_intro

    sme = make_party(client, as_role, "sme", ownership=["veteran"] * 4)
    mentor = make_party(client, as_role, "mentor")
    intro = request_intro(client, sme, mentor)
    assert act(client, mentor, intro["id"], "accept").status_code == 200
    _, staff = as_role("coordinator")
    metrics = client.get("/api/v1/metrics", headers=staff).get_json()
    assert metrics["acceptance_by_ownership"]["veteran"]["accepted"] == 1


@pytest.mark.parametrize("field", sorted(BOUNDED))
def test_every_list_field_is_bounded(client, as_role, field):
    kind, value, bound = BOUNDED[field]
    _, headers = as_role(kind if kind != "sme" else "coordinator")
    before = row_counts()
    response = client.post(f"/api/v1/{COLLECTION[kind]}", headers=headers,
                           json=payload(kind, **{field: [value] * (bound + 1)}))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert row_counts() == before


def test_a_huge_ownership_list_is_refused_and_stores_nothing(client, as_role):
    _, headers = as_role("sme")
    before = row_counts()
    response = client.post("/api/v1/smes", headers=headers,
                           json=payload("sme", ownership=OWNERSHIP * 20_000))  # 100 KB
    assert response.status_code == 422
    assert "ownership" in response.get_json()["error"]["fields"]
    assert row_counts() == before


def test_the_contract_publishes_every_bound(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    for field, (kind, _, bound) in BOUNDED.items():
        name = {"sme": "Sme", "mentor": "Mentor", "buyer": "Buyer"}[kind]
        assert spec[name]["properties"][field].get("maxItems") == bound, field


def test_listing_profiles_with_a_retired_one_keeps_to_the_contract(client, as_role):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", client.application)
    _, sme = as_role("sme")
    created = client.post("/api/v1/smes", json=payload("sme"), headers=sme).get_json()
    assert client.delete("/api/v1/me", headers=sme,
                         json={"password": "correct horse battery"}).status_code == 204
    db.session.expire_all()
    assert db.session.get(Profile, created["id"]).user_id is None  # retired, kept
    _, staff = as_role("coordinator")
    listed = client.get("/api/v1/smes?active=false", headers=staff)
    assert [p["id"] for p in listed.get_json()["items"]] == [created["id"]]
    schema["/api/v1/smes"]["GET"].validate_response(listed)
    one = client.get(f"/api/v1/smes/{created['id']}", headers=staff)
    schema["/api/v1/smes/{profile_id}"]["GET"].validate_response(one)




def test_diversity_goals_are_a_set(client, as_role):
    _, headers = as_role("buyer")
    body = payload("buyer", diversity_goals=["women", "veteran", "women"])
    created = client.post("/api/v1/buyers", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["diversity_goals"] == ["women", "veteran"]


def test_a_buyer_stored_without_diversity_goals_can_still_be_edited(client, as_role):
    """Buyers written before the field existed (and the demo's, seeded by bulk insert) hold
    NULL: they read as no goals, and a PATCH of another field is not refused for it."""
    _, headers = as_role("buyer")
    created = client.post("/api/v1/buyers", json=payload("buyer"), headers=headers).get_json()
    db.session.execute(db.update(Profile).where(Profile.id == created["id"])
                       .values(diversity_goals=None))
    db.session.commit()
    read = client.get(f"/api/v1/buyers/{created['id']}", headers=headers)
    assert read.get_json()["diversity_goals"] == []
    response = client.patch(f"/api/v1/buyers/{created['id']}", json={"name": "Renamed"},
                            headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["name"] == "Renamed"
