"""The (kind, active) index migration (c6f2a3d4e5b7) adds the index a list's total counts
from, with the owner column carried in it on PostgreSQL, and goes back down."""

from __future__ import annotations

from models import db
from tests.db.migration_steps import indexes_up_and_down, profile_indexes

BEFORE = "b5e1d2c3f4a6"
AFTER = "c6f2a3d4e5b7"


def test_upgrade_adds_the_index_and_downgrade_removes_it(tmp_path):
    before, after, back = indexes_up_and_down(tmp_path, BEFORE, AFTER)
    assert "ix_profiles_kind_active" not in before
    assert after["ix_profiles_kind_active"]["column_names"] == ["kind", "active"]
    assert set(back) == set(before)


def test_the_test_database_has_it_with_the_owner_on_postgresql(app):
    index = profile_indexes()["ix_profiles_kind_active"]
    assert index["column_names"] == ["kind", "active"]
    if db.engine.dialect.name == "postgresql":
        assert index["dialect_options"]["postgresql_include"] == ["user_id"], index
