"""Preview proposed program rules: a fixed sample's top matches now and under the proposal.

The sample is deterministic — :data:`SAMPLE_SIZE` active profiles of the query kind, evenly
spread over their ids — so two previews of the same proposal agree and a coordinator can
compare proposals. Each sampled profile is ranked twice (:data:`TOP_K` matches, the caller's
default options) on this process's indexes, once with the stored rules and once with the
proposed ones; nothing is written, not even the exposure log.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from matcher import Match, rank
from models import RULE_PAIRINGS, Profile, User, db
from webapp.services import program_rules
from webapp.services.matching import MatchingState, load_records, matching_state

SAMPLE_SIZE = 20
TOP_K = 5


def preview(user: User, data: Any) -> dict[str, Any]:
    """Return, per pairing, each sampled profile's top before and after the proposed rules
    (PATCH semantics: what the proposal does not name stays as it is)."""
    program_rules.require_staff(user)
    changes = program_rules.validate(data, partial=True)
    current = program_rules.current_rules()
    proposed = program_rules.merged(current, changes, partial=True)
    state = matching_state()
    pairings, changed = {}, {}
    for pairing in RULE_PAIRINGS:
        query_kind, candidate_kind = pairing.split("_")
        entries = [_entry(state, record, candidate_kind, current, proposed)
                   for record in sample(query_kind)]
        _name_candidates(entries)
        pairings[pairing] = entries
        changed[pairing] = sum(1 for e in entries if _ids(e["before"]) != _ids(e["after"]))
    return {"sample_size": SAMPLE_SIZE, "k": TOP_K, "pairings": pairings, "changed": changed}


def sample(kind: str, size: int = SAMPLE_SIZE) -> list:
    """Return the engine records of ``size`` active profiles of ``kind``, evenly spread."""
    ids = db.session.scalars(select(Profile.id).where(
        Profile.kind == kind, Profile.active.is_(True)).order_by(Profile.id)).all()
    chosen = sorted({ids[i * len(ids) // size] for i in range(min(size, len(ids)))})
    return load_records(Profile.id.in_(chosen)) if chosen else []


def _entry(state: MatchingState, record, candidate_kind: str, current, proposed) -> dict:
    tops = []
    for rules_set in (current, proposed):
        rules = rules_set.of(record.kind, candidate_kind)
        scorers = program_rules.scorers_for(state.bundle, record.kind, candidate_kind, rules)
        tops.append(rank(state.indexes[candidate_kind], record, TOP_K, scorers=scorers,
                         **rules.ranking_options()))
    before, after = (_top(matches) for matches in tops)
    return {"profile": {"id": record.id, "name": record.name}, "before": before,
            "after": after, "entered": [i for i in _ids(after) if i not in _ids(before)],
            "left": [i for i in _ids(before) if i not in _ids(after)]}


def _top(matches: list[Match]) -> list[dict[str, Any]]:
    return [{"id": m.profile_id, "score": round(m.score, 4)} for m in matches]


def _ids(top: list[dict[str, Any]]) -> list[int]:
    return [item["id"] for item in top]


def _name_candidates(entries: list[dict]) -> None:
    wanted = {item["id"] for e in entries for item in e["before"] + e["after"]}
    names = {row.id: row.name for row in db.session.execute(
        select(Profile.id, Profile.name).where(Profile.id.in_(wanted)))} if wanted else {}
    for entry in entries:
        for item in entry["before"] + entry["after"]:
            item["name"] = names.get(item["id"], "")
