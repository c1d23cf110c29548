"""What the database can store (models/storable.py): each rule written once, asked everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from models.storable import MAX_ID, has_unstorable, unstorable_paths, valid_id

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("value", "ok"), [(1, True), (MAX_ID, True), (0, False),
                                            (-1, False), (MAX_ID + 1, False)])
def test_valid_ids_fit_a_postgresql_integer(value, ok):
    assert valid_id(value) is ok and MAX_ID == 2_147_483_647


@pytest.mark.parametrize(("value", "found"), [
    ("a\x00b", True), ("plain", False), (["ok", ("x\x00",)], True), ({"k": ["\x00"]}, True),
    ({"k\x00": 1}, True), (7, False), (None, False),
    ("a\ud800", True), ("\udfff", True), ({"\udc00": 1}, True), ("Tacos 🌮", False),
    ("é ñ ç « » — ✓", False),
])
def test_has_unstorable_looks_inside_lists_and_dicts(value, found):
    assert has_unstorable(value) is found


def test_unstorable_paths_name_every_field():
    body = {"name": "a\x00", "tags": ["ok", "b\x00"], "nested": {"k\x00": 1},
            "text": "x\ud800", "\ud800": "y"}
    assert sorted(unstorable_paths(body)) == [
        "\\ud800", "name", "nested.k\\x00", "tags.1", "text"]


@pytest.mark.parametrize("pattern", [r"2\s*\*\*\s*31", r"2147483647", r"MAX_ID\s*=",
                                     r"[\"']\\x00[\"']\s+(not\s+)?in\b"])
def test_each_rule_is_written_once(pattern):
    places = [str(path.relative_to(ROOT)) for folder in ("webapp", "models")
              for path in (ROOT / folder).rglob("*.py")
              if re.search(pattern, path.read_text(encoding="utf-8"))
              and path.name != "storable.py"]
    assert places == []
