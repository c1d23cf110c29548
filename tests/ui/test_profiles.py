"""Profile editor, staff list and profile page (webapp/ui/profiles.py)."""

from __future__ import annotations

import pytest

from models import Profile, db
from tests.factories import csrf_token, payload, row_counts
from tests.ui.helpers import field_errors, form_data, text_of
from webapp.services import profiles as service


def post_profile(client, kind: str, path: str = "/profile", **changes):
    return client.post(path, data=form_data(kind, csrf_token(client, path), **changes),
                       headers={"Accept-Language": "en"})


def make_profile(user, kind: str, **changes) -> Profile:
    from webapp.schemas.profiles import PROFILE_SCHEMAS

    data = PROFILE_SCHEMAS[kind]().load(payload(kind, **changes))
    return service.create_profile(user, kind, data)


@pytest.mark.parametrize("kind", ["sme", "mentor", "buyer"])
def test_new_user_gets_an_empty_editor_of_their_kind(client, signed_in, kind):
    signed_in(kind)
    html = client.get("/profile").get_data(as_text=True)
    assert 'name="name"' in html and 'name="sectors"' in html
    assert ('name="needs"' in html) == (kind == "sme")
    assert ('name="capacity"' in html) == (kind == "mentor")
    assert ('name="sourcing_countries"' in html) == (kind == "buyer")
    assert ('name="paused"' in html) == (kind == "mentor")


@pytest.mark.parametrize("kind", ["sme", "mentor", "buyer"])
def test_good_profile_is_saved_and_shown(client, signed_in, kind):
    user = signed_in(kind)
    response = post_profile(client, kind)
    assert response.status_code == 302
    profile = db.session.scalar(db.select(Profile))
    assert profile.user_id == user.id and profile.kind == kind
    assert profile.name == payload(kind)["name"] and profile.latitude is not None
    assert response.headers["Location"] == f"/profiles/{profile.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Profile saved." in page and payload(kind)["contact_email"] in page


def test_sme_fields_are_saved_as_typed(client, signed_in):
    signed_in("sme")
    post_profile(client, "sme", sectors=["336390, 3363", "331"],
                 certifications=["ISO 9001", "HACCP, PrimusGFS"], ownership=[],
                 employees="", export_stage="regular", contact_phone="")
    profile = db.session.scalar(db.select(Profile))
    assert profile.sectors == ["336390", "3363", "331"]
    assert profile.certifications == ["ISO 9001", "HACCP", "PrimusGFS"]
    assert profile.ownership == [] and profile.employees is None
    assert profile.export_stage == "regular" and profile.contact_phone is None


@pytest.mark.parametrize("changes, field, message", [
    ({"sectors": ["999999"]}, "sectors", "Unknown NAICS 2022 code: 999999."),
    ({"sectors": []}, "sectors", "Choose at least one."),
    ({"languages": []}, "languages", "Choose at least one."),
    ({"name": "  "}, "name", "This field is required."),
    ({"name": "x" * 201}, "name", "Use at most 200 characters."),
    ({"subdivision": "US-TX"}, "subdivision",
     "Choose a state, province or territory of the selected country."),
    ({"country": "BR"}, "country", "Choose one of the options."),
    ({"city": "Atlantis"}, "city", "No town or city called “Atlantis” is known in Chihuahua: "
                                   "check the spelling, or choose the nearest larger town."),
    ({"contact_email": "nope"}, "contact_email", "Enter a valid e-mail address."),
    ({"contact_phone": "call me"}, "contact_phone", "Use digits, spaces and + ( ) . - only."),
    ({"employees": "9000"}, "employees", "Choose one of the options."),
    ({"certifications": ["c" * 101]}, "certifications",
     "ccccccccccccccccccccccccccccc…: Use at most 100 characters."),
])
def test_bad_value_shows_the_error_next_to_the_field_and_saves_nothing(client, signed_in,
                                                                       changes, field, message):
    signed_in("sme")
    before = row_counts()
    response = post_profile(client, "sme", **changes)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_errors(html, field) == [message]
    assert "nothing was saved" in html
    assert row_counts() == before


@pytest.mark.parametrize("changes, field, message", [
    ({"capacity": "lots"}, "capacity", "Enter a whole number."),
    ({"capacity": "51"}, "capacity", "Enter a number from 0 to 50."),
    ({"mode": "telepathy"}, "mode", "Choose one of the options."),
    ({"expertise": ["astrology"]}, "expertise", "Unknown need: astrology."),
])
def test_bad_mentor_values(client, signed_in, changes, field, message):
    signed_in("mentor")
    before = row_counts()
    response = post_profile(client, "mentor", **changes)
    assert field_errors(response.get_data(as_text=True), field) == [message]
    assert row_counts() == before


def test_field_errors_are_in_the_users_language(client, signed_in):
    signed_in("sme", locale="fr")
    response = client.post("/profile", data=form_data(
        "sme", csrf_token(client, "/profile"), sectors=["999999"], languages=[]))
    html = response.get_data(as_text=True)
    assert field_errors(html, "sectors") == ["Code SCIAN/NAICS 2022 inconnu\u00a0: 999999."]
    assert field_errors(html, "languages") == ["Choisissez-en au moins un."]


def test_bad_values_are_kept_in_the_form(client, signed_in):
    signed_in("sme")
    html = post_profile(client, "sme", sectors=["336390", "999999"], name="Mi Empresa",
                        needs=["financing"]).get_data(as_text=True)
    assert 'value="999999"' in html and 'value="Mi Empresa"' in html
    assert 'checked id="needs-' in html or 'value="financing" checked' in html.replace(
        'checked value="financing"', 'value="financing" checked')
    assert 'value="336390" checked' in html


def test_editing_keeps_what_the_form_does_not_show(client, signed_in):
    user = signed_in("sme")
    profile = make_profile(user, "sme", latitude=31.7, longitude=-106.4)
    post_profile(client, "sme", name="Autopartes del Norte II")
    db.session.refresh(profile)
    assert profile.name == "Autopartes del Norte II"
    assert (profile.latitude, profile.longitude) == (31.7, -106.4)
    post_profile(client, "sme", city="Chihuahua")
    db.session.refresh(profile)
    assert profile.city == "Chihuahua" and round(profile.latitude, 1) == 28.6
    assert row_counts()["profiles"] == 1


def test_editor_shows_the_current_values(client, signed_in):
    user = signed_in("buyer", locale="es")
    make_profile(user, "buyer")
    html = client.get("/profile").get_data(as_text=True)
    assert 'value="Lone Star Fresh"' in html
    assert 'value="424480" checked' in html and "Editar el perfil" in html
    assert '<option selected value="large">Pedidos grandes</option>' in html


def test_editor_offers_only_the_chosen_countrys_subdivisions_group_first(client, signed_in):
    user = signed_in("sme")
    make_profile(user, "sme")
    html = client.get("/profile").get_data(as_text=True)
    assert 'data-country="MX"' in html and 'data-country="CA"' in html  # works without JS
    assert '<option value="MX-CHH" selected>' in html


def test_another_users_editor_is_forbidden(client, signed_in, make_user):
    other = make_profile(make_user("sme"), "sme")
    signed_in("sme")
    before = row_counts()
    assert client.get(f"/profiles/{other.id}/edit").status_code == 403
    response = client.post(f"/profiles/{other.id}/edit", data=form_data(
        "sme", csrf_token(client, "/profile"), name="Hijacked"))
    assert response.status_code == 403
    db.session.refresh(other)
    after = row_counts()
    assert after.pop("audit_log") == before.pop("audit_log") + 2  # both refusals, recorded
    assert other.name == payload("sme")["name"] and after == before


def test_owner_can_use_the_edit_link(client, signed_in):
    user = signed_in("mentor")
    profile = make_profile(user, "mentor")
    response = post_profile(client, "mentor", path=f"/profiles/{profile.id}/edit", capacity="5")
    assert response.status_code == 302
    db.session.refresh(profile)
    assert profile.capacity == 5


def test_editor_needs_sign_in(client):
    assert "/login" in client.get("/profile").headers["Location"]


def test_staff_edit_and_create_any_profile(client, signed_in, make_user):
    owner = make_user("mentor")
    profile = make_profile(owner, "mentor")
    signed_in("coordinator")
    assert client.get("/profile").headers["Location"] == "/profiles"
    post_profile(client, "mentor", path=f"/profiles/{profile.id}/edit", mode="virtual")
    db.session.refresh(profile)
    assert profile.mode == "virtual" and profile.user_id == owner.id
    response = post_profile(client, "buyer", path="/profiles/new/buyer")
    assert response.status_code == 302
    created = db.session.scalars(db.select(Profile).where(Profile.kind == "buyer")).one()
    assert created.user_id is None


def test_profile_owners_cannot_create_other_profiles(client, signed_in):
    signed_in("sme")
    assert client.get("/profiles/new/sme").status_code == 403
    assert client.get("/profiles/new/nonsense").status_code == 404


def test_staff_list_is_forbidden_to_profile_owners(client, signed_in):
    signed_in("buyer")
    assert client.get("/profiles").status_code == 403


def test_staff_list_filters_and_links_to_each_profile(client, signed_in, make_user):
    texan = make_profile(make_user("mentor"), "mentor")
    make_profile(make_user("mentor"), "mentor", name="Marie Tremblay", country="CA",
                 subdivision="CA-QC", city="Montréal", languages=["fr", "en"],
                 bio="Exportation vers l'Europe.")
    signed_in("coordinator", locale="es")
    html = client.get("/profiles?kind=mentor").get_data(as_text=True)
    assert "2 perfiles" in html and "Rosa Delgado" in html and "Marie Tremblay" in html
    assert f'href="/profiles/{texan.id}"' in html
    only_ca = client.get("/profiles?kind=mentor&country=CA").get_data(as_text=True)
    assert "Marie Tremblay" in only_ca and "Rosa Delgado" not in only_ca
    by_text = client.get("/profiles?kind=mentor&q=quality").get_data(as_text=True)
    assert "Rosa Delgado" in by_text and "Marie Tremblay" not in by_text
    # A refused filter is said next to its field (422), and the list goes on without it.
    bad_filter = client.get("/profiles?kind=mentor&country=ZZ&page=0")
    html = bad_filter.get_data(as_text=True)
    assert bad_filter.status_code == 422 and "2 perfiles" in html
    assert 'id="country-error"' in html and 'aria-describedby="country-error"' in html


def test_staff_list_drops_a_bad_place_filter_beside_a_bad_page(client, signed_in, make_user):
    # A bad page hid the place's check (run only once every field is read) from the first
    # attempt; the second then refused the subdivision: a 500.
    make_profile(make_user("mentor"), "mentor")
    signed_in("coordinator")
    for query in ("page=en&subdivision=%C3%A9", "page=0&country=US&subdivision=ZZ-ZZ"):
        response = client.get(f"/profiles?kind=mentor&{query}")
        html = response.get_data(as_text=True)
        assert response.status_code == 422, query
        assert "Rosa Delgado" in html
        assert "<code>subdivision</code>" in html.split('role="alert"', 1)[1], query


@pytest.mark.parametrize("kind", ["alien", "SME", "smes", "%00"])
def test_staff_list_refuses_an_unknown_kind(client, signed_in, make_user, kind):
    # An unknown kind fell back to the SMEs without a word, as if it had been asked.
    make_profile(make_user("mentor"), "mentor")
    signed_in("coordinator", locale="es")
    response = client.get(f"/profiles?kind={kind}")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    alert = html.split('role="alert"', 1)[1].split("</div>", 1)[0]
    assert "<code>kind</code>" in alert and "Elija una de las opciones." in alert


def test_staff_list_says_each_refused_filter_in_the_readers_language(client, signed_in,
                                                                     make_user):
    make_profile(make_user("mentor"), "mentor")
    signed_in("coordinator", locale="es")
    response = client.get("/profiles?kind=mentor&q=%00x&language=zz9&country=US")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Rosa Delgado" in html  # the good filter kept
    assert 'id="q-error"' in html
    alert = html.split('role="alert"', 1)[1].split("</div>", 1)[0]
    assert "<code>language</code>" in alert and "<code>country</code>" not in alert
    assert client.get("/profiles?kind=mentor&country=US").status_code == 200
    other = client.get("/profiles?kind=mentor&country=MX&subdivision=US-TX")
    assert other.status_code == 422 and "<code>subdivision</code>" in other.get_data(True)


def test_staff_list_names_the_sectors_in_the_readers_language(client, signed_in, make_user):
    make_profile(make_user("mentor"), "mentor", sectors=["3363", "541"])
    signed_in("coordinator", locale="es")
    html = client.get("/profiles?kind=mentor").get_data(as_text=True)
    cell = html.split('data-label="Sectores"', 1)[1].split("</td>", 1)[0]
    assert "3363 — Fabricación de equipo de transporte" in text_of(cell)
    assert "541 — Servicios profesionales, científicos y técnicos" in text_of(cell)


def test_staff_list_pages(client, signed_in):
    user = signed_in("admin")
    for number in range(27):
        make_profile(user, "buyer", name=f"Buyer {number:02d}")
    first = client.get("/profiles?kind=buyer").get_data(as_text=True)
    assert "Buyer 24" in first and "Buyer 25" not in first and "Page 1 of 2" in first
    second = client.get("/profiles?kind=buyer&page=2").get_data(as_text=True)
    assert "Buyer 26" in second and "Previous" in second


@pytest.mark.parametrize("role, sees_contact, sees_ownership", [
    ("sme", False, False), ("mentor", False, False), ("coordinator", False, True),
    ("admin", True, True),
])
def test_profile_page_honours_the_privacy_rules(client, signed_in, make_user, role,
                                                 sees_contact, sees_ownership):
    profile = make_profile(make_user("sme"), "sme")
    signed_in(role)
    html = client.get(f"/profiles/{profile.id}").get_data(as_text=True)
    assert "Autopartes del Norte" in html and "Ciudad Juárez" in html
    assert ("ventas@autopartes.example" in html) == sees_contact
    assert ("+52 656 555 0100" in html) == sees_contact
    assert ("Women-owned" in html) == sees_ownership
    assert ("/edit" in html) == (role in ("coordinator", "admin"))


def test_profile_page_names_codes_in_the_readers_language(client, signed_in, make_user):
    profile = make_profile(make_user("sme"), "sme")
    signed_in("mentor", locale="fr")
    text = text_of(client.get(f"/profiles/{profile.id}").get_data(as_text=True))
    assert "Espagnol" in text and "Règles d'origine" in text and "États-Unis" in text
    assert "Exploring export" not in text and "Explore l’exportation" in text


def test_ones_own_profile_page_names_the_place_without_coordinates(client, signed_in):
    profile = make_profile(signed_in("sme"), "sme", latitude=31.7, longitude=-106.4)
    text = text_of(client.get(f"/profiles/{profile.id}",
                              headers={"Accept-Language": "en"}).get_data(as_text=True))
    assert "Ciudad Juárez" in text and "Chihuahua" in text
    assert "Latitude" not in text and "31.7" not in text and "106.4" not in text


def test_profile_page_shows_the_response_rate_and_the_last_activity(client, signed_in,
                                                                    make_user):
    """As the API does (README, Introductions: "shown on your profile with last_active_at")."""
    from datetime import UTC, datetime

    from models import db

    mentor = make_profile(make_user("mentor"), "mentor")
    signed_in("sme")
    text = text_of(client.get(f"/profiles/{mentor.id}",
                              headers={"Accept-Language": "en"}).get_data(as_text=True))
    assert "Response rate" not in text and "Last active" not in text  # nothing asked yet
    mentor.requests_answered, mentor.requests_expired = 3, 1
    mentor.last_active_at = datetime(2026, 3, 4, 12, tzinfo=UTC)
    db.session.commit()
    text = text_of(client.get(f"/profiles/{mentor.id}",
                              headers={"Accept-Language": "en"}).get_data(as_text=True))
    assert "Response rate 75%" in text and "Last active Mar 4, 2026" in text


def test_hidden_profiles_are_not_found_by_others(client, signed_in, make_user):
    profile = make_profile(make_user("sme"), "sme", active=False)
    signed_in("buyer")
    assert client.get(f"/profiles/{profile.id}").status_code == 404
    assert client.get("/profiles/9999").status_code == 404


def test_mentor_editor_keeps_availability_set_through_the_api(client, signed_in):
    user = signed_in("mentor")
    profile = make_profile(user, "mentor", available_until="2031-01-31T00:00:00+00:00")
    response = post_profile(client, "mentor", bio="Now also rules of origin.", paused="y")
    assert response.status_code == 302
    db.session.refresh(profile)
    assert profile.bio == "Now also rules of origin." and profile.paused is True
    assert profile.available_until.year == 2031


@pytest.mark.parametrize("role, sees_contact", [("coordinator", False), ("admin", False)])
def test_staff_editor_leaves_contacts_to_the_owner(client, signed_in, make_user, role,
                                                   sees_contact):
    profile = make_profile(make_user("sme"), "sme")
    signed_in(role)
    html = client.get(f"/profiles/{profile.id}/edit").get_data(as_text=True)
    assert 'value="Autopartes del Norte"' in html
    assert ("ventas@autopartes.example" in html) == sees_contact
    assert ("+52 656 555 0100" in html) == sees_contact
    assert ('name="contact_email"' in html) == sees_contact


def test_coordinator_saving_the_editor_keeps_the_contacts_it_cannot_see(client, signed_in,
                                                                        make_user):
    profile = make_profile(make_user("sme"), "sme")
    signed_in("coordinator")
    path = f"/profiles/{profile.id}/edit"
    data = {k: v for k, v in form_data("sme", csrf_token(client, path),
                                       name="Autopartes del Sur").items()
            if not k.startswith("contact_")}
    assert client.post(path, data=data).status_code == 302
    db.session.refresh(profile)
    assert profile.name == "Autopartes del Sur"
    assert profile.contact_email == "ventas@autopartes.example"
    assert profile.contact_phone == "+52 656 555 0100"


def test_editor_carries_the_version_it_was_filled_from(client, signed_in):
    user = signed_in("sme")
    make_profile(user, "sme")
    assert 'name="version" value="1"' in client.get("/profile").get_data(as_text=True)
    post_profile(client, "sme", name="Renamed", version="1")
    assert 'name="version" value="2"' in client.get("/profile").get_data(as_text=True)


def test_every_problem_of_a_form_is_told_at_once(client, signed_in):
    signed_in("sme")
    response = client.post("/profile", data=form_data(
        "sme", csrf_token(client, "/profile"), name="", city="", contact_email="nope"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("name", "city", "contact_email"):
        assert f'id="{field}-error"' in html, field


@pytest.mark.parametrize("version", ["", "abc", "1.0"])
def test_an_edit_whose_version_is_no_number_is_not_saved(client, signed_in, version):
    user = signed_in("sme")
    profile = make_profile(user, "sme")
    response = client.post("/profile", data=form_data(
        "sme", csrf_token(client, "/profile"), name="Mine", version=version))
    assert response.status_code == 422
    assert "someone changed this profile" in text_of(response.get_data(as_text=True))
    db.session.refresh(profile)
    assert profile.name == payload("sme")["name"]


@pytest.mark.parametrize("locale, message", [
    ("en", "Nothing was saved: someone changed this profile while you were editing it."),
    ("es", "No se guardó nada: alguien cambió este perfil mientras usted lo editaba."),
    ("fr", "Rien n’a été enregistré : quelqu’un a modifié ce profil pendant que vous le "
           "modifiiez."),
])
def test_an_edit_over_a_change_made_meanwhile_is_not_saved(client, signed_in, make_user,
                                                           locale, message):
    from webapp.schemas.profiles import SmeSchema

    user = signed_in("sme", locale=locale)
    profile = make_profile(user, "sme")
    service.update_profile(make_user("coordinator"), "sme", profile.id,
                           {"description": "Edited by staff."}, SmeSchema())  # version 2
    response = client.post("/profile", data=form_data(
        "sme", csrf_token(client, "/profile"), name="Mine", version="1"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in text_of(html).replace("\u00a0", " ")
    assert 'value="Mine"' in html  # what was typed is still there
    db.session.refresh(profile)
    assert (profile.name, profile.description) == (payload("sme")["name"], "Edited by staff.")
    assert 'name="version" value="2"' in html  # saving again is a choice, made knowingly
    again = client.post("/profile", data=form_data(
        "sme", csrf_token(client, "/profile"), name="Mine", version="2"))
    assert again.status_code == 302
    db.session.refresh(profile)
    assert profile.name == "Mine"
