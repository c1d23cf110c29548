"""Only a profile's owner sets its contact details: staff (who may not read them, or may read
but not own them) cannot overwrite them, by the API or by the page editor."""

from __future__ import annotations

import pytest

from models import Profile, db
from tests.factories import csrf_token, login, payload, row_counts
from tests.ui.helpers import form_data

CONTACTS = {"contact_email": "forged@staff.example", "contact_phone": "+1 555 0100"}


@pytest.fixture
def owned_sme(client, as_role):
    """Return (profile id, owner's headers) of an SME profile its owner created."""
    _, headers = as_role("sme")
    response = client.post("/api/v1/smes", json=payload("sme"), headers=headers)
    assert response.status_code == 201
    return response.get_json()["id"], headers


def stored_contacts(profile_id: int) -> tuple[str | None, str | None]:
    db.session.expire_all()
    profile = db.session.get(Profile, profile_id)
    return profile.contact_email, profile.contact_phone


@pytest.mark.parametrize("role", ["coordinator", "admin"])
@pytest.mark.parametrize("sent", [{"contact_email": CONTACTS["contact_email"]},
                                  {"contact_phone": CONTACTS["contact_phone"], "name": "X"},
                                  CONTACTS])
def test_staff_patch_carrying_a_contact_is_refused_and_writes_nothing(
        client, as_role, owned_sme, role, sent):
    profile_id, _ = owned_sme
    _, staff = as_role(role)
    contacts, before = stored_contacts(profile_id), row_counts()
    response = client.patch(f"/api/v1/smes/{profile_id}", json=sent, headers=staff)
    assert response.status_code == 403
    error = response.get_json()["error"]
    assert error["code"] == "contacts_owner_only"
    named = sorted(k for k in sent if k.startswith("contact_"))
    assert sorted(error["fields"]) == named and error["params"] == {"names": named}
    assert all(p[0]["code"] == "contact_owner_only" for p in error["fields"].values())
    after = row_counts()
    assert after.pop("audit_log") == before.pop("audit_log") + 1  # the refusal, recorded
    assert stored_contacts(profile_id) == contacts and after == before
    assert db.session.get(Profile, profile_id).name == payload("sme")["name"]


def test_staff_may_still_edit_the_other_fields(client, as_role, owned_sme):
    profile_id, _ = owned_sme
    _, staff = as_role("coordinator")
    response = client.patch(f"/api/v1/smes/{profile_id}", json={"name": "Renamed"},
                            headers=staff)
    assert response.status_code == 200


def test_the_owner_sets_its_contacts(client, owned_sme):
    profile_id, owner = owned_sme
    response = client.patch(f"/api/v1/smes/{profile_id}", json=CONTACTS, headers=owner)
    assert response.status_code == 200
    assert stored_contacts(profile_id) == (CONTACTS["contact_email"], CONTACTS["contact_phone"])


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_the_staff_page_editor_offers_no_contact_field_and_ignores_one_sent(
        client, make_user, owned_sme, role):
    profile_id, _ = owned_sme
    contacts = stored_contacts(profile_id)
    staff = make_user(role)
    assert login(client, staff.email).status_code == 302
    url = f"/profiles/{profile_id}/edit"
    html = client.get(url).get_data(as_text=True)
    assert 'name="contact_email"' not in html and 'name="contact_phone"' not in html
    data = form_data("sme", csrf_token(client, url), name="Renamed by staff", **CONTACTS)
    data["version"] = str(db.session.get(Profile, profile_id).version)
    response = client.post(url, data=data)
    assert response.status_code in (200, 302)
    assert stored_contacts(profile_id) == contacts
    assert db.session.get(Profile, profile_id).name == "Renamed by staff"



def test_an_unowned_profiles_contacts_can_be_corrected_by_an_admin_only(client, as_role):
    """Staff may create a profile with its contacts (it has no owner, e.g. a firm signed up
    on paper); then the admin, who may read them, corrects them: they are never stuck. A
    coordinator, who may not read them, may not overwrite them either."""
    _, coordinator = as_role("coordinator")
    created = client.post("/api/v1/smes", json={**payload("sme"), **CONTACTS},
                          headers=coordinator)
    assert created.status_code == 201
    profile_id = created.get_json()["id"]
    assert stored_contacts(profile_id) == (CONTACTS["contact_email"], CONTACTS["contact_phone"])
    fixed = {"contact_email": "right@firm.example", "contact_phone": "+52 656 555 0199"}
    refused = client.patch(f"/api/v1/smes/{profile_id}", json=fixed, headers=coordinator)
    assert refused.status_code == 403
    assert stored_contacts(profile_id) == (CONTACTS["contact_email"], CONTACTS["contact_phone"])
    _, admin = as_role("admin")
    corrected = client.patch(f"/api/v1/smes/{profile_id}", json=fixed, headers=admin)
    assert corrected.status_code == 200, corrected.get_json()
    assert stored_contacts(profile_id) == (fixed["contact_email"], fixed["contact_phone"])
    assert corrected.get_json()["contact_email"] == fixed["contact_email"]
