"""Match reasons: code -> English msgid, as the requester, the target and staff read them.

The matcher gives a reason as a code with parameters (:class:`matcher.Reason`); the text is
made here, at the edge, in the reader's locale. :data:`TEMPLATES` are addressed to the reader
("you": the profile the ranking is for); :data:`STAFF_TEMPLATES` word the reasons that say
"you" for program staff looking at a pair, naming the requester by its kind ("the SME's
needs"); the target of a pair reads the stored reasons through :data:`MIRRORED`, each code's
counterpart from the other side ("Expertise covers your needs" ↔ "Needs help where you are an
expert").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matcher.reasons import Reason
from webapp.catalogue.params import worded
from webapp.catalogue.text import N_, translate
from webapp.catalogue.words import PARTIES

TEMPLATES: Mapping[str, str] = {
    "shared_language": N_('Speaks %(languages)s like you'),
    "shared_sector": N_('Same industry: %(title)s'),
    "needs_covered": N_('Expertise covers your needs: %(needs)s'),
    "needs_expertise": N_('Needs help where you are an expert: %(needs)s'),
    "certifications_held": N_('Holds the certifications you require: %(certifications)s'),
    "requirements_met": N_('You hold the certifications this buyer requires: %(certifications)s'),
    "certifications_partly_held": N_(
        'Holds %(count)s of the %(total)s certifications you require: %(certifications)s'),
    "requirements_partly_met": N_(
        'You hold %(count)s of the %(total)s certifications this buyer requires: '
        '%(certifications)s'),
    "text_overlap": N_('Both profiles mention %(terms)s'),
    "nearby": N_('About %(km)s km away'),
    "cross_border": N_('Across the border: %(from)s → %(to)s%(distance)s'),
    "knows_markets": N_('Knows your target markets: %(markets)s'),
    "targets_known_markets": N_('Wants to sell in markets you know: %(markets)s'),
    "in_target_market": N_('Based in one of your target markets: %(country)s'),
    "targets_your_country": N_('Wants to sell in your country: %(country)s'),
    "sources_from_your_country": N_('Buys from suppliers in your country: %(country)s'),
    "in_sourcing_country": N_('Based in a country you buy from: %(country)s'),
    "meets_online": N_('Mentors online, so distance is no obstacle'),
    "online_mentoring": N_('You mentor online, so distance is no obstacle'),
    "seeks_suppliers_like_you": N_(
        'This buyer seeks suppliers like you (supplier-diversity goal)'),
    "meets_diversity_goal": N_('Meets your supplier-diversity goals'),
}
STAFF_TEMPLATES: Mapping[str, str] = {
    "shared_language": N_('Both speak %(languages)s'),
    "needs_covered": N_('Expertise covers %(whose)s needs: %(needs)s'),
    "needs_expertise": N_('Needs help where %(who)s is an expert: %(needs)s'),
    "certifications_held": N_('Holds the certifications %(who)s requires: %(certifications)s'),
    "requirements_met": N_(
        '%(Who)s holds the certifications this buyer requires: %(certifications)s'),
    "certifications_partly_held": N_(
        'Holds %(count)s of the %(total)s certifications %(who)s requires: %(certifications)s'),
    "requirements_partly_met": N_(
        '%(Who)s holds %(count)s of the %(total)s certifications this buyer requires: '
        '%(certifications)s'),
    "knows_markets": N_('Knows %(whose)s target markets: %(markets)s'),
    "targets_known_markets": N_('Wants to sell in markets %(who)s knows: %(markets)s'),
    "in_target_market": N_('Based in one of %(whose)s target markets: %(country)s'),
    "targets_your_country": N_('Wants to sell in %(whose)s country: %(country)s'),
    "sources_from_your_country": N_('Buys from suppliers in %(whose)s country: %(country)s'),
    "in_sourcing_country": N_('Based in a country %(who)s buys from: %(country)s'),
    "online_mentoring": N_('%(Who)s mentors online, so distance is no obstacle'),
    "seeks_suppliers_like_you": N_(
        'This buyer seeks suppliers like %(who)s (supplier-diversity goal)'),
    "meets_diversity_goal": N_('Meets %(whose)s supplier-diversity goals'),
}
# Reasons are computed for the requester; what the same fact reads like from the target's side.
_PAIRS = (("needs_covered", "needs_expertise"), ("certifications_held", "requirements_met"),
          ("certifications_partly_held", "requirements_partly_met"),
          ("knows_markets", "targets_known_markets"), ("in_target_market", "targets_your_country"),
          ("sources_from_your_country", "in_sourcing_country"),
          ("meets_online", "online_mentoring"),
          ("seeks_suppliers_like_you", "meets_diversity_goal"))
MIRRORED: Mapping[str, str] = {**dict(_PAIRS), **{b: a for a, b in _PAIRS}}


class UnknownReasonError(LookupError):
    """A reason code has no template (e.g. one stored by an older model version)."""


def party_names(kind: str | None, locale: str) -> dict[str, str]:
    """Return the %(who)s, %(Who)s and %(whose)s values naming a requester for staff."""
    who, whose = (translate(m, locale) for m in PARTIES.get(kind or "", PARTIES["requester"]))
    return {"who": who, "Who": who[:1].upper() + who[1:], "whose": whose}


def reason_values(reason: Reason, locale: str) -> dict[str, Any]:
    """Return the template values of a reason, worded for ``locale``."""
    params = dict(reason.params)
    values = worded(params, locale)
    if reason.code == "shared_sector":
        values["title"] = worded({"naics": params.get("code")}, locale)["naics"] \
            or params.get("title") or params.get("code")
    if reason.code == "cross_border":
        km = params.get("km")
        values["distance"] = f" ({values['km']} km)" if km is not None else ""
    return values


_RENDERED: dict[tuple[str, str, str, str | None], str] = {}
_RENDERED_MAX = 50_000  # about 10 MB of short messages per process; then it starts afresh


def render_reason(reason: Reason, locale: str = "en", *, staff_about: str | None = None) -> str:
    """Return the message of ``reason`` in ``locale`` (en, es or fr; others fall back to en),
    addressed to the requester — or, with ``staff_about`` (the requester's kind, or
    ``"requester"``), worded for program staff looking at the pair.

    A message depends only on these (the catalogues and the taxonomy are read-only), and the
    same reasons come back on every page of the same matches: each is worded once per process,
    keyed by the ``repr`` of its JSON-ready parameters (which tells 12 from 12.0 and True
    from 1; the same facts in another order are only worded again).
    """
    key = (reason.code, repr(reason.params), str(locale), staff_about)
    text = _RENDERED.get(key)
    if text is None:
        text = _render_reason(reason, locale, staff_about)
        if len(_RENDERED) >= _RENDERED_MAX:
            _RENDERED.clear()
        _RENDERED[key] = text
    return text


def _render_reason(reason: Reason, locale: str, staff_about: str | None) -> str:
    if reason.code not in TEMPLATES:
        raise UnknownReasonError(f"no message template for reason {reason.code!r}")
    values = reason_values(reason, locale)
    if staff_about is None:
        return translate(TEMPLATES[reason.code], locale, values)
    template = STAFF_TEMPLATES.get(reason.code, TEMPLATES[reason.code])
    return translate(template, locale, {**values, **party_names(staff_about, locale)})


def for_target(reason: Reason) -> Reason:
    """Return the reason as the pair's target reads it (its counterpart code, same facts)."""
    return Reason(MIRRORED.get(reason.code, reason.code), reason.params)


def reason_payload(reason: Reason, locale: str = "en", *,
                   staff_about: str | None = None) -> dict[str, Any]:
    """Return ``{"code", "params", "message"}`` for an API response.

    A sector's ``title`` parameter is the one its message names, in ``locale`` (the deepest
    translated level): a reason never mixes languages, its parameters included.
    """
    params = dict(reason.params)
    if reason.code == "shared_sector" and "title" in params:
        params["title"] = reason_values(reason, locale)["title"]
    return {"code": reason.code, "params": params,
            "message": render_reason(reason, locale, staff_about=staff_about)}
