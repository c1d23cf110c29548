"""The (kind, id) index migration (b5e1d2c3f4a6) adds the index the profile lists page by, and
goes back down to the indexes before it."""

from __future__ import annotations

from tests.db.migration_steps import indexes_up_and_down

BEFORE = "a7d3e9f1c2b4"
AFTER = "b5e1d2c3f4a6"


def test_upgrade_adds_the_index_and_downgrade_removes_it(tmp_path):
    before, after, back = indexes_up_and_down(tmp_path, BEFORE, AFTER)
    assert "ix_profiles_kind_id" not in before and "ix_profiles_kind_id" in after
    assert set(back) == set(before)
