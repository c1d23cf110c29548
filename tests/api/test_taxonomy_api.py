"""Reference-data lookups for forms and clients."""

import pytest


def test_naics_search_in_spanish(client):
    items = client.get("/api/v1/taxonomy/naics?q=336&lang=es").get_json()["items"]
    assert items[0]["code"] == "336"
    assert items[0]["title"] != "Transportation Equipment Manufacturing"


def test_naics_search_finds_salsa_in_spanish_with_its_group(client):
    [item] = client.get("/api/v1/taxonomy/naics?q=salsa&lang=es").get_json()["items"]
    assert item == {"code": "311941", "title_lang": "en", "group": "Industria alimentaria",
                    "title": "Mayonnaise, Dressing, and Other Prepared Sauce Manufacturing"}


def test_naics_empty_query_lists_sectors(client):
    items = client.get("/api/v1/taxonomy/naics").get_json()["items"]
    assert {"31-33", "11", "48-49"} <= {item["code"] for item in items}


def test_needs_in_french(client):
    items = client.get("/api/v1/taxonomy/needs?lang=fr").get_json()["items"]
    assert len(items) == 14 and items[0]["code"] == "export_regulations"
    english = client.get("/api/v1/taxonomy/needs").get_json()["items"]
    assert items[0]["label"] != english[0]["label"]


def test_languages_include_indigenous_languages_of_the_region(client):
    items = client.get("/api/v1/taxonomy/languages?regional=true&limit=100").get_json()
    codes = {item["code"] for item in items["items"]}
    assert {"en", "es", "fr", "zap", "yua", "cr", "iu"} <= codes


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_the_regional_list_is_given_whole_without_a_limit(client, lang):
    """It was cut at 20 names (at "French" in English): Spanish, Zapotec, Nahuatl missing."""
    items = client.get(f"/api/v1/taxonomy/languages?regional=true&lang={lang}").get_json()
    codes = {item["code"] for item in items["items"]}
    assert {"en", "es", "fr", "zap", "yua", "nah", "cr", "iu", "oj", "nv"} <= codes
    assert len(codes) > 20
    named = client.get("/api/v1/taxonomy/languages?regional=true&limit=5").get_json()
    assert len(named["items"]) == 5
    search = client.get("/api/v1/taxonomy/languages?q=a").get_json()  # a search: 20 at most
    assert len(search["items"]) == 20


def test_subdivisions_of_mexico_in_spanish(client):
    items = client.get("/api/v1/taxonomy/countries/MX/subdivisions?lang=es").get_json()
    codes = {item["code"] for item in items["items"]}
    assert len(codes) == 32 and "MX-CHH" in codes


def test_subdivisions_of_other_country_is_404(client):
    response = client.get("/api/v1/taxonomy/countries/BR/subdivisions")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "subdivisions_not_kept"


def test_certifications_for_autocomplete(client):
    items = client.get("/api/v1/taxonomy/certifications").get_json()["items"]
    assert {"ISO 9001", "IATF 16949", "C-TPAT"} <= set(items)


@pytest.mark.parametrize("url, field", [
    ("/api/v1/taxonomy/naics?lang=de", "lang"), ("/api/v1/taxonomy/naics?limit=0", "limit"),
    ("/api/v1/taxonomy/needs?foo=1", "foo"),
])
def test_bad_lookup_parameters(client, url, field):
    response = client.get(url)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
