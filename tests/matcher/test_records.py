"""Tests of matcher.records."""

import dataclasses

import pytest

from matcher import InvalidRecordError, ProfileRecord


def test_from_mapping_ignores_unknown_keys_and_makes_tuples():
    record = ProfileRecord.from_mapping({
        "id": 7, "kind": "mentor", "country": "MX", "languages": ["es", "en"],
        "expertise": ["financing"], "email": "private@example.com", "bio": None,
    })
    assert record.languages == ("es", "en")
    assert record.expertise == ("financing",)
    assert record.bio == ""
    assert not hasattr(record, "email")


@pytest.mark.parametrize("mapping", [
    {"kind": "sme", "country": "MX"},
    {"id": 1, "country": "MX"},
    {"id": 1, "kind": "sme"},
    {"id": 1, "kind": "coordinator", "country": "MX"},
    {"id": "1", "kind": "sme", "country": "MX"},
])
def test_from_mapping_rejects_bad_records(mapping):
    with pytest.raises(InvalidRecordError):
        ProfileRecord.from_mapping(mapping)


def test_records_are_frozen():
    record = ProfileRecord(id=1, kind="sme", country="US")
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.name = "other"  # type: ignore[misc]


@pytest.mark.parametrize(("fields", "eligible"), [
    ({}, True),
    ({"active": False}, False),
    ({"paused": True}, False),
    ({"capacity_left": 0}, False),
    ({"capacity_left": None}, True),
    ({"capacity_left": 3}, True),
])
def test_eligible(fields, eligible):
    assert ProfileRecord(id=1, kind="mentor", country="CA", **fields).eligible is eligible


def test_located_needs_both_finite_coordinates():
    assert ProfileRecord(id=1, kind="sme", country="US", latitude=1.0, longitude=2.0).located
    assert not ProfileRecord(id=1, kind="sme", country="US", latitude=1.0).located
    assert not ProfileRecord(id=1, kind="sme", country="US", latitude=float("nan"),
                             longitude=2.0).located
