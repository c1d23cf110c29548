"""Pairings and the vectorised factor kernels: one query against every candidate at once.

A pairing is defined on roles, not on who asks: the SME↔mentor factors of a pair are the same
whether the SME or the mentor is the query, and likewise SME↔buyer. Every factor is a
similarity in [0, 1]:

============ ================================================ ===============================
factor       mentorship (SME, mentor)                         trade (SME, buyer)
============ ================================================ ===============================
sector       cosine of NAICS prefix vectors                   same (buyer: sectors sought)
language     0 if they share no language, else ``(1 + c)/2``  same
             with ``c`` the share of the SME's languages the
             partner speaks (preferred and Indigenous count
             double)
needs        cosine of needs vs expertise (multi-hot, claims  share of the buyer's required
             capped, see below)                               certifications the SME holds
                                                              (0 when none are required: no
                                                              evidence)
text         TF-IDF cosine, needs text vs bio                 TF-IDF cosine, offer vs
                                                              products sought
location     ``exp(-d / scale_km)``, 0 if a side is unlocated same
             (in-person mentor); a mentor who meets
             virtually reaches anyone: at least
             ``virtual_reach`` of the location encoder
cross_border mentor abroad and in one of the SME's markets    different countries, each in
             (any abroad when the SME lists none)             the other's markets/sourcing
                                                              (when listed)
markets      share of the SME's markets the mentor knows      buyer's country is one of the
                                                              SME's markets
sourcing     --                                               SME's country is one the buyer
                                                              sources from
diversity    --                                               the SME declared an ownership
                                                              group the buyer's diversity
                                                              goals name (both opt-in)
============ ================================================ ===============================

**A claim is worth less the more one claims** (keyword stuffing). Profiles state their own
expertise and markets; unchecked, a profile claiming all 14 needs and every market covers every
SME's needs and markets and tops most rankings. So the claims of one side share a capped credit
(:func:`claim_credit`): up to ``breadth`` claims (the needs encoder's, 6 of 14; the countries
encoder's, 4) each counts fully; beyond it they share the credit of ``breadth`` claims. In the
needs cosine each claim weighs ``1/sqrt(n)``, so ``n > breadth`` claims weigh ``sqrt(breadth)/n``
each (the cosine times ``sqrt(breadth / n)``); in a mentor's market coverage and an SME's target
markets (trade ``markets``) each of ``n > breadth`` markets counts ``breadth / n``. Profiles
within the breadth score as before. Languages are not capped (checked at the first meeting).
The contributions and reasons follow the capped values, as for any factor.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from . import codesets
from .column_product import sparse_dot
from .errors import UnsupportedPairingError
from .features import MODES, UNKNOWN_COUNTRY, ProfileArrays

DEFERRABLE = ("location",)
"""Factors :func:`compute_factors` can leave out, computed later on a shortlist of rows: the
dearest per candidate (a distance on the sphere) and, bounded by its weight, one that rarely
decides whether a candidate can reach the top (see :mod:`matcher.ranking`)."""

LANGUAGE_PATTERN_ROWS = 4096
"""Candidates from which languages are scored per distinct pattern (an index segment's)."""

__all__ = ["DEFERRABLE", "LANGUAGE_PATTERN_ROWS", "MENTORSHIP", "PAIRINGS", "TRADE", "Gathered",
           "Pairing", "claim_credit", "compute_factors", "factor_parts", "full_rows",
           "rows_of", "warm_patterns",
           "language_similarity", "location_factor", "meets_virtually", "pairing_for",
           "gather", "sparse_dot"]


@dataclass(frozen=True)
class Pairing:
    """A kind of match: its name, the non-SME role, its factors and its scoring directions.

    ``directions`` name the bundle's scorers; a reciprocal pairing has two (one per side)
    whose probabilities are combined with a harmonic mean.
    """

    name: str
    partner: str
    factors: tuple[str, ...]
    directions: tuple[str, ...]

    @property
    def reciprocal(self) -> bool:
        """Tell whether both sides must want the match."""
        return len(self.directions) > 1


MENTORSHIP = Pairing(
    "mentorship", "mentor",
    ("sector", "language", "needs", "text", "location", "cross_border", "markets"),
    ("mentorship",),
)
TRADE = Pairing(
    "trade", "buyer",
    ("sector", "language", "needs", "text", "location", "cross_border", "markets", "sourcing",
     "diversity"),
    ("trade_buyer", "trade_sme"),
)
PAIRINGS: Mapping[tuple[str, str], Pairing] = {
    ("sme", "mentor"): MENTORSHIP,
    ("mentor", "sme"): MENTORSHIP,
    ("sme", "buyer"): TRADE,
    ("buyer", "sme"): TRADE,
}


@dataclass(frozen=True)
class Gathered:
    """A factor computed once per distinct pattern of the columns it reads, not yet gathered
    per row: row ``r``'s value is ``values[pattern[r]]``.

    Over a large segment most factors are functions of a few columns whose distinct
    combinations number far fewer than the rows (:meth:`ProfileArrays.patterns`). Kept so,
    a factor is gathered only where it is needed: for every row (:meth:`full`), for a
    shortlist (:meth:`at`), or weighted and summed with the other factors of the same
    patterns first, then gathered once (:func:`matcher.ranking`'s bound).
    """

    values: np.ndarray
    pattern: np.ndarray

    def full(self) -> np.ndarray:
        """Return the factor of every row."""
        return gather(self.values, self.pattern)

    def at(self, rows: np.ndarray) -> np.ndarray:
        """Return the factor of the rows ``rows`` (the values :meth:`full` has there)."""
        return gather(self.values, self.pattern[rows])

    def positive(self) -> np.ndarray:
        """Tell which rows have a factor above 0 (one gather of booleans)."""
        return gather(self.values > 0, self.pattern)


def gather(table: np.ndarray, pattern: np.ndarray) -> np.ndarray:
    """Return ``table[pattern]`` for a pattern array, one value per row.

    Pattern arrays hold numbers below their table's length by construction (the inverse of
    :func:`numpy.unique` over the distinct patterns): NumPy's ``wrap`` mode, which would
    wrap an index that is not, takes its fast loop; the default ``raise`` checks every index
    on a slower one (four gathers over 100,000 rows were 7% of a ranking's time more:
    ``scripts/bench_versions.py``).
    """
    return np.take(table, pattern, mode="wrap")


def full_rows(part: np.ndarray | Gathered, n: int) -> np.ndarray:
    """Return a factor of :func:`factor_parts` as one value per row of ``n``."""
    return part.full() if isinstance(part, Gathered) else np.broadcast_to(part, (n,))


def rows_of(part: np.ndarray | Gathered, rows: np.ndarray, n: int) -> np.ndarray:
    """Return a factor of :func:`factor_parts` at ``rows`` of ``n`` (what :func:`full_rows`
    has there)."""
    return part.at(rows) if isinstance(part, Gathered) else np.broadcast_to(part, (n,))[rows]


def pairing_for(query_kind: str, candidate_kind: str) -> Pairing:
    """Return the pairing of a query kind with a candidate kind.

    Raises
    ------
    UnsupportedPairingError
        For pairs without a pairing (SME→SME, mentor→buyer, ...).
    """
    try:
        return PAIRINGS[(query_kind, candidate_kind)]
    except KeyError:
        raise UnsupportedPairingError(
            f"cannot rank {candidate_kind!r} candidates for a {query_kind!r} profile"
        ) from None


_INVERSE = np.array([0.0] + [1.0 / k for k in range(1, 256)], np.float32)


_count, _shared = codesets.count, codesets.shared_count


def _cosine(a: np.ndarray, b: np.ndarray, breadth: int | None = None) -> np.ndarray:
    """Return the cosine of multi-hot bitmasks (0 when either is empty), claims capped.

    Each side's claims share the credit :func:`claim_credit` allows: a side claiming more
    than ``breadth`` codes counts ``sqrt(breadth / n)`` of the plain cosine.
    """
    credit = _cosine_credit(breadth)
    return _shared(a, b) * np.take(credit, _count(a)) * np.take(credit, _count(b))


def _coverage(covered: np.ndarray, wanted: np.ndarray, breadth: int | None = None) -> np.ndarray:
    """Return the share of ``wanted``'s bits also in ``covered`` (0 when none are wanted),
    times ``min(1, breadth / n)`` for a ``covered`` side claiming ``n`` codes."""
    share = _shared(covered, wanted) * np.take(_INVERSE, _count(wanted))
    if breadth is None:
        return share
    return share * np.take(_linear_credit(breadth), _count(covered))


def claim_credit(n: np.ndarray, breadth: int | None) -> np.ndarray:
    """Return the total credit of ``n`` claims: ``n`` up to ``breadth``, then ``breadth``.

    A profile's claims (expertise, markets) share this credit: beyond ``breadth`` each claim
    earns ``breadth / n`` of one, so claiming everything earns what ``breadth`` claims do.
    """
    n = np.asarray(n, np.float64)
    return n if breadth is None else np.minimum(n, float(breadth))


@lru_cache(maxsize=8)
def _linear_credit(breadth: int | None) -> np.ndarray:
    """Return, per claim count ``n`` (0-255), each claim's credit ``credit(n) / n``."""
    n = np.arange(256, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, claim_credit(n, breadth) / n, 0.0).astype(np.float32)


@lru_cache(maxsize=8)
def _cosine_credit(breadth: int | None) -> np.ndarray:
    """Return, per claim count ``n``, the weight of one claim in a capped unit vector.

    ``1 / sqrt(n)`` (the plain cosine) up to ``breadth``; beyond, ``sqrt(breadth) / n``: the
    ``n`` claims together weigh ``sqrt(breadth)``, what ``breadth`` claims weigh.
    """
    n = np.arange(256, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        plain = np.where(n > 0, 1.0 / np.sqrt(n), 0.0)
    return (plain * np.sqrt(_linear_credit(breadth))).astype(np.float32)


def _has_bit(mask: np.ndarray, country: np.ndarray) -> np.ndarray:
    """Tell whether each ``mask`` holds the bit of ``country`` (one side is the query's)."""
    if country.size == 1:
        index = int(country.reshape(-1)[0])
        if index == UNKNOWN_COUNTRY:
            return np.zeros(len(mask), bool)
        return codesets.holds(mask, index)
    # Many countries against the query's one mask: a 256-entry look-up table is cheaper.
    # (np.take gathers several times faster than fancy indexing.)
    table = codesets.bit_table(mask, UNKNOWN_COUNTRY + 1)
    table[UNKNOWN_COUNTRY] = False  # a bit numbered 255 is some code, not "no country"
    return np.take(table, country)


_MEETS_VIRTUALLY = np.array([mode in ("virtual", "both") for mode in MODES] + [False] * 252)


def language_similarity(shared: np.ndarray) -> np.ndarray:
    """Return the language factor of the weighted share of the SME's languages spoken."""
    # In place on one new array: this runs over every candidate of every ranking.
    out = np.minimum(shared, np.float32(1), dtype=np.float32)
    spoken = out > 0
    out *= np.float32(0.5)
    np.add(out, np.float32(0.5), out=out, where=spoken)
    return out


def _language(candidates: ProfileArrays, query: ProfileArrays) -> np.ndarray | Gathered:
    """Return the language factor of every candidate.

    A large index segment holds few distinct language rows (``language_patterns``): the
    factor is computed per pattern, to be gathered per candidate (:class:`Gathered`).
    """
    if len(candidates) < LANGUAGE_PATTERN_ROWS:
        return language_similarity(sparse_dot(candidates.languages, query.languages))
    pattern, rows = candidates.language_patterns
    return Gathered(language_similarity(sparse_dot(rows, query.languages)), pattern)


def _sector(candidates: ProfileArrays, query: ProfileArrays) -> np.ndarray | Gathered:
    """Return the sector factor of every candidate: per distinct sector set, as languages."""
    if len(candidates) < LANGUAGE_PATTERN_ROWS:
        return sparse_dot(candidates.sector, query.sector)
    pattern, rows = candidates.sector_patterns
    return Gathered(sparse_dot(rows, query.sector), pattern)


def meets_virtually(mode: np.ndarray) -> np.ndarray:
    """Tell whether each mentor ``mode`` column value allows virtual meetings."""
    return np.take(_MEETS_VIRTUALLY, mode)


def _reach(proximity: np.ndarray, mode: np.ndarray | None,
           encoders: Mapping[str, Any]) -> Any:
    """Return the mentorship location factor: proximity, or a virtual mentor's reach
    (``mode``: the mentor's mode column, one value or one per candidate)."""
    if mode is None:
        return proximity
    reach = np.float32(getattr(encoders["location"], "virtual_reach", 0.0))
    floor = np.take(_MEETS_VIRTUALLY.astype(np.float32) * reach, mode)
    return np.maximum(proximity, floor, out=proximity)  # proximity is a fresh array


def location_factor(pairing: Pairing, query: ProfileArrays, candidates: ProfileArrays,
                    encoders: Mapping[str, Any], rows: np.ndarray | None = None) -> np.ndarray:
    """Return the location factor of every candidate, or of the candidates' ``rows`` only.

    Its values for ``rows`` are those of the whole array at those rows, to the bit: a ranking
    may compute it for a shortlist only (:data:`DEFERRABLE`).
    """
    c, q = candidates, query
    units, located = (c.units, c.located) if rows is None else (c.units[rows], c.located[rows])
    proximity = encoders["location"].similarity(units, q.units[0], located)
    if pairing is not MENTORSHIP:
        return proximity
    mentor = c if q.kind == "sme" else q
    mode = mentor.mode
    if mode is not None and mentor is c and rows is not None:
        mode = mode[rows]
    return _reach(proximity, mode, encoders)


def _welcomes(mask: np.ndarray, country: np.ndarray) -> np.ndarray:
    """Tell whether a side's country list is empty or holds ``country``."""
    empty = codesets.is_empty(mask)
    if empty.size == 1 and empty[0]:
        return np.ones(country.shape, bool)
    return empty | _has_bit(mask, country)


def _breadth(encoders: Mapping[str, Any], name: str) -> int | None:
    return getattr(encoders[name], "breadth", None)


_DISCRETE: Mapping[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] = {
    "mentorship": ((("codes",), ("needs",)),
                   (("country", "targets"), ("cross_border", "markets"))),
    "trade": ((("certs", "n_required", "groups"), ("needs", "diversity")),
              (("country", "targets"), ("cross_border", "markets", "sourcing"))),
}
"""Per pairing, the candidate columns of which some factors are functions alone (claims;
countries and markets), with those factors."""


def _discrete_factors(pairing: Pairing, q: ProfileArrays, c: ProfileArrays,
                      encoders: Mapping[str, Any]) -> dict[str, np.ndarray | Gathered]:
    """Return the factors of the candidates' claims, countries and markets.

    Over a large segment each is computed once per distinct combination of the columns it
    reads (:meth:`~matcher.features.ProfileArrays.patterns`: thousands of claim sets, a few
    hundred countries with markets, for 100,000 candidates), to be gathered per row
    (:class:`Gathered`): the same values to the bit, one gather instead of several passes
    over every row. The factors of one group of columns share its pattern array.
    """
    groups = _DISCRETE[pairing.name]
    if len(c) < LANGUAGE_PATTERN_ROWS:
        return _discrete_formulas(pairing, q, c, encoders,
                                  tuple(name for _, names in groups for name in names))
    factors: dict[str, np.ndarray | Gathered] = {}
    for columns, names in groups:
        pattern, distinct = c.patterns(columns)
        values = _discrete_formulas(pairing, q, distinct, encoders, names)
        factors.update({name: Gathered(np.broadcast_to(values[name], (len(distinct),)), pattern)
                        for name in names})
    return factors


def warm_patterns(arrays: ProfileArrays) -> None:
    """Make the patterns a ranking over ``arrays`` gathers from: languages, sectors, and the
    claims and countries of every pairing (an index does this when it makes a segment)."""
    arrays.language_patterns  # noqa: B018 -- cached on the arrays
    arrays.sector_patterns  # noqa: B018
    for groups in _DISCRETE.values():
        for columns, _ in groups:
            arrays.patterns(columns)


def _discrete_formulas(pairing: Pairing, q: ProfileArrays, c: ProfileArrays,
                       encoders: Mapping[str, Any],
                       names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Return the factors ``names`` of the claims and countries of ``c`` (see the module's
    table)."""
    sme, partner = (q, c) if q.kind == "sme" else (c, q)
    factors: dict[str, Any] = {}
    if "cross_border" in names:
        abroad = sme.country != partner.country
        factors["cross_border"] = abroad & _welcomes(sme.targets, partner.country)
        if pairing is not MENTORSHIP:
            factors["cross_border"] = (factors["cross_border"]
                                       & _welcomes(partner.targets, sme.country))
    if pairing is MENTORSHIP:
        if "needs" in names:
            factors["needs"] = _cosine(sme.codes, partner.codes, _breadth(encoders, "needs"))
        if "markets" in names:
            factors["markets"] = _coverage(partner.targets, sme.targets,
                                           _breadth(encoders, "countries"))
        return factors
    if "needs" in names:
        # A buyer requiring nothing gives no evidence: 0, so saying nothing never beats
        # requirements the SME meets.
        factors["needs"] = (_shared(sme.certs, partner.certs)
                            * np.take(_INVERSE, partner.n_required))
    if "markets" in names:
        factors["markets"] = _has_bit(sme.targets, partner.country) * np.take(
            _linear_credit(_breadth(encoders, "countries")), _count(sme.targets))
    if "sourcing" in names:
        factors["sourcing"] = _has_bit(partner.targets, sme.country)
    if "diversity" in names:
        factors["diversity"] = (sme.groups & partner.groups) != 0
    return factors


def compute_factors(pairing: Pairing, query: ProfileArrays, candidates: ProfileArrays,
                    encoders: Mapping[str, Any], *,
                    defer: Collection[str] = ()) -> dict[str, np.ndarray]:
    """Return each factor of ``pairing`` as an array of values in [0, 1] over ``candidates``.

    Graded factors are float32, yes/no factors bool (a weight multiplies either). ``query``
    holds one profile (CSR); ``candidates`` any number (CSC). Role-specific columns of the query
    broadcast against the candidates', so one formula serves both orientations. Factors named
    in ``defer`` (of :data:`DEFERRABLE`) are left out, for the caller to compute on the rows it
    still needs with their own function (:func:`location_factor`).
    """
    parts = factor_parts(pairing, query, candidates, encoders, defer=defer)
    return {name: full_rows(part, len(candidates)) for name, part in parts.items()}


def factor_parts(pairing: Pairing, query: ProfileArrays, candidates: ProfileArrays,
                 encoders: Mapping[str, Any], *,
                 defer: Collection[str] = ()) -> dict[str, np.ndarray | Gathered]:
    """Return :func:`compute_factors`'s factors, those of a large segment's patterns not yet
    gathered per row (:class:`Gathered`), in the pairing's order of factors."""
    q, c = query, candidates
    factors: dict[str, Any] = {
        "sector": _sector(c, q),
        "language": _language(c, q),
        "text": sparse_dot(c.texts[pairing.name], q.texts[pairing.name]),
    }
    if "location" not in defer:
        factors["location"] = location_factor(pairing, q, c, encoders)
    factors.update(_discrete_factors(pairing, q, c, encoders))
    return {name: factors[name] for name in pairing.factors if name not in defer}
