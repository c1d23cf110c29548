"""A list's cached total: kept while the change log says nothing changed, counted again when a
write shows up — in order or not — and, while a write may still commit out of order (a hole
in the log), at least every PUENTE_LIST_TOTAL_TTL_MS."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import event, insert

from models import Profile, ProfileChange, db, utcnow
from tests.factories import COLLECTION, payload


@pytest.fixture
def counted(app):
    """Count the list totals' count(*) statements."""
    app.config.update(PUENTE_MATCHING_REFRESH_MS=0, PUENTE_LIST_TOTAL_TTL_MS=50)
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        if "count(*)" in statement.lower():
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def _total(client, headers) -> int:
    response = client.get("/api/v1/smes?per_page=1&page=2", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["total"]


def _sneak_in(name: str, seq: int | None) -> int:
    """Insert an SME behind the ORM's back (as another process's transaction would appear),
    logged with the change-log number ``seq`` (None: not logged)."""
    new = payload("sme", name=name)
    row = db.session.execute(insert(Profile.__table__).values(
        kind="sme", name=name, country=new["country"], subdivision=new["subdivision"],
        city=new["city"], sectors=new["sectors"], languages=new["languages"], markets=[],
        active=True, created_at=utcnow(), updated_at=utcnow(), version=1, active_count=0,
        requests_answered=0, requests_expired=0).returning(Profile.__table__.c.id))
    profile_id = row.scalar_one()
    if seq is not None:
        db.session.execute(insert(ProfileChange.__table__).values(
            seq=seq, profile_id=profile_id, kind="sme", changed_at=utcnow()))
    db.session.commit()
    return profile_id


def test_a_settled_log_keeps_the_total_without_counting(client, as_role, counted):
    _, staff = as_role("coordinator")
    for n in range(3):
        client.post(f"/api/v1/{COLLECTION['sme']}", json=payload("sme", name=f"F{n}"),
                    headers=staff)
    assert _total(client, staff) == 3
    time.sleep(0.1)  # past the TTL: nothing was written, nothing may commit late
    assert _total(client, staff) == 3
    counted.clear()
    time.sleep(0.1)
    assert _total(client, staff) == 3
    assert counted == []
    client.post(f"/api/v1/{COLLECTION['sme']}", json=payload("sme", name="F3"), headers=staff)
    assert _total(client, staff) == 4 and len(counted) == 1


def test_a_write_committed_out_of_order_is_counted(client, as_role, counted):
    _, staff = as_role("coordinator")
    for n in range(2):
        client.post(f"/api/v1/{COLLECTION['sme']}", json=payload("sme", name=f"F{n}"),
                    headers=staff)
    top = db.session.scalar(db.select(db.func.max(ProfileChange.seq)))
    assert _total(client, staff) == 2
    _sneak_in("Later number, first to commit", top + 2)
    assert _total(client, staff) == 3
    _sneak_in("Earlier number, committed after", top + 1)  # fills the hole
    assert _total(client, staff) == 4


def test_while_a_hole_is_open_the_total_is_counted_again_within_the_ttl(client, as_role,
                                                                       counted):
    _, staff = as_role("coordinator")
    client.post(f"/api/v1/{COLLECTION['sme']}", json=payload("sme", name="F0"), headers=staff)
    client.post(f"/api/v1/{COLLECTION['sme']}", json=payload("sme", name="F1"), headers=staff)
    assert _total(client, staff) == 2  # the worker follows the log from here
    top = db.session.scalar(db.select(db.func.max(ProfileChange.seq)))
    _sneak_in("Logged after a hole", top + 2)
    assert _total(client, staff) == 3
    _sneak_in("Not logged", None)  # seen only by counting again
    time.sleep(0.1)
    assert _total(client, staff) == 4


def test_this_process_own_write_is_counted_at_once_whatever_the_refresh(client, as_role,
                                                                        counted, app):
    app.config["PUENTE_MATCHING_REFRESH_MS"] = 60_000
    _, staff = as_role("coordinator")
    client.post(f"/api/v1/{COLLECTION['sme']}", json=payload("sme", name="F0"), headers=staff)
    assert _total(client, staff) == 1
    client.post(f"/api/v1/{COLLECTION['sme']}", json=payload("sme", name="F1"), headers=staff)
    assert _total(client, staff) == 2
    found = client.get(f"/api/v1/{COLLECTION['sme']}?per_page=1&page=1", headers=staff)
    client.delete(f"/api/v1/{COLLECTION['sme']}/{found.get_json()['items'][0]['id']}",
                  headers=staff)
    assert _total(client, staff) == 1


def test_another_workers_write_is_counted_in_the_next_total_whatever_the_refresh(
        client, as_role, app):
    """README: a list's total is exact as of the newest profile write. A write through another
    worker reaches this one through the change log, whose newest number the page reads: the
    very next total counts it, though this worker would poll the log only a minute later."""
    app.config.update(PUENTE_MATCHING_REFRESH_MS=60_000, PUENTE_LIST_TOTAL_TTL_MS=60_000)
    _, staff = as_role("coordinator")
    for n in range(2):
        client.post(f"/api/v1/{COLLECTION['sme']}", json=payload("sme", name=f"F{n}"),
                    headers=staff)
    time.sleep(0.05)
    assert _total(client, staff) == 2
    top = db.session.scalar(db.select(db.func.max(ProfileChange.seq)))
    _sneak_in("Written through another worker", top + 1)
    assert _total(client, staff) == 3
    assert client.get("/api/v1/smes?per_page=1&page=9", headers=staff).get_json()["total"] == 3
    _sneak_in("And another", top + 2)  # seen by a page past the end too
    assert client.get("/api/v1/smes?per_page=1&page=9", headers=staff).get_json()["total"] == 4
