"""Who is in a cohort, and which of its SME–mentor pairs past introductions rule out.

A selection is explicit profile ids, or a filter over active profiles of a kind. A pair is
ruled out when the two profiles have a declined introduction (either way), or an open one
(requested or accepted, either way): proposing it again would be refused at confirmation by
the one-open-introduction-per-pair rule. It is ruled out too when either hid the other from its
matches (:mod:`webapp.services.match_marks`): a hidden match never comes back, not even as a
program introduction.

A mentor's capacity left for a cohort is its capacity minus its current load
(``capacity.capacities_left``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import exists

from matcher import taxonomy as tx
from models import HIDDEN, Introduction, MatchMark, Profile, ProfileFacet, db
from models.introductions import DECLINED, MENTORING_KINDS, OPEN_STATES
from webapp import policy
from webapp.errors import Problem, invalid_fields
from webapp.schemas.fields import code_problems, filter_code
from webapp.services.capacity import SQL_ID_LIST_MAX
from webapp.services.matching import load_records

FACET_FILTERS = ("sector", "need", "expertise", "language")

Pair = tuple[int, int]


def select_records(selection: dict[str, Any], kind: str, field: str) -> list:
    """Return the engine records of a selection: explicit ids, or a filter over profiles."""
    if "ids" in selection:
        ids = list(dict.fromkeys(selection["ids"]))
        records = load_records(Profile.id.in_(ids)) if ids else []
        found = {r.id: r for r in records if r.kind == kind}
        missing = [i for i in ids if i not in found]
        if missing:
            raise invalid_fields({f"{field}.ids": Problem("no_such_profiles", kind=kind,
                                                          ids=missing[:20])})
        return [found[i] for i in ids]
    filters = selection.get("filter") or {}
    _check_filter(filters, f"{field}.filter", kind)
    return load_records(_filter_condition(kind, filters))


# A filter of what the other kind lists: it would select no one, so it is refused.
OTHER_KINDS_FILTERS = {"sme": ("expertise",), "mentor": ("need",)}


def _check_filter(filters: dict[str, Any], field: str, kind: str) -> None:
    """Refuse a filter value outside the reference data (:func:`~webapp.schemas.fields.
    code_problems`, a country outside the program), and a filter of the other kind's list
    (SMEs list needs, mentors expertise), naming it: ``smes.filter.country``."""
    country = filters.get("country")
    known = country in tx.PROGRAM_COUNTRIES
    problems = code_problems(filters, country if known else None)
    for name in OTHER_KINDS_FILTERS.get(kind, ()):
        if filters.get(name):
            problems[name] = Problem("unknown_field")
    if country and not known:
        problems["country"] = Problem("not_one_of", choices=list(tx.PROGRAM_COUNTRIES))
    if problems:
        raise invalid_fields({f"{field}.{name}": p for name, p in problems.items()})


def _filter_condition(kind: str, filters: dict[str, Any]):
    clauses = [Profile.kind == kind, policy.listed_profiles()]
    for column in ("country", "subdivision"):
        if filters.get(column):
            clauses.append(getattr(Profile, column) == filters[column])
    for facet in FACET_FILTERS:
        if filters.get(facet):
            clauses.append(exists().where(
                ProfileFacet.profile_id == Profile.id, ProfileFacet.facet == facet,
                ProfileFacet.value == filter_code(facet, filters[facet])))
    return db.and_(*clauses)


def pairs_in_states(states: Iterable[str], sme_ids: set[int],
                    mentor_ids: set[int]) -> set[Pair]:
    """Return the cohort's (SME, mentor) pairs with an introduction in one of the states."""
    query = (db.select(Introduction.requester_id, Introduction.target_id)
             .where(Introduction.state.in_(tuple(states)),
                    Introduction.kind.in_(MENTORING_KINDS)))
    ids = sme_ids | mentor_ids
    if len(ids) <= SQL_ID_LIST_MAX:  # a small cohort: let the database pick its rows
        query = query.where(Introduction.requester_id.in_(ids),
                            Introduction.target_id.in_(ids))
    rows = db.session.execute(query).all()
    pairs = set()
    for a, b in rows:
        if a in sme_ids and b in mentor_ids:
            pairs.add((a, b))
        elif b in sme_ids and a in mentor_ids:
            pairs.add((b, a))
    return pairs


def declined_pairs(sme_ids: set[int], mentor_ids: set[int]) -> set[Pair]:
    """Return the (SME, mentor) pairs of the cohort with a declined introduction, either way."""
    return pairs_in_states((DECLINED,), sme_ids, mentor_ids)


def open_pairs(sme_ids: set[int], mentor_ids: set[int]) -> set[Pair]:
    """Return the (SME, mentor) pairs of the cohort with an open introduction, either way."""
    return pairs_in_states(OPEN_STATES, sme_ids, mentor_ids)


def hidden_pairs(sme_ids: set[int], mentor_ids: set[int]) -> set[Pair]:
    """Return the (SME, mentor) pairs of the cohort where either hid the other."""
    query = db.select(MatchMark.owner_id, MatchMark.candidate_id).where(MatchMark.mark == HIDDEN)
    ids = sme_ids | mentor_ids
    if len(ids) <= SQL_ID_LIST_MAX:
        query = query.where(MatchMark.owner_id.in_(ids), MatchMark.candidate_id.in_(ids))
    pairs = set()
    for owner, candidate in db.session.execute(query).all():
        if owner in sme_ids and candidate in mentor_ids:
            pairs.add((owner, candidate))
        elif candidate in sme_ids and owner in mentor_ids:
            pairs.add((candidate, owner))
    return pairs


def check_pins(pinned: Iterable[Pair], declined: set[Pair], opened: set[Pair],
               hidden: set[Pair]) -> None:
    """Refuse pins that past introductions or a hidden match rule out, saying which and why."""
    problems = []
    for pair in map(tuple, pinned):
        if pair in opened:
            problems.append(Problem("pin_open", sme=pair[0], mentor=pair[1]))
        elif pair in declined:
            problems.append(Problem("pin_declined", sme=pair[0], mentor=pair[1]))
        elif pair in hidden:
            problems.append(Problem("pin_hidden", sme=pair[0], mentor=pair[1]))
    if problems:
        raise invalid_fields({"options.pinned": problems}, "pins_not_kept")


def refusal_of_history(sme_id: int, mentor_id: int) -> str | None:
    """Return the problem code of why past introductions or a hidden match rule the pair out
    now, or None."""
    pair = (sme_id, mentor_id)
    if pair in open_pairs({sme_id}, {mentor_id}):
        return "pair_open"
    if pair in declined_pairs({sme_id}, {mentor_id}):
        return "pair_declined"
    if pair in hidden_pairs({sme_id}, {mentor_id}):
        return "pair_hidden"
    return None
