"""On PostgreSQL a request reads in autocommit (no BEGIN, no COMMIT: two round trips of about
five saved) and begins a transaction when it starts to write; a use case's reads and writes
stay one transaction, a lock lasts until the request ends, and a connection goes back to the
pool in transactions for whoever takes it next (a command, a job).

Whether two statements share a transaction shows in ``now()``: the transaction's start,
against ``statement_timestamp()``, the statement's own."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from models import Profile, db
from tests.factories import payload
from webapp.services.transactions import write_transaction

pytestmark = pytest.mark.usefixtures("postgresql_only")

# After a pause, true when the statement began its own transaction (autocommit).
OWN_TRANSACTION = text("SELECT now() = statement_timestamp()")
PAUSE = text("SELECT pg_sleep(0.02)")


@pytest.fixture
def postgresql_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("reads in autocommit: PostgreSQL only")


def _mentor(client, as_role) -> int:
    _, headers = as_role("mentor")
    response = client.post("/api/v1/mentors", json=payload("mentor"), headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _own_transaction() -> bool:
    db.session.execute(PAUSE)
    return db.session.scalar(OWN_TRANSACTION)


def test_a_read_only_request_reads_outside_a_transaction(app, client, as_role):
    @app.get("/_test/reads")
    def reads():
        db.session.execute(text("SELECT 1"))
        return {"own_transaction": _own_transaction()}

    mentor_id = _mentor(client, as_role)
    assert client.get("/_test/reads").get_json() == {"own_transaction": True}
    # And the reads of the app's own pages and API answer as before.
    _, headers = as_role("coordinator")
    assert client.get(f"/api/v1/mentors/{mentor_id}", headers=headers).status_code == 200


def test_a_use_case_reads_and_writes_in_one_transaction(app, client, as_role):
    @app.get("/_test/use-case/<int:profile_id>")
    def use_case(profile_id: int):
        db.session.execute(text("SELECT 1"))  # a read before the use case: autocommit
        with write_transaction():
            started = db.session.scalar(text("SELECT now()"))
            db.session.execute(PAUSE)
            db.session.get(Profile, profile_id).name = "Renamed in one transaction"
            db.session.flush()
            same = db.session.scalar(text("SELECT now()")) == started
        return {"one_transaction": same}

    mentor_id = _mentor(client, as_role)
    assert client.get(f"/_test/use-case/{mentor_id}").get_json() == {"one_transaction": True}
    db.session.expire_all()
    assert db.session.get(Profile, mentor_id).name == "Renamed in one transaction"


def test_a_use_case_that_fails_after_reading_in_autocommit_writes_nothing(app, client, as_role):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/_test/half-done/<int:profile_id>")
    def half_done(profile_id: int):
        db.session.get(Profile, profile_id)  # read in autocommit
        with write_transaction():
            db.session.get(Profile, profile_id).name = "Half done"
            db.session.flush()
            db.session.execute(text("UPDATE profiles SET city = 'Halfway' WHERE id = :id"),
                               {"id": profile_id})
            raise RuntimeError("the use case failed after two writes")

    mentor_id = _mentor(client, as_role)
    assert client.get(f"/_test/half-done/{mentor_id}").status_code == 500
    db.session.expire_all()
    profile = db.session.get(Profile, mentor_id)
    assert (profile.name, profile.city) == (payload("mentor")["name"], payload("mentor")["city"])


def test_a_lock_taken_in_a_request_lasts_until_it_ends(app, client, as_role):
    @app.get("/_test/lock/<int:profile_id>")
    def lock(profile_id: int):
        db.session.execute(text("SELECT 1"))
        db.session.execute(text("SELECT id FROM profiles WHERE id = :id FOR UPDATE"),
                           {"id": profile_id})
        return {"own_transaction": _own_transaction()}

    mentor_id = _mentor(client, as_role)
    assert client.get(f"/_test/lock/{mentor_id}").get_json() == {"own_transaction": False}


def test_a_connection_goes_back_to_the_pool_in_transactions(app, client, as_role):
    mentor_id = _mentor(client, as_role)
    db.session.remove()
    db.engine.dispose()  # one pooled connection from here on: the request's, then ours
    _, headers = as_role("coordinator")
    db.session.remove()
    assert client.get(f"/api/v1/mentors/{mentor_id}", headers=headers).status_code == 200
    # Outside a request (a command, a job): statements share the session's transaction.
    db.session.execute(text("SELECT 1"))
    assert _own_transaction() is False
    db.session.rollback()


def test_switched_off_a_request_reads_in_a_transaction(app, client):
    app.config["PUENTE_DB_AUTOCOMMIT_READS"] = False

    @app.get("/_test/reads-in-transaction")
    def reads():
        db.session.execute(text("SELECT 1"))
        return {"own_transaction": _own_transaction()}

    assert client.get("/_test/reads-in-transaction").get_json() == {"own_transaction": False}
