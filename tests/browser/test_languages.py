"""(b) The pages in Spanish and French: translated labels, no English left of the app's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from tests.browser.pages import log_in, sign_up, visible_texts

TRANSLATIONS = Path(__file__).resolve().parents[2] / "webapp" / "translations"


def english_only(lang: str) -> set[str]:
    """Return the app's English strings whose translation in ``lang`` differs."""
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    strings = set()
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        translated = message.string if isinstance(message.string, tuple) else (message.string,)
        strings.update(i for i in ids if i and "%(" not in i and i not in translated)
    return strings


def assert_no_english(page, lang: str) -> None:
    leftovers = set(visible_texts(page)) & english_only(lang)
    assert leftovers == set(), f"{page.url}: English left: {sorted(leftovers)}"
    assert page.get_attribute("html", "lang") == lang


LABELS = {
    "es": {"signup": "Crear una cuenta", "editor": "Nuevo perfil: Pyme", "country": "País",
           "needs": "¿En qué necesita ayuda?", "required": "Este campo es obligatorio.",
           "sector": "Fabricación de muebles", "account": "Tokens de API",
           "missing": "Página no encontrada", "need_label": "Reglas de origen (T-MEC)"},
    "fr": {"signup": "Créer un compte", "editor": "Nouveau profil\u00a0: PME", "country": "Pays",
           "needs": "Pour quoi avez-vous besoin d’aide\u00a0?",
           "required": "Ce champ est obligatoire.", "sector": "Fabrication de meubles",
           "account": "Jetons d’API", "missing": "Page introuvable",
           "need_label": "Règles d'origine (ACEUM)"},
}


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_pages_speak_the_visitors_language(new_page, lang):
    page = new_page(locale=lang)
    words = LABELS[lang]
    for path in ("/", "/login", "/signup"):
        page.goto(path)
        assert_no_english(page, lang)
    expect(page.locator("h1")).to_have_text(words["signup"])

    sign_up(page, "sme", f"pyme-{lang}@example.test")
    expect(page.locator("h1")).to_have_text(words["editor"])
    expect(page.get_by_text(words["needs"], exact=True)).to_be_visible()
    expect(page.get_by_text(words["need_label"], exact=True)).to_be_visible()
    assert_no_english(page, lang)

    page.fill("#sectors", words["sector"].split()[-1])  # NAICS titles in the page's language
    option = page.locator("#sectors-options option[value='337']")
    expect(option).to_have_count(1)
    assert words["sector"] in option.get_attribute("label")

    page.locator(".profile-form button[type=submit]").click()  # nothing filled in
    expect(page.locator("#name-error")).to_have_text(words["required"])
    assert_no_english(page, lang)

    page.goto("/account")
    expect(page.locator("h2", has_text=words["account"])).to_be_visible()
    assert_no_english(page, lang)
    page.goto("/no-such-page")
    expect(page.locator("h1")).to_have_text(words["missing"])
    assert_no_english(page, lang)


def test_switcher_changes_the_language_and_remembers_it(page, account):
    page.goto("/login")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("h1")).to_have_text("Se connecter")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")  # the cookie remembers
    log_in(page, account("mentor", locale="es"))
    expect(page.locator("html")).to_have_attribute("lang", "es")  # the user's preference
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto("/account")
    expect(page.locator("#lang")).to_have_value("en")
