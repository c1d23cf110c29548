"""The one catalogue of what Puente says: refusals, field problems, reasons, e-mails, labels.

Everything is keyed by a code; the English msgids live in the modules of this package, their
Spanish and French in ``webapp/translations/{es,fr}/LC_MESSAGES/messages.po``. A refusal is
rendered for the API's envelope (:func:`render_error`) and for pages (:func:`describe`) from
the same entry, so a reader never sees one language's words in another's page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from webapp.catalogue.emails import EMAILS, render_email
from webapp.catalogue.fields import FIELD_PROBLEMS
from webapp.catalogue.params import worded
from webapp.catalogue.reasons import for_target, reason_payload, render_reason
from webapp.catalogue.refusals import REFUSALS
from webapp.catalogue.text import N_, N_plural, locale_of, translate

__all__ = ["EMAILS", "FIELD_PROBLEMS", "REFUSALS", "N_", "N_plural", "describe",
           "describe_problem", "for_target", "locale_of", "reason_payload", "render_email",
           "render_error", "render_problem", "render_reason", "word"]


class UnknownCodeError(LookupError):
    """A code has no entry in the catalogue."""


def describe(code: str, /, locale: str | None = "en", **params: Any) -> str:
    """Return the message of a refusal (or, failing that, a field problem) in ``locale``."""
    msgid = REFUSALS.get(code) or FIELD_PROBLEMS.get(code)
    if msgid is None:
        raise UnknownCodeError(f"no message for code {code!r}")
    return translate(msgid, locale, worded(params, locale_of(locale)))


def describe_problem(problem: Any, locale: str | None = "en") -> str:
    """Return the message of a field problem (a :class:`webapp.errors.Problem`) in ``locale``."""
    msgid = FIELD_PROBLEMS.get(problem.code) or REFUSALS.get(problem.code)
    if msgid is None:
        raise UnknownCodeError(f"no message for field problem {problem.code!r}")
    text = translate(msgid, locale, worded(problem.params, locale_of(locale)))
    item = problem.params.get("item")
    return text if item is None else f"{item}: {text}"


def render_problem(problem: Any, locale: str | None = "en") -> dict[str, Any]:
    """Return ``{"code", "message", "params"}`` of a field problem for the API."""
    return {"code": problem.code, "message": describe_problem(problem, locale),
            "params": dict(problem.params)}


def render_error(code: str, params: Mapping[str, Any], fields: Mapping[str, list],
                 locale: str | None = "en") -> dict[str, Any]:
    """Return the body of the API's error envelope: code, message, params and fields."""
    return {"code": code, "message": describe(code, locale, **params), "params": dict(params),
            "fields": {name: [render_problem(p, locale) for p in problems]
                       for name, problems in fields.items()}}


def word(msgid: str, locale: str | None = "en") -> str:
    """Return a label of :mod:`webapp.catalogue.words` in ``locale``."""
    return translate(msgid, locale)
