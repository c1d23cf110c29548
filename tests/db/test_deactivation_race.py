"""Deactivating an account while its requests are being accepted: each request is either
accepted (the deactivation leaves accepted introductions) or withdrawn and its acceptance
refused, never both, and every mentor's load matches its accepted introductions.

Runs on the test database: a SQLite file by default, PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

from collections import Counter

from models import Introduction, Notice, Profile, db
from tests.db.test_capacity_concurrency import run_at_once
from tests.factories import csrf_token, login
from tests.intro_factories import make_party, request_intro

MENTORS = 5


def test_a_deactivation_racing_acceptances_leaves_each_request_one_outcome(
        app, client, as_role, make_user):
    make_user("admin", email="root@example.test")
    admin = app.test_client()
    login(admin, "root@example.test")
    token = csrf_token(admin, "/users")
    sme = make_party(client, as_role, "sme")
    mentors = [make_party(client, as_role, "mentor", name=f"Mentor {i}", capacity=1)
               for i in range(MENTORS)]
    intro_ids = [request_intro(client, sme, mentor)["id"] for mentor in mentors]
    calls = [lambda c: admin.post(f"/users/{sme.user_id}/deactivate",
                                  data={"csrf_token": token})]
    calls += [lambda c, i=i, m=m: c.post(f"/api/v1/introductions/{i}/accept",
                                         headers=m.headers)
              for i, m in zip(intro_ids, mentors, strict=True)]
    responses = run_at_once(app, calls)
    assert getattr(responses[0], "status_code", responses[0]) == 302
    db.session.expire_all()
    for intro_id, mentor, response in zip(intro_ids, mentors, responses[1:], strict=True):
        state = db.session.get(Introduction, intro_id).state
        status = getattr(response, "status_code", repr(response))
        assert (status, state) in ((200, "accepted"), (409, "withdrawn")), (status, state)
        assert db.session.get(Profile, mentor.id).active_count == (state == "accepted")
        told = Counter(db.session.scalars(db.select(Notice.kind).where(
            Notice.introduction_id == intro_id, Notice.user_id == mentor.user_id)))
        assert told["withdrawn"] == (state == "withdrawn")
