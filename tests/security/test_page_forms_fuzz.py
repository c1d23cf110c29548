"""Every form a member or staff reaches, sent again with odd values: never a 5xx.

For each role the test walks the pages it reaches from its home through a seeded program
(profiles, introductions in several states, an outcome, a conversation, cohorts, jobs; the
``site`` fixture), keeps every form (POST, and GET: the lists' filters) with the values the
page filled in, and sends each again with one field at a time replaced by odd input — first
by each of :data:`FIRST` (a number beyond 64 bits, NUL, very long text), then by ``PAGE_FUZZ_TRIES``
(3 by default, so that CI stays fast) draws of two fields at once from :data:`ODD` (empty,
blank, signs, numbers out of range, markup, a date that does not exist, numbers as other
locales write them), from a fixed seed. Forms that end the session or destroy the account
(sign out, delete, passwords, tokens) are left alone.

This is how a 500 was found on the matches page (an introduction asked of an id beyond a
64-bit integer) and one on the staff profile list (a bad page beside a bad place).
"""

from __future__ import annotations

import os
import random
import re
from html.parser import HTMLParser

import pytest

from tests.factories import login

TRIES = int(os.environ.get("PAGE_FUZZ_TRIES", "3"))
FIRST = ["99999999999999999999", "\x00", "x" * 5000]
PAGES_PER_ROLE = 40
ODD = ["", " ", "-1", "0", "99999999999999999999", "-99999999999999999999", "1e308", "nan",
       "inf", "abc", "\x00", "é" * 300, "x" * 5000, "<script>alert(1)</script>", "'; --",
       "2026-02-30", "9999-12-31", "0000-00-00", "1,5", "12 500,50", "1.000.000", "-0",
       "true", "[]", "US-ZZ", "ZZ", "٣", "１２", "\u202e"]
LEFT_ALONE = ("logout", "delete", "erase", "deactivate", "password", "token", "sign-out")


class Forms(HTMLParser):
    """The forms of a page (method, action and the values it would send) and its links."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, dict[str, str]]] = []
        self.links: list[str] = []
        self._form: tuple[str, str, dict[str, str]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        attrs = dict(attrs)
        if tag == "a" and (attrs.get("href") or "").startswith("/"):
            self.links.append(attrs["href"].split("#")[0])
        elif tag == "form":
            self._form = ((attrs.get("method") or "get").upper(), attrs.get("action") or "", {})
        elif self._form is not None and tag in ("input", "textarea", "select") \
                and attrs.get("name"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._form[2][attrs["name"]] = attrs.get("value") or ""
            self._select = attrs["name"] if tag == "select" else None
        elif tag == "option" and self._form is not None and self._select:
            if "selected" in attrs or not self._form[2].get(self._select):
                self._form[2][self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None


def reachable_forms(client, start: list[str]) -> tuple[dict, list[str]]:
    """Walk the pages from ``start``; return the distinct forms (by method, action with its
    ids as N, and field names) with the page each was on, and the pages that answered 5xx."""
    seen, queue, forms, failed = set(), list(start), {}, []
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.pop(0)
        if path in seen or path.startswith("/static") or any(w in path for w in LEFT_ALONE) \
                or "export" in path or path.endswith(".csv") or path.endswith(".ics"):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code >= 500:
            failed.append(path)
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        page = Forms()
        page.feed(response.get_data(as_text=True))
        for method, action, fields in page.forms:
            key = (method, re.sub(r"\d+", "N", action.split("?")[0]), tuple(sorted(fields)))
            forms.setdefault(key, (path, action or path, fields))
        queue += [link for link in page.links if link not in seen]
    return forms, failed


@pytest.mark.parametrize("role", ["sme", "mentor", "buyer", "staff", "admin"])
def test_no_page_form_answers_odd_input_with_a_server_error(client, site, make_user, role):
    people = site()
    email = make_user("admin").email if role == "admin" else people[role]
    assert login(client, email).status_code == 302
    forms, failed = reachable_forms(client, ["/", "/matches", "/introductions", "/profile",
                                             "/account", "/notifications", "/dashboard",
                                             "/cohorts", "/impact", "/program/rules"])
    assert not failed
    assert len(forms) >= 5  # the walk found the role's forms, not only the sign-out button
    choose = random.Random(f"puente-{role}")
    broken = []
    for (method, where, _), (page, action, fields) in sorted(forms.items()):
        if any(word in action for word in LEFT_ALONE):
            continue
        names = [name for name in fields if name != "csrf_token"]
        if method == "GET":
            names.append("page")  # a list's filters come with its pages' links
        spoiled = [{name: value} for value in FIRST for name in names]
        spoiled += [{name: choose.choice(ODD) for name in choose.sample(names, min(len(names), 2))}
                    for _ in range(TRIES)]
        for changes in spoiled:
            data = {**fields, **changes}
            response = (client.post(action, data=data) if method == "POST"
                        else client.get(action, query_string=data))
            if response.status_code >= 500:
                broken.append((method, where, page, {k: v[:40] for k, v in changes.items()},
                               response.status_code))
    assert not broken
