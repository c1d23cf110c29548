"""Rank matches for a profile with the matcher engine, on per-process in-memory indexes.

Each worker process holds one bundle and one ``CandidateIndex`` per candidate kind in
``app.extensions``. Before a ranking, at most once per ``PUENTE_MATCHING_REFRESH_MS`` (default
250), it checks the active model and reads the profile change log (indexed queries) and
upserts or removes just the changed profiles, so a profile written through any worker shows
(or disappears) in every worker's rankings within that time — and in the very next ranking of
the worker that wrote it, which reads the log at once after its own profile writes. The bundle
is the active stored one when there is one, else a default bundle fitted on the current
profiles.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from datetime import time as clock_time
from math import inf
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import and_, func, or_, select

from matcher import (
    CandidateIndex,
    LinearScorer,
    Match,
    MatcherError,
    ModelBundle,
    ProfileRecord,
    build_bundle,
    explain_pairs,
    pairing_for,
    rank_page,
    score_without,
    unmet_rules,
)
from models import PROFILE_KINDS, Profile, committed_profile_writes, db, fields_of, utcnow
from webapp import heap, policy
from webapp.errors import Conflict, Forbidden, Problem, invalid_fields
from webapp.services import (
    exposure,
    fair_exposure,
    match_marks,
    model_store,
    program_rules,
    snapshots,
)
from webapp.services.change_feed import (
    ChangeCursor,
    gaps_from_manifest,
    latest_seq,
    read_changes,
)
from webapp.text_search import found

if TYPE_CHECKING:
    from webapp.services.match_cards import Seen

CANDIDATE_KINDS = {"sme": ("mentor", "buyer"), "mentor": ("sme",), "buyer": ("sme",)}
DEFAULT_CANDIDATE_KIND = {"sme": "mentor", "mentor": "sme", "buyer": "sme"}
_LOAD_CHUNK = 1000
_MAX_SHOWN = 20_000  # summaries a worker keeps (a few MB); beyond, it starts afresh


@dataclass
class MatchingState:
    """One process's bundle, indexes and change-log cursor."""

    bundle: ModelBundle
    saved_version: str | None
    indexes: dict[str, CandidateIndex]
    cursor: ChangeCursor
    # The soonest ``available_until`` still ahead: when it passes no write tells the change
    # log, so the state reloads the profiles whose date has come by itself.
    next_expiry: datetime | None = None
    lock: threading.RLock = field(default_factory=threading.RLock)
    snapshot: str | None = None  # the snapshot its indexes were mapped from, if any
    considered: str | None = None  # the newest snapshot it tried (mapped or found unfit)
    as_of: datetime | None = None  # when its profiles were read (built states)
    # What rankings showed of candidates, kept until the change log names them: the summary
    # shown is as fresh as the index that ranked it, and a page costs no query for it.
    shown: dict[int, ShownProfile] = field(default_factory=dict)


@dataclass(frozen=True)
class ShownProfile:
    """What a ranking shows of a candidate (read in one query): its public summary, plus the
    owner and ownership groups that the access policy and the exposure log ask for, and when
    it joined (the SME's home shows the new ones)."""

    id: int
    kind: str
    name: str
    country: str
    subdivision: str | None
    city: str | None
    sectors: list
    languages: list
    user_id: int | None
    ownership: list | None
    created_at: datetime


SHOWN_COLUMNS = tuple(getattr(Profile, name) for name in ShownProfile.__dataclass_fields__)


@dataclass(frozen=True)
class RankedMatch:
    match: Match
    profile: ShownProfile


def to_record(values: Mapping[str, Any]) -> ProfileRecord:
    """Convert a profile row (ORM object attributes or a row mapping) to an engine record."""
    kind = values["kind"]
    data = {name: values.get(name) for name in fields_of(kind)}
    data.update(id=values["id"], kind=kind, paused=not _available(values),
                active=bool(values["active"]) and values.get("owner_verified", True))
    if kind == "mentor":
        load = values.get("active_count") or 0
        data["capacity_left"] = max((values.get("capacity") or 0) - load, 0)
    return ProfileRecord.from_mapping(data)


def _available(values: Mapping[str, Any]) -> bool:
    """Tell whether a paused flag, a "paused until" date still ahead or a past
    ``available_until`` keeps the profile out."""
    until, now = values.get("available_until"), utcnow()
    if until is not None and until.tzinfo is None:
        until = until.replace(tzinfo=UTC)
    paused_until = values.get("paused_until")
    if paused_until is not None and now.date() < paused_until:
        return False
    return not values.get("paused") and (until is None or until > now)


def record_of(profile: Profile) -> ProfileRecord:
    """Return the engine record of an ORM profile."""
    return to_record({**{c.key: getattr(profile, c.key) for c in Profile.__table__.columns},
                      "owner_verified": policy.owner_may_be_shown(profile.user)})


def load_records(condition=None) -> list[ProfileRecord]:
    """Return the engine records of all profiles, or of those meeting the condition."""
    query = select(Profile.__table__, policy.owner_verified().label("owner_verified"))
    if condition is not None:
        query = query.where(condition)
    return [to_record(row) for row in db.session.execute(query).mappings()]


def _current_snapshot() -> tuple[Path | None, str | None]:
    """Return the snapshots' directory (None when they are off) and the current one's name."""
    root = snapshots.snapshot_root()
    return root, (snapshots.current_name(root) if root is not None else None)


def _fresh_state(version: str | None) -> MatchingState:
    """Return a state mapped from the current snapshot, else built from the profiles."""
    _, name = _current_snapshot()
    state = _state_from_snapshot(version, name) or _built_state(version)
    state.considered = name
    return state


def _built_state(version: str | None) -> MatchingState:
    """Build the bundle (unless stored) and the indexes from every profile."""
    started, as_of = time.monotonic(), utcnow()
    cursor = ChangeCursor()
    read_changes(cursor)  # everything up to here is in the initial build
    records = load_records()
    bundle = model_store.load_version(version) if version else build_bundle(records)
    indexes = {kind: CandidateIndex.build(bundle, kind, [r for r in records if r.kind == kind])
               for kind in PROFILE_KINDS}
    current_app.logger.info("Built the matching indexes of %d profiles in %.1f s.",
                            len(records), time.monotonic() - started)
    return MatchingState(bundle, version, indexes, cursor, _next_expiry(utcnow()), as_of=as_of)


def _state_from_snapshot(version: str | None, name: str | None) -> MatchingState | None:
    """Map the snapshot and apply the changes logged since; None (and a log line saying why)
    when there is none or it does not fit."""
    root = snapshots.snapshot_root()
    if name is None or root is None:
        current_app.logger.info("No matching snapshot: building the indexes.")
        return None
    try:
        snapshot = snapshots.read_snapshot(root, name)
    except (MatcherError, OSError, KeyError) as error:
        current_app.logger.warning("Matching snapshot %s unusable (%s): building.", name, error)
        return None
    manifest = snapshot.manifest
    if manifest["model_version"] != version:
        current_app.logger.info("Matching snapshot %s has model %s, not the active %s: "
                                "building.", name, manifest["model_version"], version)
        return None
    if not snapshots.covers_this_database(manifest):
        current_app.logger.warning("Matching snapshot %s is of another database: building.",
                                   name)
        return None
    cursor = ChangeCursor(manifest["change_seq"],
                          gaps_from_manifest(manifest["gaps"], time.monotonic()))
    state = MatchingState(snapshot.bundle, version, snapshot.indexes, cursor, snapshot=name)
    now = utcnow()
    _apply_changes(state, read_changes(cursor)
                   | _expired_since(datetime.fromisoformat(manifest["as_of"]), now))
    state.next_expiry = _next_expiry(now)
    return state


def build_snapshot() -> Path:
    """Build the bundle and indexes from the current profiles and write them as the current
    snapshot (``PUENTE_SNAPSHOT_DIR``) that workers map; return its directory."""
    root = snapshots.snapshot_root()
    if root is None:
        raise Conflict("snapshots_off")
    version = model_store.active_version()
    try:
        state = _built_state(version)
    except MatcherError as err:
        raise Conflict("snapshot_unbuildable", reason=err.code) from err
    return snapshots.write_snapshot(
        root, state.bundle, state.indexes, model_version=version,
        change_seq=state.cursor.last_seq, gaps=[list(run) for run in sorted(state.cursor.gaps)],
        mark=snapshots.change_mark(state.cursor.last_seq), as_of=state.as_of.isoformat())


def refresh_snapshot() -> dict[str, Any]:
    """Build a new snapshot when profiles or the serving model changed since the current one
    (the periodic job); return what it did. Workers move to it at their next refresh."""
    root = snapshots.snapshot_root()
    if root is None:
        return {"skipped": "snapshots_off"}
    name = snapshots.current_name(root)
    if name is not None:
        try:
            manifest = snapshots.read_manifest(root, name)
        except MatcherError:
            manifest = None
        if (manifest is not None and snapshots.covers_this_database(manifest)
                and manifest.get("change_seq") == latest_seq()
                and manifest.get("model_version") == model_store.active_version()):
            return {"skipped": "current", "snapshot": name}
    return {"snapshot": build_snapshot().name}


def _next_expiry(after: datetime) -> datetime | None:
    """Return the soonest ``available_until`` or end of a pause (``paused_until``, at
    midnight UTC) later than ``after``, if any: when it comes, no write tells the change log."""
    until = db.session.scalar(select(func.min(Profile.available_until))
                              .where(Profile.available_until > after))
    if until is not None and until.tzinfo is None:
        until = until.replace(tzinfo=UTC)
    back_on = db.session.scalar(select(func.min(Profile.paused_until))
                                .where(Profile.paused_until > after.astimezone(UTC).date()))
    back_at = datetime.combine(back_on, clock_time(), UTC) if back_on is not None else None
    return min((d for d in (until, back_at) if d is not None), default=None)


def _expired_since(since: datetime, now: datetime) -> set[int]:
    """Return the profiles whose ``available_until`` or ``paused_until`` came between
    ``since`` and ``now``."""
    days = (since.astimezone(UTC).date(), now.astimezone(UTC).date())
    return set(db.session.scalars(select(Profile.id).where(or_(
        and_(Profile.available_until >= since, Profile.available_until <= now),
        and_(Profile.paused_until >= days[0], Profile.paused_until <= days[1])))))


def matching_state(seen: Seen | None = None) -> MatchingState:
    """Return this process's matching state, built on first use and refreshed at most once
    per ``PUENTE_MATCHING_REFRESH_MS`` — and at once after this process committed a profile
    write (:func:`models.committed_profile_writes`), or when the caller read, with the owner's
    profile (:class:`webapp.services.match_cards.Seen`), a newer number of the change log than
    the state followed or another active model than it serves: a ranking shows the profile
    writes and the model activations committed through any worker before it."""
    holder = current_app.extensions.setdefault("puente.matching", {"lock": threading.Lock()})
    with holder["lock"]:
        state, now_s = holder.get("state"), time.monotonic()
        refresh_s = current_app.config["PUENTE_MATCHING_REFRESH_MS"] / 1000
        writes = committed_profile_writes()  # this process's own: read the log at once
        if (state is not None and holder.get("writes") == writes
                and (seen is None or ((seen.change is None or seen.change <= state.cursor.last_seq)
                                      and seen.model == state.saved_version))
                and now_s - holder.get("checked_at", -inf) < refresh_s):
            return state
        holder["checked_at"], holder["writes"] = now_s, writes
        version = model_store.active_version()
        if state is None or state.saved_version != version:
            state = None  # held here, the old state would outlive its replacement's settling
            return _install(holder, _fresh_state(version))
        newer = _newer_snapshot(state)
        if newer is not None:
            state.considered = newer  # tried once: a snapshot that does not fit stays unused
            if (mapped := _state_from_snapshot(version, newer)) is not None:
                mapped.considered = newer
                state = None
                return _install(holder, mapped)
        changed, now = read_changes(state.cursor), utcnow()
        if state.next_expiry is not None and state.next_expiry <= now:
            changed |= _expired_since(state.next_expiry, now)
        if changed:
            _apply_changes(state, changed)
            state.next_expiry = _next_expiry(now)
        return state


def serving_version() -> str | None:
    """Return the version of the model bundle rankings use here, without building anything:
    this process's, else the current snapshot's (what its first ranking will map); None when
    neither exists yet. With no model stored, that is the bundle fitted on the profiles."""
    state = current_app.extensions.get("puente.matching", {}).get("state")
    if state is not None:
        return state.bundle.version
    root, name = _current_snapshot()
    if name is None:
        return None
    try:
        return snapshots.read_manifest(root, name).get("bundle_version")
    except MatcherError:
        return None


def default_bundle_served() -> ModelBundle | None:
    """Return the default bundle rankings use while no model is stored (fitted on the
    profiles, unsaved): this process's, else the current snapshot's; None when there is a
    stored model or neither exists. Training stores it first, so that it can be rolled back
    to by the version its rankings and introductions named."""
    if model_store.active_version() is not None:
        return None
    state = current_app.extensions.get("puente.matching", {}).get("state")
    if state is not None and state.saved_version is None:
        return state.bundle
    root, name = _current_snapshot()
    if name is None:
        return None
    try:
        manifest = snapshots.read_manifest(root, name)
        if manifest.get("model_version") is None and snapshots.covers_this_database(manifest):
            return snapshots.read_snapshot(root, name).bundle
    except (MatcherError, OSError, KeyError):
        pass
    return None


def _install(holder: dict, state: MatchingState) -> MatchingState:
    """Make the state this process's, then settle the heap (:mod:`webapp.heap`): the state
    and everything the worker loaded are frozen out of the cycle collector's walks."""
    holder["state"] = state
    if current_app.config["PUENTE_FREEZE_HEAP"]:
        heap.settle(thaw=holder.get("settled", False))  # an earlier state may be frozen
        holder["settled"] = True
    return state


def _newer_snapshot(state: MatchingState) -> str | None:
    """Return the current snapshot's name when the state has not considered it yet."""
    _, name = _current_snapshot()
    return name if name not in (state.snapshot, state.considered) else None


def _apply_changes(state: MatchingState, changed: set[int]) -> None:
    if not changed:
        return
    ids = sorted(changed)
    records: list[ProfileRecord] = []
    for start in range(0, len(ids), _LOAD_CHUNK):
        records += load_records(Profile.id.in_(ids[start:start + _LOAD_CHUNK]))
    for profile_id in changed:
        state.shown.pop(profile_id, None)
    for kind, index in state.indexes.items():
        index.remove(changed)
        index.upsert([r for r in records if r.kind == kind])


def forget_state() -> None:
    """Drop this process's state (the next ranking rebuilds it)."""
    current_app.extensions.get("puente.matching", {}).pop("state", None)


def rank_for(user, profile: Profile, kind: str | None, k: int,
             **options: Any) -> tuple[list[RankedMatch], str]:
    """Rank candidates of ``kind`` for the profile; return the matches and the model version
    (the options are :func:`rank_page_for`'s)."""
    ranked, _, version = rank_page_for(user, profile, kind, k, lookahead=0, **options)
    return ranked, version


def rank_page_for(user, profile: Profile, kind: str | None, k: int, *,
                  cross_border: str = "any", country: str | None = None,
                  language_required: bool | None = None, plain: bool = False,
                  offset: int = 0, q: str | None = None, log_exposure: bool = True,
                  marks: Mapping[int, str] | None = None, seen: Seen | None = None,
                  lookahead: int = 1) -> tuple[list[RankedMatch], bool, str]:
    """Rank a page of ``k`` candidates of ``kind`` for the profile; return the matches,
    whether a next page has any (``lookahead`` more are ranked, neither explained nor logged
    as shown; 0 asks nothing) and the model version.

    The order is re-ranked for fair exposure (:mod:`webapp.services.fair_exposure`) unless
    that is switched off or staff ask for the ``plain`` ranking. Candidates the profile hid
    never appear; ``offset`` skips the best ones (later pages); ``q`` keeps the candidates
    whose name or texts hold every word of it (:func:`search_ids`). Only the first page of
    the plain list (no ``q``) is logged as exposure; ``log_exposure=False`` is for a caller
    that does not show the ranking as such (the home shows only what is new). ``marks`` are
    the profile's marks when the caller already read them (``OwnerCards.marks``,
    :mod:`webapp.services.match_cards`), ``seen`` the rankings' shared inputs read with them
    (:func:`matching_state`, :func:`program_rules.ranking_rules`).
    """
    if not policy.can_manage(user, profile):
        raise Forbidden("matches_forbidden")
    if plain and not policy.may_see_plain_ranking(user):
        raise Forbidden("plain_ranking_forbidden")
    kind = kind or DEFAULT_CANDIDATE_KIND[profile.kind]
    if kind not in CANDIDATE_KINDS[profile.kind]:
        raise invalid_fields({"kind": Problem("pairing_unsupported", kind=profile.kind,
                                              allowed=list(CANDIDATE_KINDS[profile.kind]))})
    state = matching_state(seen)
    rerank = None if plain else fair_exposure.reranker_for(profile, kind)
    rules = program_rules.ranking_rules(None if seen is None else seen.rules).of(
        profile.kind, kind)
    only = search_ids(kind, q) if q else None
    hidden = (match_marks.hidden_ids(profile.id) if marks is None
              else [c for c, mark in marks.items() if mark == match_marks.HIDDEN])
    matches, more = rank_page(
        state.indexes[kind], record_of(profile), k, country=country, rerank=rerank,
        scorers=_scorers(user, state.bundle, profile.kind, kind, rules),
        offset=offset, only=only, exclude=hidden, lookahead=lookahead,
        **rules.ranking_options(cross_border, language_required))
    ranked = _with_profiles(state, matches)
    if log_exposure and policy.counts_as_exposure(user) and offset == 0 and not q:
        exposure.log_impressions(profile, kind, [r.profile for r in ranked])
    return [_private(user, profile, r) for r in ranked], more, state.bundle.version


MAX_SEARCH_WORDS = 8


def search_ids(kind: str, q: str) -> list[int]:
    """Return the listed profiles of ``kind`` whose name, city, texts or place's name hold
    every word of ``q`` (substrings, whatever their case and accents; at most
    :data:`MAX_SEARCH_WORDS` words)."""
    query = select(Profile.id).where(Profile.kind == kind, policy.listed_profiles())
    for number, word in enumerate(q.split()[:MAX_SEARCH_WORDS]):
        query = query.where(found(word, f"q{number}"))
    return list(db.session.scalars(query))


DIVERSITY_REASONS = ("seeks_suppliers_like_you", "meets_diversity_goal")
"""Reasons that tell a buyer's diversity goal met, hence the SME's declared ownership."""


def _scorers(user, bundle: ModelBundle, query_kind: str, candidate_kind: str,
             rules: program_rules.PairingRules) -> Mapping[str, LinearScorer]:
    """Return the scorers of a ranking shown to ``user``: the program's, and, when it ranks
    SMEs for someone who may not see their ownership, with the diversity term at 0 — the
    order and the scores shown would otherwise tell which SMEs meet a buyer's goal."""
    if (candidate_kind == "sme" and "diversity" in pairing_for(query_kind, "sme").factors
            and not policy.may_see_others_ownership(user)):
        rules = rules.without_factor("diversity")
    return program_rules.scorers_for(bundle, query_kind, candidate_kind, rules)


def without_ownership(explanation: Mapping[str, Any]) -> dict[str, Any]:
    """Return a match explanation (``score``, ``factors``, ``contributions``, ``reasons`` as
    stored or as payloads) without what reveals the SME's ownership: the diversity term —
    taken off the score too (``matcher.score_without``), else the score less the shown
    contributions would tell it — and its reasons."""
    private = {**explanation}
    term = (private.get("contributions") or {}).get("diversity")
    if term and isinstance(private.get("score"), int | float):
        private["score"] = score_without(private["score"], term)
    for name in ("factors", "contributions"):
        if isinstance(private.get(name), Mapping):
            private[name] = {k: v for k, v in private[name].items() if k != "diversity"}
    if "reasons" in private:
        private["reasons"] = [r for r in private["reasons"]
                              if r.get("code") not in DIVERSITY_REASONS]
    return private


def _private(user, query: Profile, ranked: RankedMatch) -> RankedMatch:
    """Return the match as the user may see it: the diversity term only if it may see the
    SME's ownership (its owner and staff)."""
    sme = query if query.kind == "sme" else ranked.profile
    if sme.kind != "sme" or policy.may_see_ownership(user, sme):
        return ranked
    match = ranked.match
    kept = without_ownership({"factors": match.factors, "contributions": match.contributions})
    reasons = tuple(r for r in match.reasons if r.code not in DIVERSITY_REASONS)
    return RankedMatch(replace(match, factors=kept["factors"],
                               contributions=kept["contributions"], reasons=reasons),
                       ranked.profile)


def _with_profiles(state: MatchingState, matches: Iterable[Match]) -> list[RankedMatch]:
    """Pair each match with its shown summary: kept by the state, else read in one query."""
    matches = list(matches)
    shown = state.shown
    missing = [m.profile_id for m in matches if m.profile_id not in shown]
    if missing:
        rows = db.session.execute(select(*SHOWN_COLUMNS).where(Profile.id.in_(missing)))
        if len(shown) + len(missing) > _MAX_SHOWN:
            shown.clear()
        shown.update((row.id, ShownProfile(*row)) for row in rows)
    return [RankedMatch(m, shown[m.profile_id]) for m in matches if m.profile_id in shown]


def explain_for(user, profile: Profile, candidates: Iterable[Profile]) -> list[RankedMatch]:
    """Score and explain the profile's match with each candidate, as its ranking would, in
    the order given (e.g. its saved matches); the owner or staff only."""
    if not policy.can_manage(user, profile):
        raise Forbidden("matches_forbidden")
    candidates = list(candidates)
    if not candidates:
        return []
    bundle = matching_state().bundle
    query = record_of(profile)
    matches = []
    for candidate in candidates:
        rules = program_rules.current_rules().of(profile.kind, candidate.kind)
        scorers = _scorers(user, bundle, profile.kind, candidate.kind, rules)
        [match] = explain_pairs(bundle, [query], [record_of(candidate)], scorers=scorers)
        matches.append(_private(user, profile, RankedMatch(match, candidate)))
    return matches


def explain_pair(requester: Profile, target: Profile) -> dict[str, Any]:
    """Score one pair as the ranking would; return a JSON-ready snapshot of the match.

    No ranking filter applies: a full or paused target is explained all the same. The
    program's weights for the pairing do (see ``program_rules``).
    """
    bundle = matching_state().bundle
    rules = program_rules.current_rules().of(requester.kind, target.kind)
    scorers = program_rules.scorers_for(bundle, requester.kind, target.kind, rules)
    [match] = explain_pairs(bundle, [record_of(requester)], [record_of(target)],
                            scorers=scorers)
    return {"score": match.score, "factors": dict(match.factors),
            "contributions": dict(match.contributions),
            "reasons": reason_payloads(match), "model_version": bundle.version}


def unmet_program_rules(requester: Profile, target: Profile, snapshot: Mapping[str, Any],
                        user=None) -> tuple[str, ...]:
    """Return the program's must-match rules of the pairing (requester ranking the target's
    kind) that the pair fails, judged on its ``snapshot`` (:func:`explain_pair`'s factors and
    score) by the ranking's own tests (``matcher.unmet_rules``).

    ``user`` (who asks) is judged on the score its ranking shows it: an SME's score without
    the diversity term for anyone who may not see ownership (:func:`_scorers`), else a
    minimum score would pass exactly the SMEs meeting the buyer's goal, and tell them."""
    rules = program_rules.current_rules().of(requester.kind, target.kind)
    if (user is not None and target.kind == "sme"
            and not policy.may_see_others_ownership(user)):
        snapshot = without_ownership(snapshot)
    return unmet_rules(record_of(requester), record_of(target), snapshot["factors"],
                       snapshot["score"], language_required=rules.language_required,
                       cross_border_only=rules.cross_border_only, min_score=rules.min_score,
                       needs_covered_required=rules.needs_covered_required)


def reason_payloads(match: Match) -> list[dict[str, Any]]:
    """Return a match's reasons as stored: ``[{"code", "params"}, …]``."""
    return [{"code": r.code, "params": dict(r.params)} for r in match.reasons]
