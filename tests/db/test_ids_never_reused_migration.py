"""Migration d2f6a8c0e4b1: on SQLite, the tables whose ids the audit log names become
AUTOINCREMENT, keeping their rows, ids, indexes and constraints; a deleted row's id is not
handed out again, not even one deleted before the migration."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from models import db
from webapp import create_app
from webapp.database import MIGRATIONS_DIR

BEFORE, AFTER = "b3f7e2a9c4d1", "d2f6a8c0e4b1"
NOW = "'2026-01-02 03:04:05'"
FILL = [
    "INSERT INTO users (id, email, password_hash, role, locale, active, session_epoch, "
    f"created_at) VALUES (1, 'u1@x.test', 'h', 'sme', 'en', 1, 0, {NOW}), "
    f"(2, 'u2@x.test', 'h', 'mentor', 'en', 1, 0, {NOW}), "
    f"(3, 'u3@x.test', 'h', 'buyer', 'en', 1, 0, {NOW})",
    f"INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, created_at) VALUES "
    f"(1, 3, 'ERP', 'a', 'pk_a', {NOW}), (2, 3, 'CRM', 'b', 'pk_b', {NOW})",
    "INSERT INTO profiles (id, kind, user_id, name, country, subdivision, city, sectors, "
    "languages, markets, description, active, created_at, updated_at) VALUES "
    f"(1, 'sme', 1, 'Textiles Yaqui', 'MX', 'MX-SON', 'Hermosillo', '[]', '[]', '[]', '', 1, "
    f"{NOW}, {NOW}), (2, 'mentor', 2, 'Rosa', 'MX', 'MX-SON', 'Nogales', '[]', '[]', '[]', '', "
    f"1, {NOW}, {NOW}), (3, 'buyer', 3, 'Bates', 'US', 'US-AZ', 'Tucson', '[]', '[]', '[]', '', "
    f"1, {NOW}, {NOW})",
    "INSERT INTO introductions (id, kind, state, requester_id, target_id, pair_key, message, "
    f"created_at, updated_at) VALUES (1, 'sme_mentor', 'accepted', 1, 2, '1-2', '', {NOW}, "
    f"{NOW}), (2, 'buyer_sme', 'requested', 3, 1, '1-3', '', {NOW}, {NOW})",
    "INSERT INTO meeting_proposals (id, introduction_id, profile_id, author_id, times, minutes, "
    f"note, zone, created_at) VALUES (1, 1, 1, 1, '[]', 30, '', 'UTC', {NOW})",
    "INSERT INTO outcome_steps (id, introduction_id, stage, occurred_on, topics, note, status, "
    "reported_for_id, reported_by_id, answered_on_behalf, answer_note, created_at) VALUES "
    f"(1, 1, 'met', '2026-01-02', '[]', '', 'reported', 1, 1, 0, '', {NOW})",
    # an account (7) and a meeting (4) deleted before the migration; a refusal aimed at a
    # profile that never was
    "INSERT INTO audit_log (at, actor_id, action, object_type, object_id, details) VALUES "
    f"({NOW}, NULL, 'user.delete', 'user', 7, '{{}}'), "
    f"({NOW}, 1, 'meeting.propose', 'introduction', 1, '{{\"meeting_id\": 4}}'), "
    f"({NOW}, 3, 'access.denied', 'profile', 900, '{{}}')",
]
REUSED_NEVER = ("users", "api_tokens", "profiles", "introductions", "meeting_proposals",
                "outcome_steps", "cohort_proposals", "model_versions")


def contents() -> dict[str, list[tuple]]:
    """Return every row of every table (but alembic's), in id (or key) order, and the
    planner's statistics."""
    with db.engine.connect() as conn:
        names = [*inspect(conn).get_table_names(), "sqlite_stat1"]
        return {name: sorted(tuple(row) for row in conn.execute(text(f"SELECT * FROM {name}")))
                for name in names if name != "alembic_version"}


def schema() -> dict[str, dict]:
    """Return what SQLite says of each table: columns, indexes, keys and constraints."""
    found = inspect(db.engine)

    def named(items):
        return sorted(({**item, "dialect_options": {  # a partial index's WHERE, as text
            key: str(value) for key, value in item.get("dialect_options", {}).items()}}
            for item in items), key=lambda item: str(item.get("name")))

    return {name: {"columns": [(c["name"], str(c["type"]), c["nullable"], c["default"])
                               for c in found.get_columns(name)],
                   "indexes": named(found.get_indexes(name)),
                   "foreign_keys": named(found.get_foreign_keys(name)),
                   "unique": named(found.get_unique_constraints(name)),
                   "checks": named(found.get_check_constraints(name)),
                   "primary_key": found.get_pk_constraint(name)["constrained_columns"]}
            for name in found.get_table_names()}


def autoincrement_tables() -> set[str]:
    with db.engine.connect() as conn:
        return set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table' "
                                     "AND sql LIKE '%AUTOINCREMENT%'")).scalars())


def delete_newest_and_insert_it_again(table: str) -> tuple[int, int]:
    """Delete the row with the largest id, insert its values anew; return both ids."""
    with db.engine.begin() as conn:
        row = dict(conn.execute(text(f"SELECT * FROM {table} ORDER BY id DESC LIMIT 1"))
                   .mappings().one())
        conn.execute(text(f"DELETE FROM {table} WHERE id = :id"), row)
        old_id = row.pop("id")
        new_id = conn.execute(text(f"INSERT INTO {table} ({', '.join(row)}) VALUES "
                                   f"({', '.join(':' + name for name in row)})"),
                              row).lastrowid
    return old_id, new_id


@pytest.fixture
def migrated(tmp_path):
    """Yield the app of a SQLite file filled at BEFORE, with what it held and its schema."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        with db.engine.begin() as conn:
            for sql in FILL:
                conn.execute(text(sql))
            conn.execute(text("ANALYZE"))  # as the demo seed does
        held, shape = contents(), schema()
        upgrade(directory=MIGRATIONS_DIR, revision=AFTER)
        yield held, shape
        db.engine.dispose()


def test_the_rebuilt_tables_keep_every_row_id_index_and_constraint(migrated):
    held, shape = migrated
    assert contents() == held  # no cascade: tokens keep their user, profiles their owner
    assert schema() == shape
    assert autoincrement_tables() == set(REUSED_NEVER)
    with db.engine.begin() as conn, pytest.raises(IntegrityError):
        conn.execute(text("UPDATE profiles SET active_count = -1 WHERE id = 1"))
    with db.engine.begin() as conn, pytest.raises(IntegrityError):  # the foreign keys are on
        conn.execute(text("UPDATE api_tokens SET user_id = 99 WHERE id = 1"))


@pytest.mark.parametrize("table", ["users", "api_tokens", "profiles", "introductions",
                                   "meeting_proposals", "outcome_steps"])
def test_a_deleted_rows_id_is_not_given_again(migrated, table):
    old_id, new_id = delete_newest_and_insert_it_again(table)
    assert new_id > old_id


def test_ids_the_audit_log_names_are_not_given_again(migrated):
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM users WHERE id = 3"))
    assert delete_newest_and_insert_it_again("users") == (2, 8)  # 7 was deleted before
    assert delete_newest_and_insert_it_again("meeting_proposals") == (1, 5)
    _, profile_id = delete_newest_and_insert_it_again("profiles")
    assert profile_id == 4  # a refused request's id is no profile's


def test_the_models_and_the_migration_agree_on_the_tables(migrated):
    declared = {table.name for table in db.metadata.sorted_tables
                if table.dialect_options["sqlite"]["autoincrement"]}
    assert declared == autoincrement_tables()


def test_downgrade_keeps_the_rows(migrated):
    held, shape = migrated
    downgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
    assert contents() == held
    assert autoincrement_tables() == set()
    assert {name: {k: v for k, v in table.items() if k != "primary_key"}
            for name, table in schema().items()} == {
        name: {k: v for k, v in table.items() if k != "primary_key"}
        for name, table in shape.items()}
