"""Reasons: why a candidate matched, as codes with parameters, rendered in en/es/fr.

:func:`explain` turns the factors that contributed to one match into :class:`Reason` records,
largest contribution first; :func:`render_reason` words a reason in the reader's locale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import taxonomy as tx
from .encoders import naics_depth
from .factors import MENTORSHIP, Pairing
from .features import ProfileArrays
from .messages import TEMPLATES, format_params, locale_of

__all__ = ["MIN_CONTRIBUTION", "Reason", "explain", "reason_payload", "render_reason"]

MIN_CONTRIBUTION = 0.1
"""Contribution (logit units) below which a factor gives no reason."""


@dataclass(frozen=True)
class Reason:
    """One reason for a match: a message code and its parameters (JSON-ready)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


def render_reason(reason: Reason, locale: str = "en") -> str:
    """Return the message of ``reason`` in ``locale`` (en, es or fr; others fall back to en)."""
    locale = locale_of(locale)
    values = format_params(reason.code, reason.params, locale)
    return TEMPLATES[reason.code][locale].format(**values)


def reason_payload(reason: Reason, locale: str = "en") -> dict[str, Any]:
    """Return ``{"code", "params", "message"}`` for an API response."""
    return {"code": reason.code, "params": dict(reason.params),
            "message": render_reason(reason, locale)}


@dataclass(frozen=True)
class _Pair:
    """One query and one candidate row, with the encoders to decode their columns."""

    pairing: Pairing
    query: ProfileArrays
    candidates: ProfileArrays
    row: int
    encoders: Mapping[str, Any]

    @property
    def query_is_sme(self) -> bool:
        return self.query.kind == "sme"

    def sides(self) -> tuple[ProfileArrays, int, ProfileArrays, int]:
        """Return (sme arrays, sme row, partner arrays, partner row)."""
        if self.query_is_sme:
            return self.query, 0, self.candidates, self.row
        return self.candidates, self.row, self.query, 0

    def country(self, arrays: ProfileArrays, row: int) -> str | None:
        codes = self.encoders["countries"].codes_
        index = int(arrays.country[row])
        return codes[index] if index < len(codes) else None

    def km(self) -> int | None:
        distance = self.encoders["location"].distance_km(
            self.candidates.units[self.row:self.row + 1], self.query.units[0])[0]
        return None if np.isnan(distance) else int(round(distance))


def explain(pairing: Pairing, query: ProfileArrays, candidates: ProfileArrays, row: int,
            contributions: Mapping[str, float], encoders: Mapping[str, Any]) -> tuple[Reason,
                                                                                       ...]:
    """Return the reasons of the match of ``query`` with candidate ``row``.

    Only factors contributing at least :data:`MIN_CONTRIBUTION` give a reason, largest first.
    """
    pair = _Pair(pairing, query, candidates, row, encoders)
    ranked = sorted(((value, name) for name, value in contributions.items()
                     if value >= MIN_CONTRIBUTION), reverse=True)
    reasons = (_BUILDERS[name](pair) for _, name in ranked)
    return tuple(reason for reason in reasons if reason is not None)


def _sector(pair: _Pair) -> Reason | None:
    sector = pair.query.sector
    columns = sorted(sector.indices, key=lambda col: -naics_depth(_prefix(pair, col)))
    matrix = pair.candidates.sector
    for col in columns:
        rows = matrix.indices[matrix.indptr[col]:matrix.indptr[col + 1]]
        if _holds(rows, pair.row):
            code = _prefix(pair, col)
            return Reason("shared_sector", {"code": code, "title": tx.naics_title(code, "en")})
    return None


def _prefix(pair: _Pair, col: int) -> str:
    return str(pair.encoders["sector"].prefixes_[col])


def _holds(sorted_rows: np.ndarray, row: int) -> bool:
    pos = np.searchsorted(sorted_rows, row)
    return bool(pos < sorted_rows.size and sorted_rows[pos] == row)


def _language(pair: _Pair) -> Reason | None:
    shared = int(pair.candidates.languages[pair.row]) & int(pair.query.languages[0])
    codes = pair.encoders["languages"].decode(shared)
    return Reason("shared_language", {"languages": list(codes)}) if codes else None


def _needs(pair: _Pair) -> Reason | None:
    sme, s_row, partner, p_row = pair.sides()
    if pair.pairing is MENTORSHIP:
        shared = pair.encoders["needs"].decode(int(sme.codes[s_row]) & int(partner.codes[p_row]))
        code = "needs_covered" if pair.query_is_sme else "needs_expertise"
        return Reason(code, {"needs": list(shared)}) if shared else None
    certifications = pair.encoders["certifications"]
    held = certifications.decode(int(sme.certs[s_row]) & int(partner.certs[p_row]))
    names = [certifications.labels_[key] for key in held]
    code = "requirements_met" if pair.query_is_sme else "certifications_held"
    return Reason(code, {"certifications": names}) if names else None


def _text(pair: _Pair, limit: int = 3) -> Reason | None:
    query = pair.query.texts[pair.pairing.name]
    matrix = pair.candidates.texts[pair.pairing.name]
    shared = []
    for col, weight in zip(query.indices, query.data, strict=True):
        lo, hi = matrix.indptr[col], matrix.indptr[col + 1]
        pos = lo + np.searchsorted(matrix.indices[lo:hi], pair.row)
        if pos < hi and matrix.indices[pos] == pair.row:
            shared.append((weight * matrix.data[pos], int(col)))
    if not shared:
        return None
    encoder = pair.encoders["text"]
    words = [encoder.surface_.get(encoder.terms_[col], encoder.terms_[col])
             for _, col in sorted(shared, reverse=True)[:limit]]
    return Reason("text_overlap", {"terms": words})


def _location(pair: _Pair) -> Reason | None:
    km = pair.km()
    return None if km is None else Reason("nearby", {"km": km})


def _cross_border(pair: _Pair) -> Reason:
    origin = pair.country(pair.query, 0)
    destination = pair.country(pair.candidates, pair.row)
    return Reason("cross_border", {"from": origin, "to": destination, "km": pair.km()})


def _markets(pair: _Pair) -> Reason | None:
    sme, s_row, partner, p_row = pair.sides()
    if pair.pairing is MENTORSHIP:
        mask = int(sme.targets[s_row]) & int(partner.targets[p_row])
        markets = list(pair.encoders["countries"].decode(mask))
        code = "knows_markets" if pair.query_is_sme else "targets_known_markets"
        return Reason(code, {"markets": markets}) if markets else None
    code = "in_target_market" if pair.query_is_sme else "targets_your_country"
    return Reason(code, {"country": pair.country(partner, p_row)})


def _sourcing(pair: _Pair) -> Reason:
    sme, s_row, _, _ = pair.sides()
    code = "sources_from_your_country" if pair.query_is_sme else "in_sourcing_country"
    return Reason(code, {"country": pair.country(sme, s_row)})


_BUILDERS: Mapping[str, Callable[[_Pair], Reason | None]] = {
    "sector": _sector,
    "language": _language,
    "needs": _needs,
    "text": _text,
    "location": _location,
    "cross_border": _cross_border,
    "markets": _markets,
    "sourcing": _sourcing,
}
