"""Ranked matches through the API: four pairings, reasons in three languages, filters,
permissions, privacy and freshness after profile writes."""

from __future__ import annotations

import pytest

from tests.factories import COLLECTION, payload

MENTOR_ES = payload("mentor", name="Rosa Delgado")
MENTOR_EN_FAR = payload(
    "mentor", name="Bill Carter", subdivision="US-MI", city="Detroit", languages=["en"],
    markets=["CA"], sectors=["541611"], expertise=["financing"],
    bio="Corporate finance and bank lending for Michigan manufacturers.",
)
MENTOR_MX = payload(
    "mentor", name="Laura Treviño", country="MX", subdivision="MX-CHH", city="Chihuahua",
    languages=["es"], markets=["US"],
    bio="Calidad automotriz, IATF 16949 y reglas de origen del T-MEC.",
)


@pytest.fixture
def coordinator(as_role):
    return as_role("coordinator")[1]


def create(client, headers, kind, body):
    response = client.post(f"/api/v1/{COLLECTION[kind]}", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def matches(client, headers, kind, profile_id, query="", status=200):
    response = client.get(f"/api/v1/{COLLECTION[kind]}/{profile_id}/matches?{query}",
                          headers=headers)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def names(body) -> list[str]:
    return [m["profile"]["name"] for m in body["matches"]]


def test_spanish_speaking_sme_gets_the_spanish_speaking_quality_mentor_first(
        client, coordinator):
    sme = create(client, coordinator, "sme", payload("sme", languages=["es"]))
    create(client, coordinator, "mentor", MENTOR_EN_FAR)
    create(client, coordinator, "mentor", MENTOR_ES)
    body = matches(client, coordinator, "sme", sme)
    assert names(body)[0] == "Rosa Delgado"
    assert "Bill Carter" not in names(body)  # no shared language: filtered for mentorship
    assert body["model_version"]
    best = body["matches"][0]
    assert 0 < best["score"] <= 1
    assert set(best["profile"]) == {"id", "kind", "name", "country", "subdivision", "city",
                                    "sectors", "languages"}
    codes = {reason["code"] for reason in best["reasons"]}
    assert "shared_language" in codes


def test_reasons_are_rendered_in_the_requested_language(client, coordinator):
    sme = create(client, coordinator, "sme", payload("sme"))
    create(client, coordinator, "mentor", MENTOR_ES)
    messages = {lang: [r["message"] for r in
                       matches(client, coordinator, "sme", sme, f"lang={lang}")
                       ["matches"][0]["reasons"]]
                for lang in ("en", "es", "fr")}
    assert messages["en"] and messages["en"] != messages["es"] != messages["fr"]
    codes = {lang: [r["code"] for r in matches(client, coordinator, "sme", sme,
                                               f"lang={lang}")["matches"][0]["reasons"]]
             for lang in ("en", "es", "fr")}
    assert codes["en"] == codes["es"] == codes["fr"]


def test_the_users_language_preference_chooses_the_reasons_language(client, as_role):
    _, french = as_role("coordinator", locale="fr")
    sme = create(client, french, "sme", payload("sme"))
    create(client, french, "mentor", MENTOR_ES)
    english = matches(client, french, "sme", sme, "lang=en")["matches"][0]["reasons"]
    default = matches(client, french, "sme", sme)["matches"][0]["reasons"]
    assert default[0]["message"] != english[0]["message"]
    assert default == matches(client, french, "sme", sme, "lang=fr")["matches"][0]["reasons"]


@pytest.mark.parametrize("query_kind, candidate_kind", [
    ("sme", "mentor"), ("sme", "buyer"), ("buyer", "sme"), ("mentor", "sme")])
def test_all_four_pairings(client, coordinator, query_kind, candidate_kind):
    ids = {kind: create(client, coordinator, kind, payload(kind))
           for kind in ("sme", "mentor", "buyer")}
    body = matches(client, coordinator, query_kind, ids[query_kind], f"kind={candidate_kind}")
    assert [m["profile"]["id"] for m in body["matches"]] == [ids[candidate_kind]]
    assert body["matches"][0]["profile"]["kind"] == candidate_kind


def test_matches_never_include_contact_details(client, as_role):
    _, admin = as_role("admin")
    sme = create(client, admin, "sme", payload("sme"))
    create(client, admin, "mentor", MENTOR_ES)
    text = client.get(f"/api/v1/smes/{sme}/matches", headers=admin).get_data(as_text=True)
    assert MENTOR_ES["contact_email"] not in text and "contact_" not in text


def test_cross_border_only_and_country_filters(client, coordinator):
    sme = create(client, coordinator, "sme", payload("sme"))
    create(client, coordinator, "mentor", MENTOR_ES)  # US
    create(client, coordinator, "mentor", MENTOR_MX)  # MX, like the SME
    assert set(names(matches(client, coordinator, "sme", sme))) == {"Rosa Delgado",
                                                                    "Laura Treviño"}
    only = matches(client, coordinator, "sme", sme, "cross_border=only")
    assert names(only) == ["Rosa Delgado"]
    assert names(matches(client, coordinator, "sme", sme, "country=MX")) == ["Laura Treviño"]


def test_k_limits_the_number_of_matches(client, coordinator):
    sme = create(client, coordinator, "sme", payload("sme"))
    for i, extra in enumerate(("GT", "DE", "FR", "JP")):  # not copies of each other
        create(client, coordinator, "mentor",
               payload("mentor", name=f"Mentor {i}", markets=["MX", extra]))
    assert len(matches(client, coordinator, "sme", sme, "k=2")["matches"]) == 2


def test_a_mentor_copied_into_a_second_account_is_listed_once(client, coordinator):
    sme = create(client, coordinator, "sme", payload("sme"))
    create(client, coordinator, "mentor", payload("mentor"))
    create(client, coordinator, "mentor", payload("mentor", name="Rosa D.",
                                                   contact_email="rosa2@mentor.example"))
    create(client, coordinator, "mentor", MENTOR_MX)
    shown = names(matches(client, coordinator, "sme", sme))
    assert shown[0] == "Rosa Delgado" and "Rosa D." not in shown and len(shown) == 2


def test_inactive_and_full_mentors_never_appear(client, coordinator):
    sme = create(client, coordinator, "sme", payload("sme"))
    create(client, coordinator, "mentor", payload("mentor", name="Inactive", active=False))
    create(client, coordinator, "mentor", payload("mentor", name="Full", capacity=0))
    create(client, coordinator, "mentor", MENTOR_ES)
    assert names(matches(client, coordinator, "sme", sme)) == ["Rosa Delgado"]


@pytest.fixture(params=[0, 60_000], ids=["refresh every ranking", "refresh once a minute"])
def refresh_ms(request, app):
    """Rank with the matching state refreshed before every ranking, and at most once a
    minute: either way this process's own writes show at once."""
    app.config["PUENTE_MATCHING_REFRESH_MS"] = request.param
    return request.param


def test_profile_writes_show_in_the_next_ranking(client, coordinator, refresh_ms):
    sme = create(client, coordinator, "sme", payload("sme"))
    assert matches(client, coordinator, "sme", sme)["matches"] == []
    mentor = create(client, coordinator, "mentor", MENTOR_ES)
    assert names(matches(client, coordinator, "sme", sme)) == ["Rosa Delgado"]
    client.patch(f"/api/v1/mentors/{mentor}", json={"name": "Rosa D."}, headers=coordinator)
    assert names(matches(client, coordinator, "sme", sme)) == ["Rosa D."]
    client.patch(f"/api/v1/mentors/{mentor}", json={"active": False}, headers=coordinator)
    assert matches(client, coordinator, "sme", sme)["matches"] == []
    client.patch(f"/api/v1/mentors/{mentor}", json={"active": True}, headers=coordinator)
    assert names(matches(client, coordinator, "sme", sme)) == ["Rosa D."]
    client.delete(f"/api/v1/mentors/{mentor}", headers=coordinator)
    assert matches(client, coordinator, "sme", sme)["matches"] == []


def test_another_workers_write_shows_in_the_next_ranking(client, coordinator, app,
                                                         monkeypatch):
    # The write is made as another worker's would be: this process never learns of it by
    # its own commits, only by the change log's newest number read with the owner's profile.
    from webapp.services import matching

    app.config["PUENTE_MATCHING_REFRESH_MS"] = 60_000
    monkeypatch.setattr(matching, "committed_profile_writes", lambda: 0)
    sme = create(client, coordinator, "sme", payload("sme"))
    assert matches(client, coordinator, "sme", sme)["matches"] == []
    mentor = create(client, coordinator, "mentor", MENTOR_ES)
    assert names(matches(client, coordinator, "sme", sme)) == ["Rosa Delgado"]
    client.patch(f"/api/v1/mentors/{mentor}", json={"active": False}, headers=coordinator)
    assert matches(client, coordinator, "sme", sme)["matches"] == []


def test_query_profile_edits_change_the_ranking(client, coordinator, refresh_ms):
    sme = create(client, coordinator, "sme", payload("sme", languages=["es"]))
    create(client, coordinator, "mentor", MENTOR_EN_FAR)
    assert matches(client, coordinator, "sme", sme)["matches"] == []
    client.patch(f"/api/v1/smes/{sme}", json={"languages": ["es", "en"]}, headers=coordinator)
    assert names(matches(client, coordinator, "sme", sme)) == ["Bill Carter"]


def test_owner_may_rank_own_profile_but_not_others(client, as_role, coordinator):
    owner_user, owner = as_role("sme")
    mine = create(client, owner, "sme", payload("sme"))
    _, other = as_role("sme")
    create(client, coordinator, "mentor", MENTOR_ES)
    assert names(matches(client, owner, "sme", mine)) == ["Rosa Delgado"]
    body = matches(client, other, "sme", mine, status=403)
    assert body["error"]["code"] == "matches_forbidden"
    assert client.get(f"/api/v1/smes/{mine}/matches").status_code == 401


@pytest.mark.parametrize("query, field", [
    ("k=0", "k"), ("k=51", "k"), ("k=ten", "k"), ("cross_border=maybe", "cross_border"),
    ("country=BR", "country"), ("lang=de", "lang"), ("kind=robot", "kind"),
    ("kind=sme", "kind"), ("language_required=perhaps", "language_required"),
    ("colour=red", "colour"),
])
def test_bad_parameters_name_the_field(client, coordinator, query, field):
    sme = create(client, coordinator, "sme", payload("sme"))
    body = matches(client, coordinator, "sme", sme, query, status=422)
    assert field in body["error"]["fields"]


def test_unknown_profile_is_404(client, coordinator):
    body = matches(client, coordinator, "sme", 999, status=404)
    assert body["error"]["code"] == "profile_not_found"


def test_paused_or_no_longer_available_mentors_are_hidden(client, coordinator):
    sme = create(client, coordinator, "sme", payload("sme"))
    mentor = create(client, coordinator, "mentor", MENTOR_ES)
    create(client, coordinator, "mentor", payload("mentor", name="Gone",
                                                  available_until="2020-01-01T00:00:00+00:00"))
    assert names(matches(client, coordinator, "sme", sme)) == ["Rosa Delgado"]
    client.patch(f"/api/v1/mentors/{mentor}", json={"paused": True}, headers=coordinator)
    assert matches(client, coordinator, "sme", sme)["matches"] == []
    client.patch(f"/api/v1/mentors/{mentor}", json={"paused": False}, headers=coordinator)
    assert names(matches(client, coordinator, "sme", sme)) == ["Rosa Delgado"]


def test_a_mentor_leaves_the_rankings_when_its_available_until_passes(client, coordinator,
                                                                      monkeypatch):
    """No write happens when the date passes, so no change-log entry tells the workers: each
    one's index must notice the date itself (the clock is moved forward, not the database)."""
    from datetime import timedelta

    from webapp.services import matching

    sme = create(client, coordinator, "sme", payload("sme"))
    soon = matching.utcnow() + timedelta(hours=1)
    create(client, coordinator, "mentor", {**MENTOR_ES, "available_until": soon.isoformat()})
    assert names(matches(client, coordinator, "sme", sme)) == ["Rosa Delgado"]
    later = soon + timedelta(minutes=1)
    monkeypatch.setattr(matching, "utcnow", lambda: later)
    assert matches(client, coordinator, "sme", sme)["matches"] == []
