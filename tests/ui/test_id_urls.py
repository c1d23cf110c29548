"""Per-item URLs built once with a placeholder id equal those url_for builds."""

from __future__ import annotations

import pytest
from flask import url_for

from webapp.ui.id_urls import IdUrl


@pytest.mark.parametrize(("endpoint", "name", "values"), [
    ("ui.profile_detail", "profile_id", {}),
    ("ui.mark_match", "candidate_id", {"verb": "hide", "kind": "buyer", "page": "2"}),
    ("ui.mark_match", "candidate_id", {"verb": "save", "q": "2147483647"}),
])
def test_an_id_url_equals_url_for(app, endpoint, name, values):
    with app.test_request_context("/"):
        url = IdUrl(endpoint, name, **values)
        for item_id in (1, 42, 2_147_483_646, 2_147_483_647):
            assert url(item_id) == url_for(endpoint, **{name: item_id}, **values)
