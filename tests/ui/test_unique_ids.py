"""No page repeats an element id (an accessibility checker's duplicate-id rule): several forms
on one page render their CSRF fields without ids, and a field with several errors shows them
in one element (tied to the field by its one id)."""

from __future__ import annotations

import re
from collections import Counter

from tests.factories import csrf_token


def repeated_ids(html: str) -> dict[str, int]:
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    return {name: n for name, n in ids.items() if n > 1}


def test_pages_with_many_forms_repeat_no_id(client, site):
    from tests.factories import login

    people = site("en")
    for email, pages in ((people["staff"], ("/dashboard", "/review-queue", "/account")),
                         (people["sme"], ("/introductions", "/matches", "/account", "/"))):
        login(client, email)
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            html = response.get_data(as_text=True)
            assert html.count('name="csrf_token"') >= 1, page
            assert repeated_ids(html) == {}, page
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


def test_a_field_with_two_errors_shows_them_under_one_id(client, signed_in):
    signed_in("coordinator")
    response = client.get("/impact?from=bogus", headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.count('id="from-error"') == 1
    assert repeated_ids(html) == {}
