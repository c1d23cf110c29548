"""ids never handed out twice on SQLite

Revision ID: d2f6a8c0e4b1
Revises: b3f7e2a9c4d1
Create Date: 2026-12-07 20:00:00

SQLite gives a new row the largest id plus one: when the row with the largest id was deleted,
the next row gets its id again, unless the table is declared AUTOINCREMENT. A new account then
took a deleted account's id, and the audit log's entries about that id (``object_type`` user,
``object_id`` the id) told of two accounts as one; so with profiles, and with every object the
audit log names. PostgreSQL's sequences never hand out an id twice: nothing to do there.

On SQLite the tables whose ids the audit log names (as ``object_id`` or in its details) are
rebuilt AUTOINCREMENT, in batch mode, keeping their rows, ids, indexes and constraints (the
migrations run with foreign keys off, see env.py: dropping the old table would otherwise
cascade). Each table's counter (``sqlite_sequence``) starts at its largest id, or at the
largest id the audit log names for it if that is larger: the id of a row deleted before this
revision is not handed out again either.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd2f6a8c0e4b1'
down_revision = 'b3f7e2a9c4d1'
branch_labels = None
depends_on = None

AUDIT = sa.table("audit_log", sa.column("action", sa.String),
                 sa.column("object_type", sa.String), sa.column("object_id", sa.Integer),
                 sa.column("details", sa.JSON))
# table -> where the audit log names one of its ids (a refusal, access.denied, names the id a
# request aimed at, which may never have existed: it is not counted)
NAMED_BY = {
    "users": AUDIT.c.object_type == "user",
    "api_tokens": AUDIT.c.object_type == "api_token",
    "profiles": AUDIT.c.object_type.in_(("sme", "mentor", "buyer", "profile")),
    "introductions": AUDIT.c.object_type == "introduction",
    "cohort_proposals": AUDIT.c.object_type == "cohort_proposal",
    "model_versions": AUDIT.c.object_type == "model_version",
    "meeting_proposals": sa.func.json_extract(AUDIT.c.details, "$.meeting_id"),
    "outcome_steps": sa.func.json_extract(AUDIT.c.details, "$.step_id"),
}
IN_DETAILS = {"meeting_proposals", "outcome_steps"}


def _largest_named_id(conn, table: str) -> int | None:
    """Return the largest id of the table the audit log names, or None."""
    named = NAMED_BY[table]
    if table in IN_DETAILS:
        query = sa.select(sa.func.max(named)).where(named.is_not(None))
    else:
        query = sa.select(sa.func.max(AUDIT.c.object_id)).where(named)
    return conn.execute(query.where(AUDIT.c.action != "access.denied")).scalar()


def _require_foreign_keys_off(conn) -> None:
    """Refuse to rebuild with foreign keys on: dropping the old tables would cascade."""
    if conn.execute(sa.text("PRAGMA foreign_keys")).scalar():
        raise RuntimeError("SQLite's foreign keys must be off to rebuild the tables (env.py)")


def _has_statistics(conn) -> bool:
    """Return True when the planner's statistics were gathered (the demo seed does)."""
    return conn.execute(sa.text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
                        ).first() is not None


def upgrade():
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    _require_foreign_keys_off(conn)
    analysed = _has_statistics(conn)
    for table in NAMED_BY:
        with op.batch_alter_table(table, recreate="always",
                                  table_kwargs={"sqlite_autoincrement": True}):
            pass
        if analysed:  # the drop took the table's statistics (ANALYZE) with it
            conn.execute(sa.text(f"ANALYZE {table}"))
        start = max(conn.execute(sa.text(f"SELECT max(id) FROM {table}")).scalar() or 0,
                    _largest_named_id(conn, table) or 0)
        conn.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :name"), {"name": table})
        conn.execute(sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:name, :seq)"),
                     {"name": table, "seq": start})


def downgrade():
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    _require_foreign_keys_off(conn)
    analysed = _has_statistics(conn)
    for table in NAMED_BY:  # rebuilt from what SQLite says, which omits AUTOINCREMENT
        with op.batch_alter_table(table, recreate="always"):
            pass
        if analysed:
            conn.execute(sa.text(f"ANALYZE {table}"))
