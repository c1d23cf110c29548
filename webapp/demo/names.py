"""Made-up names for demo profiles, from Faker pools drawn once per call.

Faker costs tens of microseconds a name, so each locale's pool of company names, surnames and
first names is drawn once (seeded) and profiles combine entries of the pools.
"""

import random
from dataclasses import dataclass

from faker import Faker

from webapp.demo.bank import LanguageBank
from webapp.demo.contacts import slugify

POOL_SIZE = 400
LOCALES = ("es_MX", "en_US", "en_CA", "fr_CA")
FAKER_COMPANY_SHARE = 0.35  # the rest are built from a surname and the sector's word


@dataclass(frozen=True)
class NamePool:
    """Names typical of one locale."""

    companies: tuple[str, ...]
    surnames: tuple[str, ...]
    first_names: tuple[str, ...]


def build_pools(seed: int, size: int = POOL_SIZE) -> dict[str, NamePool]:
    """Draw a pool of names for each locale, the same for the same seed."""
    pools = {}
    for locale in LOCALES:
        fake = Faker(locale)
        fake.seed_instance(f"puente-demo-{seed}-{locale}")
        pools[locale] = NamePool(
            companies=_distinct(fake.company for _ in range(size)),
            surnames=_distinct(fake.last_name for _ in range(size)),
            first_names=_distinct(fake.first_name for _ in range(size)),
        )
    return pools


def _distinct(calls) -> tuple[str, ...]:
    """Call each name factory and keep the first occurrence of each name, in order."""
    return tuple(dict.fromkeys(corrected(call()) for call in calls))


# Faker's es_MX company prefixes lost an accent ("Corporacin"): the demo spells them right.
_MISSPELLED = {"Corporacin": "Corporación"}


def corrected(name: str) -> str:
    """Return a Faker-drawn name with its known misspellings corrected."""
    return " ".join(_MISSPELLED.get(word, word) for word in name.split(" "))


class UniqueNames:
    """Keep the names a run handed out; a name handed out before gets its city, then a
    number ("Alimentos de Nogales S.A. (Nogales)", "… (Nogales) 2"), so no two profiles of a
    run share a name."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, name: str, city: str) -> str:
        """Return ``name``, or its first variant no profile of the run has, and take it."""
        candidate, n = name, 1
        while candidate in self._taken:
            candidate = f"{name} ({city})" if n == 1 else f"{name} ({city}) {n}"
            n += 1
        self._taken.add(candidate)
        return candidate


def locale_for(language: str, country: str, spanish_names: float, r: random.Random) -> str:
    """Choose where a profile's names come from, given the language it writes in."""
    if language == "es":
        return "es_MX"
    if language == "fr":
        return "fr_CA"
    if country == "CA":
        return "en_CA"
    return "es_MX" if r.random() < spanish_names else "en_US"


def person_name(pool: NamePool, locale: str, r: random.Random) -> tuple[str, str]:
    """Return a first name and a surname; Mexicans often carry both surnames."""
    surname = r.choice(pool.surnames)
    if locale == "es_MX" and r.random() < 0.5:
        surname = f"{surname} {r.choice(pool.surnames)}"
    return r.choice(pool.first_names), surname


def company_name(pools: dict[str, NamePool], locale: str, language: str, bank: LanguageBank,
                 sector_word: str, city: str, r: random.Random) -> tuple[str, str]:
    """Return a company name and the slug of it used as its web domain."""
    pool = pools[locale]
    # Faker's company names carry the locale's legal forms; use them only in that language.
    if locale.startswith(language) and r.random() < FAKER_COMPANY_SHARE:
        name = r.choice(pool.companies)
        return name, slugify(name)
    base = r.choice(bank.company_patterns).format(
        surname=r.choice(pool.surnames), word=sector_word, city=city)
    return base + r.choice(bank.company_suffixes), slugify(base)
