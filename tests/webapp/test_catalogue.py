"""The catalogue: every code has a Spanish and French message with the same placeholders."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from webapp.catalogue import describe, model_decisions, render_email, words
from webapp.catalogue.emails import EMAILS
from webapp.catalogue.fields import FIELD_PROBLEMS
from webapp.catalogue.notices import HINTS, NOTICES
from webapp.catalogue.params import PAIR
from webapp.catalogue.reasons import STAFF_TEMPLATES, TEMPLATES
from webapp.catalogue.refusals import REFUSALS
from webapp.catalogue.text import TRANSLATIONS_DIR, InContext

PLACEHOLDER = re.compile(r"%\((\w+)\)")


def catalogue_msgids() -> list[str | tuple[str, str]]:
    """Return every msgid the catalogue package renders."""
    labels = [*words.STATES.values(), *words.DECLINE_REASONS.values(), *words.KINDS.values(),
              *words.THINGS.values(), *words.ACTIONS.values(), *words.SIDES.values(),
              *(m for pair in words.PARTIES.values() for m in pair), words.AND, words.OR, PAIR]
    return [*REFUSALS.values(), *FIELD_PROBLEMS.values(), *TEMPLATES.values(),
            *NOTICES.values(), *HINTS.values(),
            *STAFF_TEMPLATES.values(), *(m for pair in EMAILS.values() for m in pair), *labels,
            *model_decisions.MESSAGES, *words.UNMET_RULES.values()]


def read_catalog(locale: str) -> Catalog:
    with open(TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po)


def untranslated(catalog: Catalog, msgids: Iterable[str | tuple[str, str]]) -> list[str]:
    """Return the msgids without a complete translation keeping the English placeholders."""
    wrong = []
    for msgid in msgids:
        if isinstance(msgid, InContext):
            singular = msgid.msgid
            message = catalog.get(singular, context=msgid.context)
        else:
            singular = msgid[0] if isinstance(msgid, tuple) else msgid
            message = catalog.get(singular)
        strings = [] if message is None else (
            list(message.string) if isinstance(message.string, tuple) else [message.string])
        expected = set(PLACEHOLDER.findall(singular))
        if not strings or not all(strings) or any(
                set(PLACEHOLDER.findall(s)) != expected for s in strings):
            wrong.append(singular)
    return wrong


def test_every_code_has_a_message():
    assert all(isinstance(m, str | tuple | InContext) and m for m in catalogue_msgids())


@pytest.mark.parametrize("locale", ["es", "fr"])
def test_every_catalogue_message_is_translated_with_its_placeholders(locale):
    assert untranslated(read_catalog(locale), catalogue_msgids()) == []


def test_a_missing_or_mangled_translation_is_caught():
    catalog = read_catalog("es")
    catalog[REFUSALS["introduction_open"]].string = ""
    catalog[FIELD_PROBLEMS["unknown_city"]].string = "No existe esa ciudad."  # placeholders lost
    plural = FIELD_PROBLEMS["too_many_items"]
    catalog[plural[0]].string = ("Elija como máximo %(num)d elemento.", "")
    del catalog[REFUSALS["proposal_confirmed"]]
    assert sorted(untranslated(catalog, catalogue_msgids())) == sorted([
        REFUSALS["introduction_open"], FIELD_PROBLEMS["unknown_city"], plural[0],
        REFUSALS["proposal_confirmed"]])


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", "Profile 7 has 3 unanswered requests, the most allowed (3); withdraw one or wait "
           "for answers."),
    ("es", "El perfil 7 tiene 3 solicitudes sin respuesta, el máximo permitido (3); retire una "
           "o espere respuestas."),
    ("fr", "Le profil 7 a 3 demandes sans réponse, le maximum autorisé (3) ; retirez-en une ou "
           "attendez des réponses."),
])
def test_a_refusal_renders_in_each_language(locale, expected):
    assert describe("too_many_open_requests", locale, id=7, pending=3, limit=3) == expected


def test_parameters_are_worded_in_the_readers_language():
    english = describe("introduction_wrong_state", "en", id=4, state="accepted",
                       allowed_states=["requested"])
    spanish = describe("introduction_wrong_state", "es", id=4, state="accepted",
                       allowed_states=["requested"])
    assert "is accepted" in english and "requested" in english
    assert "«acept" in spanish and "«solicitad" in spanish and "accepted" not in spanish
    assert describe("too_many_items", "en", num=1) == "Choose at most 1 item."
    assert describe("too_many_items", "en", num=3) == "Choose at most 3 items."


def test_a_pairing_refusal_names_the_kinds_grammatically():
    assert describe("pairing_unsupported", "en", kind="sme", allowed=["mentor", "buyer"]) == (
        "A profile of kind SME is matched with: mentor or buyer.")
    assert describe("pairing_not_offered", "en", kind="sme", allowed=["mentor", "buyer"],
                    target_kind="sme") == (
        "A profile of kind SME can ask for an introduction to: mentor or buyer; this profile "
        "is of kind SME.")


@pytest.mark.parametrize("locale", ["en", "es", "fr"])
def test_every_email_renders_with_the_decline_reason_named_once(locale):
    params = {"requester": "Acme", "target": "Rosa", "message": "Hola", "reason_code": "timing",
              "note": "", "expires_on": "2030-01-01", "days": 7, "url": "http://x/1"}
    for name in EMAILS:
        used, subject, body = render_email(name, locale, params)
        assert used == locale and subject and "%(" not in subject + body
    body = render_email("declined", locale, params)[2]
    assert describe_label(words.DECLINE_REASONS["timing"], locale) in body


def describe_label(msgid: str, locale: str) -> str:
    from webapp.catalogue import word

    return word(msgid, locale)


def test_compiled_catalogues_exist_for_every_locale():
    for locale in ("es", "fr"):
        assert Path(TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.mo").is_file()


@pytest.mark.parametrize(("locale", "state", "heading"), [("es", "Aceptada", "Aceptadas"),
                                                          ("fr", "Acceptée", "Acceptées")])
def test_an_introductions_state_is_singular_like_the_others(locale, state, heading):
    from webapp.catalogue.text import translate

    assert translate(words.STATES["accepted"], locale) == state
    assert translate(words.STATES["declined"], locale) in ("Rechazada", "Refusée")
    assert translate("Accepted", locale) == heading  # a list of accepted ones stays plural


@pytest.mark.parametrize(("locale", "written"), [
    ("en", "December 21, 2026"), ("es", "21 de diciembre de 2026"),
    ("fr", "21 décembre 2026")])
def test_email_dates_are_written_in_the_readers_language(locale, written):
    """README, Languages: dates in the e-mails are formatted for the language too."""
    params = {"requester": "Acme", "target": "Rosa", "message": "Hola",
              "expires_on": "2026-12-21", "occurred_on": "2026-12-21", "days": 14,
              "url": "http://x/1", "stage_code": "order_placed", "reporter": "Acme"}
    for name in ("requested", "reminder", "outcome_confirm_request",
                 "program_introduced_target"):
        body = render_email(name, locale, params)[2]
        assert written in body and "2026-12-21" not in body, body
