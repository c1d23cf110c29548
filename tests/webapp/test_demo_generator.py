"""The demo-data generator: deterministic, valid against the taxonomy, realistic enough."""

import ast
import math
import re
from collections import Counter
from pathlib import Path

import pytest

from matcher import taxonomy as tx
from webapp.demo import generate_profile_batches, generate_profiles
from webapp.demo.generator import CHUNK_SIZE
from webapp.schemas.profiles import PROFILE_SCHEMAS

SMES, MENTORS, BUYERS = 1500, 400, 400
COMMON_FIELDS = {"name", "country", "subdivision", "city", "latitude", "longitude", "sectors",
                 "languages", "markets", "description", "contact_email", "contact_phone",
                 "active"}
KIND_FIELDS = {
    "sme": {"needs", "needs_text", "products_text", "employees", "export_stage",
            "certifications", "ownership"},
    "mentor": {"expertise", "bio", "capacity", "mode"},
    "buyer": {"products_text", "required_certifications", "sourcing_countries", "volume"},
}
TEXT_FIELDS = {"sme": ("description", "needs_text", "products_text"),
               "mentor": ("description", "bio"), "buyer": ("description", "products_text")}
PROGRAM_COUNTRIES = {"US", "MX", "CA"}
# Cities on the US–Mexico and US–Canada borders (both sides of each crossing).
BORDER_CITIES = (
    ("MX", "MX-BCN", "Tijuana"), ("US", "US-CA", "San Diego"), ("MX", "MX-BCN", "Mexicali"),
    ("US", "US-CA", "Calexico"), ("US", "US-AZ", "Yuma"), ("MX", "MX-SON", "Nogales"),
    ("US", "US-AZ", "Nogales"), ("US", "US-AZ", "Douglas"), ("MX", "MX-CHH", "Ciudad Juárez"),
    ("US", "US-TX", "El Paso"), ("US", "US-TX", "Del Rio"), ("US", "US-TX", "Eagle Pass"),
    ("US", "US-TX", "Laredo"), ("MX", "MX-TAM", "Nuevo Laredo"), ("MX", "MX-TAM", "Reynosa"),
    ("US", "US-TX", "McAllen"), ("US", "US-TX", "Brownsville"),
    ("CA", "CA-BC", "Surrey"), ("US", "US-WA", "Bellingham"), ("CA", "CA-ON", "Windsor"),
    ("US", "US-MI", "Detroit"), ("CA", "CA-ON", "Sarnia"), ("US", "US-NY", "Buffalo"),
    ("CA", "CA-ON", "Niagara Falls"), ("CA", "CA-QC", "Saint-Jean-sur-Richelieu"),
    ("US", "US-NY", "Plattsburgh"), ("US", "US-VT", "Burlington"), ("CA", "CA-ON", "Cornwall"),
    ("CA", "CA-ON", "Kingston"), ("CA", "CA-ON", "Sault Ste. Marie"),
    ("CA", "CA-NB", "Fredericton"),
)
STOPWORDS = {
    "en": {"we", "our", "the", "and", "with", "for", "to", "i", "in"},
    "es": {"nuestros", "nuestro", "nuestra", "para", "y", "con", "los", "las", "el", "que",
           "una", "somos", "de", "del", "en"},
    "fr": {"nous", "notre", "nos", "et", "avec", "pour", "les", "le", "des", "une", "à", "d",
           "l", "de", "du", "en"},
}
EMAIL = re.compile(r"^[a-z0-9.+-]+@([a-z0-9-]+\.)*example\.(com|net|org)$")
PHONE = {"US": re.compile(r"^\+1 \d{3} 555 01\d\d$"), "CA": re.compile(r"^\+1 \d{3} 555 01\d\d$"),
         "MX": re.compile(r"^\+52 \d{2,3} 000 \d{4,5}$")}


@pytest.fixture(scope="module")
def profiles() -> list[dict]:
    return list(generate_profiles(SMES, MENTORS, BUYERS, seed=11))


def of_kind(profiles: list[dict], kind: str) -> list[dict]:
    return [p for p in profiles if p["kind"] == kind]


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    cos_angle = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0 * math.acos(min(1.0, max(-1.0, cos_angle)))


def test_same_seed_gives_the_same_profiles():
    assert list(generate_profiles(40, 15, 15, seed=5)) == list(generate_profiles(40, 15, 15,
                                                                                 seed=5))


def test_another_seed_gives_other_profiles():
    first = list(generate_profiles(40, 15, 15, seed=5))
    second = list(generate_profiles(40, 15, 15, seed=6))
    assert [p["name"] for p in first] != [p["name"] for p in second]
    assert sum(a == b for a, b in zip(first, second, strict=True)) == 0


def test_more_profiles_extend_a_smaller_run_across_chunks():
    small = list(generate_profiles(30, 10, 10, seed=2))
    large = list(generate_profiles(CHUNK_SIZE + 30, 20, 20, seed=2))
    for kind in ("sme", "mentor", "buyer"):
        wanted = of_kind(small, kind)
        assert of_kind(large, kind)[: len(wanted)] == wanted


def test_counts_per_kind_in_order(profiles):
    assert Counter(p["kind"] for p in profiles) == {"sme": SMES, "mentor": MENTORS,
                                                    "buyer": BUYERS}
    kinds = [p["kind"] for p in profiles]
    assert kinds == sorted(kinds, key=["sme", "mentor", "buyer"].index)


def test_zero_profiles():
    assert list(generate_profiles(0, 0, 0)) == []


def test_batches_hold_the_same_profiles():
    batches = list(generate_profile_batches(25, 10, 7, seed=3, batch_size=10))
    assert [len(b) for b in batches] == [10, 10, 10, 10, 2]
    assert [p for b in batches for p in b] == list(generate_profiles(25, 10, 7, seed=3))


@pytest.mark.parametrize("arguments", [
    {"smes": -1, "mentors": 0, "buyers": 0},
    {"smes": 0, "mentors": -5, "buyers": 0},
    {"smes": 1.5, "mentors": 0, "buyers": 0},
    {"smes": "10", "mentors": 0, "buyers": 0},
    {"smes": True, "mentors": 0, "buyers": 0},
    {"smes": 1, "mentors": 0, "buyers": 0, "seed": -1},
])
def test_rejects_bad_arguments(arguments):
    with pytest.raises(ValueError):
        list(generate_profiles(**arguments))


def test_rejects_empty_batches():
    with pytest.raises(ValueError, match="batch_size"):
        next(generate_profile_batches(1, 1, 1, batch_size=0))


def test_fields_are_exactly_the_api_contract(profiles):
    for p in profiles:
        assert set(p) == {"kind"} | COMMON_FIELDS | KIND_FIELDS[p["kind"]]


def common_problems(p: dict) -> list[str]:
    """Check the fields every kind has against the taxonomy and the API's value sets."""
    problems = []
    if p["country"] not in PROGRAM_COUNTRIES or not tx.is_subdivision(p["subdivision"],
                                                                      p["country"]):
        problems.append("place")
    if not 1 <= len(p["sectors"]) <= 3 or len(set(p["sectors"])) != len(p["sectors"]):
        problems.append("sector count")
    if not all(tx.is_naics_code(c) and 2 <= len(c) <= 6 for c in p["sectors"]):
        problems.append("sectors")
    languages = p["languages"]
    if not languages or len(set(languages)) != len(languages) \
            or not all(tx.is_language(c) for c in languages):
        problems.append("languages")
    if not all(tx.is_country_code(c) for c in p["markets"]):
        problems.append("markets")
    if not all(isinstance(p[f], str) and p[f].strip() for f in ("name", "description")):
        problems.append("texts")
    if not EMAIL.match(p["contact_email"]) or not PHONE[p["country"]].match(p["contact_phone"]):
        problems.append("contacts")
    if not isinstance(p["active"], bool):
        problems.append("active")
    return problems


def sme_problems(p: dict) -> list[str]:
    problems = []
    if not 2 <= len(p["needs"]) <= 5 or len(set(p["needs"])) != len(p["needs"]) \
            or not all(tx.is_need(n) for n in p["needs"]):
        problems.append("needs")
    if p["employees"] not in {"1-9", "10-49", "50-249", "250-499"}:
        problems.append("employees")
    if p["export_stage"] not in {"none", "exploring", "occasional", "regular"}:
        problems.append("export_stage")
    if not set(p["ownership"]) <= {"women", "indigenous", "minority", "veteran"}:
        problems.append("ownership")
    return problems + names_problems(p["certifications"])


def mentor_problems(p: dict) -> list[str]:
    problems = []
    if not 3 <= len(p["expertise"]) <= 6 or len(set(p["expertise"])) != len(p["expertise"]) \
            or not all(tx.is_need(n) for n in p["expertise"]):
        problems.append("expertise")
    if type(p["capacity"]) is not int or not 1 <= p["capacity"] <= 10:
        problems.append("capacity")
    if p["mode"] not in {"virtual", "in_person", "both"}:
        problems.append("mode")
    return problems


def buyer_problems(p: dict) -> list[str]:
    problems = names_problems(p["required_certifications"])
    sources = p["sourcing_countries"]
    if not all(tx.is_country_code(c) for c in sources) \
            or not (set(sources) & PROGRAM_COUNTRIES) - {p["country"]}:
        problems.append("sourcing_countries")
    if p["volume"] not in {"small", "medium", "large"}:
        problems.append("volume")
    return problems


def names_problems(names: list[str]) -> list[str]:
    """Certification names are trimmed, non-empty and distinct."""
    if len(set(names)) != len(names) or not all(n and n == n.strip() for n in names):
        return ["certifications"]
    return []


KIND_PROBLEMS = {"sme": sme_problems, "mentor": mentor_problems, "buyer": buyer_problems}


def test_every_field_is_valid(profiles):
    problems = Counter()
    for p in profiles:
        problems.update(common_problems(p) + KIND_PROBLEMS[p["kind"]](p))
    assert not problems


def test_every_profile_passes_the_api_schemas(profiles):
    schemas = {kind: schema() for kind, schema in PROFILE_SCHEMAS.items()}
    errors = Counter()
    for p in profiles:
        fields = {key: value for key, value in p.items() if key != "kind"}
        errors.update(schemas[p["kind"]].validate(fields))
    assert not errors


def test_texts_are_written_for_the_profile(profiles):
    for p in profiles:
        for field in TEXT_FIELDS[p["kind"]]:
            assert 20 <= len(p[field]) <= 1000, (field, p[field])


def test_coordinates_are_in_the_named_city(profiles):
    far = []
    for p in profiles:
        city = tx.find_city(p["country"], p["subdivision"], p["city"])
        assert city is not None and city.name == p["city"]
        if km_between(p["latitude"], p["longitude"], city.latitude, city.longitude) > 5:
            far.append(p["city"])
    assert not far


def test_border_regions_are_over_represented(profiles):
    border = [tx.find_city(*c) for c in BORDER_CITIES]
    assert None not in border
    near = sum(
        any(km_between(p["latitude"], p["longitude"], c.latitude, c.longitude) <= 100
            for c in border)
        for p in profiles)
    assert near / len(profiles) >= 0.25


def test_all_three_countries_and_many_cities(profiles):
    countries = Counter(p["country"] for p in profiles)
    assert all(countries[c] >= 0.15 * len(profiles) for c in PROGRAM_COUNTRIES)
    assert len({(p["subdivision"], p["city"]) for p in profiles}) >= 300


def test_quebec_is_mostly_french(profiles):
    quebec = [p for p in profiles if p["subdivision"] == "CA-QC"]
    assert len(quebec) >= 30
    assert sum(p["languages"][0] == "fr" for p in quebec) / len(quebec) >= 0.7
    assert sum("fr" in p["languages"] for p in quebec) / len(quebec) >= 0.9


def test_languages_follow_the_region(profiles):
    mexico = [p for p in profiles if p["country"] == "MX"]
    assert all(p["languages"][0] == "es" for p in mexico)
    assert 0.2 <= sum("en" in p["languages"] for p in mexico) / len(mexico) <= 0.8
    border_states = [p for p in profiles if p["subdivision"] in {"US-TX", "US-CA", "US-AZ",
                                                                 "US-NM"}]
    assert sum("es" in p["languages"] for p in border_states) / len(border_states) >= 0.3
    rest_of_us = [p for p in profiles if p["country"] == "US"
                  and p["subdivision"] not in {"US-TX", "US-CA", "US-AZ", "US-NM", "US-FL",
                                               "US-NV", "US-PR"}]
    assert sum(p["languages"] == ["en"] for p in rest_of_us) / len(rest_of_us) >= 0.75


def language_of(text: str) -> str:
    """Guess en, es or fr from stopwords."""
    words = re.findall(r"\w+", text.lower())
    return max(STOPWORDS, key=lambda lang: sum(w in STOPWORDS[lang] for w in words))


def test_texts_are_in_the_profiles_main_language(profiles):
    texts = [(p["languages"][0], " ".join(p[f] for f in TEXT_FIELDS[p["kind"]]))
             for p in profiles]
    wrong = [(language, text) for language, text in texts if language_of(text) != language]
    assert not wrong[:5]
    assert {p["languages"][0] for p in profiles} == {"en", "es", "fr"}


def test_sectors_lean_toward_trade_heavy_industries(profiles):
    trade = ("3363", "111", "311", "4244", "334", "3391", "315", "484", "488", "493")
    share = sum(any(c.startswith(trade) for c in p["sectors"]) for p in profiles)
    assert share / len(profiles) >= 0.5


def test_needs_follow_the_sector(profiles):
    def share_with(needs: set[str], prefix: str | tuple[str, ...]) -> float:
        smes = [p for p in of_kind(profiles, "sme") if p["sectors"][0].startswith(prefix)]
        assert len(smes) >= 30
        return sum(bool(needs & set(p["needs"])) for p in smes) / len(smes)

    quality = {"certification", "rules_of_origin"}
    assert share_with(quality, "3363") > share_with(quality, "5415") + 0.2
    crafts = ("327", "3399", "3132", "3149")
    assert share_with({"logistics"}, "5415") < share_with({"logistics"}, crafts) - 0.1


def test_mentors_mostly_take_two_to_five_mentees(profiles):
    capacities = [p["capacity"] for p in of_kind(profiles, "mentor")]
    assert sum(2 <= c <= 5 for c in capacities) / len(capacities) >= 0.7


def test_a_few_profiles_are_inactive(profiles):
    inactive = sum(not p["active"] for p in profiles) / len(profiles)
    assert 0.01 <= inactive <= 0.06


def test_ownership_is_often_undeclared(profiles):
    smes = of_kind(profiles, "sme")
    assert 0.4 <= sum(not p["ownership"] for p in smes) / len(smes) <= 0.9
    assert {o for p in smes for o in p["ownership"]} == {"women", "indigenous", "minority",
                                                         "veteran"}


def test_contact_emails_are_unique(profiles):
    assert len({p["contact_email"] for p in profiles}) == len(profiles)


def test_no_two_profiles_share_a_name(profiles):
    counts = Counter(p["name"] for p in profiles)
    assert [name for name, n in counts.items() if n > 1] == []


def test_names_are_well_formed_text_with_their_accents(profiles):
    import unicodedata

    for profile in profiles:
        name = profile["name"]
        assert name.encode("utf-8").decode("utf-8") == name
        assert unicodedata.normalize("NFC", name) == name, name
        assert "\ufffd" not in name and "Corporacin" not in name, name
    assert any(p["name"].startswith("Corporación ") for p in profiles)


def test_generator_imports_neither_flask_nor_sqlalchemy():
    package = Path(__file__).parents[2] / "webapp" / "demo"
    imported = set()
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
    assert not imported & {"flask", "flask_sqlalchemy", "sqlalchemy", "models"}
