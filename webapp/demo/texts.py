"""Free texts of demo profiles, written in the profile's language from small template banks.

The words come from the sector group (products, sector phrase) and from the needs or expertise,
so that a TF-IDF model sees the same vocabulary in an SME's needs and in a fitting mentor's bio.
"""

import random

from webapp.demo import lang_en, lang_es, lang_fr
from webapp.demo.bank import LanguageBank

BANKS: dict[str, LanguageBank] = {"en": lang_en.BANK, "es": lang_es.BANK, "fr": lang_fr.BANK}
_VOWELS = tuple("aeiouàâéèêëîïôûüh")


def sme_texts(language: str, group: str, needs: list[str], stage: str, city: str,
              employees: str, r: random.Random) -> tuple[str, str, str]:
    """Return an SME's description, needs text and products text."""
    bank = BANKS[language]
    words = bank.sectors[group]
    description = r.choice(bank.sme_descriptions).format(
        sector=words.phrase, of_sector=_of(language, words.phrase), city=city,
        employees=employees, stage=bank.stages[stage])
    needs_text = " ".join(r.choice(bank.needs[need].sme) for need in needs)
    products = r.sample(words.products, r.randint(2, 3))
    products_text = bank.sme_products.format(
        verb=words.verb, products=enumerate_items(bank, products, bank.sme_article))
    return description, needs_text, products_text


def mentor_texts(language: str, group: str, expertise: list[str], mode: str, city: str,
                 r: random.Random) -> tuple[str, str]:
    """Return a mentor's bio and description."""
    bank = BANKS[language]
    words = bank.sectors[group]
    phrases = [bank.needs[need].mentor for need in expertise]
    parts = [r.choice(bank.mentor_bios).format(
        years=r.randint(8, 35), sector=words.phrase, of_sector=_of(language, words.phrase),
        role=r.choice(bank.mentor_roles), expertise=enumerate_items(bank, phrases[:3]))]
    if len(phrases) > 3:
        parts.append(bank.mentor_more.format(items=enumerate_items(bank, phrases[3:])))
    parts.append(bank.modes[mode].format(city=city))
    description = bank.mentor_description.format(
        city=city, e1=phrases[0], sector=words.phrase, of_sector=_of(language, words.phrase))
    return " ".join(parts), description


def buyer_texts(language: str, group: str, volume: str, certifications: list[str], city: str,
                r: random.Random) -> tuple[str, str]:
    """Return a buyer's products text and description."""
    bank = BANKS[language]
    words = bank.sectors[group]
    products = r.sample(words.products, r.randint(2, 4))
    parts = [bank.buyer_products.format(
        products=enumerate_items(bank, products, bank.buyer_article)), bank.volumes[volume]]
    if certifications:
        parts.append(bank.buyer_certifications.format(
            certifications=enumerate_items(bank, certifications)))
    description = bank.buyer_description.format(
        buyer_type=r.choice(bank.buyer_types), city=city, sector=words.phrase,
        of_sector=_of(language, words.phrase))
    return " ".join(parts), description


def enumerate_items(bank: LanguageBank, items: list[str], article: str = "") -> str:
    """Join items as a sentence would: "a, b and c" (Spanish "y" turns "e" before an i-).

    Items that themselves contain the conjunction or a comma are separated by semicolons, so
    that "a and b; c and d; and e" stays readable.
    """
    items = [_with_article(article, item) for item in items]
    if len(items) == 1:
        return items[0]
    last = items[-1]
    conjunction = bank.conjunction
    if conjunction == "y" and last.lower().startswith(("i", "í", "hi")) \
            and not last.lower().startswith(("hie", "hia")):
        conjunction = "e"
    if any(f" {bank.conjunction} " in item or "," in item for item in items):
        return f"{'; '.join(items[:-1])}; {conjunction} {last}"
    return f"{', '.join(items[:-1])} {conjunction} {last}"


def _with_article(article: str, word: str) -> str:
    """Put an article before a word, eliding French "de" before a vowel."""
    if article == "de " and word.lower().startswith(_VOWELS):
        return "d'" + word
    return article + word


def _of(language: str, phrase: str) -> str:
    """Return "de <phrase>" for the Romance languages, eliding where French wants it."""
    if language == "fr":
        return _with_article("de ", phrase)
    return "de " + phrase if language == "es" else phrase
