"""Use cases of cohort proposals: allocate a cohort exactly, edit the draft, confirm it.

A proposal is computed by :mod:`matcher.cohort` over the engine records of the selected SMEs
and mentors (mentors' capacity left = capacity − current load) with the active bundle, and
stored as a draft. Pairs declined before between the two profiles are excluded. Confirming
creates one introduction per pair (SME → mentor) through the introductions use case, so its
capacity, notification and audit rules hold; pairs it refuses are reported, not fatal.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, update

from matcher.cohort import CohortError, InfeasiblePinError, allocate_cohort, score_cohort
from models import CohortProposal, Introduction, Profile, ProfileFacet, User, db, utcnow
from models.cohorts import CONFIRMED, DRAFT
from models.introductions import DECLINED
from webapp.errors import Conflict, Forbidden, InvalidInput, NotFound, PuenteError
from webapp.services import introductions
from webapp.services.audit import record
from webapp.services.matching import explain_pair, load_records, matching_state
from webapp.services.transactions import write_transaction

MAX_ID = 2**31 - 1
DEFAULT_OPTIONS = {"min_score": 0.0, "language_required": True, "mentors_per_sme": 1,
                   "objective": "total_score", "pinned": [], "excluded": []}
FACET_FILTERS = ("sector", "need", "expertise", "language")
CONFIRM_MESSAGE = "Introduced by the program coordinators as part of a cohort."

Pair = tuple[int, int]


def _check_staff(user: User) -> None:
    if not user.is_staff:
        raise Forbidden("Only coordinators and admins run cohort allocations.")


# -- selecting the cohort --------------------------------------------------------------------

def select_records(selection: dict[str, Any], kind: str, field: str) -> list:
    """Return the engine records of a selection: explicit ids, or a filter over profiles."""
    if "ids" in selection:
        ids = list(dict.fromkeys(selection["ids"]))
        records = load_records(Profile.id.in_(ids)) if ids else []
        found = {r.id: r for r in records if r.kind == kind}
        missing = [i for i in ids if i not in found]
        if missing:
            raise InvalidInput(f"Unknown {kind} profiles.", {f"{field}.ids": [
                f"No {kind} profile with id {', '.join(map(str, missing[:20]))}."]})
        return [found[i] for i in ids]
    return load_records(_filter_condition(kind, selection.get("filter") or {}))


def _filter_condition(kind: str, filters: dict[str, Any]):
    clauses = [Profile.kind == kind, Profile.active.is_(True)]
    for column in ("country", "subdivision"):
        if filters.get(column):
            clauses.append(getattr(Profile, column) == filters[column])
    for facet in FACET_FILTERS:
        if filters.get(facet):
            clauses.append(exists().where(
                ProfileFacet.profile_id == Profile.id, ProfileFacet.facet == facet,
                ProfileFacet.value == filters[facet]))
    return db.and_(*clauses)


def declined_pairs(sme_ids: set[int], mentor_ids: set[int]) -> set[Pair]:
    """Return the (SME, mentor) pairs of the cohort with a declined introduction, either way."""
    rows = db.session.execute(db.select(Introduction.requester_id, Introduction.target_id)
                              .where(Introduction.state == DECLINED)).all()
    pairs = set()
    for a, b in rows:
        if a in sme_ids and b in mentor_ids:
            pairs.add((a, b))
        elif b in sme_ids and a in mentor_ids:
            pairs.add((b, a))
    return pairs


# -- proposing -------------------------------------------------------------------------------

def propose(user: User, data: dict[str, Any]) -> CohortProposal:
    """Allocate the cohort, store the draft proposal (with a diff if asked) and commit."""
    _check_staff(user)
    options = {**DEFAULT_OPTIONS, **(data.get("options") or {})}
    previous = get_proposal(user, data["previous_id"], "previous_id") \
        if data.get("previous_id") else None
    smes = select_records(data["smes"], "sme", "smes")
    mentors = select_records(data["mentors"], "mentor", "mentors")
    declined = declined_pairs({r.id for r in smes}, {r.id for r in mentors})
    result = _allocate(smes, mentors, options, declined)
    if previous is not None:
        result["diff"] = pair_diff(previous.result.get("pairs", []), result["pairs"])
    request = {"smes": data["smes"], "mentors": data["mentors"], "options": options}
    with write_transaction():
        proposal = CohortProposal(created_by_id=user.id, status=DRAFT, request=request,
                                  result=result, previous_id=previous.id if previous else None)
        db.session.add(proposal)
        db.session.flush()
        record("cohort.propose", "cohort_proposal", proposal.id, actor=user,
               pairs=len(result["pairs"]), unassigned=len(result["unassigned"]))
    return proposal


def _allocate(smes: list, mentors: list, options: dict[str, Any],
              declined: set[Pair]) -> dict[str, Any]:
    state = matching_state()
    excluded = {tuple(p) for p in options["excluded"]} | declined
    try:
        cohort = score_cohort(state.bundle, smes, mentors,
                              language_required=options["language_required"],
                              min_score=options["min_score"])
        result = allocate_cohort(cohort, mentors_per_sme=options["mentors_per_sme"],
                                 objective=options["objective"],
                                 pinned=[tuple(p) for p in options["pinned"]],
                                 excluded=sorted(excluded))
    except InfeasiblePinError as err:
        raise InvalidInput("The pinned pairs cannot all be kept.",
                           {"options.pinned": [str(err)]}) from err
    except CohortError as err:
        raise InvalidInput("The cohort cannot be allocated.", {_option_of(str(err)): [
            str(err)]}) from err
    return {
        "pairs": _with_reasons(result.pairs),
        "unassigned": [{"sme_id": u.sme_id, "reason": u.reason, "missing": u.missing}
                       for u in result.unassigned],
        "objective": {"name": result.objective, "total_score": result.total_score,
                      "smes_covered": result.smes_covered, "n_pairs": result.n_pairs,
                      "value": result.value, "bound": result.bound},
        "greedy": {"total_score": result.greedy.total_score,
                   "smes_covered": result.greedy.smes_covered,
                   "n_pairs": result.greedy.n_pairs, "gap_percent": result.greedy.gap_percent},
        "certified": bool(result.certified),
        "edited": False,
        "solve_seconds": result.solve_seconds,
        "model_version": state.bundle.version,
        "sme_ids": [int(i) for i in cohort.sme_ids],
        "mentor_ids": [int(i) for i in cohort.mentor_ids],
        "capacity": {str(int(m)): int(c) for m, c in zip(cohort.mentor_ids, cohort.capacity,
                                                         strict=True)},
        "declined_excluded": sorted([list(p) for p in declined]),
    }


def _option_of(message: str) -> str:
    """Return the option an engine error is about, to name it in the 422."""
    for name in ("pinned", "excluded", "min_score", "mentors_per_sme", "objective"):
        if name in message:
            return f"options.{name}"
    return "options"


def _with_reasons(pairs) -> list[dict[str, Any]]:
    ids = {p.sme_id for p in pairs} | {p.mentor_id for p in pairs}
    profiles = {p.id: p for p in db.session.scalars(
        db.select(Profile).where(Profile.id.in_(ids)))} if ids else {}
    return [{"sme_id": int(p.sme_id), "mentor_id": int(p.mentor_id), "score": float(p.score),
             "pinned": bool(p.pinned),
             "reasons": _reasons(profiles[p.sme_id], profiles[p.mentor_id])} for p in pairs]


def _reasons(sme: Profile, mentor: Profile) -> list[dict[str, Any]]:
    try:
        return explain_pair(sme, mentor)["reasons"]
    except PuenteError:  # e.g. the mentor has no capacity left for a ranking any more
        return []


def pair_diff(previous: list[dict], current: list[dict]) -> dict[str, list]:
    """Return the pairs added, removed and kept from one proposal's pairs to another's."""
    before = {(p["sme_id"], p["mentor_id"]): p for p in previous}
    after = {(p["sme_id"], p["mentor_id"]): p for p in current}
    return {"added": [list(k) for k in after if k not in before],
            "removed": [list(k) for k in before if k not in after],
            "kept": [list(k) for k in after if k in before]}


# -- reading ---------------------------------------------------------------------------------

def get_proposal(user: User, proposal_id: int, field: str | None = None) -> CohortProposal:
    """Return a proposal (staff only), or raise NotFound (InvalidInput naming a field)."""
    _check_staff(user)
    proposal = db.session.get(CohortProposal, proposal_id) if 0 < proposal_id <= MAX_ID \
        else None
    if proposal is None:
        if field:
            raise InvalidInput("Unknown proposal.", {field: [
                f"No cohort proposal with id {proposal_id}."]})
        raise NotFound(f"No cohort proposal with id {proposal_id}.")
    return proposal


# -- editing ---------------------------------------------------------------------------------

def edit_proposal(user: User, proposal_id: int, data: dict[str, Any]) -> CohortProposal:
    """Remove and add pairs of a draft proposal, checking eligibility and capacity; commit."""
    proposal = get_proposal(user, proposal_id)
    if proposal.status != DRAFT:
        raise Conflict(f"Cohort proposal {proposal.id} is {proposal.status}; only drafts "
                       "can be edited.")
    result = dict(proposal.result)
    pairs = {(p["sme_id"], p["mentor_id"]): p for p in result["pairs"]}
    for sme_id, mentor_id in data.get("remove", []):
        if pairs.pop((sme_id, mentor_id), None) is None:
            raise InvalidInput("Unknown pair.", {"remove": [
                f"The proposal has no pair [{sme_id}, {mentor_id}]."]})
    for sme_id, mentor_id in data.get("add", []):
        pairs[(sme_id, mentor_id)] = _checked_addition(proposal, pairs, sme_id, mentor_id)
    result.update(pairs=list(pairs.values()), edited=True, certified=False,
                  unassigned=_unassigned_after(
                      result, pairs, proposal.request["options"]["mentors_per_sme"]))
    result["objective"] = {**result["objective"], **_totals(pairs)}
    with write_transaction():
        proposal.result = result
        record("cohort.edit", "cohort_proposal", proposal.id, actor=user,
               removed=len(data.get("remove", [])), added=len(data.get("add", [])))
    return proposal


def _checked_addition(proposal: CohortProposal, pairs: dict, sme_id: int,
                      mentor_id: int) -> dict[str, Any]:
    result, options = proposal.result, proposal.request["options"]
    label = f"[{sme_id}, {mentor_id}]"

    def refuse(why: str) -> InvalidInput:
        return InvalidInput("A pair cannot be added.", {"add": [f"{label}: {why}"]})

    if sme_id not in result["sme_ids"] or mentor_id not in result["mentor_ids"]:
        raise refuse("the SME and the mentor must both belong to the cohort.")
    if (sme_id, mentor_id) in pairs:
        raise refuse("the pair is in the proposal already.")
    banned = {tuple(p) for p in options.get("excluded", []) + result["declined_excluded"]}
    if (sme_id, mentor_id) in banned:
        raise refuse("the pair is excluded (by the options or a past decline).")
    if sum(1 for s, _ in pairs if s == sme_id) >= options["mentors_per_sme"]:
        raise refuse(f"the SME has {options['mentors_per_sme']} mentor(s) already.")
    mentor = load_records(Profile.id == mentor_id)
    cohort = score_cohort(matching_state().bundle, load_records(Profile.id == sme_id), mentor,
                          language_required=options["language_required"],
                          min_score=options["min_score"])
    if not cohort.eligible[0, 0]:
        raise refuse("the pair is not eligible (inactive, paused, no shared language or "
                     "below the minimum score).")
    if sum(1 for _, m in pairs if m == mentor_id) >= (mentor[0].capacity_left or 0):
        raise refuse("the mentor has no capacity left for another SME.")
    profiles = db.session.get(Profile, sme_id), db.session.get(Profile, mentor_id)
    return {"sme_id": sme_id, "mentor_id": mentor_id, "score": float(cohort.scores[0, 0]),
            "pinned": False, "reasons": _reasons(*profiles)}


def _unassigned_after(result: dict[str, Any], pairs: dict,
                      wanted: int) -> list[dict[str, Any]]:
    before = {u["sme_id"]: u["reason"] for u in result["unassigned"]}
    counts: dict[int, int] = {}
    for sme_id, _ in pairs:
        counts[sme_id] = counts.get(sme_id, 0) + 1
    return [{"sme_id": sme, "reason": before.get(sme, "removed_by_coordinator"),
             "missing": wanted - counts.get(sme, 0)}
            for sme in result["sme_ids"] if counts.get(sme, 0) < wanted]


def _totals(pairs: dict) -> dict[str, Any]:
    return {"total_score": sum(p["score"] for p in pairs.values()),
            "smes_covered": len({s for s, _ in pairs}), "n_pairs": len(pairs)}


# -- confirming ------------------------------------------------------------------------------

def confirm_proposal(user: User, proposal_id: int) -> CohortProposal:
    """Create the introductions of a draft proposal's pairs and mark it confirmed."""
    proposal = get_proposal(user, proposal_id)
    with write_transaction():  # claim the draft first: a second confirm gets a conflict
        claimed = db.session.execute(
            update(CohortProposal).where(CohortProposal.id == proposal.id,
                                         CohortProposal.status == DRAFT)
            .values(status=CONFIRMED, confirmed_at=utcnow())).rowcount
    if not claimed:
        raise Conflict(f"Cohort proposal {proposal.id} is confirmed already.")
    created, failed = [], []
    for pair in proposal.result["pairs"]:
        sme_id, mentor_id = pair["sme_id"], pair["mentor_id"]
        try:
            intro = introductions.create_introduction(user, {
                "requester_id": sme_id, "target_id": mentor_id, "message": CONFIRM_MESSAGE})
        except PuenteError as err:
            db.session.rollback()
            failed.append({"sme_id": sme_id, "mentor_id": mentor_id, "error": err.message})
        else:
            created.append({"sme_id": sme_id, "mentor_id": mentor_id,
                            "introduction_id": intro.id})
    with write_transaction():
        proposal = db.session.get(CohortProposal, proposal_id)
        proposal.result = {**proposal.result,
                           "confirmation": {"created": created, "failed": failed}}
        record("cohort.confirm", "cohort_proposal", proposal.id, actor=user,
               created=len(created), failed=len(failed))
    return proposal
