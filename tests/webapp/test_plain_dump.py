"""The compiled dump gives exactly what marshmallow's dump gives, for every value it is handed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import marshmallow as ma
import pytest

from tests.factories import COLLECTION, payload
from webapp.schemas.fields import NameList, naics_codes
from webapp.schemas.plain_dump import plain_dumper
from webapp.schemas.profiles import PauseEnd

UTC = dt.UTC


class Sample(ma.Schema):
    text = ma.fields.String()
    count = ma.fields.Integer()
    ratio = ma.fields.Float(allow_none=True)
    flag = ma.fields.Boolean()
    at = ma.fields.AwareDateTime()
    day = ma.fields.Date()
    codes = naics_codes()
    names = NameList()
    until = PauseEnd(allow_none=True)
    counted = ma.fields.Integer(as_string=True)
    nested = ma.fields.List(ma.fields.List(ma.fields.Float()))


VALUES = [
    {"text": "Maquila", "count": 3, "ratio": 0.25, "flag": True,
     "at": dt.datetime(2026, 12, 3, 7, 5, 1, 123456, tzinfo=UTC), "day": dt.date(2026, 1, 2),
     "codes": ["336390"], "names": ["ISO 9001"], "until": dt.date(2999, 1, 1), "counted": 7,
     "nested": [[1, 2.5], []]},
    # Values of other types than the field's own: converted as marshmallow converts them.
    {"text": 42, "count": True, "ratio": 3, "flag": 1, "counted": 8.0, "codes": ("a", 5),
     "nested": [[Decimal("1.5")]], "until": dt.date(2000, 1, 1)},
    {"text": None, "count": None, "ratio": None, "flag": None, "at": None, "day": None,
     "codes": None, "names": [], "until": None},
    {},  # nothing given: nothing dumped
    {"ratio": Decimal("0.1"), "count": 2**40},
]


@pytest.mark.parametrize("values", VALUES)
def test_same_as_marshmallow_value_for_value(values):
    schema = Sample()
    dumped = plain_dumper(schema)(values)
    assert dumped == schema.dump(values)
    # Types too (3 and 3.0 compare equal, but a client reads "3" and "3.0").
    assert {k: repr(v) for k, v in dumped.items()} == {
        k: repr(v) for k, v in schema.dump(values).items()}


def test_float_fields_turn_whole_numbers_into_floats():
    assert plain_dumper(Sample())({"ratio": 3})["ratio"] == 3.0
    assert isinstance(plain_dumper(Sample())({"ratio": 3})["ratio"], float)


def test_schemas_that_rename_or_hook_are_left_to_marshmallow():
    class Renamed(ma.Schema):
        name = ma.fields.String(data_key="label")
        shown = ma.fields.Integer(dump_default=5)

    class Hooked(ma.Schema):
        name = ma.fields.String()

        @ma.post_dump
        def shout(self, data, **kwargs):
            return {k: v.upper() for k, v in data.items()}

    assert plain_dumper(Renamed())({"name": "x"}) == {"label": "x", "shown": 5}
    assert plain_dumper(Hooked())({"name": "x"}) == {"name": "X"}


@pytest.mark.parametrize("kind", ("sme", "mentor", "buyer"))
def test_the_list_shows_each_profile_as_its_own_page_does(client, as_role, kind):
    """The list is dumped by the compiled dump, one profile's page by marshmallow: they agree,
    field for field, for the owner, the staff and another user (who sees no contacts)."""
    _, owner_headers = as_role(kind)
    _, staff = as_role("coordinator")
    _, other = as_role("sme" if kind != "sme" else "mentor")
    changes = {"mentor": {"paused_until": (dt.date.today() + dt.timedelta(days=9)).isoformat(),
                          "available_until": "2099-01-01T00:00:00+00:00"},
               "sme": {"ownership": ["women"], "latitude": 31.7, "longitude": -106.4},
               "buyer": {"diversity_goals": ["indigenous"]}}[kind]
    collection = COLLECTION[kind]
    mine = client.post(f"/api/v1/{collection}", json=payload(kind, **changes),
                       headers=owner_headers)
    assert mine.status_code == 201, mine.get_json()
    for n in range(3):
        made = client.post(f"/api/v1/{collection}", headers=staff,
                           json=payload(kind, name=f"Listed {n}", contact_phone=None))
        assert made.status_code == 201, made.get_json()
    for headers in (owner_headers, staff, other):
        items = client.get(f"/api/v1/{collection}?per_page=100", headers=headers).get_json()
        assert len(items["items"]) == 4
        for item in items["items"]:
            page = client.get(f"/api/v1/{collection}/{item['id']}", headers=headers)
            assert item == page.get_json()
    seen_by_other = client.get(f"/api/v1/{collection}", headers=other).get_json()["items"]
    assert all("contact_email" not in item for item in seen_by_other)
    seen_by_owner = client.get(f"/api/v1/{collection}", headers=owner_headers).get_json()
    [own] = [i for i in seen_by_owner["items"] if i["id"] == mine.get_json()["id"]]
    assert own["contact_email"] == payload(kind)["contact_email"]
