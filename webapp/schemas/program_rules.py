"""Program rules schemas: per pairing, the must-match rules and the factor weight multipliers.

One schema per pairing, made from its factors: a weight for a factor the pairing does not have
is refused naming it (``sme_mentor.weights.charm``), and only mentorship pairings take
``needs_covered_required`` (in trade, the ``needs`` factor is certifications, not expertise).
"""

from __future__ import annotations

import math
from typing import Any

import marshmallow as ma
from marshmallow import ValidationError, validates

from matcher import MENTORSHIP, TRADE, WEIGHT_RANGE, Pairing
from models import RULE_PAIRINGS
from webapp.errors import SCHEMA_KEYS, Problem
from webapp.schemas.base import Schema
from webapp.schemas.fields import Flag, Number
from webapp.schemas.validators import Range

PAIRING_OF = {"sme_mentor": MENTORSHIP, "mentor_sme": MENTORSHIP, "sme_buyer": TRADE,
              "buyer_sme": TRADE}
PAIRING_KINDS = {name: tuple(name.split("_")) for name in RULE_PAIRINGS}


def _plain(number: float) -> float | int:
    return int(number) if float(number).is_integer() else number


def _weights_problems(weights: dict[str, Any], factors: tuple[str, ...]) -> dict[str, list]:
    low, high = WEIGHT_RANGE
    problems: dict[str, list] = {}
    for name, value in weights.items():
        if name not in factors:
            problems[name] = [Problem("unknown_factor", choices=list(factors))]
        elif not math.isfinite(value) or not low <= value <= high:
            problems[name] = [Problem("out_of_range", min=_plain(low), max=_plain(high))]
    return problems


def pairing_schema(pairing: Pairing) -> type[Schema]:
    """Return the schema of one pairing's rules (its factors' weights only)."""

    class PairingRulesSchema(Schema):
        language_required = Flag(metadata={
            "description": "A shared language is required, whatever the caller asks"})
        cross_border_only = Flag(metadata={
            "description": "Only candidates in another country"})
        min_score = Number(validate=Range(0.0, 1.0), metadata={
            "description": "Candidates scoring below are never shown (0 to 1)"})
        weights = ma.fields.Dict(
            keys=ma.fields.String(), values=Number(),
            metadata={"description": "factor -> multiplier of the model's weight, "
                      f"{WEIGHT_RANGE[0]:g} to {WEIGHT_RANGE[1]:g} (1: as the model has it); "
                      f"factors: {', '.join(pairing.factors)}"})

        @validates("weights")
        def _known_and_in_range(self, value: dict[str, float], **kwargs) -> None:
            problems = _weights_problems(value, pairing.factors)
            if problems:
                raise ValidationError(problems)

    if pairing is MENTORSHIP:
        PairingRulesSchema._declared_fields["needs_covered_required"] = Flag(
            metadata={"description": "The mentor's expertise covers at least one SME need"})
    PairingRulesSchema.__name__ = f"{pairing.name.title()}RulesSchema"
    return PairingRulesSchema


_SCHEMAS = {pairing.name: pairing_schema(pairing) for pairing in (MENTORSHIP, TRADE)}


class ProgramRulesSchema(Schema):
    """The rule set: any of the four pairings (PATCH: any of their fields)."""

    sme_mentor = ma.fields.Nested(_SCHEMAS["mentorship"], metadata={
        "description": "Mentors ranked for an SME"})
    mentor_sme = ma.fields.Nested(_SCHEMAS["mentorship"], metadata={
        "description": "SMEs ranked for a mentor"})
    sme_buyer = ma.fields.Nested(_SCHEMAS["trade"], metadata={
        "description": "Buyers ranked for an SME"})
    buyer_sme = ma.fields.Nested(_SCHEMAS["trade"], metadata={
        "description": "SMEs ranked for a buyer"})


class ProgramRulesOutSchema(ProgramRulesSchema):
    version = ma.fields.Integer(metadata={"description": "The rule set's version (its ETag)"})
    weight_range = ma.fields.List(ma.fields.Float(), metadata={
        "description": "Allowed multipliers [min, max]"})


class PreviewProfileSchema(Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class PreviewTopSchema(PreviewProfileSchema):
    score = ma.fields.Float()


class PreviewEntrySchema(Schema):
    profile = ma.fields.Nested(PreviewProfileSchema)
    before = ma.fields.List(ma.fields.Nested(PreviewTopSchema))
    after = ma.fields.List(ma.fields.Nested(PreviewTopSchema))
    entered = ma.fields.List(ma.fields.Integer(), metadata={
        "description": "Ids in the top after and not before"})
    left = ma.fields.List(ma.fields.Integer(), metadata={
        "description": "Ids in the top before and not after"})


class PreviewSchema(Schema):
    sample_size = ma.fields.Integer()
    k = ma.fields.Integer()
    pairings = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(
        ma.fields.Nested(PreviewEntrySchema)), metadata={
        "description": "pairing -> one entry per sampled profile (SMEs for sme_mentor and "
                       "sme_buyer, mentors for mentor_sme, buyers for buyer_sme)"})
    changed = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(), metadata={
        "description": "pairing -> sampled profiles whose top changed"})


def dotted_problems(messages: Any, name: str = "") -> dict[str, list[Problem]]:
    """Return marshmallow's nested messages as ``{"sme_mentor.weights.sector": [Problem]}``."""
    if isinstance(messages, dict):
        out: dict[str, list[Problem]] = {}
        for key, value in messages.items():
            # "_schema": the object itself; "key"/"value": a dict entry's key or value
            child = name if key in ("_schema", "key", "value") and name else (
                f"{name}.{key}" if name else SCHEMA_KEYS.get(str(key), str(key)))
            for field, problems in dotted_problems(value, child).items():
                out.setdefault(field, []).extend(problems)
        return out
    items = messages if isinstance(messages, list | tuple) else [messages]
    return {name or "body": [p if isinstance(p, Problem) else Problem("invalid_value")
                             for p in items]}
