"""Use cases of cohort proposals: allocate a cohort exactly, edit the draft, confirm it.

A proposal is computed by :mod:`matcher.cohort` over the engine records of the selected SMEs
and mentors with the active bundle, and stored as a draft. A mentor's capacity left is its
capacity minus its current load: its accepted introductions and its pending ones (requested,
not yet overdue, either way: a program introduction of an earlier run, or a member's request),
so a second run never gives a mentor more than its capacity (and confirming checks again).
Past introductions rule pairs out (:mod:`webapp.services.cohort_selection`):

* pairs declined before (either way) are excluded, listed in ``result["declined_excluded"]``;
* pairs with an open introduction (requested or accepted, either way) are excluded too, as
  confirming them would break the one-open-introduction-per-pair rule; they are listed in
  ``result["open_excluded"]``, so the coordinator sees why those SMEs did not get that mentor.
  Pinning such a pair is refused (422 on ``options.pinned``), and so is adding it by an edit.
* pairs where either hid the other from its matches are excluded, listed in
  ``result["hidden_excluded"]``: a hidden match never comes back, not even as a program
  introduction (pinning or adding one is refused, ``pin_hidden`` / ``pair_hidden``, and
  confirming reports a pair hidden since the proposal as ``pair_hidden``).

An SME that already has a mentor (an accepted or requested introduction with a mentor outside
the pair) stays proposable: ``mentors_per_sme`` counts the *new* mentors a cohort gives, as a
program may well want a second mentor for a firm; to leave such SMEs out, select them out.

Edits and the confirmation lock the draft's row, so they run one after the other: no edit is
lost, and a confirmation introduces the pairs of the draft it claimed. Confirming creates one
introduction per pair (SME → mentor) through the introductions use case, so its notification
and audit rules hold; pairs refused (the mentor is full by then, the pair opened meanwhile)
are reported, not fatal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matcher import explain_pairs
from matcher.cohort import (
    CohortError,
    CohortPair,
    InfeasiblePinError,
    allocate_cohort,
    diff,
    score_cohort,
)
from models import CohortProposal, Profile, User, db, utcnow
from models.cohorts import CONFIRMED, DRAFT
from models.introductions import PROGRAM
from models.storable import valid_id
from webapp import policy
from webapp.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    Problem,
    PuenteError,
    invalid_fields,
)
from webapp.services import introductions, program_rules
from webapp.services.audit import record
from webapp.services.capacity import capacities_left
from webapp.services.cohort_selection import (
    check_pins,
    declined_pairs,
    hidden_pairs,
    open_pairs,
    refusal_of_history,
    select_records,
)
from webapp.services.matching import (
    explain_pair,
    load_records,
    matching_state,
    reason_payloads,
)
from webapp.services.transactions import lock_row, write_transaction

DEFAULT_OPTIONS = {"min_score": 0.0, "language_required": True, "mentors_per_sme": 1,
                   "objective": "total_score", "pinned": [], "excluded": []}

Pair = tuple[int, int]


def _check_staff(user: User) -> None:
    if not policy.may_run_cohorts(user):
        raise Forbidden("staff_only_cohorts")


# -- proposing -------------------------------------------------------------------------------

Progress = Callable[[int, str], None]


def _no_progress(percent: int, stage: str) -> None:
    """Report nothing (a run not followed as a job)."""


def check_request(user: User, data: dict[str, Any]) -> None:
    """Refuse at once what a page can tell before queuing a run: a previous proposal that does
    not exist and, when both sides are given by ids, unknown ids and pins or exclusions of
    pairs outside the cohort or ruled out by past introductions (the solver's refusals, and
    what filters select, are found by the run)."""
    _check_staff(user)
    if data.get("previous_id"):
        get_proposal(user, data["previous_id"], "previous_id")
    if "ids" not in data["smes"] or "ids" not in data["mentors"]:
        return
    options = {**DEFAULT_OPTIONS, **(data.get("options") or {})}
    sme_ids, mentor_ids = set(data["smes"]["ids"]), set(data["mentors"]["ids"])
    select_records(data["smes"], "sme", "smes")
    select_records(data["mentors"], "mentor", "mentors")
    for name in ("pinned", "excluded"):
        outside = [Problem("pair_outside_cohort", sme=s, mentor=m) for s, m in options[name]
                   if s not in sme_ids or m not in mentor_ids]
        if outside:
            raise invalid_fields({f"options.{name}": outside[:1]}, "cohort_not_allocated")
    check_pins(options["pinned"], declined_pairs(sme_ids, mentor_ids),
               open_pairs(sme_ids, mentor_ids), hidden_pairs(sme_ids, mentor_ids))


def propose(user: User, data: dict[str, Any],
            progress: Progress = _no_progress) -> CohortProposal:
    """Allocate the cohort, store the draft proposal (with a diff if asked) and commit.

    ``progress(percent, stage)`` is told each stage: loading, scoring, solving, storing.
    """
    _check_staff(user)
    options = {**DEFAULT_OPTIONS, **(data.get("options") or {})}
    previous = get_proposal(user, data["previous_id"], "previous_id") \
        if data.get("previous_id") else None
    progress(5, "loading")
    smes = select_records(data["smes"], "sme", "smes")
    mentors = select_records(data["mentors"], "mentor", "mentors")
    sme_ids, mentor_ids = {r.id for r in smes}, {r.id for r in mentors}
    declined = declined_pairs(sme_ids, mentor_ids)
    opened = open_pairs(sme_ids, mentor_ids)
    hidden = hidden_pairs(sme_ids, mentor_ids)
    check_pins(options["pinned"], declined, opened, hidden)
    result = _allocate(smes, mentors, options, declined | opened | hidden, progress)
    result.update(declined_excluded=sorted([list(p) for p in declined]),
                  open_excluded=sorted([list(p) for p in opened]),
                  hidden_excluded=sorted([list(p) for p in hidden - declined - opened]))
    if previous is not None:
        result["diff"] = pair_diff(previous.result.get("pairs", []), result["pairs"])
    progress(90, "storing")
    request = {"smes": data["smes"], "mentors": data["mentors"], "options": options}
    with write_transaction():
        proposal = CohortProposal(created_by_id=user.id, status=DRAFT, request=request,
                                  result=result, previous_id=previous.id if previous else None)
        db.session.add(proposal)
        db.session.flush()
        record("cohort.propose", "cohort_proposal", proposal.id, actor=user,
               pairs=len(result["pairs"]), unassigned=len(result["unassigned"]))
    return proposal


def _allocate(smes: list, mentors: list, options: dict[str, Any], ruled_out: set[Pair],
              progress: Progress = _no_progress) -> dict[str, Any]:
    progress(25, "scoring")
    state = matching_state()
    excluded = {tuple(p) for p in options["excluded"]} | ruled_out
    rules = program_rules.current_rules().of("sme", "mentor")
    scorers = program_rules.scorers_for(state.bundle, "sme", "mentor", rules)
    try:
        cohort = score_cohort(state.bundle, smes, mentors, scorers=scorers,
                              capacities=capacities_left(mentors),
                              **program_rules.cohort_options(options, rules))
        progress(60, "solving")
        result = allocate_cohort(cohort, mentors_per_sme=options["mentors_per_sme"],
                                 objective=options["objective"],
                                 pinned=[tuple(p) for p in options["pinned"]],
                                 excluded=sorted(excluded))
    except InfeasiblePinError as err:
        raise invalid_fields({"options.pinned": engine_problem(err)}, "pins_not_kept") from err
    except CohortError as err:
        option = getattr(err, "option", None)
        raise invalid_fields({f"options.{option}" if option else "options": engine_problem(
            err)}, "cohort_not_allocated") from err
    return {
        "pairs": _with_reasons(result.pairs, smes, mentors, state.bundle, scorers),
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
    }


# engine error code -> field problem code (the same facts: the pair, the count)
ENGINE_PROBLEMS = {code: code for code in ("pin_excluded", "pin_not_eligible",
                                           "sme_too_many_pins", "mentor_too_many_pins",
                                           "pair_outside_cohort")}


def engine_problem(err: CohortError) -> Problem:
    """Return the field problem of an engine refusal, from its code and attributes."""
    found = err.attributes
    params = {name: found[key] for key, name in (("sme_id", "sme"), ("mentor_id", "mentor"),
                                                 ("num", "num")) if key in found}
    return Problem(ENGINE_PROBLEMS.get(err.code, "invalid_value"), **params)


def _with_reasons(pairs, smes: list, mentors: list, bundle,
                  scorers) -> list[dict[str, Any]]:
    """Return the pairs with their reasons, as :func:`explain_pair` words them (no filter,
    so a mentor the cohort fills up keeps its reasons), over the records loaded already."""
    sme_of, mentor_of = {r.id: r for r in smes}, {r.id: r for r in mentors}
    matches = explain_pairs(bundle, [sme_of[p.sme_id] for p in pairs],
                            [mentor_of[p.mentor_id] for p in pairs], scorers=scorers)
    return [{"sme_id": int(p.sme_id), "mentor_id": int(p.mentor_id), "score": float(p.score),
             "pinned": bool(p.pinned), "reasons": reason_payloads(match)}
            for p, match in zip(pairs, matches, strict=True)]


def _reasons(sme: Profile, mentor: Profile) -> list[dict[str, Any]]:
    return explain_pair(sme, mentor)["reasons"]


def pair_diff(previous: list[dict], current: list[dict]) -> dict[str, list]:
    """Return the pairs added, removed and kept from one proposal's pairs to another's."""
    changes = diff(_cohort_pairs(previous), _cohort_pairs(current))
    return {name: [[p.sme_id, p.mentor_id] for p in getattr(changes, name)]
            for name in ("added", "removed", "kept")}


def _cohort_pairs(stored: list[dict]) -> list[CohortPair]:
    return [CohortPair(p["sme_id"], p["mentor_id"], p["score"], p.get("pinned", False))
            for p in stored]


# -- reading ---------------------------------------------------------------------------------

def get_proposal(user: User, proposal_id: int, field: str | None = None) -> CohortProposal:
    """Return a proposal (staff only), or raise NotFound (InvalidInput naming a field)."""
    _check_staff(user)
    proposal = db.session.get(CohortProposal, proposal_id) if valid_id(proposal_id) \
        else None
    if proposal is None:
        if field:
            raise invalid_fields({field: Problem("no_such_proposal", id=proposal_id)})
        raise NotFound("proposal_not_found", id=proposal_id)
    return proposal


def list_proposals(user: User, limit: int = 20) -> list[CohortProposal]:
    """Return the most recent proposals, newest first (staff only)."""
    _check_staff(user)
    return list(db.session.scalars(
        db.select(CohortProposal).order_by(CohortProposal.id.desc()).limit(limit)))


def cohort_profiles(proposal: CohortProposal) -> dict[int, dict[str, Any]]:
    """Return the name, kind, city and country of each profile of a proposal, by id.

    Contact details are left out: a proposal's pairs have not accepted anything yet.
    """
    ids = set(proposal.result.get("sme_ids", [])) | set(proposal.result.get("mentor_ids", []))
    if not ids:
        return {}
    rows = db.session.execute(db.select(Profile.id, Profile.kind, Profile.name, Profile.city,
                                        Profile.country).where(Profile.id.in_(ids)))
    return {row.id: dict(row._mapping) for row in rows}


# -- editing ---------------------------------------------------------------------------------

def edit_proposal(user: User, proposal_id: int, data: dict[str, Any]) -> CohortProposal:
    """Remove and add pairs of a draft proposal, checking eligibility and capacity; commit.

    The draft is locked, re-read and changed in one transaction: simultaneous edits run one
    after the other, each on the result of the one before, and an edit after a confirmation
    has claimed the draft is refused (409 ``proposal_not_draft``).
    """
    get_proposal(user, proposal_id)
    if data.get("add"):
        matching_state()  # load the engine (if need be) before holding the draft
    with write_transaction():
        proposal = lock_row(CohortProposal, proposal_id)
        if proposal is None:
            raise NotFound("proposal_not_found", id=proposal_id)
        if proposal.status != DRAFT:
            raise Conflict("proposal_not_draft", id=proposal.id, status=proposal.status)
        proposal.result = _edited(proposal, data)
        record("cohort.edit", "cohort_proposal", proposal.id, actor=user,
               removed=len(data.get("remove", [])), added=len(data.get("add", [])))
    return proposal


def _edited(proposal: CohortProposal, data: dict[str, Any]) -> dict[str, Any]:
    """Return the proposal's result with the pairs removed and added (each checked)."""
    result = dict(proposal.result)
    pairs = {(p["sme_id"], p["mentor_id"]): p for p in result["pairs"]}
    for sme_id, mentor_id in data.get("remove", []):
        if pairs.pop((sme_id, mentor_id), None) is None:
            raise invalid_fields({"remove": Problem("pair_not_in_proposal", sme=sme_id,
                                                    mentor=mentor_id)})
    for sme_id, mentor_id in data.get("add", []):
        pairs[(sme_id, mentor_id)] = _checked_addition(proposal, pairs, sme_id, mentor_id)
    result.update(pairs=list(pairs.values()), edited=True, certified=False,
                  unassigned=_unassigned_after(
                      result, pairs, proposal.request["options"]["mentors_per_sme"]))
    result["objective"] = {**result["objective"], **_totals(pairs)}
    return result


def _checked_addition(proposal: CohortProposal, pairs: dict, sme_id: int,
                      mentor_id: int) -> dict[str, Any]:
    result, options = proposal.result, proposal.request["options"]

    def refuse(code: str, **params) -> InvalidInput:
        return invalid_fields({"add": Problem(code, sme=sme_id, mentor=mentor_id, **params)},
                              "pair_not_added")

    if sme_id not in result["sme_ids"] or mentor_id not in result["mentor_ids"]:
        raise refuse("pair_not_in_cohort")
    if (sme_id, mentor_id) in pairs:
        raise refuse("pair_in_proposal")
    if (sme_id, mentor_id) in {tuple(p) for p in options.get("excluded", [])}:
        raise refuse("pair_excluded")
    history = refusal_of_history(sme_id, mentor_id)  # now, not when proposed
    if history:
        raise refuse(history)
    if sum(1 for s, _ in pairs if s == sme_id) >= options["mentors_per_sme"]:
        raise refuse("sme_has_mentors", num=options["mentors_per_sme"])
    mentor, sme = load_records(Profile.id == mentor_id), load_records(Profile.id == sme_id)
    if not mentor or not sme:  # deleted since the proposal was made
        raise refuse("pair_not_eligible")
    bundle, rules = matching_state().bundle, program_rules.current_rules().of("sme", "mentor")
    cohort = score_cohort(bundle, sme, mentor,
                          scorers=program_rules.scorers_for(bundle, "sme", "mentor", rules),
                          **program_rules.cohort_options(options, rules))
    if not cohort.eligible[0, 0]:
        raise refuse("pair_not_eligible")
    if sum(1 for _, m in pairs if m == mentor_id) >= capacities_left(mentor).get(mentor_id, 0):
        raise refuse("mentor_no_capacity")
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
    """Create the introductions of a draft proposal's pairs and mark it confirmed.

    The draft is claimed (locked, re-read, marked confirmed) in one transaction, which is
    where its pairs are read: an edit committed before is in them, one after is refused. A
    pair whose mentor has no capacity left by then (accepted and pending introductions, see
    :func:`capacities_left`) is reported as refused (``mentor_full``), not introduced; the
    introductions use case checks it again with the mentor locked as it creates a program
    introduction, so two drafts confirmed at the very same moment cannot overfill a mentor
    they share (``tests/db/test_cohort_concurrency.py``).
    """
    get_proposal(user, proposal_id)
    with write_transaction():  # claim the draft first: a second confirm gets a conflict
        proposal = lock_row(CohortProposal, proposal_id)
        if proposal is None:
            raise NotFound("proposal_not_found", id=proposal_id)
        if proposal.status != DRAFT:
            raise Conflict("proposal_confirmed", id=proposal.id)
        proposal.status, proposal.confirmed_at = CONFIRMED, utcnow()
        pairs = [(p["sme_id"], p["mentor_id"]) for p in proposal.result["pairs"]]
    created, failed = [], []
    for sme_id, mentor_id in pairs:
        try:
            intro = _introduce(user, sme_id, mentor_id)
        except PuenteError as err:
            failed.append({"sme_id": sme_id, "mentor_id": mentor_id, "code": err.code,
                           "params": err.params})
        else:
            created.append({"sme_id": sme_id, "mentor_id": mentor_id,
                            "introduction_id": intro.id})
    with write_transaction():
        proposal = lock_row(CohortProposal, proposal_id)
        proposal.result = {**proposal.result,
                           "confirmation": {"created": created, "failed": failed}}
        record("cohort.confirm", "cohort_proposal", proposal.id, actor=user,
               created=len(created), failed=len(failed))
    return proposal


def _introduce(user: User, sme_id: int, mentor_id: int):
    """Create the program's introduction of the SME to the mentor, unless either profile was
    deleted since (NotFound ``profile_not_found``) or the mentor's accepted and pending
    introductions fill its capacity already (Conflict ``mentor_full``).

    A pending introduction of this very pair is not counted: the introductions use case
    refuses the pair for it, and that is the reason to report.
    """
    mentor = load_records(Profile.id == mentor_id)
    for kind, profile_id, found in (("sme", sme_id, db.session.get(Profile, sme_id)),
                                    ("mentor", mentor_id, mentor)):
        if not found:  # deleted since the proposal was made
            raise NotFound("profile_not_found", kind=kind, id=profile_id)
    if capacities_left(mentor, besides=sme_id).get(mentor_id) == 0:
        raise Conflict("mentor_full", id=mentor_id)
    if hidden_pairs({sme_id}, {mentor_id}):  # hidden since the proposal was made
        raise Conflict("pair_hidden")
    return introductions.create_introduction(
        user, {"requester_id": sme_id, "target_id": mentor_id}, origin=PROGRAM)
