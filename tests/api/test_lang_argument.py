"""Every API operation takes ``lang`` (en, es or fr): the OpenAPI document lists it on each, and
any other value is refused with a 422 naming it before the operation runs, writing nothing
(webapp/api/base.py, webapp/api/blueprints.py)."""

from __future__ import annotations

import re

import pytest

from models import Profile, db
from tests.factories import payload, row_counts
from webapp import create_app

SAMPLE_PATH_VALUES = {"country": "MX", "year": "2024", "currency": "CAD"}


def operations() -> list[tuple[str, str]]:
    """Return (method, path) of every operation of the OpenAPI document, ids filled in."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "SECRET_KEY": "x"})
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    found = []
    for template, item in spec["paths"].items():
        path = re.sub(r"\{(\w+)\}", lambda m: SAMPLE_PATH_VALUES.get(m.group(1), "1"), template)
        found += [(method.upper(), path) for method in item if method != "parameters"]
    return found


OPERATIONS = operations()


def test_the_document_lists_lang_on_every_operation(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    missing = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            langs = [p for p in operation.get("parameters", [])
                     if p["name"] == "lang" and p["in"] == "query"]
            if len(langs) != 1 or langs[0]["schema"].get("enum") != ["en", "es", "fr"]:
                missing.append(f"{method.upper()} {path}")
    assert len(OPERATIONS) > 80 and missing == []


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_an_unknown_lang_is_refused_before_the_operation_runs(client, as_role, method, path):
    _, headers = as_role("admin")
    before = row_counts()
    response = client.open(f"{path}?lang=de", method=method, headers=headers,
                           json={} if method in ("POST", "PUT", "PATCH") else None)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert (error["code"], list(error["fields"])) == ("invalid_fields", ["lang"])
    assert error["fields"]["lang"] == [{
        "code": "not_one_of", "message": "Choose one of the options.",
        "params": {"choices": ["en", "es", "fr"]}}]
    assert row_counts() == before


def test_a_valid_write_with_an_unknown_lang_writes_nothing(client, as_role):
    _, headers = as_role("coordinator")
    assert client.post("/api/v1/smes?lang=de", json=payload("sme"),
                       headers=headers).status_code == 422
    assert db.session.scalar(db.select(db.func.count(Profile.id))) == 0
    created = client.post("/api/v1/smes?lang=es", json=payload("sme"), headers=headers)
    assert created.status_code == 201
    profile_id = created.get_json()["id"]
    refused = client.patch(f"/api/v1/smes/{profile_id}?lang=de", json={"name": "Otro"},
                           headers=headers)
    assert refused.status_code == 422
    assert client.get(f"/api/v1/smes/{profile_id}", headers=headers).get_json()["name"] == \
        payload("sme")["name"]


@pytest.mark.parametrize("query", ["lang=", "lang=es&lang=de", "lang=de-DE", "lang=e",
                                   "lang=english", "lang=-es", "lang=es-", "lang=es--MX"])
def test_every_lang_value_must_be_one_of_the_three(client, as_role, query):
    _, headers = as_role("sme")
    response = client.get(f"/api/v1/me?{query}", headers=headers)
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["lang"]


def test_a_known_lang_words_the_answer_and_anonymous_callers_are_refused_alike(client):
    assert client.get("/api/v1/me?lang=fr").get_json()["error"]["message"].startswith(
        "Connectez-vous")
    refused = client.get("/api/v1/me?lang=de", headers={"Accept-Language": "es"})
    assert refused.status_code == 401  # who may call comes before its inputs
    assert refused.get_json()["error"]["message"].startswith("Inicie sesión")
    public = client.get("/api/v1/taxonomy/needs?lang=de", headers={"Accept-Language": "es"})
    assert public.status_code == 422
    assert public.get_json()["error"]["message"].startswith("La solicitud")


@pytest.mark.parametrize(("lang", "said"), [("ES", "Inicie sesión"), ("Es", "Inicie sesión"),
                                           ("fr-CA", "Connectez-vous"),
                                           ("FR-ca", "Connectez-vous"), ("en-US", "Sign in"),
                                           ("es-419", "Inicie sesión")])
def test_a_language_tag_is_read_whatever_its_case_and_region(client, as_role, lang, said):
    assert client.get(f"/api/v1/me?lang={lang}").get_json()["error"]["message"].startswith(said)
    _, headers = as_role("sme")
    answered = client.get(f"/api/v1/me?lang={lang}", headers=headers)
    assert answered.status_code == 200
    needs = client.get(f"/api/v1/taxonomy/needs?lang={lang}").get_json()["items"]
    assert needs == client.get(f"/api/v1/taxonomy/needs?lang={said_lang(said)}"
                               ).get_json()["items"]
    refused = client.get(f"/api/v1/smes?lang={lang}&page=0", headers=headers)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["message"] == client.get(
        f"/api/v1/smes?lang={said_lang(said)}&page=0", headers=headers
    ).get_json()["error"]["message"]


def said_lang(said: str) -> str:
    return {"Inicie sesión": "es", "Connectez-vous": "fr", "Sign in": "en"}[said]


def test_pages_read_a_lang_tag_whatever_its_case(client):
    page = client.get("/login?lang=ES", headers={"Accept-Language": "fr"}).get_data(True)
    assert '<html lang="es"' in page


def test_pages_ignore_an_unknown_lang(client):
    assert client.get("/login?lang=de").status_code == 200


def test_the_document_lists_the_422_every_operation_may_answer(client):
    """Every operation refuses a bad ``lang`` with a 422 (and every write a body that is not
    JSON with a 415, or malformed JSON with a 400): the document says so on each."""
    spec = client.get("/api/v1/openapi.json").get_json()
    missing = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            statuses = {"422"} | ({"400", "415"} if method in ("post", "put", "patch", "delete")
                                  else set())
            missing += [f"{method.upper()} {path} {status}"
                        for status in sorted(statuses - set(operation["responses"]))]
    assert missing == []
