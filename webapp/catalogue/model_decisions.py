"""What the learning gate decided, per scoring direction, as a reader's sentence.

A training run keeps or promotes weights per direction and records why as a code with
parameters (:func:`matcher.gate.decide`); :func:`matcher.training.assess_direction` tries no
challenger at all below :data:`~matcher.training.MIN_CALIBRATION_OUTCOMES`. The matcher's own
English (``describe_decision``, the ``skipped`` note) is for the command line; pages, job
results and metrics are worded here, from the code and its parameters only, with numbers
written as the reader's region writes them.

A decision, as :func:`webapp.services.model_training.decisions_of` gives it:
``{"promoted": bool, "code": str, "params": {...}, "assessed": bool}`` — ``assessed`` says a
challenger was judged on held-out outcomes (and, when kept, the active weights recalibrated).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babel.numbers import format_decimal

from matcher.training import MIN_CALIBRATION_OUTCOMES
from webapp.catalogue.text import N_, Msgid, N_plural, formatting_locale, locale_of, translate

# The direction a training learns: whose answers its outcomes are.
DIRECTIONS: Mapping[str, str] = {
    "mentorship": N_("Mentorship (mentors’ answers to SMEs)"),
    "trade_buyer": N_("Trade (buyers’ answers to SMEs)"),
    "trade_sme": N_("Trade (SMEs’ answers to buyers)"),
}
# Gate code -> msgid; ``too_few_outcomes`` reads as one of its three shortfalls.
DECISIONS: Mapping[str, Msgid] = {
    "too_few_outcomes": N_plural("Kept the active weights: %(n)s held-out outcome, %(minimum)s "
                                 "needed.",
                                 "Kept the active weights: %(n)s held-out outcomes, %(minimum)s "
                                 "needed."),
    "too_few_accepted": N_("Kept the active weights: only %(accepted)s of %(n)s held-out "
                           "outcomes were accepted, %(minimum_each)s needed."),
    "too_few_declined": N_("Kept the active weights: only %(declined)s of %(n)s held-out "
                           "outcomes were declined, %(minimum_each)s needed."),
    "auc_gain_too_small": N_("Kept the active weights: the learned weights’ AUC gain, %(gain)s, "
                             "is below the minimum of %(minimum)s."),
    "auc_gain_within_noise": N_("Kept the active weights: the learned weights’ AUC gain, "
                                "%(gain)s, is within the noise margin of %(margin)s."),
    "ndcg_worse": N_("Kept the active weights: the learned weights’ NDCG@5 is worse by "
                     "%(difference)s, beyond the noise margin of %(margin)s."),
    "beats_champion": N_("Promoted the learned weights: their AUC gain, %(gain)s, exceeds the "
                         "noise margin of %(margin)s."),
}
PROMOTED = N_("Promoted the learned weights.")  # a code this catalogue does not know yet
KEPT = N_("Kept the active weights.")
NOT_ASSESSED = N_("No learned weights were tried and the active ones were not recalibrated: "
                  "that takes at least %(minimum)s outcomes, both accepted and declined.")
RECALIBRATED = N_("The active weights’ scores were recalibrated on these outcomes; their order "
                  "is unchanged.")
NOTHING_LEARNED = N_("No labelled outcomes yet: nothing was learned, the active weights were "
                     "kept.")
MESSAGES = (*DIRECTIONS.values(), *DECISIONS.values(), PROMOTED, KEPT, NOT_ASSESSED,
            RECALIBRATED, NOTHING_LEARNED)
"""Every msgid of this module (the catalogue's tests check their translations)."""

_COUNTS = ("n", "accepted", "declined", "minimum_each")
_SIGNED = ("gain",)


def direction_label(direction: str, locale: str | None = "en") -> str:
    """Return the name of a scoring direction in ``locale`` (an unknown one as its code)."""
    msgid = DIRECTIONS.get(direction)
    return translate(msgid, locale) if msgid else direction


def describe_decision(decision: Mapping[str, Any], locale: str | None = "en") -> str:
    """Return what the gate decided for a direction and why, in ``locale``."""
    loc = locale_of(locale)
    promoted = bool(decision.get("promoted"))
    key = _wording_key(decision.get("code"), decision.get("params") or {})
    if key is None:
        sentence = translate(PROMOTED if promoted else KEPT, loc)
    else:
        sentence = translate(DECISIONS[key], loc, _values(key, decision["params"], loc))
    if promoted:
        return sentence
    if decision.get("assessed", True):
        return f"{sentence} {translate(RECALIBRATED, loc)}"
    note = translate(NOT_ASSESSED, loc, {"minimum": _count(MIN_CALIBRATION_OUTCOMES, loc)})
    return f"{sentence} {note}"


def decision_rows(decisions: Mapping[str, Mapping[str, Any]],
                  locale: str | None = "en") -> list[dict[str, Any]]:
    """Return, per direction, its name, whether it was promoted and the decision's sentence."""
    return [{"direction": direction, "label": direction_label(direction, locale),
             "promoted": bool(decision.get("promoted")),
             "text": describe_decision(decision, locale)}
            for direction, decision in decisions.items()]


def nothing_learned(locale: str | None = "en") -> str:
    """Return what a training without any labelled outcome did, in ``locale``."""
    return translate(NOTHING_LEARNED, locale)


def _wording_key(code: Any, params: Mapping[str, Any]) -> str | None:
    """Return the msgid key of a decision, or None when its code or parameters are unknown.

    ``too_few_outcomes`` is one code for three shortfalls; its parameters tell which: fewer
    outcomes than ``minimum``, else fewer accepted (or declined) than ``minimum_each``.
    """
    if code != "too_few_outcomes":
        return code if code in DECISIONS else None
    try:
        n, accepted = int(params["n"]), int(params["accepted"])
        minimum, each = int(params["minimum"]), int(params["minimum_each"])
    except (KeyError, TypeError, ValueError):
        return None
    if n < minimum:
        return "too_few_outcomes"
    return "too_few_accepted" if accepted < each else "too_few_declined"


def _values(key: str, params: Mapping[str, Any], loc: str) -> dict[str, Any]:
    """Return the template values of a decision's parameters, numbers written for ``loc``."""
    counts = key.startswith("too_few")
    values: dict[str, Any] = {}
    for name, value in params.items():
        if counts or name in _COUNTS:
            values[name] = _count(value, loc)
        else:
            values[name] = _measure(abs(value) if name == "difference" and value is not None
                                    else value, loc, signed=name in _SIGNED)
    if counts:
        values["num"] = int(params["n"])  # picks the plural form
        values["declined"] = _count(int(params["n"]) - int(params["accepted"]), loc)
    return values


def _count(value: Any, loc: str) -> str:
    return format_decimal(int(value), locale=formatting_locale(loc))


def _measure(value: Any, loc: str, signed: bool = False) -> str:
    """Return a gain, margin or score with three decimals ("–" when it could not be computed)."""
    if value is None or value != value:
        return "–"
    pattern = "+0.000;-0.000" if signed else "0.000"
    return format_decimal(float(value), format=pattern, locale=formatting_locale(loc))
