"""Populated places of the program countries, to resolve a profile's coordinates from its city.

The data (``data/cities.csv.gz``, built by ``scripts/build_cities.py``) is GeoNames' list of
places with at least 1,000 inhabitants in the United States (including Puerto Rico and the other
inhabited outlying areas, filed under country ``US``), Mexico and Canada. GeoNames is licensed
under CC BY 4.0; see ``data/ATTRIBUTION.md``.
"""

import csv
import gzip
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from .geo import PROGRAM_COUNTRIES, is_subdivision
from .i18n import open_data
from .text import fold

__all__ = ["City", "cities", "find_city"]

_PUNCTUATION = re.compile(r"[^\w\s]")


@dataclass(frozen=True, slots=True)
class City:
    """A populated place: name, ISO country and subdivision codes, position and population."""

    name: str
    country: str
    subdivision: str
    latitude: float
    longitude: float
    population: int


def _key(text: str) -> str:
    """Fold ``text`` and ignore punctuation: "St. John's" and "st johns" give the same key."""
    return " ".join(_PUNCTUATION.sub("", fold(text).replace("-", " ")).split())


_Index = dict[tuple[str, str], list[City]]


@cache
def _load() -> tuple[tuple[City, ...], _Index, _Index]:
    """Read the packaged file into (all cities, primary-name index, alternate-name index)."""
    everything, primary, alternate = [], defaultdict(list), defaultdict(list)
    with open_data("cities.csv.gz") as raw:
        text = io.TextIOWrapper(gzip.GzipFile(fileobj=raw), encoding="utf-8", newline="")
        for row in csv.DictReader(text):
            city = City(row["name"], row["country"], row["subdivision"], float(row["latitude"]),
                        float(row["longitude"]), int(row["population"]))
            everything.append(city)
            keys = {_key(row["name"])}
            if row["ascii_name"] != row["name"]:
                keys.add(_key(row["ascii_name"]))
            for key in keys:
                primary[(city.country, key)].append(city)
            for alt in filter(None, row["alternate_names"].split("|")):
                alternate[(city.country, _key(alt))].append(city)
    return tuple(everything), dict(primary), dict(alternate)


def _most_populous(candidates: list[City], subdivision: str | None) -> City | None:
    if subdivision is not None:
        candidates = [city for city in candidates if city.subdivision == subdivision]
    return max(candidates, key=lambda city: city.population, default=None)


def find_city(country: str, subdivision: str | None, city: str) -> City | None:
    """Find ``city`` by name in ``country`` (and ``subdivision`` when given).

    Names match case-, accent- and punctuation-insensitively ("ciudad juarez" finds Ciudad
    Juárez). A place's own name wins over its alternate names ("Juarez", "Ciudad de México");
    among several matches the most populous is returned. None when nothing matches or when
    ``subdivision`` is not a subdivision of ``country``.
    """
    if country not in PROGRAM_COUNTRIES or not isinstance(city, str):
        return None
    if subdivision is not None and not is_subdivision(subdivision, country):
        return None
    _, primary, alternate = _load()
    key = (country, _key(city))
    found = _most_populous(primary.get(key, []), subdivision)
    return found or _most_populous(alternate.get(key, []), subdivision)


def cities(country: str | None = None, subdivision: str | None = None) -> list[City]:
    """Return the cities in ``country`` and/or ``subdivision``, most populous first."""
    everything, _, _ = _load()
    return sorted(
        (
            city
            for city in everything
            if (country is None or city.country == country)
            and (subdivision is None or city.subdivision == subdivision)
        ),
        key=lambda city: -city.population,
    )
