"""A query parameter the operation reads once, given more than once, is refused — 422 naming
it, before the operation runs, so nothing is written — where the first value was used and the
others dropped without a word (``?state=accepted&state=declined`` listed the accepted ones).
Which parameters are read once follows from the operation's query schema
(webapp/api/base.py, :func:`refuse_repeated_inputs`); a list field takes every value."""

from __future__ import annotations

import marshmallow as ma
import pytest
from webargs.fields import DelimitedList
from werkzeug.datastructures import MultiDict

from models import Profile, db
from tests.api.test_lang_argument import OPERATIONS
from tests.factories import COLLECTION, payload, row_counts
from webapp.api.base import repeated_single_values

GIVE_ONCE = {"code": "repeated_parameter", "message": "Give this parameter once.",
             "params": {}}


@pytest.fixture
def staff(as_role):
    return as_role("admin")[1]


def created(client, headers, kind="sme") -> int:
    response = client.post(f"/api/v1/{COLLECTION[kind]}", json=payload(kind), headers=headers)
    assert response.status_code == 201
    return response.get_json()["id"]


def refused_naming(response, *names: str) -> dict:
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert (error["code"], sorted(error["fields"])) == ("invalid_fields", sorted(names))
    return error


@pytest.mark.parametrize(("path", "query", "name"), [
    ("/api/v1/introductions", "state=accepted&state=declined", "state"),
    ("/api/v1/introductions", "page=1&page=2", "page"),
    ("/api/v1/smes/{id}/matches", "k=5&k=50", "k"),
    ("/api/v1/smes/{id}/matches", "kind=mentor&kind=buyer", "kind"),
    ("/api/v1/smes", "country=US&country=MX", "country"),
    ("/api/v1/metrics", "from=2025-01-01&from=2025-06-01", "from"),  # a data_key
    ("/api/v1/notifications", "unread=true&unread=false", "unread"),
    ("/api/v1/me", "lang=en&lang=fr", "lang"),  # no query schema: lang is every operation's
    ("/api/v1/smes/{id}/matches", "lang=en&lang=en", "lang"),  # the same value twice too
])
def test_a_parameter_read_once_given_twice_is_refused_naming_it(client, staff, path, query,
                                                                 name):
    sme = created(client, staff)
    url = path.format(id=sme)
    error = refused_naming(client.get(f"{url}?{query}", headers=staff), name)
    assert error["fields"][name] == [GIVE_ONCE]
    assert error["message"] == f"The request has invalid fields: {name}."
    once = query.split("&", 1)[0]
    assert client.get(f"{url}?{once}", headers=staff).status_code == 200


def test_the_refusal_is_in_the_callers_language(client, staff):
    response = client.get("/api/v1/introductions?state=accepted&state=declined&lang=fr",
                          headers=staff)
    assert refused_naming(response, "state")["fields"]["state"] == [{
        "code": "repeated_parameter", "message": "Indiquez ce paramètre une seule fois.",
        "params": {}}]
    spanish = client.get("/api/v1/smes?page=1&page=2", headers={**staff,
                                                                 "Accept-Language": "es"})
    assert refused_naming(spanish, "page")["fields"]["page"][0]["message"] == \
        "Indique este parámetro una sola vez."


def test_a_write_with_a_repeated_parameter_writes_nothing(client, staff):
    before = row_counts()
    refused_naming(client.post("/api/v1/smes?lang=en&lang=es", json=payload("sme"),
                               headers=staff), "lang")
    assert row_counts() == before
    sme = created(client, staff)
    refused_naming(client.patch(f"/api/v1/smes/{sme}?lang=es&lang=es",
                                json={"name": "Otro"}, headers=staff), "lang")
    assert db.session.get(Profile, sme).name == payload("sme")["name"]


def test_every_parameter_given_twice_is_named_and_an_unknown_one_stays_unknown(client, staff):
    sme = created(client, staff)
    error = refused_naming(client.get(f"/api/v1/smes/{sme}/matches?k=5&k=6&page=1&page=2",
                                      headers=staff), "k", "page")
    assert error["params"] == {"names": ["k", "page"]}
    unknown = refused_naming(client.get(f"/api/v1/smes/{sme}?zz=1&zz=2", headers=staff), "zz")
    assert unknown["fields"]["zz"][0]["code"] == "unknown_field"


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_every_operation_refuses_lang_given_twice_before_it_runs(client, as_role, method,
                                                                  path):
    _, headers = as_role("admin")
    before = row_counts()
    response = client.open(f"{path}?lang=en&lang=en", method=method, headers=headers,
                           json={} if method in ("POST", "PUT", "PATCH") else None)
    assert refused_naming(response, "lang")["fields"]["lang"] == [GIVE_ONCE]
    assert row_counts() == before


class ListQuerySchema(ma.Schema):
    ids = ma.fields.List(ma.fields.Integer())
    codes = DelimitedList(ma.fields.String())  # one value, "a,b": webargs reads the first
    state = ma.fields.String()
    from_ = ma.fields.String(data_key="from")


@pytest.mark.parametrize(("query", "refused"), [
    ([("ids", "1"), ("ids", "2"), ("ids", "3")], []),  # a list takes every value
    ([("ids", "1"), ("state", "a"), ("state", "b")], ["state"]),
    ([("codes", "a,b"), ("codes", "c")], ["codes"]),
    ([("from", "x"), ("from", "y"), ("lang", "en"), ("lang", "en")], ["from", "lang"]),
    ([("zz", "1"), ("zz", "2")], []),  # not taken at all: the schema says so (unknown_field)
    ([("state", "a")], []),
])
def test_a_list_field_takes_its_parameter_repeated(query, refused):
    assert repeated_single_values(MultiDict(query), ListQuerySchema()) == refused
