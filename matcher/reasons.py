"""Reasons: why a candidate matched, as codes with parameters, rendered in en/es/fr.

:func:`explain` turns the factors that contributed to each of a query's matches into
:class:`Reason` records, largest contribution first (the sparse look-ups are batched over the
matches). The engine keeps codes and parameters only: the words are made at the edge, in the
reader's language (``webapp.catalogue.reasons``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from . import taxonomy as tx
from .codesets import row_int
from .encoders import naics_depth
from .factors import MENTORSHIP, Pairing, meets_virtually
from .features import ProfileArrays
from .records import OWNERSHIP_GROUPS
from .scorer import INTERACTION_SEP
from .stopwords import GENERIC_WORDS

__all__ = ["MIN_CONTRIBUTION", "Reason", "column_values", "explain"]

MIN_CONTRIBUTION = 0.1
"""Contribution (logit units) below which a factor gives no reason."""


@dataclass(frozen=True)
class Reason:
    """One reason for a match: a message code and its parameters (JSON-ready)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


def column_values(matrix: sp.csc_matrix, columns: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Return ``matrix[rows][:, columns]`` as a dense float32 array, one search per column.

    Only the search runs per column; finding, checking and reading the positions is one pass
    over all of them (a query's text has some thirty terms, each a column).
    """
    columns = np.asarray(columns, np.int64)
    out = np.zeros((rows.size, columns.size), np.float32)
    if not columns.size or not rows.size or not matrix.indices.size:
        return out
    # In the indices' own dtype: int64 rows against int32 indices made every search copy its
    # column to int64 first (6x the search at 30,000 rows).
    rows = np.asarray(rows).astype(matrix.indices.dtype, copy=False)
    indices, indptr = matrix.indices, matrix.indptr
    lo, hi = indptr[columns], indptr[columns + 1]
    found_at = np.empty((columns.size, rows.size), np.int64)
    for j, (start, end) in enumerate(zip(lo.tolist(), hi.tolist(), strict=True)):
        found_at[j] = indices[start:end].searchsorted(rows)
    # A search past a column's end reads its last entry instead (an empty column: none).
    found_at = np.minimum(found_at, (hi - lo - 1)[:, None]) + lo[:, None]
    filled = (hi > lo)[:, None]
    found = (indices[np.where(filled, found_at, 0)] == rows) & filled
    out.T[found] = matrix.data[found_at[found]]
    return out


@dataclass(frozen=True)
class _Batch:
    """One query and the candidate rows to explain, with what explaining them needs.

    What each match's reasons read is looked up for all of them at once and kept as Python
    values (lists, ints, floats): a builder runs per match and reason, and reading NumPy
    arrays element by element costs more than the reasons' own work.
    """

    pairing: Pairing
    query: ProfileArrays
    candidates: ProfileArrays
    rows: list[int]
    encoders: Mapping[str, Any]
    sector_codes: list[str]
    sectors: list[list[float]]
    term_order: list[list[int]]
    term_weights: list[list[float]]
    kms: list[int | None]
    virtual: list[bool]
    languages: list[list[float]]
    surfaces: Mapping[str, str]
    sector_depths: list[int] = field(init=False)
    query_language_weights: list[float] = field(init=False)
    quotes: dict[int, str | None] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        # What every match of the batch reads alike, worked out once.
        object.__setattr__(self, "sector_depths", [naics_depth(c) for c in self.sector_codes])
        object.__setattr__(self, "query_language_weights", self.query.languages.data.tolist())

    def quote(self, j: int) -> str | None:
        """Return the word the query's j-th term is quoted by, as the query wrote it
        (accents kept), or None for a generic word (never quoted); each term worked out
        once per batch, when a match first asks for it."""
        try:
            return self.quotes[j]
        except KeyError:
            pass
        query = self.query.texts[self.pairing.name]
        encoder = self.encoders["text"]
        stem = str(encoder.terms_[query.indices[j]])
        word = self.surfaces.get(stem) or encoder.surface_.get(stem, stem)
        quoted = self.quotes[j] = None if tx.fold(word) in GENERIC_WORDS else word
        return quoted

    @property
    def query_is_sme(self) -> bool:
        return self.query.kind == "sme"

    def sides(self, i: int) -> tuple[ProfileArrays, int, ProfileArrays, int]:
        """Return (sme arrays, sme row, partner arrays, partner row) of the i-th match."""
        if self.query_is_sme:
            return self.query, 0, self.candidates, self.rows[i]
        return self.candidates, self.rows[i], self.query, 0

    def country(self, arrays: ProfileArrays, row: int) -> str | None:
        codes = self.encoders["countries"].codes_
        index = int(arrays.country[row])
        return codes[index] if index < len(codes) else None


def explain(pairing: Pairing, query: ProfileArrays, candidates: ProfileArrays,
            rows: Sequence[int], contributions: Sequence[Mapping[str, float]],
            encoders: Mapping[str, Any], *,
            surfaces: Mapping[str, str] | None = None) -> list[tuple[Reason, ...]]:
    """Return the reasons of the matches of ``query`` with each candidate row.

    Only factors contributing at least :data:`MIN_CONTRIBUTION` give a reason, largest first.
    ``surfaces`` maps the query text's stems to the words the query wrote
    (:meth:`~matcher.tfidf.PrefixAnalyzer.surfaces`); a text reason quotes only those.
    """
    rows = np.asarray(rows, np.int64)
    text = query.texts[pairing.name]
    # Each match's terms by weight, heaviest first (ties in the query's term order).
    weights = column_values(candidates.texts[pairing.name], text.indices, rows) * text.data
    distances = encoders["location"].distance_km(candidates.units[rows], query.units[0])
    prefixes = encoders["sector"].prefixes_
    batch = _Batch(
        pairing, query, candidates, rows.tolist(), encoders,
        [str(prefixes[col]) for col in query.sector.indices.tolist()],
        column_values(candidates.sector, query.sector.indices, rows).tolist(),
        np.argsort(-weights, axis=1, kind="stable").tolist(), weights.tolist(),
        [None if np.isnan(d) else max(1, int(round(d))) for d in distances.tolist()],
        _meets_virtually(pairing, query, candidates, rows),
        column_values(candidates.languages, query.languages.indices, rows).tolist(),
        surfaces if surfaces is not None else {})
    return [_reasons(batch, i, contributions[i]) for i in range(rows.size)]


def _meets_virtually(pairing: Pairing, query: ProfileArrays, candidates: ProfileArrays,
                     rows: np.ndarray) -> list[bool]:
    """Tell, per match, whether its mentor meets virtually (False outside mentorship)."""
    if pairing is not MENTORSHIP:
        return [False] * rows.size
    if query.kind == "sme":
        mode = None if candidates.mode is None else candidates.mode[rows]
    else:
        mode = None if query.mode is None else np.repeat(query.mode[:1], rows.size)
    return [False] * rows.size if mode is None else meets_virtually(mode).tolist()


@functools.cache
def _factors_of(name: str) -> tuple[str, ...]:
    """Return the factors of a contribution's name (an interaction term names several)."""
    return tuple(name.split(INTERACTION_SEP))


def _reasons(batch: _Batch, i: int, contributions: Mapping[str, float]) -> tuple[Reason, ...]:
    ranked = sorted([(value, name) for name, value in contributions.items()
                     if value >= MIN_CONTRIBUTION], reverse=True)
    reasons: list[Reason] = []
    explained: set[str] = set()
    for _, name in ranked:
        # An interaction term ("language*needs") is explained by the reasons of its factors,
        # each once (a factor's reason is the same wherever it is asked for, and no two
        # factors give the same reason: each has codes of its own).
        for factor in _factors_of(name):
            if factor in explained:
                continue
            explained.add(factor)
            reason = _BUILDERS[factor](batch, i)
            if reason is not None:
                reasons.append(reason)
    return _distance_once(reasons)


def _distance_once(reasons: list[Reason]) -> tuple[Reason, ...]:
    """Return the reasons with the distance told once: when a nearby reason gives it, the
    cross-border one names the two countries only (it carries the distance when location
    is no reason of its own: far, or a mentor who meets online)."""
    if not any(reason.code == "nearby" for reason in reasons):
        return tuple(reasons)
    return tuple(Reason(r.code, {k: v for k, v in r.params.items() if k != "km"})
                 if r.code == "cross_border" else r for r in reasons)


def _sector(batch: _Batch, i: int) -> Reason | None:
    best = None  # the deepest shared code, the first of equals
    for j, value in enumerate(batch.sectors[i]):
        if value > 0 and (best is None or batch.sector_depths[j] > batch.sector_depths[best]):
            best = j
    if best is None:
        return None
    code = batch.sector_codes[best]
    return Reason("shared_sector", {"code": code, "title": tx.naics_title(code, "en")})


def _language(batch: _Batch, i: int) -> Reason | None:
    query = batch.query.languages
    spoken = batch.languages[i]
    # The SME's weights order the languages: its preferred and Indigenous ones first.
    weights = batch.query_language_weights if batch.query_is_sme else spoken
    order = sorted((j for j, value in enumerate(spoken) if value > 0),
                   key=lambda j: (-weights[j], j))
    codes = batch.encoders["languages"].decode(int(query.indices[j]) for j in order)
    return Reason("shared_language", {"languages": list(codes)}) if codes else None


def _needs(batch: _Batch, i: int) -> Reason | None:
    sme, s_row, partner, p_row = batch.sides(i)
    if batch.pairing is MENTORSHIP:
        needs = batch.encoders["needs"]
        shared = needs.decode(row_int(sme.codes, s_row) & row_int(partner.codes, p_row))
        code = "needs_covered" if batch.query_is_sme else "needs_expertise"
        return Reason(code, {"needs": list(shared)}) if shared else None
    certifications = batch.encoders["certifications"]
    required = row_int(partner.certs, p_row)
    held = certifications.decode(row_int(sme.certs, s_row) & required)
    if not held:
        return None
    names = [certifications.labels_[key] for key in held]
    if len(held) == required.bit_count():
        code = "requirements_met" if batch.query_is_sme else "certifications_held"
        return Reason(code, {"certifications": names})
    # some of the buyer's requirements, not all: said as a share, never as "the" ones
    code = "requirements_partly_met" if batch.query_is_sme else "certifications_partly_held"
    return Reason(code, {"certifications": names, "count": len(held),
                         "total": required.bit_count()})


def _text(batch: _Batch, i: int, limit: int = 3) -> Reason | None:
    weights = batch.term_weights[i]
    terms: list[str] = []
    for j in batch.term_order[i]:
        if weights[j] <= 0 or len(terms) == limit:
            break
        word = batch.quote(j)  # as the query wrote it, never a generic word
        if word is not None:
            terms.append(word)
    return Reason("text_overlap", {"terms": terms}) if terms else None


def _location(batch: _Batch, i: int) -> Reason | None:
    km = batch.kms[i]
    if batch.virtual[i]:
        location = batch.encoders["location"]
        reach = getattr(location, "virtual_reach", 0.0)
        if km is None or np.exp(-km / location.scale_km) < reach:
            code = "meets_online" if batch.query_is_sme else "online_mentoring"
            return Reason(code, {"km": km})
    return None if km is None else Reason("nearby", {"km": km})


def _cross_border(batch: _Batch, i: int) -> Reason:
    origin = batch.country(batch.query, 0)
    destination = batch.country(batch.candidates, int(batch.rows[i]))
    return Reason("cross_border", {"from": origin, "to": destination, "km": batch.kms[i]})


def _markets(batch: _Batch, i: int) -> Reason | None:
    sme, s_row, partner, p_row = batch.sides(i)
    if batch.pairing is MENTORSHIP:
        mask = row_int(sme.targets, s_row) & row_int(partner.targets, p_row)
        markets = list(batch.encoders["countries"].decode(mask))
        code = "knows_markets" if batch.query_is_sme else "targets_known_markets"
        return Reason(code, {"markets": markets}) if markets else None
    code = "in_target_market" if batch.query_is_sme else "targets_your_country"
    return Reason(code, {"country": batch.country(partner, p_row)})


def _sourcing(batch: _Batch, i: int) -> Reason:
    sme, s_row, _, _ = batch.sides(i)
    code = "sources_from_your_country" if batch.query_is_sme else "in_sourcing_country"
    return Reason(code, {"country": batch.country(sme, s_row)})


def _diversity(batch: _Batch, i: int) -> Reason | None:
    sme, s_row, buyer, b_row = batch.sides(i)
    mask = int(sme.groups[s_row]) & int(buyer.groups[b_row])
    groups = [group for bit, group in enumerate(OWNERSHIP_GROUPS) if mask >> bit & 1]
    if not groups:
        return None
    code = "seeks_suppliers_like_you" if batch.query_is_sme else "meets_diversity_goal"
    return Reason(code, {"groups": groups})


_BUILDERS: Mapping[str, Callable[[_Batch, int], Reason | None]] = {
    "sector": _sector,
    "language": _language,
    "needs": _needs,
    "text": _text,
    "location": _location,
    "cross_border": _cross_border,
    "markets": _markets,
    "sourcing": _sourcing,
    "diversity": _diversity,
}
