"""Catalogs, locale selection and translated pages (webapp/i18n.py, webapp/translations)."""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import Environment

from tests.factories import csrf_token
from tests.ui.helpers import text_of

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "webapp" / "translations"
TEMPLATES = ROOT / "webapp" / "templates"
TRANSLATED = ("es", "fr")
# pybabel's defaults that the code uses (pgettext: a context, then the msgid), and the README's.
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "N_": None, "N_plural": (1, 2), "pgettext": ((1, "c"), 2)}
# Literal template text that is the same in every language.
UNTRANSLATED_OK = {"Puente", "—", "·", "…", ",", ":"}


def catalog(lang: str):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def extracted_ids() -> set[str]:
    """Return every msgid in the UI's code and templates, extracted as babel.cfg says."""
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=[("webapp/**.py", "python"), ("webapp/templates/**.html", "jinja2")],
        keywords=KEYWORDS,
    ):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_has_a_translation(lang):
    entries = [m for m in catalog(lang) if m.id]
    assert len(entries) > 150
    empty = [m.id for m in entries
             if not all(m.string if isinstance(m.string, tuple) else [m.string])]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert empty == [] and fuzzy == []


# The list of ranked partners has one name per language: the menu, its tabs and the home's
# links and sentences must not call it two things ("Mes suggestions" over "Toutes les
# correspondances").
MATCHES_WORD = {"es": "coincidencia", "fr": "correspondance"}
NAMING_THE_MATCHES = ("My matches", "All matches", "Saved matches", "See all your matches",
                      "New matches since your last visit",
                      "Tell us about yourself: the better the profile, the better the matches.",
                      "Each suggested match comes with the reasons behind it: shared sector, "
                      "language, needs and distance.")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_matches_have_one_name(lang):
    translations = {m.id: m.string for m in catalog(lang) if m.id in NAMING_THE_MATCHES}
    assert set(translations) == set(NAMING_THE_MATCHES)
    assert {msgid: text for msgid, text in translations.items()
            if MATCHES_WORD[lang] not in text.lower()} == {}


def test_spanish_writes_pyme_one_way():
    """"pyme" (RAE: a common noun), capitalised only where a label or sentence starts; the
    cohort page said "35 de 119 Pymes con mentor" beside "34 PYMES cubiertas"."""
    texts = [text for m in catalog("es") if m.id
             for text in (m.string if isinstance(m.string, tuple) else (m.string,))]
    assert [text for text in texts if re.search(r"PYMES?\b", text)] == []
    assert any("pymes" in text for text in texts) and any("Pymes" in text for text in texts)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_the_placeholders(lang):
    for message in catalog(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\(\w+\)[sd]", " ".join(ids)))
        for string in strings:
            assert set(re.findall(r"%\(\w+\)[sd]", string)) == wanted, message.id


def test_catalogs_hold_every_string_of_the_code_and_templates():
    ids = extracted_ids()
    assert "Log in" in ids and "Choose at least one." in ids
    for lang in ("en", *TRANSLATED):
        known = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog(lang) if m.id}
        assert ids - known == set(), f"{lang}: run pybabel extract and update (README)"
        assert known - ids == set(), f"{lang}: obsolete entries; run pybabel update"


def compiled_differences(po, mo_bytes: bytes) -> list[str]:
    """Return where the compiled catalogue ``mo_bytes`` would show other text than ``po`` says.

    The .mo is read back with the standard library's gettext, not with the tool that wrote it,
    and compared by what a reader would see (an untranslated entry shows its msgid, whether a
    compiler left it out or wrote the msgid in), so any compiler that keeps the meaning passes.
    """
    compiled = gettext.GNUTranslations(io.BytesIO(mo_bytes))
    found = {key: value for key, value in compiled._catalog.items() if key != ""}
    problems, known = [], set()
    for message in po:
        if not message.id or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        # A msgid with a context is stored as "context\x04msgid" (what pgettext looks up).
        first = f"{message.context}\x04{ids[0]}" if message.context else ids[0]
        for index, string in enumerate(strings):
            key = (first, index) if isinstance(message.id, tuple) else first
            fallback = ids[min(index, len(ids) - 1)]
            known.add(key)
            if found.get(key, fallback) != (string or fallback):
                problems.append(f"missing or changed: {key!r}")
    problems += [f"not in the .po: {key!r}" for key in found if key not in known]
    if compiled.info().get("plural-forms", "").replace(" ", "") != po.plural_forms.replace(" ", ""):
        problems.append("plural forms differ")
    return problems


def committed_mo(lang: str) -> bytes:
    return (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo").read_bytes()


@pytest.mark.parametrize("lang", ("en", *TRANSLATED))
def test_compiled_catalogs_say_what_the_po_files_say(lang):
    assert compiled_differences(catalog(lang), committed_mo(lang)) == [], (
        "run pybabel compile -d webapp/translations")


def plural_entry(po):
    return next(m for m in po if isinstance(m.id, tuple) and m.string[1])


def placeholder_entry(po):
    return next(m for m in po if m.id and not isinstance(m.id, tuple) and "%(" in m.string)


@pytest.mark.parametrize("change", ["drop a message", "drop a plural form", "drop a placeholder",
                                    "other plural rule"])
def test_the_compiled_catalog_check_sees_what_a_stale_mo_lacks(change):
    """A .mo compiled from a .po that lost something must not pass as up to date."""
    po = catalog("es")
    assert compiled_differences(po, committed_mo("es")) == []
    stale = catalog("es")
    if change == "drop a message":
        del stale[placeholder_entry(stale).id]
    elif change == "drop a plural form":
        entry = plural_entry(stale)
        entry.string = (entry.string[0], "")
    elif change == "drop a placeholder":
        entry = placeholder_entry(stale)
        entry.string = re.sub(r"%\(\w+\)[sd]", "", entry.string)
    else:
        stale.plural_forms  # noqa: B018 - read before the header is replaced
        stale._num_plurals, stale._plural_expr = 3, "(n==1 ? 0 : n==2 ? 1 : 2)"
    mo = io.BytesIO()
    write_mo(mo, stale)
    assert compiled_differences(po, mo.getvalue()) != []


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_templates_hold_no_text_outside_gettext(template):
    """Text between tags and in user-facing attributes must go through _()."""
    source = (TEMPLATES / template).read_text()
    data = "".join(value for _line, kind, value in Environment().lex(source) if kind == "data")
    attributes = re.findall(r'\b(?:placeholder|title|alt|aria-label)="([^"{]+)"', data)
    text = re.sub(r"<[^>]*>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", data, flags=re.S))
    words = [w for w in text.split() + attributes if re.search(r"[^\W\d_]", w)]
    assert [w for w in words if w not in UNTRANSLATED_OK] == []


@pytest.mark.parametrize("lang, expected", [
    ("es", ["Crear una cuenta", "Iniciar sesión", "Socios al otro lado de la frontera"]),
    ("fr", ["Créer un compte", "Se connecter", "Des partenaires outre-frontière"]),
])
def test_accept_language_chooses_the_page_language(client, lang, expected):
    html = client.get("/", headers={"Accept-Language": f"{lang};q=0.9,en;q=0.5"}).get_data(
        as_text=True)
    assert f'<html lang="{lang}">' in html
    for words in expected:
        assert words in html


def test_locale_order_lang_argument_then_cookie_then_user_then_browser(client, signed_in):
    client.set_cookie("puente_lang", "fr")
    assert '<html lang="fr">' in client.get("/", headers={"Accept-Language": "es"}).text
    assert '<html lang="es">' in client.get("/?lang=es").text
    signed_in("sme", locale="es")
    assert '<html lang="es">' in client.get("/").text
    assert '<html lang="en">' in client.get("/?lang=en").text


def test_unknown_locale_values_are_ignored(client):
    client.set_cookie("puente_lang", "xx")
    assert '<html lang="en">' in client.get("/?lang=de", headers={"Accept-Language": "de"}).text


@pytest.mark.parametrize("lang", TRANSLATED)
def test_form_labels_and_choices_are_translated(client, signed_in, lang):
    signed_in("sme", locale=lang)
    english_only = {"Name", "Country", "Export stage", "Languages spoken", "Save the profile",
                    "Not exporting yet", "Exporting regularly", "Women-owned", "Location"}
    text = text_of(client.get("/profile").get_data(as_text=True))
    assert [label for label in english_only if f" {label} " in f" {text} "] == []


def test_numbers_and_dates_follow_the_locale(client, signed_in):
    from flask_babel import force_locale

    from webapp.ui.presenters import readable

    signed_in("sme", locale="fr")
    with client.application.test_request_context():
        for lang, shown in (("fr", "1\u202f234,5"), ("es", "1.234,5"), ("en", "1,234.5")):
            with force_locale(lang):
                assert readable("latitude", 1234.5, lang) == (shown,)
    html = client.get("/account").get_data(as_text=True)
    assert re.search(r"\d+ \w+\.? \d{4}", html)  # e.g. "23 nov. 2026"


def test_switcher_form_is_on_error_pages_too(client):
    html = client.get("/missing", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert 'action="/language"' in html and "Página no encontrada" in html
    assert csrf_token(client, "/missing")


def test_template_strings_follow_a_forced_locale_and_come_back(app):
    """Templates keep the request's translations, yet a locale forced for a moment (an e-mail
    in its recipient's language) is spoken in that moment, and the page's after it."""
    from flask import render_template_string
    from flask_babel import force_locale

    template = "{{ _('Hide') }} {{ ngettext('%(num)d day', '%(num)d days', 2) }}"
    with app.test_request_context("/?lang=es"):
        assert render_template_string(template).startswith("Ocultar")
        with force_locale("fr"):
            assert render_template_string(template).startswith("Masquer")
            with force_locale("en"):
                assert render_template_string(template) == "Hide 2 days"
            assert render_template_string(template).startswith("Masquer")
        assert render_template_string(template).startswith("Ocultar")
