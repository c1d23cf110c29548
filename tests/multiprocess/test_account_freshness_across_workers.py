"""Two real gunicorn workers on one database, each keeping who a token or session names
(``PUENTE_ACCOUNT_CACHE_MS``, a minute here so that a stale answer cannot hide): what a user
just did through one worker shows in the very next request to the other — the e-mail
address verified (issue 15: "requests allowed once verified") and the language switched
(issue 5: "language switching persists")."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from models import db
from tests.conftest import PASSWORD
from tests.factories import payload
from tests.multiprocess.servers import call, send, worker
from webapp.services import accounts

SLOW_CACHE = {"PUENTE_ACCOUNT_CACHE_MS": "60000"}


class Browser:
    """A browser's cookies (one jar, whichever server answers) and its forms' CSRF token."""

    def __init__(self) -> None:
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(url))

    def post(self, url: str, form: dict[str, str], page: str) -> tuple[int, str]:
        """Post a form as sent from ``page`` (whose CSRF token it carries)."""
        _, html = self.get(page)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        data = urllib.parse.urlencode({**form, "csrf_token": token}).encode()
        return self._open(urllib.request.Request(url, data=data, method="POST"))

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()


def page_language(html: str) -> str:
    return re.search(r'<html lang="([a-z]+)"', html).group(1)


def test_a_verified_address_counts_at_once_on_the_other_worker(app, database_url, make_user):
    member = accounts.sign_up("new@example.test", PASSWORD, "sme")
    link = urllib.parse.urlsplit(accounts.verify_url(member.id, member.email)).path
    _, member_token = accounts.issue_token(member)
    _, mentor_token = accounts.issue_token(make_user("mentor"))
    db.session.rollback()  # end the read, so the servers can write (SQLite)
    with worker(database_url, env=SLOW_CACHE) as a, worker(database_url, env=SLOW_CACHE) as b:
        sme = call(a, "POST", "/api/v1/smes", member_token, payload("sme"))["id"]
        mentor = call(a, "POST", "/api/v1/mentors", mentor_token, payload("mentor"))["id"]
        for base in (a, b):  # each worker has met the account, unverified
            assert call(base, "GET", "/api/v1/me", member_token)["email_verified"] is False
        request = {"requester_id": sme, "target_id": mentor, "message": "Hola"}
        refused = send(b, "POST", "/api/v1/introductions", member_token, request)
        assert (refused.status, refused.body["error"]["code"]) == (403, "email_not_verified")

        assert Browser().get(a + link)[0] == 200  # the link, followed: on to the login page

        assert call(b, "GET", "/api/v1/me", member_token)["email_verified"] is True
        answer = send(b, "POST", "/api/v1/introductions", member_token, request)
        assert answer.status == 201, answer.body


def test_a_language_switched_through_one_worker_shows_on_the_next_page_of_the_other(
        app, database_url, make_user):
    member = make_user("sme", locale="en")
    db.session.rollback()
    browser = Browser()
    with worker(database_url, env=SLOW_CACHE) as a, worker(database_url, env=SLOW_CACHE) as b:
        status, _ = browser.post(a + "/login", {"email": member.email, "password": PASSWORD},
                                 page=a + "/login")
        assert status == 200  # redirected home
        for base in (a, b):  # each worker has met the account, in English
            assert page_language(browser.get(base + "/account")[1]) == "en"

        status, html = browser.post(a + "/language", {"lang": "fr", "next": "/account"},
                                    page=a + "/account")
        assert (status, page_language(html)) == (200, "fr")

        status, html = browser.get(b + "/account")
        assert page_language(html) == "fr"
        assert '<option selected value="fr">Français</option>' in html  # the account's form
        assert [page_language(browser.get(b + path)[1])
                for path in ("/", "/profile")] == ["fr", "fr"]
        status, html = browser.post(b + "/language", {"lang": "es", "next": "/"},
                                    page=b + "/account")
        assert page_language(browser.get(a + "/account")[1]) == "es"
