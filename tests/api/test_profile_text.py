"""Profile text is stored in one Unicode form: an accent typed as a combining mark is found
by a search typed with the accented letter, and repeats in either form are one."""

from __future__ import annotations

from tests.factories import payload
from tests.ui.test_profiles import make_profile

DECOMPOSED = "Cafe\u0301 de Quere\u0301taro"  # "Café de Querétaro", e + combining acute
COMPOSED = "Caf\u00e9 de Quer\u00e9taro"


def test_text_sent_with_combining_accents_is_stored_composed_and_found(client, as_role):
    owner, headers = as_role("sme")
    profile = make_profile(owner, "sme")
    response = client.patch(f"/api/v1/smes/{profile.id}", headers=headers, json={
        "name": DECOMPOSED, "description": f"Tostamos {DECOMPOSED}",
        "certifications": ["Cafe\u0301 Pra\u0301ctico", "Caf\u00e9 Pr\u00e1ctico"]})
    assert response.status_code == 200, response.get_json()
    shown = response.get_json()
    assert shown["name"] == COMPOSED and shown["description"] == f"Tostamos {COMPOSED}"
    assert shown["certifications"] == ["Caf\u00e9 Pr\u00e1ctico"]
    found = client.get("/api/v1/smes", query_string={"q": f"tostamos {COMPOSED}"},
                       headers=headers).get_json()
    assert [item["id"] for item in found["items"]] == [profile.id]
    assert payload("sme")["name"] != COMPOSED
