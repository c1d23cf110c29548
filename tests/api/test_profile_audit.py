"""The audit log's entries for profile changes name what changed, and only that."""

from __future__ import annotations

import pytest

from models import AuditEntry, db
from tests.factories import COLLECTION, csrf_token, login, payload
from tests.ui.helpers import form_data
from tests.ui.test_profiles import make_profile


def update_entries() -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry)
                                   .where(AuditEntry.action == "profile.update")
                                   .order_by(AuditEntry.id)))


def test_a_patch_is_audited_with_only_the_fields_it_changed(client, as_role, token_for):
    owner, headers = as_role("mentor")
    profile = make_profile(owner, "mentor")
    url = f"/api/v1/{COLLECTION['mentor']}/{profile.id}"

    assert client.patch(url, json={"mode": "virtual"}, headers=headers).status_code == 200
    assert client.patch(url, json={"paused_until": "2099-01-01"},
                        headers=headers).status_code == 200

    admin, admin_headers = as_role("admin")
    page = client.get("/api/v1/audit?action=profile.update", headers=admin_headers).get_json()
    assert [item["details"]["fields"] for item in page["items"]] == [["paused_until"],
                                                                     ["mode"]]


def test_a_patch_giving_the_stored_values_again_is_audited_as_changing_nothing(client,
                                                                               as_role):
    owner, headers = as_role("sme")
    profile = make_profile(owner, "sme")
    response = client.patch(f"/api/v1/smes/{profile.id}", headers=headers,
                            json={"name": payload("sme")["name"], "description": "New"})
    assert response.status_code == 200
    assert [entry.details["fields"] for entry in update_entries()] == [["description"]]


def test_a_coordinators_edit_names_no_contact_field_it_did_not_touch(client, as_role):
    owner, _ = as_role("sme")
    profile = make_profile(owner, "sme")
    _, staff = as_role("coordinator")
    assert client.patch(f"/api/v1/smes/{profile.id}", json={"active": False},
                        headers=staff).status_code == 200
    assert [entry.details["fields"] for entry in update_entries()] == [["active"]]


def test_the_editor_audits_only_the_fields_changed_in_the_form(client, make_user):
    user = make_user("mentor")
    assert login(client, user.email).status_code == 302
    profile = make_profile(user, "mentor")
    path = f"/profiles/{profile.id}/edit"
    data = form_data("mentor", csrf_token(client, path), mode="in_person",
                     version=str(profile.version))
    response = client.post(path, data=data, headers={"Accept-Language": "en"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert [entry.details["fields"] for entry in update_entries()] == [["mode"]]


def test_a_stored_moment_given_again_is_not_named_as_changed(client, as_role):
    owner, headers = as_role("mentor")
    profile = make_profile(owner, "mentor", available_until="2099-06-30T12:00:00+02:00")
    response = client.patch(f"/api/v1/mentors/{profile.id}", headers=headers,
                            json={"capacity": 4, "available_until": "2099-06-30T10:00:00Z"})
    assert response.status_code == 200, response.get_json()
    assert [entry.details["fields"] for entry in update_entries()] == [["capacity"]]


def test_a_profiles_trail_under_object_type_profile_holds_its_writes_and_refusals(
        client, as_role):
    owner, headers = as_role("sme")
    profile = make_profile(owner, "sme")
    _, intruder = as_role("sme")
    url = f"/api/v1/smes/{profile.id}"
    assert client.patch(url, json={"name": "Hijacked"}, headers=intruder).status_code == 403
    assert client.patch(url, json={"name": "Renamed"}, headers=headers).status_code == 200
    _, admin = as_role("admin")
    trail = client.get(f"/api/v1/audit?object_type=profile&object_id={profile.id}",
                       headers=admin).get_json()
    assert [(e["action"], e["object_type"]) for e in reversed(trail["items"])] == [
        ("profile.create", "sme"), ("access.denied", "profile"), ("profile.update", "sme")]
    assert trail["total"] == 3
    by_kind = client.get(f"/api/v1/audit?object_type=sme&object_id={profile.id}",
                         headers=admin).get_json()
    assert [e["action"] for e in reversed(by_kind["items"])] == ["profile.create",
                                                                "profile.update"]


@pytest.mark.parametrize("role", ["owner", "coordinator"])
def test_a_patch_changing_nothing_keeps_the_version(client, as_role, role):
    owner, headers = as_role("sme")
    profile = make_profile(owner, "sme")
    if role == "coordinator":
        _, headers = as_role("coordinator")
    url = f"/api/v1/smes/{profile.id}"
    etag = client.get(url, headers=headers).headers["ETag"]
    same = client.patch(url, json={"name": payload("sme")["name"]}, headers=headers)
    assert same.status_code == 200 and same.headers["ETag"] == etag
    changed = client.patch(url, json={"description": "New"},
                           headers={**headers, "If-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
