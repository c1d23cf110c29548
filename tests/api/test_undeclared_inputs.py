"""Every body and query is validated: an operation refuses a query parameter or a body field
it does not take (422 naming it), before it runs, so nothing is written — also where the
operation takes no arguments at all (a DELETE, an activation, a training run)."""

from __future__ import annotations

import pytest

from models import Profile, db
from tests.factories import COLLECTION, payload, row_counts


@pytest.fixture
def staff(as_role):
    return as_role("admin")[1]


def created(client, headers, kind="sme") -> int:
    response = client.post(f"/api/v1/{COLLECTION[kind]}", json=payload(kind), headers=headers)
    assert response.status_code == 201
    return response.get_json()["id"]


def refused_naming(response, name: str) -> None:
    assert response.status_code == 422, response.get_json()
    problems = response.get_json()["error"]["fields"][name]
    assert problems[0]["code"] == "unknown_field"


def test_a_body_field_on_an_operation_that_takes_no_body_is_refused(client, staff):
    sme = created(client, staff)
    before = row_counts()
    refused_naming(client.delete(f"/api/v1/smes/{sme}", json={"foo": 1}, headers=staff), "foo")
    refused_naming(client.post("/api/v1/models/train", json={"foo": 1}, headers=staff), "foo")
    after = row_counts()
    after.pop("audit_log"), before.pop("audit_log")
    assert after == before and db.session.get(Profile, sme) is not None
    assert client.delete(f"/api/v1/smes/{sme}", headers=staff).status_code == 204
    assert client.delete(f"/api/v1/smes/{sme + 1000}", json={}, headers=staff).status_code == 404


@pytest.mark.parametrize("method, path", [
    ("get", "/api/v1/smes/{id}"), ("patch", "/api/v1/smes/{id}"), ("get", "/api/v1/me"),
    ("delete", "/api/v1/smes/{id}"),
])
def test_a_query_parameter_an_operation_does_not_take_is_refused(client, staff, method, path):
    sme = created(client, staff)
    before = row_counts()
    body = {"name": "Renamed"} if method == "patch" else None
    response = getattr(client, method)(path.format(id=sme) + "?zz=1", json=body, headers=staff)
    refused_naming(response, "zz")
    after = row_counts()
    after.pop("audit_log"), before.pop("audit_log")
    assert after == before
    assert db.session.get(Profile, sme).name == payload("sme")["name"]
    # lang is every operation's
    ok = getattr(client, method)(path.format(id=sme) + "?lang=es", json=body, headers=staff)
    assert ok.status_code in (200, 204)
