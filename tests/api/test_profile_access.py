"""Who may create a profile of a kind is settled before what was sent."""

from __future__ import annotations

import pytest

from models import AuditEntry, db
from tests.factories import row_counts


@pytest.mark.parametrize("role, collection, kind", [
    ("sme", "mentors", "mentor"), ("mentor", "buyers", "buyer"), ("buyer", "smes", "sme")])
@pytest.mark.parametrize("body", [{"name": ""}, {"foo": 1}, {}])
def test_a_member_creating_a_profile_of_another_kind_is_403_before_its_inputs(
        client, as_role, role, collection, kind, body):
    user, headers = as_role(role)
    before = row_counts()
    before.pop("audit_log")
    response = client.post(f"/api/v1/{collection}?lang=es", json=body, headers=headers)
    assert response.status_code == 403, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "profile_kind_forbidden" and error["fields"] == {}
    assert error["params"] == {"role": role, "kind": kind}
    assert error["message"].startswith("Una cuenta de ") and "%(" not in error["message"]
    after = row_counts()
    after.pop("audit_log")
    assert after == before
    assert db.session.scalars(db.select(AuditEntry.actor_id).where(
        AuditEntry.action == "access.denied")).all() == [user.id]
