"""Who may call an operation is settled before what it was sent: 401 (not signed in), then
403 (a role the operation is not for, recorded as ``access.denied``), then 422 (its inputs).
A caller who may not use an operation learns nothing of its query parameters or body fields,
and a refusal writes nothing but its audit entry."""

from __future__ import annotations

import re

import pytest

from models import AuditEntry, db
from tests.factories import csrf_token, login, row_counts
from webapp.api.blueprints import OPERATION_BLUEPRINTS

# Operations anyone may call (their OpenAPI document says ``security: []``).
PUBLIC = {("auth.Tokens", "POST"), ("auth.PasswordResetRequest", "POST"),
          ("auth.PasswordReset", "POST"), ("taxonomy.Naics", "GET"), ("taxonomy.Needs", "GET"),
          ("taxonomy.Languages", "GET"), ("taxonomy.Countries", "GET"),
          ("taxonomy.Subdivisions", "GET"), ("taxonomy.Certifications", "GET")}
WRITES = ("POST", "PUT", "PATCH", "DELETE")


def access_denied() -> list[tuple]:
    """Return ``(actor_id, endpoint, method)`` of every ``access.denied`` entry."""
    db.session.expire_all()
    return [(e.actor_id, e.details["endpoint"], e.details["method"]) for e in db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "access.denied"))]


def rows() -> dict[str, int]:
    """Return the number of rows of every table but the audit log's."""
    counts = row_counts()
    counts.pop("audit_log", None)
    return counts


def call(client, method: str, path: str, body=None, headers=None):
    return client.open(f"/api/v1{path}", method=method, json=body, headers=headers or {})


def code_of(response) -> str:
    return response.get_json()["error"]["code"]


# -- 401 before 422 --------------------------------------------------------------------------

ANONYMOUS = [
    ("GET", "/me?x=1", None), ("GET", "/me/export?x=1", None),
    ("GET", "/introductions/1?x=1", None), ("GET", "/models?x=1", None),
    ("GET", "/cohorts/1?x=1", None), ("GET", "/jobs/abc?x=1", None),
    ("POST", "/models/train", {"foo": 1}), ("POST", "/models/x/activate", {"foo": 1}),
    ("POST", "/me/verification", {"foo": 1}), ("DELETE", "/auth/tokens/1", {"foo": 1}),
    ("GET", "/smes?country=ZZ", None), ("GET", "/smes/1/matches?k=0", None),
    ("POST", "/smes", {"name": ""}), ("PATCH", "/mentors/1", {"capacity": "lots"}),
    ("GET", "/introductions?state=nope", None), ("POST", "/introductions", {}),
    ("POST", "/introductions/1/decline", {"reason_code": "nope"}),
    ("POST", "/introductions/1/messages", {"body": 7}),
    ("POST", "/introductions/1/outcomes", {"stage": "nope"}),
    ("GET", "/notifications?per_page=1000", None), ("POST", "/notifications/read", {"x": 1}),
    ("GET", "/metrics?country=ZZ", None), ("GET", "/audit?per_page=1000", None),
    ("GET", "/impact?country=ZZ", None), ("PUT", "/impact/rates/2024/MXN", {"x": 1}),
    ("POST", "/exports", {"export": "nope"}), ("PUT", "/program/rules", {"foo": 1}),
    ("POST", "/me/password", {}), ("DELETE", "/me", {}), ("GET", "/auth/tokens?x=1", None),
    ("GET", "/me?lang=xx", None), ("GET", "/me?q=%00", None),
    ("POST", "/me/verification", {"note": "\u0000"}),
]


@pytest.mark.parametrize("method, path, body", ANONYMOUS)
def test_an_anonymous_call_with_bad_inputs_is_401(client, method, path, body):
    before = rows()
    response = call(client, method, path, body)
    assert response.status_code == 401, response.get_json()
    assert code_of(response) == "unauthorized"
    assert response.get_json()["error"]["fields"] == {}
    assert rows() == before and access_denied() == []


def test_an_anonymous_call_whose_body_is_not_json_is_401(client):
    response = client.post("/api/v1/cohorts", data="x", content_type="text/plain")
    assert response.status_code == 401 and code_of(response) == "unauthorized"


def concrete(rule: str) -> str:
    """Return a path of the rule with every URL argument filled in."""
    return re.sub(r"<[^>]*>", "1", rule)


def test_every_operation_but_the_public_ones_is_401_before_its_inputs(app, client):
    """Every operation of the API, whatever its inputs, asks a signed-in caller first."""
    answered = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in OPERATION_BLUEPRINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            body = {"zz": 1} if method in WRITES else None
            response = call(client, method, concrete(rule.rule).removeprefix("/api/v1") +
                            "?zz=1&lang=xx", body)
            answered[(rule.endpoint, method)] = response.status_code
    assert {key for key, status in answered.items() if status != 401} == PUBLIC
    assert all(answered[key] == 422 for key in PUBLIC)  # their inputs are still checked


def test_the_document_says_which_operations_need_a_signed_in_caller(client):
    document = client.get("/api/v1/openapi.json").get_json()
    public, signed_in = set(), set()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            (public if operation.get("security") == [] else signed_in).add((path, method))
            if operation.get("security") != []:
                assert "401" in operation["responses"], (path, method)
    assert len(public) == len(PUBLIC)
    assert ("/api/v1/metrics", "get") in signed_in


# -- 403 before 422 --------------------------------------------------------------------------

RATE = {"units_per_usd": 18.3, "source": "test"}  # a number where a string is expected

FORBIDDEN = [
    ("sme", "POST", "/cohorts", {"foo": 1}, "staff_only_cohorts", "cohorts.Cohorts"),
    ("sme", "PATCH", "/cohorts/1", {"foo": 1}, "staff_only_cohorts", "cohorts.CohortItem"),
    ("mentor", "GET", "/cohorts/1?x=1", None, "staff_only_cohorts", "cohorts.CohortItem"),
    ("buyer", "POST", "/cohorts/1/confirm", {"foo": 1}, "staff_only_cohorts",
     "cohorts.Confirm"),
    ("sme", "POST", "/exports", {"export": "nope"}, "staff_only_exports", "exports.Exports"),
    ("sme", "GET", "/metrics?country=ZZ", None, "staff_only_metrics", "metrics.Metrics"),
    ("mentor", "GET", "/metrics?lang=xx", None, "staff_only_metrics", "metrics.Metrics"),
    ("sme", "GET", "/impact?country=ZZ", None, "staff_only_impact", "outcomes.Impact"),
    ("sme", "GET", "/impact/rates?x=1", None, "staff_only_impact", "outcomes.Rates"),
    ("sme", "GET", "/audit?per_page=1000", None, "admin_only_audit", "audit.AuditLog"),
    ("coordinator", "GET", "/audit?per_page=1000", None, "admin_only_audit", "audit.AuditLog"),
    ("sme", "PUT", "/impact/rates/2024/MXN", RATE, "admin_only_rates", "outcomes.Rate"),
    ("coordinator", "PUT", "/impact/rates/2024/MXN", RATE, "admin_only_rates",
     "outcomes.Rate"),
    ("coordinator", "PUT", "/impact/rates/2024/MXN", {"foo": 1}, "admin_only_rates",
     "outcomes.Rate"),
    ("sme", "GET", "/models?x=1", None, "staff_only_models", "models.Versions"),
    ("sme", "POST", "/models/train", {"foo": 1}, "staff_only_models", "models.Train"),
    ("buyer", "POST", "/models/x/activate", {"foo": 1}, "staff_only_models",
     "models.Activate"),
    ("sme", "GET", "/program/rules?x=1", None, "staff_only_rules", "program_rules.Rules"),
    ("sme", "PATCH", "/program/rules", {"foo": 1}, "staff_only_rules", "program_rules.Rules"),
    ("mentor", "POST", "/program/rules/preview?x=1", {"foo": 1}, "staff_only_rules",
     "program_rules.Preview"),
    ("sme", "POST", "/introductions/1/review", {"rating": 9}, "staff_only_reviews",
     "introductions.Review"),
    ("sme", "GET", "/metrics?q=%00", None, "staff_only_metrics", "metrics.Metrics"),
    ("sme", "POST", "/cohorts", {"note": "\u0000"}, "staff_only_cohorts", "cohorts.Cohorts"),
]


@pytest.mark.parametrize("role, method, path, body, code, endpoint", FORBIDDEN)
def test_a_member_on_a_staff_operation_with_bad_inputs_is_403_and_recorded(
        client, as_role, role, method, path, body, code, endpoint):
    user, headers = as_role(role)
    before = rows()
    response = call(client, method, path, body, headers)
    assert response.status_code == 403, response.get_json()
    assert code_of(response) == code
    assert response.get_json()["error"]["fields"] == {}
    assert rows() == before
    assert access_denied() == [(user.id, endpoint, method)]


def test_a_member_sending_a_staff_operation_a_body_that_is_not_json_is_403(client, as_role):
    user, headers = as_role("sme")
    response = client.post("/api/v1/cohorts", data="x", content_type="text/plain",
                           headers=headers)
    assert response.status_code == 403 and code_of(response) == "staff_only_cohorts"
    assert access_denied() == [(user.id, "cohorts.Cohorts", "POST")]


def test_a_caller_signed_in_by_its_session_cookie_is_refused_alike(client, make_user):
    user = make_user("sme")
    login(client, user.email)
    response = client.post("/api/v1/cohorts", json={"foo": 1},
                           headers={"X-CSRFToken": csrf_token(client, "/")})
    assert response.status_code == 403 and code_of(response) == "staff_only_cohorts"
    assert client.get("/api/v1/metrics?country=ZZ").status_code == 403
    assert access_denied() == [(user.id, "cohorts.Cohorts", "POST"),
                               (user.id, "metrics.Metrics", "GET")]


def test_a_staff_cookie_write_without_its_csrf_token_is_refused_before_its_inputs(
        client, make_user):
    login(client, make_user("coordinator").email)
    response = client.post("/api/v1/cohorts", json={"foo": 1})
    assert response.status_code == 400 and code_of(response) == "csrf_failed"


# -- 422 once the caller may call ------------------------------------------------------------

ALLOWED = [
    ("coordinator", "GET", "/metrics?country=ZZ", None, "country"),
    ("coordinator", "GET", "/impact?country=ZZ", None, "country"),
    ("coordinator", "POST", "/cohorts", {"foo": 1}, "foo"),
    ("coordinator", "POST", "/exports", {"export": "nope"}, "export"),
    ("coordinator", "GET", "/models?x=1", None, "x"),
    ("coordinator", "GET", "/program/rules?x=1", None, "x"),
    ("admin", "GET", "/audit?per_page=1000", None, "per_page"),
    ("admin", "PUT", "/impact/rates/2024/MXN", RATE, "units_per_usd"),
    ("sme", "GET", "/me?x=1", None, "x"),
    ("sme", "GET", "/jobs/abc?x=1", None, "x"),
    ("sme", "DELETE", "/auth/tokens/1", {"foo": 1}, "foo"),
]


@pytest.mark.parametrize("role, method, path, body, field", ALLOWED)
def test_a_caller_who_may_call_still_has_its_inputs_checked(client, as_role, role, method,
                                                            path, body, field):
    _, headers = as_role(role)
    response = call(client, method, path, body, headers)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert access_denied() == []


@pytest.mark.parametrize("method, path, body, field", [
    ("GET", "/taxonomy/needs?x=1", None, "x"), ("GET", "/taxonomy/needs?lang=xx", None, "lang"),
    ("POST", "/auth/tokens", {"foo": 1}, "foo"),
    ("POST", "/auth/password-reset", {"foo": 1}, "foo"),
])
def test_public_operations_check_an_anonymous_callers_inputs(client, method, path, body,
                                                             field):
    response = call(client, method, path, body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]


def test_public_operations_answer_anonymous_callers(client):
    assert client.get("/api/v1/taxonomy/needs?lang=es").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200
