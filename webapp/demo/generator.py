"""Synthetic demo profiles: realistic enough to show matching, deterministic, fast.

Profiles are made in chunks of `CHUNK_SIZE`. Each chunk has its own random generator, derived
from the seed, the kind and the chunk number, and always draws a full chunk: the first n
profiles of a kind are therefore the same whatever the counts asked for. Inside a chunk the
heavy draws (city, sector group, export stage, needs) are vectorised with NumPy; the small
per-profile choices use a `random.Random` seeded from the chunk's generator.

This module imports neither Flask nor SQLAlchemy: the `seed-demo` command and the benchmarks
call it and do their own inserting.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

import numpy as np

from webapp.demo import contacts, markets, names, texts
from webapp.demo.places import (
    CityTable,
    LanguageRegime,
    city_table,
    draw_languages,
    language_regime,
)
from webapp.demo.sectors import (
    EXPORT_STAGES,
    GROUPS,
    KINDS,
    SectorTables,
    group_weights,
    sector_tables,
)

CHUNK_SIZE = 1000
INACTIVE_SHARE = 0.03
JITTER_DEGREES = 0.006  # standard deviation of the offset from the city centre (~0.7 km)
MAX_JITTER_DEGREES = 0.015  # about 1.7 km north-south
EMPLOYEE_BANDS = ("1-9", "10-49", "50-249", "250-499")
EMPLOYEE_SHARES = (0.45, 0.33, 0.17, 0.05)
# Export stage by employee band: bigger firms export more.
STAGE_SHARES = ((0.40, 0.35, 0.18, 0.07), (0.22, 0.33, 0.28, 0.17),
                (0.10, 0.22, 0.33, 0.35), (0.05, 0.12, 0.30, 0.53))
NEED_COUNTS, NEED_COUNT_SHARES = (2, 3, 4, 5), (0.25, 0.35, 0.25, 0.15)
EXPERTISE_COUNTS, EXPERTISE_COUNT_SHARES = (3, 4, 5, 6), (0.25, 0.35, 0.25, 0.15)
CAPACITY_SHARES = (0.04, 0.20, 0.30, 0.20, 0.13, 0.05, 0.04, 0.02, 0.01, 0.01)  # 1 … 10
MODES, MODE_SHARES = ("virtual", "in_person", "both"), (0.35, 0.12, 0.53)
VOLUMES, VOLUME_SHARES = ("small", "medium", "large"), (0.30, 0.45, 0.25)
SECTOR_COUNT_CUM = (0.5, 0.85, 1.0)  # one, two or three NAICS codes
RELATED_SECTOR_SHARE = 0.25
OWNERSHIP_SHARES = {  # independent, self-declared; most firms declare nothing
    "US": (("women", 0.20), ("minority", 0.18), ("veteran", 0.06), ("indigenous", 0.01)),
    "MX": (("women", 0.25), ("indigenous", 0.03), ("minority", 0.01)),
    "CA": (("women", 0.17), ("minority", 0.12), ("indigenous", 0.02), ("veteran", 0.02)),
}
INDIGENOUS_OWNERSHIP_WITH_LANGUAGE = 0.6
CERTIFIED_SHARE = {"none": 0.12, "exploring": 0.25, "occasional": 0.5, "regular": 0.75}


def generate_profiles(smes: int, mentors: int, buyers: int, seed: int = 0) -> Iterator[dict]:
    """Yield `smes` SME, then `mentors` mentor, then `buyers` buyer profiles.

    Each profile is a dict holding "kind" ("sme", "mentor" or "buyer") and exactly the API's
    fields for that kind. The same arguments give the same profiles; asking for more profiles
    of a kind extends, and does not change, the profiles a smaller count gave (but for a name
    an earlier kind's extra profile took first: no two profiles of a run share a name, see
    :class:`~webapp.demo.names.UniqueNames`).
    """
    counts = dict(zip(KINDS, (smes, mentors, buyers), strict=True))
    for label, value in (*counts.items(), ("seed", seed)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{label} must be a non-negative integer, got {value!r}")
    world, taken = _World.load(seed), names.UniqueNames()
    for kind_number, kind in enumerate(KINDS):
        for chunk, start in enumerate(range(0, counts[kind], CHUNK_SIZE)):
            rng = np.random.default_rng([seed, kind_number, chunk])
            size = min(CHUNK_SIZE, counts[kind] - start)
            for profile in _BUILDERS[kind](world, rng, size, start + 1):
                profile["name"] = taken.claim(profile["name"], profile["city"])
                yield profile


def generate_profile_batches(smes: int, mentors: int, buyers: int, seed: int = 0,
                             batch_size: int = 5000) -> Iterator[list[dict]]:
    """Yield the profiles of `generate_profiles` in lists of at most `batch_size`."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, got {batch_size!r}")
    profiles = generate_profiles(smes, mentors, buyers, seed)
    while batch := list(islice(profiles, batch_size)):
        yield batch


@dataclass(frozen=True)
class _World:
    """Everything a chunk draws from: cities, sector tables, name pools."""

    cities: CityTable
    sectors: SectorTables
    pools: dict[str, names.NamePool]
    subdivision_of_city: np.ndarray  # city -> row of group_cdf
    group_cdf: dict[str, np.ndarray]  # kind -> (subdivision, group) cumulative probability

    @classmethod
    def load(cls, seed: int) -> "_World":
        """Gather the seed-independent tables (cached) and this seed's name pools."""
        cities = city_table()
        subdivisions, subdivision_of_city = np.unique(cities.subdivision, return_inverse=True)
        group_cdf = {}
        for kind in KINDS:
            weights = np.array([group_weights(kind, s) for s in subdivisions])
            cdf = np.cumsum(weights, axis=1)
            group_cdf[kind] = cdf / cdf[:, -1:]
        return cls(cities, sector_tables(), names.build_pools(seed), subdivision_of_city,
                   group_cdf)


@dataclass(frozen=True)
class _Draws:
    """The vectorised draws every kind needs, as Python lists (fast to index)."""

    city: list[int]
    latitude: list[float]
    longitude: list[float]
    group: np.ndarray  # row of the sector tables, to index need weights with
    group_name: list[str]
    active: list[bool]


def _draw_common(world: _World, kind: str, rng: np.random.Generator) -> _Draws:
    """Draw place, position, sector group and active flag for a whole chunk."""
    cities = world.cities
    city = np.minimum(np.searchsorted(cities.cdf[kind], rng.random(CHUNK_SIZE), side="right"),
                      len(cities.name) - 1)
    offset = np.clip(rng.normal(0.0, JITTER_DEGREES, (CHUNK_SIZE, 2)),
                     -MAX_JITTER_DEGREES, MAX_JITTER_DEGREES)
    latitude = cities.latitude[city] + offset[:, 0]
    longitude = cities.longitude[city] + offset[:, 1] / np.cos(np.radians(latitude))
    group = _choose_rows(world.group_cdf[kind][world.subdivision_of_city[city]], rng)
    active = rng.random(CHUNK_SIZE) >= INACTIVE_SHARE
    return _Draws(city.tolist(), np.round(latitude, 5).tolist(),
                  np.round(longitude, 5).tolist(), group,
                  [world.sectors.names[g] for g in group.tolist()], active.tolist())


def _choose_rows(cdf: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw one column per row of a matrix of cumulative probabilities."""
    return np.minimum((cdf < rng.random((len(cdf), 1))).sum(axis=1), cdf.shape[1] - 1)


def _top_k(logits: np.ndarray, counts: tuple[int, ...], shares: tuple[float, ...],
           rng: np.random.Generator) -> list[list[int]]:
    """Draw k items per row without replacement, proportionally to exp(logits).

    Adding Gumbel noise to log-weights and keeping the k largest is sampling without
    replacement (the Gumbel-top-k trick), for all rows at once.
    """
    k = rng.choice(counts, size=len(logits), p=shares)
    order = np.argsort(-(logits + rng.gumbel(size=logits.shape)), axis=1)[:, :max(counts)]
    return [row[:n] for row, n in zip(order.tolist(), k.tolist(), strict=True)]


@dataclass
class _Place:
    """The common fields of one profile, before the kind-specific ones."""

    country: str
    subdivision: str
    city: str
    regime: LanguageRegime
    group: str
    fields: dict


def _place(world: _World, draws: _Draws, i: int, r: random.Random) -> _Place:
    """Assemble a profile's place, sectors and languages from the chunk draws."""
    c = draws.city[i]
    country, subdivision = world.cities.country[c], world.cities.subdivision[c]
    city = world.cities.name[c]
    regime = language_regime(country, subdivision)
    group = draws.group_name[i]
    fields = {"country": country, "subdivision": subdivision, "city": city,
              "latitude": draws.latitude[i], "longitude": draws.longitude[i],
              "sectors": _sectors(world.sectors, group, r),
              "languages": draw_languages(regime, r)}
    return _Place(country, subdivision, city, regime, group, fields)


def _sectors(tables: SectorTables, group: str, r: random.Random) -> list[str]:
    """Draw one to three NAICS codes, mostly of the profile's group, none inside another."""
    count = r.choices((1, 2, 3), cum_weights=SECTOR_COUNT_CUM)[0]
    chosen: list[str] = []
    for n in range(count):
        source = group
        if n and r.random() < RELATED_SECTOR_SHARE:
            source = r.choice(GROUPS[group].related)
        codes, cum_weights = tables.codes[source]
        code = r.choices(codes, cum_weights=cum_weights)[0]
        if not any(code.startswith(c) or c.startswith(code) for c in chosen):
            chosen.append(code)
    return chosen


def _company(world: _World, place: _Place, kind: str, sequence: int,
             r: random.Random) -> tuple[str, str, str]:
    """Return a company's name, e-mail address and phone number."""
    language = place.fields["languages"][0]
    bank = texts.BANKS[language]
    locale = names.locale_for(language, place.country, place.regime.spanish_names, r)
    name, slug = names.company_name(world.pools, locale, language, bank,
                                    bank.sectors[place.group].company_word, place.city, r)
    email = contacts.company_email(kind, r.choice(bank.email_locals), slug, sequence)
    return name, email, contacts.phone_number(place.country, place.subdivision, r)


def _sme_chunk(world: _World, rng: np.random.Generator, size: int,
               first: int) -> Iterator[dict]:
    """Yield the SMEs of one chunk."""
    draws = _draw_common(world, "sme", rng)
    band = rng.choice(len(EMPLOYEE_BANDS), size=CHUNK_SIZE, p=EMPLOYEE_SHARES)
    stage = _choose_rows(np.cumsum(STAGE_SHARES, axis=1)[band], rng)
    needs = _top_k(world.sectors.need_logits[draws.group, stage], NEED_COUNTS,
                   NEED_COUNT_SHARES, rng)
    band, stage = band.tolist(), stage.tolist()
    r = random.Random(int(rng.integers(2**63)))
    need_codes = world.sectors.need_codes
    for i in range(size):
        place = _place(world, draws, i, r)
        export_stage, employees = EXPORT_STAGES[stage[i]], EMPLOYEE_BANDS[band[i]]
        need_list = [need_codes[n] for n in needs[i]]
        description, needs_text, products_text = texts.sme_texts(
            place.fields["languages"][0], place.group, need_list, export_stage, place.city,
            employees, r)
        name, email, phone = _company(world, place, "sme", first + i, r)
        yield {"kind": "sme", "name": name, **place.fields,
               "markets": markets.sme_markets(place.country, export_stage, r),
               "description": description, "contact_email": email, "contact_phone": phone,
               "active": draws.active[i], "needs": need_list, "needs_text": needs_text,
               "products_text": products_text,
               "employees": employees, "export_stage": export_stage,
               "certifications": _certifications(world, place.group,
                                                 CERTIFIED_SHARE[export_stage], r),
               "ownership": _ownership(place, r)}


def _certifications(world: _World, group: str, share: float, r: random.Random) -> list[str]:
    """Return the certifications held or required: none, or one to three of the group's."""
    if r.random() >= share:
        return []
    labels, cum_weights = world.sectors.certifications[group]
    count = min(r.choices((1, 2, 3), cum_weights=(0.6, 0.9, 1.0))[0], len(labels))
    return list(dict.fromkeys(r.choices(labels, cum_weights=cum_weights, k=count)))


def _ownership(place: _Place, r: random.Random) -> list[str]:
    """Draw self-declared ownership; speaking an Indigenous language makes it likelier."""
    declared = [label for label, p in OWNERSHIP_SHARES[place.country] if r.random() < p]
    speaks_indigenous = any(code in place.regime.indigenous
                            for code in place.fields["languages"])
    if speaks_indigenous and "indigenous" not in declared \
            and r.random() < INDIGENOUS_OWNERSHIP_WITH_LANGUAGE:
        declared.append("indigenous")
    return declared


def _mentor_chunk(world: _World, rng: np.random.Generator, size: int,
                  first: int) -> Iterator[dict]:
    """Yield the mentors of one chunk."""
    draws = _draw_common(world, "mentor", rng)
    expertise = _top_k(world.sectors.expertise_logits[draws.group], EXPERTISE_COUNTS,
                       EXPERTISE_COUNT_SHARES, rng)
    capacity = (rng.choice(len(CAPACITY_SHARES), size=CHUNK_SIZE, p=CAPACITY_SHARES)
                + 1).tolist()
    mode = rng.choice(len(MODES), size=CHUNK_SIZE, p=MODE_SHARES).tolist()
    r = random.Random(int(rng.integers(2**63)))
    need_codes = world.sectors.need_codes
    for i in range(size):
        place = _place(world, draws, i, r)
        language = place.fields["languages"][0]
        locale = names.locale_for(language, place.country, place.regime.spanish_names, r)
        first_name, surname = names.person_name(world.pools[locale], locale, r)
        expertise_list = [need_codes[n] for n in expertise[i]]
        bio, description = texts.mentor_texts(language, place.group, expertise_list,
                                              MODES[mode[i]], place.city, r)
        yield {"kind": "mentor", "name": f"{first_name} {surname}", **place.fields,
               "markets": markets.mentor_markets(place.country, r), "description": description,
               "contact_email": contacts.person_email("mentor", first_name, surname, first + i),
               "contact_phone": contacts.phone_number(place.country, place.subdivision, r),
               "active": draws.active[i], "expertise": expertise_list, "bio": bio,
               "capacity": capacity[i], "mode": MODES[mode[i]]}


def _buyer_chunk(world: _World, rng: np.random.Generator, size: int,
                 first: int) -> Iterator[dict]:
    """Yield the buyers of one chunk."""
    draws = _draw_common(world, "buyer", rng)
    volume = rng.choice(len(VOLUMES), size=CHUNK_SIZE, p=VOLUME_SHARES).tolist()
    r = random.Random(int(rng.integers(2**63)))
    for i in range(size):
        place = _place(world, draws, i, r)
        language = place.fields["languages"][0]
        required = _certifications(world, place.group, 0.35 + 0.2 * volume[i], r)
        products_text, description = texts.buyer_texts(
            language, place.group, VOLUMES[volume[i]], required, place.city, r)
        name, email, phone = _company(world, place, "buyer", first + i, r)
        yield {"kind": "buyer", "name": name, **place.fields,
               "markets": markets.buyer_markets(place.country, r), "description": description,
               "contact_email": email, "contact_phone": phone, "active": draws.active[i],
               "products_text": products_text, "required_certifications": required,
               "sourcing_countries": markets.sourcing_countries(place.country, r),
               "volume": VOLUMES[volume[i]]}


_BUILDERS = {"sme": _sme_chunk, "mentor": _mentor_chunk, "buyer": _buyer_chunk}
