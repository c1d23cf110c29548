"""CSV rows of the exports (webapp/services/exports.py), without the web layer."""

from __future__ import annotations

import csv
import io

import pytest

from webapp.errors import Forbidden
from webapp.services import exports


@pytest.mark.parametrize("cell, shown", [
    ("=SUM(A1:A9)", "'=SUM(A1:A9)"), ("+1", "'+1"), ("-1+2", "'-1+2"), ("@cmd", "'@cmd"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("MX-US", "MX-US"), ("a=b", "a=b"), ("", ""),
    (None, ""), (-0.5, -0.5), (3, 3),
])
def test_cells_never_start_a_formula(cell, shown):
    assert exports.safe_cell(cell) == shown


def test_csv_text_has_a_header_and_quotes_what_needs_it():
    text = exports.to_csv(("a", "b"), [("x,y", None), ("=1", 'say "hi"')])
    assert text == 'a,b\r\n"x,y",\r\n\'=1,"say ""hi"""\r\n'
    assert list(csv.reader(io.StringIO(text))) == [["a", "b"], ["x,y", ""],
                                                   ["'=1", 'say "hi"']]


def test_flatten_names_list_items_by_their_key():
    data = {"bucket": "day", "periods": [{"start": "2026-03-01", "total": 2}],
            "deciles": [{"decile": 3, "rate": 1.0}], "plain": [7, 8]}
    assert list(exports.flatten(data)) == [
        (("bucket",), "day"), (("periods", "start=2026-03-01", "total"), 2),
        (("deciles", "decile=3", "rate"), 1.0), (("plain", "0"), 7), (("plain", "1"), 8)]


@pytest.mark.parametrize("role", ["sme", "mentor", "buyer"])
def test_only_staff_export(make_user, role):
    user = make_user(role)
    with pytest.raises(Forbidden):
        exports.introduction_rows(user, {})
    with pytest.raises(Forbidden):
        exports.metric_rows(user, {})


def test_staff_export_an_empty_program(make_user):
    user = make_user("coordinator")
    assert exports.introduction_rows(user, {}) == []
    rows = exports.metric_rows(user, {})
    assert ("introductions", "", "value", 0) in rows
    assert ("acceptance_rate", "", "value", None) in rows
    assert all(len(row) == len(exports.METRICS_HEADER) for row in rows)
