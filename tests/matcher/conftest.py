"""Shared fixtures of the matcher tests: record factories and a small fitted bundle."""

from __future__ import annotations

import itertools

import pytest

from matcher import ProfileRecord, build_bundle

CITIES = {
    "juarez": ("MX", 31.6904, -106.4245),
    "el_paso": ("US", 31.7619, -106.4850),
    "monterrey": ("MX", 25.6866, -100.3161),
    "detroit": ("US", 42.3314, -83.0458),
    "montreal": ("CA", 45.5019, -73.5674),
    "toronto": ("CA", 43.6532, -79.3832),
    "nogales": ("US", 31.3404, -110.9343),
    "hermosillo": ("MX", 29.0729, -110.9559),
}
_ids = itertools.count(10_000)


def make(kind: str, city: str = "juarez", **fields) -> ProfileRecord:
    """Return a record of ``kind`` located in ``city`` (overridable by ``fields``)."""
    country, lat, lon = CITIES[city]
    values = {"id": next(_ids), "kind": kind, "name": f"{kind} {city}", "country": country,
              "city": city, "latitude": lat, "longitude": lon, "languages": ("es",)}
    values.update(fields)
    return ProfileRecord(**values)


def _sme(city: str = "juarez", **fields) -> ProfileRecord:
    """Return an SME record (auto parts in Ciudad Juárez unless overridden)."""
    fields.setdefault("sectors", ("336390",))
    fields.setdefault("markets", ("US",))
    fields.setdefault("needs", ("certification",))
    fields.setdefault("needs_text", "Certificación IATF 16949 para autopartes")
    fields.setdefault("products_text", "Arneses automotrices")
    return make("sme", city, **fields)


def _mentor(city: str = "el_paso", **fields) -> ProfileRecord:
    """Return a mentor record (automotive quality in El Paso unless overridden)."""
    fields.setdefault("sectors", ("3363",))
    fields.setdefault("languages", ("es", "en"))
    fields.setdefault("markets", ("US", "MX"))
    fields.setdefault("expertise", ("certification",))
    fields.setdefault("bio", "Automotive quality: IATF 16949 certification, PPAP")
    fields.setdefault("capacity", 3)
    fields.setdefault("capacity_left", 2)
    return make("mentor", city, **fields)


def _buyer(city: str = "nogales", **fields) -> ProfileRecord:
    """Return a buyer record (produce wholesaler in Nogales, AZ unless overridden)."""
    fields.setdefault("sectors", ("424480", "1112"))
    fields.setdefault("languages", ("en", "es"))
    fields.setdefault("sourcing_countries", ("MX",))
    fields.setdefault("products_text", "Fresh tomatoes, peppers and cucumbers")
    return make("buyer", city, **fields)


@pytest.fixture(scope="session")
def sme():
    """Factory of SME records: ``sme(city="juarez", **fields)``."""
    return _sme


@pytest.fixture(scope="session")
def mentor():
    """Factory of mentor records: ``mentor(city="el_paso", **fields)``."""
    return _mentor


@pytest.fixture(scope="session")
def buyer():
    """Factory of buyer records: ``buyer(city="nogales", **fields)``."""
    return _buyer


@pytest.fixture(scope="session")
def population() -> list[ProfileRecord]:
    """A small mixed population of profiles to fit encoders on."""
    return [
        _sme(), _sme("hermosillo", sectors=("111419",), needs=("logistics",),
                   products_text="Tomate y chile bell de invernadero",
                   certifications=("PrimusGFS",)),
        _sme("montreal", sectors=("311513",), languages=("fr",), needs=("market_entry",),
            needs_text="Trouver des distributeurs de fromages aux États-Unis"),
        _mentor(), _mentor("detroit", languages=("en",)),
        _mentor("montreal", sectors=("311",), languages=("fr", "en"), expertise=("market_entry",),
               bio="Accès aux marchés américains pour les fromageries"),
        _buyer(), _buyer("detroit", sectors=("3363",), languages=("en",),
                       products_text="Wire harnesses", required_certifications=("IATF 16949",)),
        _buyer("toronto", languages=("en", "fr"), sourcing_countries=("MX", "US"),
              required_certifications=("GlobalG.A.P.",)),
    ]


@pytest.fixture(scope="session")
def bundle(population):
    """A bundle fitted on :func:`population`, with prior weights."""
    return build_bundle(population, version="test-1")
