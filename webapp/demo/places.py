"""Where demo profiles live: real cities, border regions over-represented, languages by region."""

import random
from dataclasses import dataclass
from functools import cache

import numpy as np

from matcher import taxonomy as tx
from webapp.demo.sectors import KINDS

PROGRAM_COUNTRIES = ("US", "MX", "CA")
# Pacific and Virgin Islands territories are filed under US but far from the USMCA mainland.
REMOTE_SUBDIVISIONS = frozenset({"US-AS", "US-GU", "US-MP", "US-UM", "US-VI"})

# Twin-city regions along the two borders, weighted by rough cross-border activity. Inside a
# region cities are drawn by the square root of their population, so that Calexico or Nogales,
# Arizona still show up next to Mexicali or Tucson. "A|B" lists spellings to try.
BORDER_REGIONS: dict[str, tuple[float, tuple[tuple[str, str, str], ...]]] = {
    "tijuana_san_diego": (1.0, (
        ("MX", "MX-BCN", "Tijuana"), ("MX", "MX-BCN", "Tecate"),
        ("MX", "MX-BCN", "Rosarito|Playas de Rosarito"), ("US", "US-CA", "San Diego"),
        ("US", "US-CA", "Chula Vista"), ("US", "US-CA", "National City"),
        ("US", "US-CA", "El Cajon"))),
    "mexicali_calexico": (0.5, (
        ("MX", "MX-BCN", "Mexicali"), ("US", "US-CA", "Calexico"),
        ("US", "US-CA", "El Centro"))),
    "san_luis_yuma": (0.2, (
        ("MX", "MX-SON", "San Luis Río Colorado"), ("US", "US-AZ", "Yuma"))),
    "nogales": (0.4, (
        ("MX", "MX-SON", "Heroica Nogales|Nogales"), ("US", "US-AZ", "Nogales"),
        ("US", "US-AZ", "Tucson"))),
    "agua_prieta_douglas": (0.1, (
        ("MX", "MX-SON", "Agua Prieta"), ("US", "US-AZ", "Douglas"))),
    "juarez_el_paso": (0.9, (
        ("MX", "MX-CHH", "Ciudad Juárez|Juárez"), ("US", "US-TX", "El Paso"),
        ("US", "US-NM", "Las Cruces"))),
    "acuna_del_rio": (0.15, (
        ("MX", "MX-COA", "Ciudad Acuña|Acuña"), ("US", "US-TX", "Del Rio"))),
    "piedras_negras_eagle_pass": (0.25, (
        ("MX", "MX-COA", "Piedras Negras"), ("US", "US-TX", "Eagle Pass"))),
    "laredo": (0.8, (
        ("MX", "MX-TAM", "Nuevo Laredo"), ("US", "US-TX", "Laredo"))),
    "reynosa_mcallen": (0.7, (
        ("MX", "MX-TAM", "Reynosa"), ("MX", "MX-TAM", "Río Bravo"),
        ("US", "US-TX", "McAllen"), ("US", "US-TX", "Edinburg"), ("US", "US-TX", "Mission"),
        ("US", "US-TX", "Pharr"))),
    "matamoros_brownsville": (0.5, (
        ("MX", "MX-TAM", "Heroica Matamoros|Matamoros"), ("US", "US-TX", "Brownsville"),
        ("US", "US-TX", "Harlingen"))),
    "vancouver_seattle": (0.8, (
        ("CA", "CA-BC", "Vancouver"), ("CA", "CA-BC", "Surrey"), ("CA", "CA-BC", "Burnaby"),
        ("CA", "CA-BC", "Richmond"), ("CA", "CA-BC", "Abbotsford"),
        ("US", "US-WA", "Bellingham"), ("US", "US-WA", "Seattle"),
        ("US", "US-WA", "Everett"))),
    "windsor_detroit": (0.9, (
        ("CA", "CA-ON", "Windsor"), ("US", "US-MI", "Detroit"), ("US", "US-MI", "Dearborn"),
        ("US", "US-MI", "Warren"), ("US", "US-MI", "Southfield"),
        ("US", "US-MI", "Sterling Heights"))),
    "sarnia_port_huron": (0.15, (
        ("CA", "CA-ON", "Sarnia"), ("US", "US-MI", "Port Huron"))),
    "niagara_buffalo": (0.6, (
        ("CA", "CA-ON", "Niagara Falls"), ("CA", "CA-ON", "St. Catharines"),
        ("CA", "CA-ON", "Welland"), ("CA", "CA-ON", "Fort Erie"), ("US", "US-NY", "Buffalo"),
        ("US", "US-NY", "Niagara Falls"), ("US", "US-NY", "Lockport"))),
    "montreal_plattsburgh_burlington": (0.7, (
        ("CA", "CA-QC", "Montréal|Montreal"), ("CA", "CA-QC", "Longueuil"),
        ("CA", "CA-QC", "Saint-Jean-sur-Richelieu"), ("CA", "CA-QC", "Sherbrooke"),
        ("CA", "CA-QC", "Granby"), ("US", "US-NY", "Plattsburgh"),
        ("US", "US-VT", "Burlington"), ("US", "US-VT", "South Burlington"))),
    "thousand_islands": (0.15, (
        ("CA", "CA-ON", "Kingston"), ("CA", "CA-ON", "Cornwall"),
        ("US", "US-NY", "Watertown"))),
    "new_brunswick_maine": (0.1, (
        ("CA", "CA-NB", "Saint John"), ("CA", "CA-NB", "Fredericton"),
        ("US", "US-ME", "Bangor"))),
    "sault_ste_marie": (0.08, (
        ("CA", "CA-ON", "Sault Ste. Marie"), ("US", "US-MI", "Sault Ste. Marie"))),
}

# Share of each kind drawn from a border region, and how the rest splits between countries.
BORDER_SHARE = {"sme": 0.45, "mentor": 0.35, "buyer": 0.40}
COUNTRY_SHARE = {"sme": {"MX": 0.42, "US": 0.33, "CA": 0.25},
                 "mentor": {"MX": 0.32, "US": 0.40, "CA": 0.28},
                 "buyer": {"MX": 0.25, "US": 0.50, "CA": 0.25}}


@dataclass(frozen=True)
class CityTable:
    """Every city profiles may be placed in, with a sampling distribution per kind."""

    name: tuple[str, ...]
    country: tuple[str, ...]
    subdivision: tuple[str, ...]
    latitude: np.ndarray
    longitude: np.ndarray
    border: np.ndarray  # indices of the cities that belong to a border region
    cdf: dict[str, np.ndarray]  # kind -> cumulative probability over cities


@cache
def city_table() -> CityTable:
    """Load the taxonomy's cities once and weight them by population and border region."""
    # A place whose name leads find_city to another, bigger place of the same name (two
    # "San Pedro" in Coahuila) is left out: a profile's city must resolve to where it is.
    cities = [c for country in PROGRAM_COUNTRIES for c in tx.cities(country=country)
              if c.subdivision not in REMOTE_SUBDIVISIONS
              and tx.find_city(c.country, c.subdivision, c.name) == c]
    index = {(c.country, c.subdivision, c.name): i for i, c in enumerate(cities)}
    population = np.array([max(c.population or 0, 1) for c in cities], dtype=float)
    country = np.array([c.country for c in cities])
    border = _border_mass(index, population)
    cdf = {kind: _city_cdf(kind, population, country, border) for kind in KINDS}
    return CityTable(
        name=tuple(c.name for c in cities),
        country=tuple(c.country for c in cities),
        subdivision=tuple(c.subdivision for c in cities),
        latitude=np.array([c.latitude for c in cities], dtype=float),
        longitude=np.array([c.longitude for c in cities], dtype=float),
        border=np.flatnonzero(border),
        cdf=cdf,
    )


def _border_mass(index: dict[tuple[str, str, str], int], population: np.ndarray) -> np.ndarray:
    """Spread a total probability of 1 over the cities of the border regions."""
    mass = np.zeros(len(population))
    for weight, members in BORDER_REGIONS.values():
        found = [i for i in (_resolve(index, *m) for m in members) if i is not None]
        if found:
            share = np.sqrt(population[found])
            mass[found] += weight * share / share.sum()
    if not mass.any():
        raise LookupError("no border city of the demo data is in the taxonomy")
    return mass / mass.sum()


def _resolve(index: dict[tuple[str, str, str], int], country: str, subdivision: str,
             names: str) -> int | None:
    """Find a city's row from the first of its spellings the taxonomy knows."""
    for name in names.split("|"):
        city = tx.find_city(country, subdivision, name)
        if city is not None:
            row = index.get((city.country, city.subdivision, city.name))
            if row is not None:
                return row
    return None


def _city_cdf(kind: str, population: np.ndarray, country: np.ndarray,
              border: np.ndarray) -> np.ndarray:
    """Mix the border draw with a population draw inside each country."""
    p = BORDER_SHARE[kind] * border
    for code, share in COUNTRY_SHARE[kind].items():
        inside = np.where(country == code, population, 0.0)
        if inside.any():
            p = p + (1 - BORDER_SHARE[kind]) * share * inside / inside.sum()
    cdf = np.cumsum(p)
    return cdf / cdf[-1]


@dataclass(frozen=True)
class LanguageRegime:
    """Which languages the people of a region write in and also speak."""

    main: tuple[tuple[str, float], ...]  # (language, cumulative probability)
    extra: dict[str, tuple[tuple[str, float], ...]]  # main -> (language, probability)
    indigenous: tuple[str, ...] = ()
    indigenous_share: float = 0.0
    spanish_names: float = 0.0  # share of Hispanic names among English writers


_HISPANIC_STATES = ("US-TX", "US-NM", "US-AZ", "US-CA", "US-FL", "US-NV")
_FRANCOPHILE_STATES = ("US-VT", "US-ME", "US-NH", "US-LA")
_MX_BORDER_STATES = ("MX-BCN", "MX-SON", "MX-CHH", "MX-COA", "MX-NLE", "MX-TAM")
INDIGENOUS_LANGUAGES = {
    "MX-OAX": (("zap", "mix"), 0.18), "MX-CHP": (("tzo", "tzh"), 0.15),
    "MX-YUC": (("yua",), 0.20), "MX-ROO": (("yua",), 0.10), "MX-CAM": (("yua",), 0.10),
    "MX-GRO": (("ngu", "mix"), 0.10), "MX-HID": (("nhe", "ote"), 0.08),
    "MX-VER": (("nhe",), 0.06), "MX-SLP": (("nhe",), 0.05), "MX-PUE": (("azz", "nhe"), 0.06),
    "MX-MIC": (("tsz",), 0.05), "MX-CHH": (("tar",), 0.02),
    "CA-NU": (("iu",), 0.50), "CA-NT": (("iu",), 0.10), "CA-MB": (("cr", "oj"), 0.03),
    "CA-SK": (("cr",), 0.03), "CA-AB": (("cr",), 0.01), "CA-ON": (("oj",), 0.005),
}


@cache
def language_regime(country: str, subdivision: str) -> LanguageRegime:
    """Return the language habits of a subdivision; Indigenous codes are checked."""
    codes, share = INDIGENOUS_LANGUAGES.get(subdivision, ((), 0.0))
    codes = tuple(c for c in codes if tx.is_language(c))
    base = _base_regime(country, subdivision)
    return LanguageRegime(base.main, base.extra, codes, share if codes else 0.0,
                          base.spanish_names)


def _base_regime(country: str, subdivision: str) -> LanguageRegime:
    """Pick the written and spoken languages of a place, before Indigenous languages."""
    if subdivision == "CA-QC":
        return LanguageRegime((("fr", 0.85), ("en", 1.0)),
                              {"fr": (("en", 0.6),), "en": (("fr", 0.75),)})
    if subdivision == "CA-NB":
        return LanguageRegime((("en", 0.65), ("fr", 1.0)),
                              {"en": (("fr", 0.45),), "fr": (("en", 0.85),)})
    if country == "CA":
        return LanguageRegime((("en", 1.0),), {"en": (("fr", 0.12),)})
    if country == "MX":
        english = 0.55 if subdivision in _MX_BORDER_STATES else 0.4
        return LanguageRegime((("es", 1.0),), {"es": (("en", english),)})
    if subdivision == "US-PR":
        return LanguageRegime((("es", 0.85), ("en", 1.0)),
                              {"es": (("en", 0.7),), "en": (("es", 0.95),)}, spanish_names=0.9)
    if subdivision in _HISPANIC_STATES:
        return LanguageRegime((("en", 0.85), ("es", 1.0)),
                              {"en": (("es", 0.45),), "es": (("en", 0.9),)},
                              spanish_names=0.3)
    if subdivision in _FRANCOPHILE_STATES:
        return LanguageRegime((("en", 1.0),), {"en": (("fr", 0.08), ("es", 0.06))},
                              spanish_names=0.05)
    return LanguageRegime((("en", 1.0),), {"en": (("es", 0.12), ("fr", 0.02))},
                          spanish_names=0.1)


def draw_languages(regime: LanguageRegime, r: random.Random) -> list[str]:
    """Draw a profile's languages, the one it writes in first."""
    u = r.random()
    main = next(code for code, cum in regime.main if u < cum)
    languages = [main] + [code for code, p in regime.extra.get(main, ()) if r.random() < p]
    if regime.indigenous and r.random() < regime.indigenous_share:
        languages.append(r.choice(regime.indigenous))
    return languages
