"""Browsing matches through the API: pages, search, saving and hiding, and each card's
introduction state; a hidden match is a negative example for learning."""

from __future__ import annotations

import pytest

from tests.factories import payload

TOPICS = ["aduanas", "logística", "calidad", "financiamiento", "etiquetado", "comercio",
          "inocuidad", "empaque", "digital", "impuestos", "contratos", "marketing"]
EXPERTISE = ["certification", "rules_of_origin", "financing", "logistics", "export_regulations"]


@pytest.fixture
def coordinator(as_role):
    return as_role("coordinator")[1]


@pytest.fixture
def owner(client, as_role):
    """An SME account with its own profile: (headers, profile id)."""
    _, headers = as_role("sme")
    response = client.post("/api/v1/smes", json=payload("sme"), headers=headers)
    assert response.status_code == 201, response.get_json()
    return headers, response.get_json()["id"]


def mentors(client, headers, n: int) -> dict[str, int]:
    """Create n distinct mentors; return their ids by name."""
    ids = {}
    for i in range(n):
        name = f"Mentor {TOPICS[i]}"
        body = payload("mentor", name=name, expertise=EXPERTISE[i % 5:i % 5 + 2],
                       bio=f"Experta en {TOPICS[i]} número {i} para exportadores.")
        response = client.post("/api/v1/mentors", json=body, headers=headers)
        assert response.status_code == 201, response.get_json()
        ids[name] = response.get_json()["id"]
    return ids


def get(client, headers, sme, query="", status=200):
    response = client.get(f"/api/v1/smes/{sme}/matches?{query}", headers=headers)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def ids_of(body) -> list[int]:
    return [m["profile"]["id"] for m in body["matches"]]


def test_pages_follow_the_ranking_without_overlap(client, coordinator, owner):
    headers, sme = owner
    mentors(client, coordinator, 7)
    everything = ids_of(get(client, headers, sme, "per_page=20"))
    assert len(everything) == 7
    first = get(client, headers, sme, "per_page=3&page=1")
    second = get(client, headers, sme, "per_page=3&page=2")
    third = get(client, headers, sme, "per_page=3&page=3")
    assert (first["page"], first["per_page"], first["has_more"]) == (1, 3, True)
    assert second["has_more"] and not third["has_more"]
    assert ids_of(first) + ids_of(second) + ids_of(third) == everything
    assert get(client, headers, sme, "per_page=3&page=4")["matches"] == []


def test_the_last_page_within_the_depth_limit_has_no_next_page(client, coordinator, owner,
                                                                monkeypatch):
    """``has_more`` promises a next page that answers: at the depth limit (``page x
    per_page``, 500) it is false, as the next page would be refused (was: true, then 422)."""
    monkeypatch.setattr("webapp.api.matches.MAX_DEPTH", 4)
    headers, sme = owner
    mentors(client, coordinator, 7)
    assert get(client, headers, sme, "per_page=2&page=1")["has_more"] is True
    last = get(client, headers, sme, "per_page=2&page=2")
    assert len(last["matches"]) == 2 and last["has_more"] is False
    get(client, headers, sme, "per_page=2&page=3", status=422)
    # A page size that does not divide the limit: the next page would pass it too.
    partial = get(client, headers, sme, "per_page=3&page=1")
    assert len(partial["matches"]) == 3 and partial["has_more"] is False
    get(client, headers, sme, "per_page=3&page=2", status=422)


def test_k_still_sets_the_page_size(client, coordinator, owner):
    headers, sme = owner
    mentors(client, coordinator, 4)
    assert len(get(client, headers, sme, "k=2")["matches"]) == 2


@pytest.mark.parametrize("query", ["page=0", "per_page=51", "page=11&per_page=50",
                                   "q=" + "x" * 101])
def test_bad_paging_or_search_is_refused_naming_the_field(client, owner, query):
    headers, sme = owner
    body = get(client, headers, sme, query, status=422)
    assert set(body["error"]["fields"]) & {"page", "per_page", "q"}


def test_search_keeps_the_candidates_holding_every_word(client, coordinator, owner):
    headers, sme = owner
    ids = mentors(client, coordinator, 6)
    by_name = get(client, headers, sme, "q=mentor%20CALIDAD")
    assert ids_of(by_name) == [ids["Mentor calidad"]]
    by_bio = get(client, headers, sme, "q=número%204")
    assert ids_of(by_bio) == [ids["Mentor etiquetado"]]
    assert get(client, headers, sme, "q=salsa%25")["matches"] == []


@pytest.mark.parametrize("typed", ["logistica", "LOGÍSTICA", "Logística"])
def test_search_ignores_case_and_accents_as_readers_type(client, coordinator, owner, typed):
    """A reader types "logistica" or "LOGÍSTICA" for "logística", on SQLite as on PostgreSQL."""
    headers, sme = owner
    ids = mentors(client, coordinator, 4)
    assert ids_of(get(client, headers, sme, f"q={typed}")) == [ids["Mentor logística"]]
    assert get(client, headers, sme, f"q={typed}x")["matches"] == []


def test_search_finds_candidates_by_their_place(client, coordinator, owner):
    """Every word is found in a candidate's texts or the name of its state or country."""
    headers, sme = owner
    near = payload("mentor", name="Mentor fronterizo", country="US", subdivision="US-TX",
                   city="Laredo")
    far = payload("mentor", name="Mentor lejano", country="CA", subdivision="CA-ON",
                  city="Windsor")
    ids = {}
    for body in (near, far):
        response = client.post("/api/v1/mentors", json=body, headers=coordinator)
        assert response.status_code == 201, response.get_json()
        ids[body["name"]] = response.get_json()["id"]
    assert ids_of(get(client, headers, sme, "q=texas")) == [ids["Mentor fronterizo"]]
    assert ids_of(get(client, headers, sme, "q=mentor%20ontario")) == [ids["Mentor lejano"]]
    assert get(client, headers, sme, "q=lejano%20texas")["matches"] == []


def test_a_saved_match_is_flagged_and_listed_until_unsaved(client, coordinator, owner):
    headers, sme = owner
    ids = mentors(client, coordinator, 3)
    target = ids["Mentor logística"]
    url = f"/api/v1/smes/{sme}/matches/{target}/save"
    response = client.post(url, headers=headers)
    assert response.status_code == 200
    assert response.get_json()["mark"] == "saved"
    assert client.post(url, headers=headers).status_code == 200  # saving twice is fine
    flagged = {m["profile"]["id"]: m["saved"] for m in get(client, headers, sme)["matches"]}
    assert flagged[target] and sum(flagged.values()) == 1
    saved = client.get(f"/api/v1/smes/{sme}/matches/saved?lang=es", headers=headers)
    [only] = saved.get_json()["matches"]
    assert only["profile"]["id"] == target and only["saved"] and only["reasons"]
    assert client.delete(url, headers=headers).status_code == 204
    assert client.get(f"/api/v1/smes/{sme}/matches/saved",
                      headers=headers).get_json()["matches"] == []


def test_saved_matches_come_in_pages_most_recently_saved_first(client, coordinator, owner):
    """However many an SME saves, one answer explains one page of them."""
    headers, sme = owner
    ids = mentors(client, coordinator, 5)
    for name in ids:  # saved in this order: the last one saved comes first
        client.post(f"/api/v1/smes/{sme}/matches/{ids[name]}/save", headers=headers)
    url = f"/api/v1/smes/{sme}/matches/saved"

    def page(query):
        response = client.get(f"{url}?{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    first, second, third = (page(f"per_page=2&page={n}") for n in (1, 2, 3))
    assert (first["page"], first["per_page"], first["has_more"]) == (1, 2, True)
    assert second["has_more"] and not third["has_more"]
    assert ids_of(first) + ids_of(second) + ids_of(third) == list(ids.values())[::-1]
    assert page("page=4&per_page=2")["matches"] == []
    whole = page("")
    assert (whole["per_page"], whole["has_more"]) == (20, False) and len(whole["matches"]) == 5
    for bad in ("page=0", "per_page=0", "per_page=51", "page=" + "9" * 20):
        response = client.get(f"{url}?{bad}", headers=headers)
        assert response.status_code == 422, bad
        assert set(response.get_json()["error"]["fields"]) & {"page", "per_page"}, bad


def test_a_hidden_match_never_comes_back_on_any_page_until_unhidden(
        client, coordinator, owner):
    headers, sme = owner
    ids = mentors(client, coordinator, 5)
    target = ids["Mentor aduanas"]
    client.post(f"/api/v1/smes/{sme}/matches/{target}/save", headers=headers)
    url = f"/api/v1/smes/{sme}/matches/{target}/hide"
    assert client.post(url, headers=headers).get_json()["mark"] == "hidden"
    pages = [ids_of(get(client, headers, sme, f"per_page=2&page={n}")) for n in (1, 2, 3)]
    assert target not in sum(pages, []) and len(sum(pages, [])) == 4
    assert target not in ids_of(get(client, headers, sme, "q=aduanas"))
    # hiding replaced the save
    assert client.get(f"/api/v1/smes/{sme}/matches/saved",
                      headers=headers).get_json()["matches"] == []
    assert client.delete(url, headers=headers).status_code == 204
    assert target in ids_of(get(client, headers, sme, "per_page=10"))


def test_only_the_owner_marks_and_only_candidates_of_its_pairings(
        client, as_role, coordinator, owner):
    headers, sme = owner
    target = mentors(client, coordinator, 1)["Mentor aduanas"]
    other_sme = client.post("/api/v1/smes", json=payload("sme", name="Otra"),
                            headers=coordinator).get_json()["id"]
    assert client.post(f"/api/v1/smes/{sme}/matches/{target}/hide",
                       headers=coordinator).status_code == 403
    _, stranger = as_role("sme")
    assert client.post(f"/api/v1/smes/{sme}/matches/{target}/save",
                       headers=stranger).status_code == 403
    assert client.post(f"/api/v1/smes/{sme}/matches/{other_sme}/save",
                       headers=headers).status_code == 404
    own = client.post(f"/api/v1/smes/{sme}/matches/{sme}/save", headers=headers)
    assert own.status_code == 404 and own.get_json()["error"]["code"] == "match_not_found"
    assert own.get_json()["error"]["message"] == (
        f"No profile with id {sme} among the ones this profile is matched with.")
    assert client.post(f"/api/v1/smes/{sme}/matches/999999/hide",
                       headers=headers).status_code == 404
    assert target in ids_of(get(client, headers, sme))


def test_a_card_tells_the_introduction_state_after_a_request(client, coordinator, owner):
    headers, sme = owner
    ids = mentors(client, coordinator, 2)
    target = ids["Mentor logística"]
    response = client.post("/api/v1/introductions", headers=headers,
                           json={"requester_id": sme, "target_id": target, "message": "Hola"})
    assert response.status_code == 201, response.get_json()
    cards = {m["profile"]["id"]: m["introduction"] for m in get(client, headers, sme)["matches"]}
    assert cards[target]["state"] == "requested" and cards[target]["requested_by_you"]
    assert cards[ids["Mentor aduanas"]] is None


def test_a_hidden_match_is_a_negative_training_example(app, client, coordinator, owner):
    from models import Profile, db
    from webapp.services.outcomes import training_examples

    headers, sme = owner
    target = mentors(client, coordinator, 2)["Mentor logística"]
    with app.app_context():
        assert training_examples() == []
    client.post(f"/api/v1/smes/{sme}/matches/{target}/hide", headers=headers)
    with app.app_context():
        assert training_examples() == [(db.session.get(Profile, sme),
                                        db.session.get(Profile, target), 0)]


def test_training_learns_from_hides(client, runner, coordinator, owner):
    headers, sme = owner
    ids = mentors(client, coordinator, 4)
    for name in ("Mentor aduanas", "Mentor calidad"):
        client.post(f"/api/v1/smes/{sme}/matches/{ids[name]}/hide", headers=headers)
    result = runner.invoke(args=["train-model"])
    assert result.exit_code == 0, result.output
    versions = client.get("/api/v1/models", headers=coordinator).get_json()
    assert versions["items"][0]["n_outcomes"] == 2
