"""The profile API: CRUD for each kind, filters, permissions, contact privacy, bad input."""

from __future__ import annotations

import pytest

from models import db
from tests.factories import COLLECTION, payload, row_counts
from tests.sql_capture import statements_sent

KINDS = ("sme", "mentor", "buyer")


def create(client, headers, kind="sme", **changes):
    response = client.post(f"/api/v1/{COLLECTION[kind]}", json=payload(kind, **changes),
                           headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.mark.parametrize("kind", KINDS)
def test_coordinator_creates_reads_updates_and_deletes_each_kind(client, as_role, kind):
    _, headers = as_role("coordinator")
    created = create(client, headers, kind)
    assert created["kind"] == kind and created["name"] == payload(kind)["name"]
    url = f"/api/v1/{COLLECTION[kind]}/{created['id']}"

    assert client.get(url, headers=headers).get_json()["city"] == payload(kind)["city"]
    patched = client.patch(url, json={"name": "Renamed", "active": False}, headers=headers)
    assert patched.status_code == 200
    assert patched.get_json()["name"] == "Renamed" and patched.get_json()["active"] is False

    assert client.delete(url, headers=headers).status_code == 204
    assert client.get(url, headers=headers).status_code == 404


def test_coordinates_are_resolved_from_the_city(client, as_role):
    _, headers = as_role("coordinator")
    created = create(client, headers)
    assert created["latitude"] == pytest.approx(31.72, abs=0.1)
    assert created["longitude"] == pytest.approx(-106.46, abs=0.1)


def test_given_coordinates_are_kept(client, as_role):
    _, headers = as_role("coordinator")
    created = create(client, headers, latitude=31.7, longitude=-106.4)
    assert (created["latitude"], created["longitude"]) == (31.7, -106.4)


def test_moving_city_in_a_patch_resolves_new_coordinates(client, as_role):
    _, headers = as_role("coordinator")
    created = create(client, headers)
    moved = client.patch(f"/api/v1/smes/{created['id']}", headers=headers,
                         json={"subdivision": "MX-BCN", "city": "Tijuana"}).get_json()
    assert moved["latitude"] == pytest.approx(32.5, abs=0.2)
    assert moved["longitude"] == pytest.approx(-117.0, abs=0.2)


def test_lists_are_trimmed_and_deduplicated(client, as_role):
    _, headers = as_role("coordinator")
    created = create(client, headers, languages=["es", "es", "en"],
                     certifications=[" ISO 9001 ", "iso 9001", "IATF 16949"])
    assert created["languages"] == ["es", "en"]
    assert created["certifications"] == ["ISO 9001", "IATF 16949"]


def test_list_is_paginated(client, as_role):
    _, headers = as_role("coordinator")
    for i in range(5):
        create(client, headers, name=f"Firm {i}")
    page = client.get("/api/v1/smes?page=2&per_page=2", headers=headers).get_json()
    assert (page["page"], page["per_page"], page["total"]) == (2, 2, 5)
    assert [item["name"] for item in page["items"]] == ["Firm 2", "Firm 3"]


def test_keyset_pages_follow_the_link_header_through_the_filtered_list(client, as_role):
    """``after`` starts a page after an id (no OFFSET, as fast at any depth); a full page's
    Link header gives the next one with the same filters; the total stays the whole list's."""
    _, headers = as_role("coordinator")
    mx = [create(client, headers, name=f"Firm {i}")["id"] for i in range(5)]
    create(client, headers, name="Laredo", country="US", subdivision="US-TX", city="Laredo")
    seen, url = [], "/api/v1/smes?country=MX&per_page=2"
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200 and response.get_json()["total"] == 5
        seen += [item["id"] for item in response.get_json()["items"]]
        link = response.headers.get("Link")
        url = link and link.removeprefix("<").split(">;")[0]
        if link:
            assert link.endswith('rel="next"') and "country=MX" in link
    assert seen == mx  # every MX firm once, in id order, and nothing else
    page = client.get(f"/api/v1/smes?country=MX&per_page=2&after={mx[1]}&page=2",
                      headers=headers).get_json()  # pages count on from the cursor
    assert [item["id"] for item in page["items"]] == [mx[4]]
    last = client.get(f"/api/v1/smes?after={mx[4]}&country=MX", headers=headers)
    assert last.get_json()["items"] == [] and "Link" not in last.headers
    bad = client.get("/api/v1/smes?after=-1", headers=headers)
    assert bad.status_code == 422 and "after" in bad.get_json()["error"]["fields"]


def test_list_total_follows_every_write_between_page_reads(client, as_role):
    _, staff = as_role("coordinator")
    _, viewer = as_role("mentor")
    ids = [create(client, staff, name=f"Firm {i}")["id"] for i in range(5)]

    def total(headers) -> int:
        page = client.get("/api/v1/smes?page=2&per_page=2", headers=headers).get_json()
        return page["total"]

    assert total(viewer) == total(viewer) == 5  # read again: still true
    create(client, staff, name="Firm 5")
    assert total(viewer) == 6
    client.patch(f"/api/v1/smes/{ids[0]}", json={"active": False}, headers=staff)
    assert (total(viewer), total(staff)) == (5, 6)  # hidden from a participant, not staff
    client.delete(f"/api/v1/smes/{ids[1]}", headers=staff)
    assert (total(viewer), total(staff)) == (4, 5)
    assert client.get("/api/v1/smes?per_page=10", headers=viewer).get_json()["total"] == 4


def test_each_reader_counts_its_own_hidden_profile_once(client, as_role):
    """The listed profiles are counted once for every participant; a reader's own profile
    that is not listed (paused by its owner) adds one for that reader only, filters kept."""
    _, staff = as_role("coordinator")
    _, owner = as_role("sme")
    _, other = as_role("sme")
    for i in range(3):
        create(client, staff, name=f"Firm {i}")
    mine = create(client, owner, name="Own firm")
    hidden = client.patch(f"/api/v1/smes/{mine['id']}", json={"active": False}, headers=owner)
    assert hidden.status_code == 200

    def total(headers, query="") -> int:
        page = client.get(f"/api/v1/smes?page=2&per_page=1{query}", headers=headers)
        return page.get_json()["total"]

    assert (total(other), total(owner), total(staff)) == (3, 4, 4)
    assert (total(owner), total(other)) == (4, 3)  # from the cache: the same
    assert (total(owner, "&country=US"), total(other, "&country=US")) == (0, 0)
    client.patch(f"/api/v1/smes/{mine['id']}", json={"active": True}, headers=owner)
    assert (total(other), total(owner), total(staff)) == (4, 4, 4)


@pytest.mark.parametrize("query, expected", [
    ("country=MX", {"Juárez", "Tijuana"}),
    ("subdivision=MX-BCN", {"Tijuana"}),
    ("sector=336", {"Juárez"}),
    ("sector=31-33", {"Juárez", "Tijuana"}),
    ("sector=31", {"Juárez", "Tijuana"}),  # a part of a range sector selects the sector
    ("sector=33", {"Juárez", "Tijuana"}),
    ("sector=42", {"Laredo"}),
    ("sector=3363", {"Juárez"}),
    ("sector=4244", {"Laredo"}),
    ("language=fr", {"Laredo"}),
    ("need=logistics", {"Tijuana"}),
    ("q=moldes", {"Tijuana"}),
    ("country=MX&need=certification", {"Juárez"}),
])
def test_filters(client, as_role, query, expected):
    _, headers = as_role("coordinator")
    create(client, headers, name="Juárez")
    create(client, headers, name="Tijuana", subdivision="MX-BCN", city="Tijuana",
           sectors=["333511"], needs=["logistics"], description="Moldes de inyección")
    create(client, headers, name="Laredo", country="US", subdivision="US-TX", city="Laredo",
           sectors=["424480"], languages=["en", "fr"], needs=["financing"])
    items = client.get(f"/api/v1/smes?{query}", headers=headers).get_json()["items"]
    assert {item["name"] for item in items} == expected


def test_a_subdivision_of_another_country_is_422_naming_it(client, as_role):
    _, headers = as_role("coordinator")
    create(client, headers, name="Juárez")
    response = client.get("/api/v1/smes?country=MX&subdivision=US-TX", headers=headers)
    assert response.status_code == 422
    [problem] = response.get_json()["error"]["fields"]["subdivision"]
    assert problem["code"] == "not_a_subdivision"
    ok = client.get("/api/v1/smes?country=MX&subdivision=MX-CHH", headers=headers)
    assert [i["name"] for i in ok.get_json()["items"]] == ["Juárez"]


@pytest.mark.parametrize("sector", ["30", "3", "3399999", "31-3"])
def test_a_sector_filter_naming_no_naics_code_is_422(client, as_role, sector):
    _, headers = as_role("coordinator")
    response = client.get(f"/api/v1/smes?sector={sector}", headers=headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["sector"][0]["code"] in (
        "unknown_code", "too_long")


def test_mentor_expertise_filter(client, as_role):
    _, headers = as_role("coordinator")
    create(client, headers, "mentor", name="Quality")
    create(client, headers, "mentor", name="Money", expertise=["financing"])
    items = client.get("/api/v1/mentors?expertise=financing", headers=headers).get_json()
    assert [item["name"] for item in items["items"]] == ["Money"]


def test_sme_manages_only_its_own_profile(client, as_role):
    _, own = as_role("sme")
    _, other = as_role("sme")
    mine = create(client, own)
    url = f"/api/v1/smes/{mine['id']}"
    assert client.patch(url, json={"name": "Hijacked"}, headers=other).status_code == 403
    assert client.delete(url, headers=other).status_code == 403
    assert client.patch(url, json={"name": "Mine"}, headers=own).get_json()["name"] == "Mine"


def test_one_profile_per_user(client, as_role):
    _, headers = as_role("sme")
    create(client, headers)
    again = client.post("/api/v1/smes", json=payload("sme"), headers=headers)
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "profile_exists"


@pytest.mark.parametrize("role, kind", [("sme", "mentor"), ("mentor", "sme"),
                                        ("buyer", "sme"), ("sme", "buyer")])
def test_profile_roles_create_only_their_kind(client, as_role, role, kind):
    _, headers = as_role(role)
    response = client.post(f"/api/v1/{COLLECTION[kind]}", json=payload(kind),
                           headers=headers)
    assert response.status_code == 403


def test_contact_details_only_for_owner_and_admin(client, as_role):
    _, owner = as_role("sme")
    created = create(client, owner)
    assert created["contact_email"] == payload("sme")["contact_email"]
    url = f"/api/v1/smes/{created['id']}"
    for role in ("coordinator", "mentor", "buyer", "sme"):
        _, headers = as_role(role)
        body = client.get(url, headers=headers).get_json()
        assert "contact_email" not in body and "contact_phone" not in body, role
        listed = client.get("/api/v1/smes", headers=headers).get_json()["items"][0]
        assert "contact_email" not in listed, role
    _, admin = as_role("admin")
    assert client.get(url, headers=admin).get_json()["contact_phone"] == "+52 656 555 0100"


def test_a_contact_email_pasted_with_spaces_around_it_is_kept_without_them(client, as_role):
    """As the name fields: whitespace around an address is not part of it, a space inside
    it still is (422 ``invalid_email``)."""
    _, owner = as_role("sme")
    created = create(client, owner, contact_email="  ventas@autopartes.example\n")
    assert created["contact_email"] == "ventas@autopartes.example"
    response = client.patch(f"/api/v1/smes/{created['id']}", headers=owner,
                            json={"contact_email": "ventas @autopartes.example"})
    assert response.status_code == 422
    assert [p["code"] for p in response.get_json()["error"]["fields"]["contact_email"]] == [
        "invalid_email"]


def test_ownership_is_shown_only_to_owner_and_staff(client, as_role):
    _, owner = as_role("sme")
    created = create(client, owner)
    _, mentor = as_role("mentor")
    _, coordinator = as_role("coordinator")
    url = f"/api/v1/smes/{created['id']}"
    assert "ownership" not in client.get(url, headers=mentor).get_json()
    assert client.get(url, headers=coordinator).get_json()["ownership"] == ["women"]


def test_inactive_profiles_are_hidden_from_others(client, as_role):
    _, owner = as_role("sme")
    created = create(client, owner, active=False)
    _, mentor = as_role("mentor")
    assert client.get(f"/api/v1/smes/{created['id']}", headers=mentor).status_code == 404
    assert client.get("/api/v1/smes", headers=mentor).get_json()["total"] == 0
    assert client.get(f"/api/v1/smes/{created['id']}", headers=owner).status_code == 200


def test_requires_authentication(client):
    for method, url in [("get", "/api/v1/smes"), ("post", "/api/v1/smes"),
                        ("get", "/api/v1/mentors/1"), ("delete", "/api/v1/buyers/1")]:
        response = getattr(client, method)(url, json={} if method == "post" else None)
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"


def test_bad_token_is_unauthorized(client):
    response = client.get("/api/v1/smes", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_wrong_kind_in_url_is_not_found(client, as_role):
    _, headers = as_role("coordinator")
    created = create(client, headers)
    assert client.get(f"/api/v1/mentors/{created['id']}", headers=headers).status_code == 404


BAD_INPUTS = [
    ("unknown NAICS code", {"sectors": ["999999"]}, "sectors"),
    ("NAICS code too short", {"sectors": ["3"]}, "sectors"),
    ("no sector", {"sectors": []}, "sectors"),
    ("subdivision of another country", {"subdivision": "US-TX"}, "subdivision"),
    ("made-up subdivision", {"subdivision": "MX-XXX"}, "subdivision"),
    ("country outside the program", {"country": "BR", "subdivision": "BR-SP"}, "country"),
    ("lower-case country", {"country": "mx"}, "country"),
    ("latitude out of range", {"latitude": 91, "longitude": 0}, "latitude"),
    ("longitude out of range", {"latitude": 30, "longitude": -181}, "longitude"),
    ("latitude without longitude", {"latitude": 30}, "longitude"),
    ("unknown language", {"languages": ["xx"]}, "languages"),
    ("three-letter code where two exist", {"languages": ["eng"]}, "languages"),
    ("unknown need", {"needs": ["world_domination"]}, "needs"),
    ("unknown market", {"markets": ["ZZ"]}, "markets"),
    ("unknown field", {"is_admin": True}, "is_admin"),
    ("server-set field", {"id": 7}, "id"),
    ("name of wrong type", {"name": 42}, "name"),
    ("sectors not a list", {"sectors": "336390"}, "sectors"),
    ("empty name", {"name": "   "}, "name"),
    ("name of nothing visible", {"name": "\u200b\ufeff \u2060"}, "name"),
    ("name too long", {"name": "x" * 201}, "name"),
    ("description too long", {"description": "x" * 5001}, "description"),
    ("bad e-mail", {"contact_email": "not-an-email"}, "contact_email"),
    ("bad phone", {"contact_phone": "call me maybe"}, "contact_phone"),
    ("unknown employees band", {"employees": "lots"}, "employees"),
    ("unknown export stage", {"export_stage": "galactic"}, "export_stage"),
    ("unknown ownership", {"ownership": ["aliens"]}, "ownership"),
    ("unknown city without coordinates", {"city": "Atlantis"}, "city"),
    ("active not a boolean", {"active": "perhaps"}, "active"),
    ("active as a word", {"active": "yes"}, "active"),
    ("active as a number", {"active": 1}, "active"),
    ("latitude as a string", {"latitude": "31.7", "longitude": -106.4}, "latitude"),
    ("longitude as a string", {"latitude": 31.7, "longitude": "-106.4"}, "longitude"),
    ("too many sectors", {"sectors": ["336390"] + [f"3363{i}" for i in range(1, 4)]
                          + ["311", "312", "313", "314", "315", "316", "321"]}, "sectors"),
]


@pytest.mark.parametrize("label, changes, field", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_sme_input_names_the_field_and_writes_nothing(client, as_role, label, changes,
                                                          field):
    _, headers = as_role("coordinator")
    before = row_counts()
    response = client.post("/api/v1/smes", json=payload("sme", **changes), headers=headers)
    assert response.status_code in (400, 422), label
    error = response.get_json()["error"]
    assert field in error["fields"], error
    assert error["message"]
    assert row_counts() == before


@pytest.mark.parametrize("missing", ["name", "country", "subdivision", "city", "sectors",
                                     "languages"])
def test_missing_required_field(client, as_role, missing):
    _, headers = as_role("coordinator")
    body = payload("sme")
    del body[missing]
    before = row_counts()
    response = client.post("/api/v1/smes", json=body, headers=headers)
    assert response.status_code == 422
    assert missing in response.get_json()["error"]["fields"]
    assert row_counts() == before


@pytest.mark.parametrize("changes, field", [
    ({"capacity": 51}, "capacity"), ({"capacity": -1}, "capacity"),
    ({"capacity": "3"}, "capacity"), ({"mode": "telepathy"}, "mode"),
    ({"paused": "on"}, "paused"), ({"paused": 1}, "paused"), ({"paused": "1"}, "paused"),
    ({"expertise": ["cooking"]}, "expertise"),
])
def test_bad_mentor_input(client, as_role, changes, field):
    _, headers = as_role("coordinator")
    before = row_counts()
    response = client.post("/api/v1/mentors", json=payload("mentor", **changes),
                           headers=headers)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert row_counts() == before


@pytest.mark.parametrize("changes, field", [
    ({"sourcing_countries": ["XX"]}, "sourcing_countries"), ({"volume": "huge"}, "volume"),
    ({"required_certifications": ["x" * 101]}, "required_certifications"),
    ({"needs": ["financing"]}, "needs"),
])
def test_bad_buyer_input(client, as_role, changes, field):
    _, headers = as_role("coordinator")
    before = row_counts()
    response = client.post("/api/v1/buyers", json=payload("buyer", **changes),
                           headers=headers)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert row_counts() == before


def test_malformed_json_is_a_clear_400(client, as_role):
    _, headers = as_role("coordinator")
    before = row_counts()
    response = client.post("/api/v1/smes", data="{not json", headers={
        **headers, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"
    assert response.get_json()["error"]["fields"]["body"][0]["message"] == "Not valid JSON."
    assert row_counts() == before


def test_bad_patch_changes_nothing(client, as_role):
    _, headers = as_role("coordinator")
    created = create(client, headers)
    url = f"/api/v1/smes/{created['id']}"
    before = row_counts()
    response = client.patch(url, json={"country": "US"}, headers=headers)  # MX-CHH not in US
    assert response.status_code == 422
    assert "subdivision" in response.get_json()["error"]["fields"]
    assert client.get(url, headers=headers).get_json()["country"] == "MX"
    assert row_counts() == before


@pytest.mark.parametrize("query, field", [
    ("sector=99", "sector"), ("language=xx", "language"), ("country=BR", "country"),
    ("per_page=1000", "per_page"), ("page=0", "page"), ("need=nope", "need"),
    ("subdivision=ZZ-ZZ", "subdivision"), ("colour=red", "colour"),
])
def test_bad_filters(client, as_role, query, field):
    _, headers = as_role("coordinator")
    response = client.get(f"/api/v1/smes?{query}", headers=headers)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_session_cookie_writes_need_the_csrf_token(client, make_user):
    from tests.factories import login

    user = make_user("sme")
    login(client, user.email)
    response = client.post("/api/v1/smes", json=payload("sme"))
    assert response.status_code == 400
    assert "CSRF" in response.get_json()["error"]["message"]
    assert client.get("/api/v1/me").get_json()["email"] == user.email


@pytest.mark.parametrize("authorization", ["Bearer junk", "Bearer ", "bearer x.y.z"])
def test_a_bearer_header_does_not_spare_a_cookie_write_the_csrf_check(client, make_user,
                                                                       authorization):
    from tests.factories import login

    user = make_user("sme")
    login(client, user.email)
    response = client.post("/api/v1/smes", json=payload("sme"),
                           headers={"Authorization": authorization})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"
    assert "CSRF" in response.get_json()["error"]["message"]
    assert row_counts()["profiles"] == 0


def test_a_cookie_write_with_a_valid_token_is_still_csrf_checked(client, make_user,
                                                                 token_for):
    from tests.factories import login

    user = make_user("sme")
    headers = token_for(user)
    login(client, user.email)
    response = client.post("/api/v1/smes", json=payload("sme"), headers=headers)
    assert response.status_code == 400 and row_counts()["profiles"] == 0


def test_a_token_without_a_cookie_writes_without_csrf(app, make_user, token_for):
    user = make_user("sme")
    response = app.test_client().post("/api/v1/smes", json=payload("sme"),
                                      headers=token_for(user))
    assert response.status_code == 201


def test_every_need_code_is_accepted(client, as_role):
    from matcher.taxonomy import NEED_CODES

    _, headers = as_role("coordinator")
    created = create(client, headers, needs=list(NEED_CODES))
    assert created["needs"] == list(NEED_CODES)


@pytest.mark.parametrize("url", ["/api/v1/smes/99999999999999999999",
                                 "/api/v1/mentors/2147483648/matches",
                                 "/api/v1/auth/tokens/99999999999999"])
def test_ids_beyond_the_database_range_are_404(client, as_role, url):
    _, headers = as_role("coordinator")
    method = client.delete if "tokens" in url else client.get
    response = method(url, headers=headers)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("kind", KINDS)
def test_a_page_costs_the_same_queries_whatever_its_length(app, client, as_role, kind):
    """Reading only the shown columns must not load the others row by row later."""
    _, staff = as_role("coordinator")
    _, reader = as_role("sme" if kind != "sme" else "mentor")
    for n in range(8):
        create(client, staff, kind, name=f"Profile {n}")
    for per_page in (2, 8):  # signs in, counts the total
        client.get(f"/api/v1/{COLLECTION[kind]}?per_page={per_page}", headers=reader)
    seen = {}
    with statements_sent(db.engine) as statements:
        for per_page in (2, 8):
            # The fewest of three: a worker's timed re-reads (who a token names, after
            # PUENTE_ACCOUNT_CACHE_MS) may fall into any one request on a loaded machine; a
            # row-by-row load would be in every one.
            counts = []
            for _ in range(3):
                statements.clear()
                response = client.get(f"/api/v1/{COLLECTION[kind]}?per_page={per_page}",
                                      headers=reader)
                assert len(response.get_json()["items"]) == per_page
                assert all(item["response_rate"] is None
                           for item in response.get_json()["items"])
                counts.append(len(statements))
            seen[per_page] = min(counts)
    assert seen[2] == seen[8], seen


def smes_found(client, headers, query: str) -> set[str]:
    """The names of the SMEs a list with this query string shows (its total counts them)."""
    response = client.get(f"/api/v1/smes?{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["total"] == len(body["items"])
    return {item["name"] for item in body["items"]}


def test_search_ignores_case_and_accents_as_readers_type(client, as_role):
    """"queretaro", "QUERÉTARO" and "tecnologia" find "Tecnología Querétaro"; a letter with
    another base letter is another word ("tecnologio" finds nothing)."""
    _, staff = as_role("coordinator")
    create(client, staff, name="Tecnología Querétaro", subdivision="MX-QUE", city="Querétaro")
    create(client, staff, name="Moldes Norte")

    def names(query: str) -> set[str]:
        return smes_found(client, staff, query)

    for typed in ("queretaro", "QUERÉTARO", "tecnologia", "TECNOLOGÍA QUER", "ía q"):
        assert names(f"q={typed}") == {"Tecnología Querétaro"}, typed
    assert names("q=tecnologio") == set()
    assert names("q=MOLDÉS") == {"Moldes Norte"}


def test_search_finds_a_place_by_its_name_in_any_language(client, as_role):
    """A card reads "Windsor, Ontario, Canadá": "ontario" finds it, as "nuevo leon" finds
    Monterrey and "mexique" every Mexican profile, whatever the reader's language."""
    _, staff = as_role("coordinator")
    create(client, staff, name="Moldes Norte", country="MX", subdivision="MX-NLE",
           city="Monterrey")
    create(client, staff, name="Maple Parts", country="CA", subdivision="CA-ON",
           city="Windsor")
    create(client, staff, name="Lone Star Supply", country="US", subdivision="US-TX",
           city="Laredo")

    def names(query: str) -> set[str]:
        return smes_found(client, staff, query)

    assert names("q=ONTARIO") == {"Maple Parts"}
    assert names("q=nuevo leon") == names("q=Nuevo León") == {"Moldes Norte"}
    assert names("q=mexique") == names("q=méxico") == {"Moldes Norte"}
    assert names("q=estados unidos") == names("q=états-unis") == {"Lone Star Supply"}
    assert names("q=ontario&country=MX") == set()


def test_search_words_match_literally(client, as_role):
    """``%`` and ``_`` in ``q`` are characters to find, not wildcards; filters combine."""
    _, staff = as_role("coordinator")
    create(client, staff, name="Moldes 50% Norte")
    create(client, staff, name="Moldes 500 Norte")
    create(client, staff, name="Acero_Uno")
    create(client, staff, name="AceroXUno", country="US", subdivision="US-TX", city="Laredo")

    def names(query: str) -> set[str]:
        response = client.get(f"/api/v1/smes?{query}", headers=staff)
        assert response.status_code == 200, response.get_json()
        return {item["name"] for item in response.get_json()["items"]}

    assert names("q=50%25") == {"Moldes 50% Norte"}
    assert names("q=acero_") == {"Acero_Uno"}
    assert names("q=acero&country=US") == {"AceroXUno"}
    for typed in ("mold.s", "(", "[", "%5C", "*", "acero|moldes"):  # nothing is an operator
        assert names(f"q={typed}") == set(), typed
    assert names("q=moldes&per_page=1&page=2")  # a later page of a search counts it too
    page = client.get("/api/v1/smes?q=moldes&per_page=1&page=2", headers=staff).get_json()
    assert page["total"] == 2


def test_staff_read_a_profile_and_its_owner_in_one_statement(client, as_role):
    """Whether staff may see a profile (listed, or one they manage) asks for its owner's
    verification: read with the profile, not in a statement of its own after it."""
    _, owner = as_role("sme")
    profile_id = create(client, owner)["id"]
    _, staff = as_role("coordinator")
    assert client.get(f"/api/v1/smes/{profile_id}", headers=staff).status_code == 200  # token
    db.session.expire_all()
    with statements_sent(db.engine) as statements:
        response = client.get(f"/api/v1/smes/{profile_id}", headers=staff)
    assert response.status_code == 200 and response.get_json()["id"] == profile_id
    profile_reads = [s for s in statements if "FROM profiles" in s]
    assert profile_reads and all("users" in s for s in profile_reads), statements
    owner_alone = [s for s in statements
                   if "FROM users" in s and "profiles" not in s and "api_tokens" not in s]
    assert owner_alone == [], statements
