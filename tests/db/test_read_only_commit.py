"""A request that wrote nothing ends its transaction with COMMIT on PostgreSQL, so psycopg
keeps its prepared statements (a ROLLBACK clears them: every query of every request was
planned again); a request that wrote anything, or failed, still ends with ROLLBACK."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from models import Profile, User, db
from tests.factories import payload


def _postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def _mentor(client, as_role):
    user, headers = as_role("mentor")
    response = client.post("/api/v1/mentors", json=payload("mentor"), headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"], headers


@pytest.mark.parametrize("autocommit_reads", [True, False],
                         ids=["reads in autocommit", "reads in a transaction"])
def test_repeated_reads_run_prepared_statements(app, client, as_role, autocommit_reads):
    """Either way a read-only request runs (in autocommit, or in a transaction its COMMIT
    ends), the statements psycopg prepared outlast it."""
    if not _postgresql():
        pytest.skip("psycopg's prepared statements: PostgreSQL only")
    app.config["PUENTE_DB_AUTOCOMMIT_READS"] = autocommit_reads
    mentor_id, headers = _mentor(client, as_role)
    db.session.remove()
    db.engine.dispose()  # one pooled connection from here on, for the requests and the check
    for _ in range(8):
        assert client.get(f"/api/v1/mentors/{mentor_id}", headers=headers).status_code == 200
    prepared = db.session.scalars(text(
        "SELECT statement FROM pg_prepared_statements WHERE statement LIKE '%FROM profiles%'"))
    assert list(prepared), "the profile read was planned anew on every request"


def test_a_view_that_writes_without_committing_changes_nothing(app, client, as_role):
    @app.get("/_test/stray-write/<int:profile_id>")
    def stray_write(profile_id: int):
        db.session.execute(text("UPDATE profiles SET name = 'Stray' WHERE id = :id"),
                           {"id": profile_id})
        return "written, not committed"

    @app.get("/_test/stray-change/<int:profile_id>")
    def stray_change(profile_id: int):
        db.session.get(Profile, profile_id).name = "Unflushed"
        return "changed, not flushed"

    mentor_id, _ = _mentor(client, as_role)
    assert client.get(f"/_test/stray-write/{mentor_id}").status_code == 200
    assert client.get(f"/_test/stray-change/{mentor_id}").status_code == 200
    db.session.expire_all()
    assert db.session.get(Profile, mentor_id).name == payload("mentor")["name"]


def test_a_failed_request_changes_nothing(app, client, as_role):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/_test/write-then-fail/<int:profile_id>")
    def write_then_fail(profile_id: int):
        db.session.execute(text("SELECT 1"))
        db.session.get(Profile, profile_id).name = "Half done"
        db.session.flush()
        raise RuntimeError("the use case failed after its flush")

    mentor_id, _ = _mentor(client, as_role)
    assert client.get(f"/_test/write-then-fail/{mentor_id}").status_code == 500
    db.session.expire_all()
    assert db.session.get(Profile, mentor_id).name == payload("mentor")["name"]


def test_what_a_context_read_stays_readable_after_it(app, make_user):
    make_user("mentor", email="reader@example.test")
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "reader@example.test"))
    assert user.email == "reader@example.test" and user.role == "mentor"  # not expired
