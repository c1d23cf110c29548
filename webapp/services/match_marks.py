"""Use cases of a profile owner's marks on its matches: save one for later, hide one for good.

A hidden candidate is left out of the owner's rankings (:func:`webapp.services.matching.rank_for`)
and is a negative outcome for learning (:func:`hidden_pairs`, read by model training). Marking
is an upsert on the (owner, candidate) pair, so two concurrent marks of one pair never fail:
the last one wins.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from models import HIDDEN, MATCH_MARKS, SAVED, MatchMark, Profile, User, db, utcnow
from models.introductions import INTRODUCTION_KINDS
from webapp import policy
from webapp.errors import Forbidden, NotFound, Problem, invalid_fields
from webapp.services.audit import record
from webapp.services.transactions import write_transaction

__all__ = ["HIDDEN", "SAVED", "clear_mark", "hidden_ids", "hidden_pairs", "saved_page",
           "set_mark"]


def _check(user: User, owner: Profile, candidate_id: int, mark: str) -> Profile:
    """Return the candidate the owner may mark, or refuse."""
    if not policy.may_mark_matches(user, owner):
        raise Forbidden("match_marks_forbidden")
    if mark not in MATCH_MARKS:
        raise invalid_fields({"mark": Problem("not_one_of", choices=list(MATCH_MARKS))})
    candidate = db.session.get(Profile, candidate_id)
    if (candidate is None or candidate.id == owner.id
            or (owner.kind, candidate.kind) not in INTRODUCTION_KINDS  # not one of its pairings
            or not policy.may_see_profile(user, candidate)):
        raise NotFound("match_not_found", id=candidate_id)
    return candidate


def set_mark(user: User, owner: Profile, candidate_id: int, mark: str) -> MatchMark:
    """Save or hide the candidate among the owner's matches (replacing the other mark)."""
    _check(user, owner, candidate_id, mark)
    with write_transaction():
        dialect = postgresql if db.session.connection().dialect.name == "postgresql" else sqlite
        values = {"owner_id": owner.id, "candidate_id": candidate_id, "mark": mark,
                  "at": utcnow()}
        statement = dialect.insert(MatchMark).values(**values)
        db.session.execute(statement.on_conflict_do_update(
            index_elements=["owner_id", "candidate_id"],
            set_={"mark": statement.excluded.mark, "at": statement.excluded.at}))
        record(f"match.{mark}", owner.kind, owner.id, actor=user, candidate=candidate_id)
    return db.session.scalars(select(MatchMark).where(
        MatchMark.owner_id == owner.id, MatchMark.candidate_id == candidate_id)
        .execution_options(populate_existing=True)).one()


def clear_mark(user: User, owner: Profile, candidate_id: int, mark: str) -> None:
    """Remove the mark (unsave, unhide) if the candidate has it; nothing else changes."""
    _check(user, owner, candidate_id, mark)
    with write_transaction():
        db.session.execute(delete(MatchMark).where(
            MatchMark.owner_id == owner.id, MatchMark.candidate_id == candidate_id,
            MatchMark.mark == mark))
        record(f"match.un{'save' if mark == SAVED else 'hide'}", owner.kind, owner.id,
               actor=user, candidate=candidate_id)


def hidden_ids(owner_id: int) -> list[int]:
    """Return the candidates the owner hid."""
    return list(db.session.scalars(select(MatchMark.candidate_id).where(
        MatchMark.owner_id == owner_id, MatchMark.mark == HIDDEN)))


def hidden_pairs() -> list[tuple[Profile, Profile]]:
    """Return every (owner, hidden candidate) pair, for learning (a negative label)."""
    rows = db.session.scalars(select(MatchMark).where(MatchMark.mark == HIDDEN).options(
        selectinload(MatchMark.owner), selectinload(MatchMark.candidate))
        .order_by(MatchMark.id))
    return [(row.owner, row.candidate) for row in rows]


def saved_page(user: User, owner_id: int, page: int,
               per_page: int) -> tuple[list[Profile], bool]:
    """Return one page of the profiles the owner saved that ``user`` may still see, most
    recently saved first, and whether a next page has any (each is then scored and
    explained: however many an owner saved, one answer explains one page of them)."""
    query = (select(Profile).join(MatchMark, MatchMark.candidate_id == Profile.id)
             .where(MatchMark.owner_id == owner_id, MatchMark.mark == SAVED)
             .order_by(MatchMark.at.desc(), MatchMark.id.desc())
             .offset((page - 1) * per_page).limit(per_page + 1))
    if not policy.may_see_hidden_profiles(user):  # an owner: the listed ones (as may_see_profile)
        query = query.where(policy.listed_profiles())
    profiles = list(db.session.scalars(query))
    return profiles[:per_page], len(profiles) > per_page
