"""A list page's ``?page=`` is read as the API reads it (webapp/ui/helpers.page_refusal): a
value that is no page is refused, 422, said above the list in the reader's language, and
the first page is shown — it was taken as page 1 without a word."""

from __future__ import annotations

import re

import pytest

from tests.ui.helpers import text_of

STAFF_PAGES = ["/dashboard", "/review-queue", "/notifications", "/profiles?kind=mentor"]
MEMBER_PAGES = ["/matches", "/matches/saved", "/introductions", "/notifications"]


def page_alert(html: str) -> str:
    found = re.search(r'<div class="error" role="alert"[^>]*>(.*?)</div>', html, re.S)
    # the field named as the page names it: "page" (the list's filters) or "Page" (a label)
    return re.sub(r"^(\w+) ?:", lambda m: m.group(1).lower() + ":",
                  text_of(found.group(1))) if found else ""


def separator(path: str) -> str:
    return "&" if "?" in path else "?"


@pytest.mark.parametrize("path", STAFF_PAGES)
@pytest.mark.parametrize("page, message", [
    ("abc", "page: Saisissez un nombre entier."),
    ("0", "page: Saisissez un nombre de 1 à 100 000."),
    ("99999999999999999999", "page: Saisissez un nombre de 1 à 100 000."),
    ("-2", "page: Saisissez un nombre de 1 à 100 000."),
    ("2.5", "page: Saisissez un nombre entier."),
])
def test_staff_pages_refuse_a_page_that_is_no_page(client, signed_in, path, page, message):
    signed_in("coordinator", locale="fr")
    response = client.get(f"{path}{separator(path)}page={page}")
    html = response.get_data(as_text=True)
    assert response.status_code == 422, path
    assert page_alert(html).replace("\u202f", " ") == message.replace("\u202f", " ")
    assert client.get(f"{path}{separator(path)}page=1").status_code == 200


@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_member_pages_refuse_a_page_that_is_no_page(client, sme_with_mentor, path):
    response = client.get(f"{path}?page=abc&lang=en")
    html = response.get_data(as_text=True)
    assert response.status_code == 422, path
    assert page_alert(html) == "page: Enter a whole number."
    # the links and forms the page builds drop it
    assert not re.search(r'(action|href)="[^"]*page=abc', html)
    assert client.get(f"{path}?page=1").status_code == 200


@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_the_page_refusal_follows_french_punctuation(client, sme_with_mentor, path):
    """French puts a space before a colon: "Page : …", never the English "Page: …"."""
    html = client.get(f"{path}?page=abc&lang=fr").get_data(as_text=True)
    found = re.search(r'<div class="error" role="alert"[^>]*>(.*?)</div>', html, re.S)
    assert re.sub(r"^page :", "Page :", text_of(found.group(1))) == (
        "Page : Saisissez un nombre entier.")


def test_matches_past_the_ranking_depth_are_refused_as_the_api_refuses_them(
        client, sme_with_mentor):
    """The matches go 500 deep (25 pages of 20), as the API's: page 26 is refused above the
    list and the first page shown — it showed page 25 without a word."""
    response = client.get("/matches?page=26&lang=en")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert page_alert(html) == "page: Enter a number from 1 to 25."
    assert not re.search(r'(action|href)="[^"]*page=26', html)
    assert client.get("/matches?page=25").status_code == 200


@pytest.mark.parametrize("page", ["0", "-2", "1000", "99999999999999999999"])
def test_matches_name_their_own_last_page_for_any_page_out_of_range(
        client, sme_with_mentor, page):
    """Page 0 was told "from 1 to 100,000" while page 26 was told "from 1 to 25": the
    matches say their own bounds, whichever side the page falls off."""
    response = client.get(f"/matches?page={page}&lang=en")
    assert response.status_code == 422
    assert page_alert(response.get_data(as_text=True)) == "page: Enter a number from 1 to 25."
