"""Near-duplicate candidates: a claims digest made at encode time, collapsed in every ranking.

A copy of a profile (a second account with the same content under another name or contact)
scores what its original scores, so a ranking by score shows both side by side: on the demo
program a copy of the most-shown mentor sits beside it in 54 of 292 SME top-5s. Two candidates
are **near-duplicates** when

* their *claims* are the same: kind, place (country, state or province, city), sectors,
  languages, needs or expertise, markets, sourcing countries, certifications (held or
  required), mentor mode, declared ownership and diversity goals — compared as one 64-bit
  digest per profile (:func:`claims_digest`, the ``claims`` column of the index), which leaves
  out the name, the contact details and the coordinates; and
* their texts for the pairing ranked (a mentor's bio, a buyer's products sought, ...) are
  nearly the same: TF-IDF cosine at least :data:`MIN_TEXT_COSINE` (0.8), or both left empty
  (nothing written: their vectors are zero, so their cosine is 0, yet nothing tells them
  apart; the index's ``blank`` column says so, as a written text whose words are all outside
  the fitted vocabulary is a zero vector too and is no copy of another). Two words changed in
  a 25-word bio leave a cosine of about 0.86; the closest texts of two different generated
  demo profiles have 0.83–0.91, but never the same claims.

:func:`distinct_positions` keeps, from candidates listed best first, each one that is not a
near-duplicate of one kept before it: the better-scored of a group stays (on a tie of score,
the lower id, usually the original). :func:`matcher.ranking.rank` applies it to its pool of
best candidates (``k``, or ``k + depth`` with the fair-exposure re-ranker, plus
:data:`DUPLICATE_MARGIN` to backfill), before any re-ranking, so no list shows a profile
twice. Texts are compared only for the candidates of the pool whose claims are the same as
another's, so a ranking without such candidates costs one comparison of the pool's digests.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import scipy.sparse as sp

__all__ = ["DUPLICATE_MARGIN", "MIN_TEXT_COSINE", "claims_digest", "distinct_positions",
           "near_duplicates"]

MIN_TEXT_COSINE = 0.8
"""Text cosine from which two candidates with the same claims are near-duplicates."""
DUPLICATE_MARGIN = 5
"""Candidates ranked beyond the pool, so that collapsing duplicates still fills it."""

TextRows = Callable[[np.ndarray], sp.spmatrix]  # pool positions -> their text rows
Blanks = Callable[[np.ndarray], np.ndarray]  # pool positions -> whether their text is empty


def claims_digest(values: Iterable[object]) -> int:
    """Return a 64-bit digest of a profile's claims (each value a str or a set of str)."""
    parts = []
    for value in values:
        if isinstance(value, str) or value is None:
            parts.append("" if value is None else value)
        else:
            parts.append(",".join(sorted(str(item) for item in value)))
    digest = hashlib.blake2b("|".join(parts).encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "little")


def near_duplicates(claims: np.ndarray, texts: TextRows,
                    min_text: float = MIN_TEXT_COSINE,
                    blank: Blanks | None = None) -> np.ndarray:
    """Return the ``(n, n)`` boolean matrix of which candidates are near-duplicates.

    ``texts(positions)`` returns the L2-normalised text rows of those candidates; it is called
    only for candidates sharing their claims with another. ``blank(positions)``, when given
    (called for those candidates too), tells which of them left their text empty (nothing
    written): two of them are near-duplicates. The diagonal is False.
    """
    claims = np.asarray(claims, np.uint64)
    twins = claims[:, None] == claims[None, :]
    np.fill_diagonal(twins, False)
    shared = np.flatnonzero(twins.any(axis=1))
    if shared.size:
        rows = sp.csr_matrix(texts(shared))
        close = np.asarray((rows @ rows.T).todense()) >= min_text
        if blank is not None:
            # Two texts left empty are the same text, though their cosine (of zero vectors)
            # is 0. A written text whose words are all outside the vocabulary is a zero vector
            # too, yet says something: only texts with nothing written count.
            empty = np.asarray(blank(shared), bool)
            close |= empty[:, None] & empty[None, :]
        twins[np.ix_(shared, shared)] &= close
    return twins


def distinct_positions(claims: Sequence[int] | np.ndarray, texts: TextRows,
                       min_text: float = MIN_TEXT_COSINE,
                       blank: Blanks | None = None) -> list[int]:
    """Return the positions kept: each that is no near-duplicate of one kept before it.

    ``claims`` lists candidates best first (a pool, some tens of rows); ``texts`` and
    ``blank`` as in :func:`near_duplicates`.
    """
    twins = near_duplicates(claims, texts, min_text, blank)
    kept = np.ones(len(twins), bool)
    # Only a candidate with a twin can be dropped (and only by one with a twin: the relation
    # is symmetric), so only those are walked: most pools have none.
    for i in np.flatnonzero(twins.any(axis=1)).tolist():
        if (twins[i, :i] & kept[:i]).any():
            kept[i] = False
    return np.flatnonzero(kept).tolist()
