"""A cohort's refused pairs hold codes only: drop the English text older confirmations kept

Revision ID: a9e4c7b2d1f0
Revises: d8a4f2b6c1e9
Create Date: 2026-12-04 16:40:00

Cohort confirmations made before refusals were stored as codes kept each refused pair's
English message (``{"sme_id", "mentor_id", "error"}``), and some later ones the message beside
the code. The pages and the API then showed that stored text, in English, to every reader. Each
refused pair now holds its code and parameters only: one without a code becomes
``pair_not_confirmed`` (the text's cause cannot be told from the text without reading it), and
the text is dropped. Downgrading leaves the codes: the old text is not kept anywhere.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a9e4c7b2d1f0'
down_revision = 'd8a4f2b6c1e9'
branch_labels = None
depends_on = None

PROPOSALS = sa.table("cohort_proposals", sa.column("id", sa.Integer),
                     sa.column("result", sa.JSON))


def coded(failure: dict) -> dict:
    """Return a refused pair as a code and its parameters, without stored text."""
    pair = {key: value for key, value in failure.items() if key != "error"}
    if "code" not in pair:
        pair.update(code="pair_not_confirmed", params={})
    return pair


def upgrade():
    conn = op.get_bind()
    for proposal_id, result in conn.execute(sa.select(PROPOSALS.c.id, PROPOSALS.c.result)):
        confirmation = (result or {}).get("confirmation") or {}
        failed = confirmation.get("failed") or []
        if not any("error" in f or "code" not in f for f in failed):
            continue
        result = {**result, "confirmation": {**confirmation, "failed": [coded(f) for f in failed]}}
        conn.execute(PROPOSALS.update().where(PROPOSALS.c.id == proposal_id)
                     .values(result=result))


def downgrade():
    pass
