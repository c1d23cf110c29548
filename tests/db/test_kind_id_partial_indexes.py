"""A list of one kind pages through an index of that kind's ids (migration d8a4f2b6c1e9).

On a database whose profiles were loaded one kind after another (an import of SMEs, then of
mentors), PostgreSQL walked the primary key past every SME before the first mentor on every
mentor list page: it takes the (kind, id) index for dearer than the primary key when the kind
is most rows. An index of the kind's ids alone (partial, ``WHERE kind = '…'``) is smaller than
the primary key, so the planner takes it; the list names its kind as a literal so that a
prepared statement's generic plan can use it too. SQLite pages from the (kind, id) index.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event, insert, text

from models import Profile, db
from tests.db.migration_steps import indexes_up_and_down

BEFORE = "c6f2a3d4e5b7"
AFTER = "d8a4f2b6c1e9"
KIND_INDEXES = {"ix_profiles_sme_id", "ix_profiles_mentor_id", "ix_profiles_buyer_id"}


def test_upgrade_adds_an_index_per_kind_and_downgrade_removes_them(tmp_path):
    before, after, back = indexes_up_and_down(tmp_path, BEFORE, AFTER)
    assert not KIND_INDEXES & set(before) and KIND_INDEXES <= set(after)
    assert set(back) == set(before)


def _load(kind: str, count: int) -> None:
    db.session.execute(insert(Profile), [
        {"kind": kind, "name": f"{kind} {i}", "country": "MX", "subdivision": "MX-NLE",
         "city": "Monterrey", "sectors": ["3323"], "languages": ["es"], "markets": []}
        for i in range(count)])
    db.session.commit()


def _explain(statement: str, params) -> str:
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE profiles")
            plan = conn.exec_driver_sql(f"EXPLAIN {statement}", params).scalars()
        else:
            plan = (row[-1] for row in
                    conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params))
        return "\n".join(plan)


@pytest.mark.parametrize("kind, path", [("mentor", "/api/v1/mentors"),
                                        ("buyer", "/api/v1/buyers")])
def test_a_list_page_reads_its_kinds_index_when_another_kind_comes_first(
        app, client, as_role, kind, path):
    _load("sme", 3000)
    _load(kind, 3000)
    _, headers = as_role("coordinator")
    pages: list[tuple[str, object]] = []

    def keep(conn, cursor, statement, params, context, executemany):
        if "FROM profiles" in statement and "LIMIT" in statement:
            pages.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        response = client.get(f"{path}?per_page=20", headers=headers)
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    assert response.status_code == 200
    first = db.session.scalars(text(
        "SELECT id FROM profiles WHERE kind = :kind ORDER BY id LIMIT 20"), {"kind": kind})
    assert [item["id"] for item in response.get_json()["items"]] == list(first)
    [(statement, params)] = pages
    plan = _explain(statement, params)
    if db.engine.dialect.name == "postgresql":
        assert f"ix_profiles_{kind}_id" in plan, plan
    else:
        assert "USING INDEX ix_profiles_kind_id" in plan and "TEMP B-TREE" not in plan, plan
