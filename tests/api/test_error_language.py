"""The error envelope: a code per error and per field problem, the message in the caller's
language (``?lang=`` then ``Accept-Language``, English by default)."""

from __future__ import annotations

import pytest

from tests.factories import payload, row_counts

URL = "/api/v1/smes"
BAD = payload("sme", name="", sectors=["999999"], contact_phone="call me")


def post_bad(client, headers, url=URL, **extra):
    before = row_counts()
    response = client.post(url, json=BAD, headers={**headers, **extra})
    assert response.status_code == 422
    assert row_counts() == before
    return response.get_json()["error"]


def test_english_by_default_with_a_code_per_field_problem(client, as_role):
    _, headers = as_role("coordinator")
    error = post_bad(client, headers)
    assert error["code"] == "invalid_fields"
    assert error["message"] == ("The request has invalid fields: contact_phone, name, "
                                "sectors.")
    assert error["params"] == {"names": ["contact_phone", "name", "sectors"]}
    assert error["fields"]["name"] == [
        {"code": "required", "message": "This field is required.", "params": {}}]
    assert error["fields"]["sectors"] == [{
        "code": "unknown_naics", "message": "Unknown NAICS 2022 code: 999999.",
        "params": {"codes": ["999999"]}}]
    assert error["fields"]["contact_phone"][0]["code"] == "invalid_phone"


@pytest.mark.parametrize(("how", "expected_name", "expected_sectors"), [
    ({"headers": {"Accept-Language": "es-MX,es;q=0.9"}}, "Este campo es obligatorio.",
     "Código SCIAN/NAICS 2022 desconocido: 999999."),
    ({"query": "?lang=fr"}, "Ce champ est obligatoire.",
     "Code SCIAN/NAICS 2022 inconnu\u00a0: 999999."),
    ({"query": "?lang=es", "headers": {"Accept-Language": "fr"}}, "Este campo es obligatorio.",
     "Código SCIAN/NAICS 2022 desconocido: 999999."),
])
def test_the_callers_language_is_asked_by_header_or_query(client, as_role, how, expected_name,
                                                          expected_sectors):
    _, headers = as_role("coordinator")
    error = post_bad(client, {**headers, **how.get("headers", {})},
                     url=URL + how.get("query", ""))
    assert error["code"] == "invalid_fields"  # codes never change with the language
    assert error["fields"]["name"][0] == {"code": "required", "message": expected_name,
                                          "params": {}}
    assert error["fields"]["sectors"][0]["message"] == expected_sectors
    assert error["fields"]["sectors"][0]["params"] == {"codes": ["999999"]}


def test_a_refusal_of_a_use_case_is_translated_too(client, as_role):
    user, headers = as_role("sme")
    assert client.post(URL, json=payload("sme"), headers=headers).status_code == 201
    again = client.post(URL, json=payload("sme"), headers={**headers, "Accept-Language": "fr"})
    assert again.status_code == 409
    assert again.get_json()["error"] == {
        "code": "profile_exists", "params": {}, "fields": {},
        "message": "Ce compte a déjà un profil ; modifiez-le plutôt."}


def test_an_unknown_language_falls_back_to_english(client, as_role):
    _, headers = as_role("coordinator")
    error = post_bad(client, {**headers, "Accept-Language": "de"})
    assert error["fields"]["name"][0]["message"] == "This field is required."
    refused = post_bad(client, {**headers, "Accept-Language": "de"}, url=URL + "?lang=xx")
    assert list(refused["fields"]) == ["lang"]  # an unknown ?lang= is refused, not ignored


@pytest.mark.parametrize(("role", "url"), [
    ("coordinator", "/api/v1/smes"), ("coordinator", "/api/v1/mentors"),
    ("coordinator", "/api/v1/buyers"), ("sme", "/api/v1/introductions"),
    ("coordinator", "/api/v1/metrics"), ("admin", "/api/v1/audit"),
    ("sme", "/api/v1/notifications"), ("coordinator", "/api/v1/impact"),
])
def test_every_list_takes_lang_and_words_its_refusals_in_it(client, as_role, role, url):
    _, headers = as_role(role)
    assert client.get(f"{url}?lang=es", headers=headers).status_code == 200
    refused = client.get(f"{url}?lang=fr&colour=red", headers=headers)
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert list(error["fields"]) == ["colour"]
    assert error["message"].startswith("La requête")  # French, as asked
    wrong = client.get(f"{url}?lang=de", headers=headers)
    assert wrong.status_code == 422 and "lang" in wrong.get_json()["error"]["fields"]


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Enter a number from 0 to 1."),
    ("es", "Escriba un número de 0 a 1."),
    ("fr", "Saisissez un nombre de 0 à 1."),
])
def test_a_decimal_bound_is_written_as_the_readers_language_writes_numbers(
        client, as_role, lang, expected):
    """The program's minimum score is a number from 0 to 1: its bounds were written "0.0" and
    "1.0" in every language, an English decimal point in a French sentence."""
    _, headers = as_role("coordinator")
    response = client.patch(f"/api/v1/program/rules?lang={lang}", headers=headers,
                            json={"sme_mentor": {"min_score": 1.5}})
    assert response.status_code == 422
    [problem] = response.get_json()["error"]["fields"]["sme_mentor.min_score"]
    assert problem["message"] == expected
    assert problem["params"] == {"min": 0.0, "max": 1.0}
