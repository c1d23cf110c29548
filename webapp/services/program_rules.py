"""Program rules: what coordinators set, per pairing, for every ranking of the program.

Per pairing (``sme_mentor``: mentors ranked for an SME; ``sme_buyer``, ``mentor_sme``,
``buyer_sme``): must-match rules — a shared language, cross-border only, a minimum score, a
mentor's expertise covering at least one need (mentorship) — and multipliers of the model's
factor weights (``matcher.rules``: 1 keeps the model's weight, 0 switches the factor off).

The rules are floors on what a caller asks: a rule that is on cannot be lifted by a query
(``language_required=false``, ``cross_border=prefer``), a rule that is off leaves the caller's
choice (and the engine's defaults) as they were. With no row stored, every rule is off and
every multiplier 1: rankings are exactly those Puente gave before rules existed.

Each worker keeps the rows, re-read at most once per ``PUENTE_MATCHING_REFRESH_MS`` and at
once when a match request's owner was read with a newer version of them
(``webapp.services.match_cards.RULES_VERSION``), so a change made through any worker applies
to the next ranking of every worker. Scaled scorers are cached per process by model version
and multipliers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from flask import current_app
from marshmallow import ValidationError

from matcher import LinearScorer, ModelBundle, scaled_scorers
from models import RULE_PAIRINGS, ProgramRule, User, db
from webapp import policy
from webapp.errors import Forbidden, InvalidInput, PreconditionFailed, Problem, invalid_fields
from webapp.schemas.program_rules import PAIRING_OF, ProgramRulesSchema, dotted_problems
from webapp.services import audit
from webapp.services.transactions import write_transaction

RULE_FIELDS = ("language_required", "cross_border_only", "min_score", "needs_covered_required")
_CACHE_SIZE = 32


@dataclass(frozen=True)
class PairingRules:
    """The rules of one pairing; the defaults are "no rule" and the model's own weights."""

    language_required: bool = False
    cross_border_only: bool = False
    min_score: float = 0.0
    needs_covered_required: bool = False
    weights: Mapping[str, float] = field(default_factory=dict)

    def as_dict(self, pairing: str) -> dict[str, Any]:
        """Return the rules as the API shows them, every factor's multiplier included."""
        factors = PAIRING_OF[pairing].factors
        values = {name: getattr(self, name) for name in RULE_FIELDS
                  if name != "needs_covered_required" or "mentorship" == PAIRING_OF[pairing].name}
        values["weights"] = {f: float(self.weights.get(f, 1.0)) for f in factors}
        return values

    def without_factor(self, factor: str) -> PairingRules:
        """Return the rules with one factor's multiplier at 0 (the factor counts for nothing)."""
        return replace(self, weights={**self.weights, factor: 0.0})

    def ranking_options(self, cross_border: str = "any",
                        language_required: bool | None = None) -> dict[str, Any]:
        """Return ``rank``'s options: the caller's, made stricter by the rules that are on."""
        return {"cross_border": "only" if self.cross_border_only else cross_border,
                "language_required": True if self.language_required else language_required,
                "min_score": self.min_score,
                "needs_covered_required": self.needs_covered_required}


@dataclass(frozen=True)
class RuleSet:
    """The rules of every pairing and the set's version (0 while nothing is stored)."""

    pairings: Mapping[str, PairingRules]
    version: int

    def of(self, query_kind: str, candidate_kind: str) -> PairingRules:
        """Return the rules of the pairing ranking ``candidate_kind`` for ``query_kind``."""
        return self.pairings.get(f"{query_kind}_{candidate_kind}", PairingRules())

    def as_dict(self) -> dict[str, Any]:
        """Return the rule set as the API shows it."""
        return {name: self.pairings.get(name, PairingRules()).as_dict(name)
                for name in RULE_PAIRINGS}


def _rules_of(row: ProgramRule) -> PairingRules:
    return PairingRules(row.language_required, row.cross_border_only, float(row.min_score),
                        row.needs_covered_required, dict(row.weights or {}))


def current_rules() -> RuleSet:
    """Return the stored rule set (defaults for pairings without a row); no permission asked,
    for the rankings themselves."""
    rows = db.session.scalars(db.select(ProgramRule)).all()
    return RuleSet({row.pairing: _rules_of(row) for row in rows},
                   max((row.version for row in rows), default=0))


def ranking_rules(seen_version: int | None = None) -> RuleSet:
    """Return the rule set the rankings apply: re-read by each worker at most once per
    ``PUENTE_MATCHING_REFRESH_MS`` (like the model and the profiles), at once after a change
    made through this worker, and at once when the caller read a version of the rules other
    than this worker's (``seen_version``, read with a match request's owner: a change made
    through any worker applies to the next ranking)."""
    holder = current_app.extensions.setdefault("puente.program_rules", {})
    now = time.monotonic()
    refresh_s = current_app.config["PUENTE_MATCHING_REFRESH_MS"] / 1000
    if ("rules" not in holder or now - holder["read_at"] >= refresh_s
            or (seen_version is not None and seen_version != holder["rules"].version)):
        holder.update(rules=current_rules(), read_at=now)
    return holder["rules"]


def read_rules(user: User) -> RuleSet:
    """Return the rule set to program staff."""
    require_staff(user)
    return current_rules()


def require_staff(user: User) -> None:
    """Refuse (403) anyone but program staff."""
    if not policy.may_set_program_rules(user):
        raise Forbidden("staff_only_rules")


# -- the weights, as scorers -----------------------------------------------------------------

def scorers_for(bundle: ModelBundle, query_kind: str, candidate_kind: str,
                rules: PairingRules) -> Mapping[str, LinearScorer]:
    """Return the bundle's scorers with the pairing's multipliers applied (cached)."""
    if all(value == 1.0 for value in rules.weights.values()):
        return bundle.scorers
    pairing = PAIRING_OF[f"{query_kind}_{candidate_kind}"]
    key = (bundle.version, id(bundle), pairing.name, tuple(sorted(rules.weights.items())))
    holder = current_app.extensions.setdefault("puente.rule_scorers",
                                               {"lock": threading.Lock(), "cache": {}})
    with holder["lock"]:
        cached = holder["cache"].get(key)
        if cached is None:
            if len(holder["cache"]) >= _CACHE_SIZE:
                holder["cache"].clear()
            cached = holder["cache"][key] = scaled_scorers(bundle.scorers, pairing,
                                                           rules.weights)
        return cached


def cohort_options(options: Mapping[str, Any], rules: PairingRules) -> dict[str, Any]:
    """Return ``score_cohort``'s filters: a cohort's options made stricter by the rules."""
    return {"language_required": bool(options["language_required"] or rules.language_required),
            "min_score": max(float(options["min_score"]), rules.min_score),
            "cross_border_only": rules.cross_border_only,
            "needs_covered_required": rules.needs_covered_required}


# -- changing the rules ----------------------------------------------------------------------

def validate(data: Any, *, partial: bool) -> dict[str, dict[str, Any]]:
    """Return a rule-set body loaded by the schema; 422 naming each bad field (dotted).

    An empty object is a whole set for PUT (every rule back to its default), and no change
    for PATCH (refused).
    """
    if data is None or (partial and data == {}):
        raise invalid_fields({"body": Problem("give_a_field" if partial else "required")})
    if not isinstance(data, dict):
        raise invalid_fields({"body": Problem("invalid_value")})
    try:
        return ProgramRulesSchema().load(data)
    except ValidationError as err:
        fields = dotted_problems(err.messages)
        raise InvalidInput("invalid_fields", fields, names=sorted(fields)) from err


def change_rules(user: User, data: Any, *, partial: bool,
                 if_match: Collection[int] | None = None) -> RuleSet:
    """Replace (PUT: pairings and fields not given go back to their defaults) or merge
    (PATCH: weights merged by factor) the rule set; audit it with before and after.

    ``if_match`` names the versions the client read; 412 when the set has moved on.
    """
    require_staff(user)
    changes = validate(data, partial=partial)
    with write_transaction():
        rows = {row.pairing: row for row in db.session.scalars(
            db.select(ProgramRule).with_for_update().execution_options(populate_existing=True))}
        version = max((row.version for row in rows.values()), default=0)
        if if_match is not None and version not in if_match:
            raise PreconditionFailed("rules_changed", version=version)
        before = RuleSet({p: _rules_of(r) for p, r in rows.items()}, version)
        after = merged(before, changes, partial)
        if after.as_dict() != before.as_dict():
            _store(rows, after, version + 1, user)
            audit.record("program_rules.change", "program_rules", None, actor=user,
                         version=version + 1, before=before.as_dict(), after=after.as_dict())
            after = replace(after, version=version + 1)
    current_app.extensions.get("puente.program_rules", {}).clear()
    return after


def merged(before: RuleSet, changes: Mapping[str, Mapping[str, Any]],
            partial: bool) -> RuleSet:
    pairings = {}
    for name in RULE_PAIRINGS:
        given = changes.get(name, {})
        base = before.pairings.get(name, PairingRules()) if partial else PairingRules()
        weights = {**base.weights, **given.get("weights", {})} if partial else dict(
            given.get("weights", {}))
        values = {key: given[key] for key in RULE_FIELDS if key in given}
        pairings[name] = replace(base, **values, weights={
            f: w for f, w in weights.items() if w != 1.0})
    return RuleSet(pairings, before.version)


def _store(rows: dict[str, ProgramRule], rules: RuleSet, version: int, user: User) -> None:
    for name, values in rules.pairings.items():
        row = rows.get(name)
        if row is None:
            row = ProgramRule(pairing=name)
            db.session.add(row)
        for key in RULE_FIELDS:
            setattr(row, key, getattr(values, key))
        row.weights = dict(values.weights)
        row.version = version
        row.updated_by_id = user.id
