"""A page's query parameter given more than once where the page reads one value is refused
(webapp/ui/repeated_args.py): a filter or ``?page=`` as a bad value of it is — 422, *Give this
parameter once.* next to its field or above the list, in the reader's language, the list shown
without it — and any other (``?lang=``, ``?next=``, …, or on a form post) before the view
runs, 422 naming it, nothing written. It was read as its first value without a word.
A multi-select filter (the review queue's ``show``) takes every value."""

from __future__ import annotations

import re

import pytest

from models import Introduction, db
from tests.factories import csrf_token, row_counts
from tests.ui.helpers import field_errors
from tests.ui.test_dashboard import intros  # noqa: F401  (a fixture)
from tests.ui.test_page_numbers import MEMBER_PAGES, STAFF_PAGES, page_alert, separator
from tests.ui.test_profiles import make_profile

EN = {"Accept-Language": "en"}
ONCE = "Give this parameter once."
ONCE_FR = "Indiquez ce paramètre une seule fois."
ONCE_ES = "Indique este parámetro una sola vez."


def alert_of(html: str) -> str:
    return html.split('role="alert"', 1)[1].split("</div>", 1)[0]


def test_the_dashboard_says_a_repeated_filter_next_to_it_and_drops_it(client, signed_in,
                                                                      intros):  # noqa: F811
    signed_in("coordinator")
    response = client.get("/dashboard?state=accepted&state=pending", headers=EN)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_errors(html, "state") == [ONCE]
    assert all(f'id="introduction-{i}"' in html for i in intros)  # unfiltered by it
    kept = client.get("/dashboard?state=accepted&kind=sme_mentor&kind=sme_buyer", headers=EN)
    html = kept.get_data(as_text=True)
    assert kept.status_code == 422 and field_errors(html, "kind") == [ONCE]
    assert f'id="introduction-{intros[1]}"' not in html  # the filter given once still holds
    assert client.get("/dashboard?state=accepted", headers=EN).status_code == 200


def test_the_dashboard_says_it_in_the_readers_language(client, signed_in):
    signed_in("coordinator", locale="fr")
    response = client.get("/dashboard?kind=sme_mentor&kind=sme_mentor")
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "kind") == [ONCE_FR]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_refuse_a_page_given_twice_above_the_list(client, signed_in, path):
    signed_in("coordinator", locale="fr")
    response = client.get(f"{path}{separator(path)}page=1&page=2")
    assert response.status_code == 422, path
    assert page_alert(response.get_data(as_text=True)) == f"page: {ONCE_FR}"


@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_member_pages_refuse_a_page_given_twice_above_the_list(client, sme_with_mentor, path):
    response = client.get(f"{path}?page=1&page=2&lang=en")
    html = response.get_data(as_text=True)
    assert response.status_code == 422, path
    assert page_alert(html) == f"page: {ONCE}"
    assert not re.search(r'(action|href)="[^"]*page=2', html)  # its links and forms drop it


def test_the_staff_profile_list_refuses_a_kind_or_filter_given_twice(client, signed_in,
                                                                     make_user):
    make_profile(make_user("mentor"), "mentor")
    signed_in("coordinator", locale="es")
    response = client.get("/profiles?kind=sme&kind=mentor")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Rosa Delgado" not in html  # the SMEs shown
    assert "<code>kind</code>" in alert_of(html) and ONCE_ES in alert_of(html)
    other = client.get("/profiles?kind=mentor&language=es&language=en&country=US")
    html = other.get_data(as_text=True)
    assert other.status_code == 422 and "Rosa Delgado" in html  # the good filter kept
    assert "<code>language</code>" in alert_of(html) and ONCE_ES in alert_of(html)
    search = client.get("/profiles?kind=mentor&q=Rosa&q=Nadie")
    assert search.status_code == 422
    assert field_errors(search.get_data(as_text=True), "q") == [ONCE_ES]


def test_the_match_list_refuses_a_filter_given_twice_next_to_it(client, sme_with_mentor):
    response = client.get("/matches?kind=mentor&kind=buyer", headers=EN)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_errors(html, "kind") == [ONCE]
    assert not re.search(r'(action|href)="[^"]*kind=', html)  # its links and forms drop it
    boxed = client.get("/matches?cross_border=y&cross_border=y", headers=EN)
    assert boxed.status_code == 422
    assert field_errors(boxed.get_data(as_text=True), "cross_border") == [ONCE]
    assert client.get("/matches?kind=buyer", headers=EN).status_code == 200


@pytest.mark.parametrize(("path", "name", "query"), [
    ("/dashboard/metrics", "country", "country=US&country=MX"),
    ("/dashboard/metrics.csv", "from", "from=2025-01-01&from=2025-02-01"),
    ("/impact", "source", "source=cohort&source=self_requested"),
    ("/impact.csv", "to", "to=2025&to=2024"),
])
def test_report_filters_given_twice_are_refused_next_to_their_field(client, signed_in, path,
                                                                     name, query):
    signed_in("coordinator")
    response = client.get(f"{path}?{query}", headers=EN)
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), name) == [ONCE]
    assert client.get(f"{path}?{query.split('&')[0]}", headers=EN).status_code == 200


def test_the_review_queues_multi_select_takes_every_value(client, signed_in):
    signed_in("coordinator")
    assert client.get("/review-queue?show=flagged&show=unreviewed").status_code == 200


@pytest.mark.parametrize("url", ["/login?next=/matches&next=/dashboard",
                                 "/dashboard?lang=en&lang=fr", "/introductions?report=1&report=2"])
def test_any_other_parameter_given_twice_is_refused_before_the_page(client, signed_in, url):
    signed_in("coordinator" if url.startswith("/dashboard") else "sme")
    response = client.get(url, headers=EN)
    assert response.status_code == 422
    name = url.split("?")[1].split("=")[0]
    assert f"<code>{name}</code>: {ONCE}" in response.get_data(as_text=True)


def test_a_form_posted_with_a_repeated_parameter_writes_nothing(client, signed_in,
                                                                intros):  # noqa: F811
    signed_in("coordinator", locale="fr")
    data = {"rating": "4", "csrf_token": csrf_token(client, "/dashboard")}
    before = row_counts()
    response = client.post(f"/dashboard/{intros[0]}/review?state=accepted&state=pending",
                           data=data)
    assert response.status_code == 422
    assert f"<code>state</code> : {ONCE_FR}" in response.get_data(as_text=True)
    assert row_counts() == before
    assert db.session.get(Introduction, intros[0]).reviews == []
