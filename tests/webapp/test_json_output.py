"""The app's JSON is written by orjson and reads as Flask's own would."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from flask import Flask, jsonify
from flask.json.provider import DefaultJSONProvider

from webapp.json_output import OrjsonProvider


@dataclass
class Point:
    x: int
    label: str


def value():
    return {"when": datetime(2026, 12, 4, 9, 30, tzinfo=UTC), "price": Decimal("12.50"),
            "id": uuid.UUID("12345678-1234-5678-1234-567812345678"), "point": Point(1, "a"),
            7: "an int key", "name": "Société Coopérative Ñandú", "score": 0.1 + 0.2,
            "nothing": None, "list": [1, 2.5, True]}


def flask_app(provider: type) -> Flask:
    app = Flask(__name__)
    app.json = provider(app)
    app.json.sort_keys = False
    return app


def test_documents_parse_as_flasks_own_json():
    ours, flasks = flask_app(OrjsonProvider), flask_app(DefaultJSONProvider)
    with ours.app_context():
        written = jsonify(value())
    with flasks.app_context():
        expected = jsonify(value())
    assert written.mimetype == "application/json"
    assert json.loads(written.data) == json.loads(expected.data)
    parsed = json.loads(written.data)
    assert parsed["when"] == "Fri, 04 Dec 2026 09:30:00 GMT"  # Flask's HTTP date, not ISO
    assert parsed["price"] == "12.50" and parsed["point"] == {"x": 1, "label": "a"}
    assert parsed["7"] == "an int key"
    assert "Ñandú".encode() in written.data  # UTF-8, not \u escapes
    assert list(parsed) == [str(key) for key in value()]  # the order it was given in


def test_an_integer_beyond_64_bits_is_written_by_json():
    app = flask_app(OrjsonProvider)
    with app.app_context():
        assert json.loads(jsonify({"huge": 2**70, "name": "Ñandú"}).data) == {
            "huge": 2**70, "name": "Ñandú"}


def test_what_json_cannot_write_is_refused_as_by_flask():
    app = flask_app(OrjsonProvider)
    with app.app_context(), pytest.raises(TypeError):
        app.json.dumps({"x": object()})


def test_debug_mode_and_a_callers_arguments_indent_as_flask_does():
    app = flask_app(OrjsonProvider)
    app.debug = True
    with app.app_context():
        assert jsonify({"a": 1}).data == b'{\n  "a": 1\n}\n'
    assert app.json.dumps({"a": 1}, indent=1) == '{\n "a": 1\n}'


def test_the_api_answers_in_utf8_json(client, as_role):
    _, headers = as_role("coordinator")
    response = client.get("/api/v1/mentors?per_page=5", headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == json.loads(response.data.decode("utf-8"))
