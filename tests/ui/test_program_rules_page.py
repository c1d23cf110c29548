"""The program rules page: staff only, the form shows the stored rules, Preview shows how the
sample's tops change and saves nothing, Save stores and audits, errors sit by their field."""

from __future__ import annotations

import re

import pytest

from models import AuditEntry, ProgramRule, db
from tests.factories import csrf_token, payload
from tests.ui.helpers import field_errors, text_of
from webapp.services import profiles as profile_service

URL = "/program/rules"


@pytest.fixture
def world(make_user):
    """An SME with a mentor in its country and one across the border."""
    staff = make_user("coordinator")
    sme = profile_service.create_profile(staff, "sme", payload("sme", name="Autopartes"))
    near = profile_service.create_profile(staff, "mentor", payload(
        "mentor", name="Laura Treviño", country="MX", subdivision="MX-CHH", city="Chihuahua",
        languages=["es"]))
    far = profile_service.create_profile(staff, "mentor", payload("mentor", name="Rosa Delgado"))
    return {"sme": sme.id, "near": near.id, "far": far.id}


def form(client, **changes) -> dict:
    """Return the page's form as loaded (every field as the page shows it), with changes."""
    html = client.get(URL).get_data(as_text=True)
    data = {"csrf_token": csrf_token(client, URL)}
    for tag in re.findall(r"<input [^>]+>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or name[1] == "csrf_token":
            continue
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        data[name[1]] = value[1] if value else ""
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


@pytest.mark.parametrize("role", ["sme", "mentor", "buyer"])
def test_participants_get_403(client, signed_in, role):
    signed_in(role)
    assert client.get(URL).status_code == 403
    assert "Program rules" not in client.get("/account").get_data(as_text=True)


def test_staff_see_the_navigation_entry_and_the_defaults(client, signed_in):
    signed_in("coordinator")
    html = client.get(URL).get_data(as_text=True)
    assert f'href="{URL}"' in client.get("/account").get_data(as_text=True)
    assert 'name="sme_mentor.weights.needs" value="1.0"' in html
    assert 'name="sme_mentor.min_score" value="0.0"' in html
    assert 'name="sme_buyer.weights.sourcing"' in html
    assert 'name="sme_buyer.needs_covered_required"' not in html
    assert "checked" not in html


def test_preview_shows_who_enters_and_leaves_and_saves_nothing(client, signed_in, world):
    signed_in("coordinator")
    response = client.post(URL, data=form(client, **{"sme_mentor.cross_border_only": "y",
                                                     "action": "preview"}))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    entry = re.search(rf'id="preview-sme_mentor-{world["sme"]}".*?</div>\s*</div>', html, re.S)
    assert entry, text_of(html)
    text = text_of(entry[0])
    now, then = text.split("With these rules")
    assert "Laura Treviño" in now and "leaves" in now
    assert "Laura Treviño" not in then and "Rosa Delgado" in then
    assert "1 of 1 sampled profiles would see a different top" in text_of(html)
    assert 'name="sme_mentor.cross_border_only" value="y" checked' in html  # kept in the form
    assert db.session.scalar(db.select(db.func.count()).select_from(ProgramRule)) == 0


def test_the_previews_scores_follow_the_locale(client, signed_in, world):
    signed_in("coordinator", locale="fr")
    html = client.post(URL, data=form(client, **{"sme_mentor.cross_border_only": "y",
                                                 "action": "preview"})).get_data(as_text=True)
    scores = re.findall(r'<ol class="preview-top">.*?</ol>', html, re.S)
    shown = re.findall(r'<span class="muted">([^<]+)</span>', "".join(scores))
    assert shown and all(re.fullmatch(r"[01],\d{2}", score) for score in shown), shown


def test_save_stores_audits_and_applies_to_the_matches_page(client, signed_in, world,
                                                           make_user):
    user = signed_in("coordinator")
    response = client.post(URL, data=form(client, **{"sme_mentor.cross_border_only": "y",
                                                     "sme_mentor.weights.text": "0.5",
                                                     "action": "save"}))
    assert response.status_code == 302
    html = client.get(URL).get_data(as_text=True)
    assert "The program rules are saved." in html
    assert 'name="sme_mentor.cross_border_only" value="y" checked' in html
    assert 'name="sme_mentor.weights.text" value="0.5"' in html
    [entry] = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action == "program_rules.change")).all()
    assert entry.actor_id == user.id
    # the SME's own matches page obeys the rule
    owner = make_user("sme")
    profile_service.create_profile(owner, "sme", payload("sme", name="Mine"))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    from tests.factories import login
    login(client, owner.email)
    shown = text_of(client.get("/matches").get_data(as_text=True))
    assert "Rosa Delgado" in shown and "Laura Treviño" not in shown


@pytest.mark.parametrize(("field", "value"), [
    ("sme_mentor.min_score", "2"), ("sme_mentor.min_score", "high"),
    ("sme_buyer.weights.sector", "9"), ("mentor_sme.weights.location", "-1"),
])
@pytest.mark.parametrize("action", ["save", "preview"])
def test_bad_values_are_shown_by_their_field_and_nothing_is_saved(client, signed_in, field,
                                                                   value, action):
    signed_in("coordinator")
    response = client.post(URL, data=form(client, **{field: value, "action": action}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_errors(html, field.replace(".", "-"))
    # what was typed stays in the form
    assert re.search(rf'name="{field}" value="{value}(\.0)?"', html)
    assert db.session.scalar(db.select(db.func.count()).select_from(ProgramRule)) == 0


def test_a_change_made_meanwhile_is_not_overwritten(client, signed_in):
    signed_in("coordinator")
    stale = form(client, **{"sme_mentor.min_score": "0.5", "action": "save"})
    assert client.post(URL, data=form(client, **{"sme_mentor.min_score": "0.2",
                                                 "action": "save"})).status_code == 302
    response = client.post(URL, data=stale)
    assert response.status_code == 409
    assert "changed since you read them" in text_of(response.get_data(as_text=True))
    assert db.session.get(ProgramRule, "sme_mentor").min_score == 0.2


def test_the_page_speaks_spanish_and_french(client, signed_in):
    signed_in("coordinator", locale="es")
    html = text_of(client.get(URL).get_data(as_text=True))
    assert "Reglas del programa" in html and "Vista previa" in html
    html = text_of(client.get(f"{URL}?lang=fr").get_data(as_text=True))
    assert "Règles du programme" in html and "Aperçu" in html


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_every_factor_is_labelled_in_words_never_by_its_code(client, signed_in, lang):
    """The trade pairings' diversity weight read "diversity" in every language."""
    from matcher import TRADE
    from webapp.ui.program_rules import factor_label

    signed_in("coordinator")
    html = client.get(f"{URL}?lang={lang}").get_data(as_text=True)
    for pairing in ("sme_buyer", "buyer_sme"):
        label = re.search(rf'<label for="{pairing}-weights-diversity"[^>]*>(.*?)</label>', html,
                          re.S)
        assert label is not None and label.group(1).strip().lower() != "diversity"
    with client.application.test_request_context(f"/?lang={lang}"):
        labels = {f: str(factor_label("sme_buyer", f)) for f in TRADE.factors}
    assert all(label != factor for factor, label in labels.items())
