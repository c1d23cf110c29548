"""Edits racing each other through three real gunicorn worker processes on one database
(SQLite, or PostgreSQL with TEST_DATABASE_URL): no lost update, no invalid stored profile,
no 500 — each pair of requests is released at the same moment, a few rounds per test."""

from __future__ import annotations

import pytest

from matcher import taxonomy as tx
from tests.conftest import PASSWORD
from tests.factories import payload
from tests.multiprocess.servers import at_once, call, send, worker
from webapp.services import accounts
from webapp.services.privacy import DELETED_NAME

ROUNDS = 8
JUAREZ = {"country": "MX", "subdivision": "MX-CHH", "city": "Ciudad Juárez"}
EL_PASO = {"country": "US", "subdivision": "US-TX", "city": "El Paso"}
HERMOSILLO = {"subdivision": "MX-SON", "city": "Hermosillo"}  # valid only in MX


@pytest.fixture(scope="module")
def workers(database_url):
    """Yield the URL of three gunicorn workers on the test database, started once."""
    with worker(database_url, workers=3) as base:
        yield base


@pytest.fixture
def server(app, workers, make_user):
    """Return the workers' URL and a coordinator's token."""
    _, token = accounts.issue_token(make_user("coordinator"))
    return workers, token


def statuses(answers) -> list:
    return [getattr(a, "status", repr(a)) for a in answers]


def test_racing_patches_of_different_fields_keep_both(server):
    base, token = server
    url = "/api/v1/smes/" + str(call(base, "POST", "/api/v1/smes", token, payload("sme"))["id"])
    for i in range(ROUNDS):
        name, description = {"name": f"Name {i}"}, {"description": f"Description {i}"}
        answers = at_once(base, [("PATCH", url, token, name),
                                 ("PATCH", url, token, description)])
        assert set(statuses(answers)) <= {200, 409}, statuses(answers)
        stored = call(base, "GET", url, token)
        for answer, change in zip(answers, (name, description), strict=True):
            if answer.status == 200:  # answered as done: then it is kept
                assert {k: stored[k] for k in change} == change, (i, stored)


def test_racing_place_changes_never_store_an_invalid_profile(server):
    base, token = server
    url = "/api/v1/smes/" + str(call(base, "POST", "/api/v1/smes", token, payload("sme"))["id"])
    for i in range(ROUNDS):
        call(base, "PATCH", url, token, JUAREZ)
        answers = at_once(base, [("PATCH", url, token, EL_PASO),
                                 ("PATCH", url, token, HERMOSILLO)])
        assert set(statuses(answers)) <= {200, 409, 422}, statuses(answers)
        stored = call(base, "GET", url, token)
        assert tx.is_subdivision(stored["subdivision"], stored["country"]), (i, stored)
        assert send(base, "PATCH", url, token, {"description": f"x{i}"}).status == 200


def test_racing_patches_with_if_match_have_one_winner(server):
    base, token = server
    url = "/api/v1/smes/" + str(call(base, "POST", "/api/v1/smes", token, payload("sme"))["id"])
    for i in range(ROUNDS):
        etag = send(base, "GET", url, token).headers["ETag"]
        changes = [{"name": f"First {i}"}, {"name": f"Second {i}"}]
        answers = at_once(base, [("PATCH", url, token, c, {"If-Match": etag})
                                 for c in changes])
        assert sorted(statuses(answers)) in ([200, 409], [200, 412]), statuses(answers)
        winner = changes[statuses(answers).index(200)]
        assert call(base, "GET", url, token)["name"] == winner["name"]


def test_deleting_an_account_while_its_profile_is_edited_never_fails(server, make_user):
    base, staff = server
    for i in range(ROUNDS):
        _, token = accounts.issue_token(make_user("sme"))
        url = "/api/v1/smes/" + str(call(base, "POST", "/api/v1/smes", token,
                                         payload("sme"))["id"])
        answers = at_once(base, [("DELETE", "/api/v1/me", token, {"password": PASSWORD}),
                                 ("PATCH", url, token, {"name": f"Renamed {i}"})])
        deleted, patched = statuses(answers)
        assert deleted in (204, 409), statuses(answers)
        assert patched in (200, 401, 404, 409, 412), statuses(answers)
        if deleted == 204:  # an edit that lost the race wrote nothing back
            assert call(base, "GET", url, staff)["name"] == DELETED_NAME, i
