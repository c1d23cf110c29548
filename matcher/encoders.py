"""Factor encoders: scikit-learn transformers that turn profile fields into arrays.

The text encoder lives in :mod:`matcher.tfidf` and is re-exported here.

Each encoder takes either plain values (one item per profile: a tuple of codes, a string, a
``(latitude, longitude)`` pair) or, when its ``field`` parameter names a record attribute,
:class:`~matcher.records.ProfileRecord` objects. ``fit`` learns a vocabulary; ``transform``
returns NumPy or SciPy arrays with one row per profile.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from . import codesets
from . import taxonomy as tx
from .fitted import check_fitted
from .language_encoder import LanguageEncoder
from .tfidf import PrefixAnalyzer, TextEncoder, keep_top_terms

__all__ = [
    "EARTH_RADIUS_KM",
    "CodeSetEncoder",
    "LanguageEncoder",
    "LocationEncoder",
    "PrefixAnalyzer",
    "SectorPrefixEncoder",
    "TextEncoder",
    "certification_key",
    "keep_top_terms",
    "naics_depth",
]

EARTH_RADIUS_KM = 6371.0088
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_INTERN_LOCK = threading.Lock()


def _values(X: Iterable[Any], field: str | None) -> list[Any]:
    """Return the encoder's input values: ``X`` itself, or attribute ``field`` of each item."""
    if field is None:
        return list(X)
    return [getattr(item, field) for item in X]


def certification_key(name: str) -> str:
    """Return the comparison key of a certification ("GlobalG.A.P." -> "globalgap")."""
    return _NON_ALNUM.sub("", tx.fold(name))


def naics_depth(code: str) -> int:
    """Return the depth of a NAICS code: 2 for a sector ("31-33", "42") up to 6."""
    return 2 if "-" in code else len(code)


@lru_cache(maxsize=8192)
def _lineage(code: str) -> tuple[str, ...]:
    try:
        return tuple(tx.naics_lineage(code))
    except tx.UnknownCodeError:
        return ()


class SectorPrefixEncoder(TransformerMixin, BaseEstimator):
    """Encode NAICS codes as L2-normalised vectors over their 2- to 6-digit prefixes.

    A code is expanded to its lineage (``336390`` -> ``31-33, 336, 3363, 33639, 336390``) and
    each prefix gets the weight of its depth, deeper weighing more. The cosine of two vectors
    then orders ``336390`` ~ ``3363`` (0.63) > ``336`` (0.39) > ``31-33`` (0.22) against
    ``336390``, and two codes sharing the 4-digit group (0.40) stay above a bare subsector.
    The columns are every prefix of the NAICS taxonomy, not only those seen at fit time, so
    a code no profile had when the bundle was built is still compared exactly. Codes outside
    the taxonomy are ignored.

    Parameters
    ----------
    field : str or None
        Record attribute holding the codes, or None to take plain tuples of codes.
    level_weights : tuple of 5 floats
        Weights of the sector, subsector, group, industry and national-industry levels.
    """

    def __init__(self, field: str | None = "sectors",
                 level_weights: tuple[float, ...] = (0.45, 0.63, 1.0, 1.0, 1.2)) -> None:
        self.field = field
        self.level_weights = level_weights

    def fit(self, X: Iterable[Any], y: None = None) -> SectorPrefixEncoder:
        """Take the prefix vocabulary from the taxonomy (``X`` is only checked to be iterable)."""
        if len(self.level_weights) != 5 or min(self.level_weights) <= 0:
            raise ValueError("level_weights must be 5 positive floats (depths 2 to 6)")
        _values(X, self.field)
        ordered = sorted(tx.naics_codes(), key=lambda p: (naics_depth(p), p))
        self.prefixes_ = np.array(ordered, dtype=object)
        self.vocabulary_ = {prefix: col for col, prefix in enumerate(ordered)}
        return self

    def transform(self, X: Iterable[Any]) -> sp.csr_matrix:
        """Return a float32 CSR matrix, one L2-normalised row per profile."""
        check_is_fitted(self)
        rows: dict[tuple[str, ...], tuple[list[int], list[float]]] = {}
        indptr, indices, data = [0], [], []
        for codes in _values(X, self.field):
            key = tuple(codes)
            if key not in rows:
                rows[key] = self._encode(key)
            cols, vals = rows[key]
            indices.extend(cols)
            data.extend(vals)
            indptr.append(len(indices))
        shape = (len(indptr) - 1, len(self.vocabulary_))
        arrays = (np.asarray(data, np.float32), np.asarray(indices, np.int32),
                  np.asarray(indptr, np.int64))
        return sp.csr_matrix(arrays, shape=shape)

    def _encode(self, codes: tuple[str, ...]) -> tuple[list[int], list[float]]:
        weights = {}
        for code in codes:
            for level, prefix in enumerate(_lineage(code)):
                weights[prefix] = self.level_weights[level]
        # The norm counts prefixes unseen at fit time, so the cosine stays faithful.
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        known = sorted((self.vocabulary_[p], w / norm) for p, w in weights.items()
                       if p in self.vocabulary_)
        return [col for col, _ in known], [val for _, val in known]


class CodeSetEncoder(TransformerMixin, BaseEstimator):
    """Encode sets of codes (needs, countries, certifications) as bitmasks.

    A bitmask is a packed multi-hot vector: bit ``i`` is set when the profile has code
    ``codes_[i]``. Shared codes are then one ``&`` and one ``np.bitwise_count`` per candidate.
    The seed codes take the first bits, then the codes seen at fit time, most frequent first.
    There is no limit to the number of codes: rows whose codes all have bits below 64 are one
    integer each (of the smallest unsigned dtype that fits, uint64 with ``grow``), and a batch
    holding a code of bit 64 or more is encoded as several 64-bit words a row
    (:mod:`matcher.codesets`, which compares either form exactly). With ``grow`` a code unseen
    at fit time takes the next free bit when it is first encoded (a profile created after the
    bundle was built compares exactly); otherwise codes outside the vocabulary are ignored.

    Parameters
    ----------
    field : str or None
        Record attribute holding the codes, or None to take plain tuples of codes.
    vocabulary : sequence of str or None
        A fixed vocabulary (no learning), e.g. the needs vocabulary.
    seed : sequence of str
        Codes always in the learned vocabulary, first.
    max_codes : int or None
        Codes kept at fit time (the seed codes, then the most frequent); None: all of them.
    normalize : {None, "upper", "lower", "key"}
        How codes are compared; "key" folds case, accents and punctuation (certifications).
    grow : bool
        Give unseen codes free bits as they come.
    breadth : int or None
        How many codes a profile may claim at full credit, where a factor credits claims
        (expertise, markets known): beyond it, the claims share the credit of ``breadth``
        (:func:`matcher.factors.claim_credit`). None: no cap.
    """

    def __init__(self, field: str | None = None, vocabulary: Sequence[str] | None = None,
                 seed: Sequence[str] = (), max_codes: int | None = None,
                 normalize: str | None = None, grow: bool = False,
                 breadth: int | None = None) -> None:
        self.field = field
        self.vocabulary = vocabulary
        self.seed = seed
        self.max_codes = max_codes
        self.normalize = normalize
        self.grow = grow
        self.breadth = breadth

    def fit(self, X: Iterable[Any], y: None = None) -> CodeSetEncoder:
        """Learn the vocabulary (seed codes first, then the most frequent codes of ``X``)."""
        if self.max_codes is not None and not (isinstance(self.max_codes, int)
                                               and self.max_codes >= 1):
            raise ValueError("max_codes must be a positive integer or None")
        if self.normalize not in (None, "upper", "lower", "key"):
            raise ValueError(f"unknown normalize {self.normalize!r}")
        if self.breadth is not None and not (isinstance(self.breadth, int)
                                             and self.breadth >= 1):
            raise ValueError("breadth must be a positive integer or None")
        values = [] if self.vocabulary is not None else _values(X, self.field)
        counts = Counter(code for codes in values for code in codes)
        labels: dict[str, str] = {}
        for code in [*(self.vocabulary or ()), *self.seed, *counts]:
            labels.setdefault(self._key(code), code)
        pinned = dict.fromkeys(self._key(c) for c in [*(self.vocabulary or ()), *self.seed])
        ranked = sorted(counts, key=lambda code: (-counts[code], code))
        keys = list(dict.fromkeys([*pinned, *(self._key(c) for c in ranked)]))
        if (self.vocabulary is not None and self.max_codes is not None
                and len(keys) > self.max_codes):
            raise ValueError("vocabulary is longer than max_codes")
        self.codes_ = tuple(keys[: self.max_codes])
        self.index_ = {code: bit for bit, code in enumerate(self.codes_)}
        self.labels_ = {code: labels[code] for code in self.codes_}
        self.dtype_ = np.dtype(np.uint64 if self.grow else next(
            (t for t in (np.uint8, np.uint16, np.uint32)
             if np.iinfo(t).bits >= len(self.codes_)), np.uint64))
        return self

    def transform(self, X: Iterable[Any]) -> np.ndarray:
        """Return one bitmask per profile: a 1-D array of ``dtype_`` when every code of the
        batch has a bit within it, else a ``(n, words)`` uint64 array (see
        :mod:`matcher.codesets`)."""
        check_is_fitted(self)
        masks: dict[tuple[str, ...], int] = {}
        out = []
        for codes in _values(X, self.field):
            key = tuple(codes)
            if key not in masks:
                masks[key] = self.mask_of(key)
            out.append(masks[key])
        return codesets.pack(out, self.dtype_)

    def mask_of(self, codes: Iterable[str]) -> int:
        """Return the bitmask of ``codes`` as a Python int (of any number of bits)."""
        mask = 0
        for code in codes:
            bit = self.bit_of(code)
            if bit is not None:
                mask |= 1 << bit
        return mask

    def bit_of(self, code: str) -> int | None:
        """Return the bit of ``code``, giving it a free one with ``grow`` (None: no bit)."""
        key = self._key(code)
        bit = self.index_.get(key)
        if bit is not None or not getattr(self, "grow", False) or not key:
            return bit
        with _INTERN_LOCK:  # one bit per code, even when two threads see it first together
            bit = self.index_.get(key)
            if bit is None:
                bit = len(self.codes_)
                self.labels_ = {**self.labels_, key: code}
                self.codes_ = (*self.codes_, key)
                self.index_ = {**self.index_, key: bit}
            return bit

    def decode(self, mask: int) -> tuple[str, ...]:
        """Return the codes whose bits are set in ``mask`` (an int of any size: a wide row
        is :func:`matcher.codesets.row_int`'s), in vocabulary order."""
        mask, codes, found = int(mask), self.codes_, []
        while mask > 0:  # the set bits only, lowest first
            low = mask & -mask
            bit = low.bit_length() - 1
            if bit >= len(codes):
                break
            found.append(codes[bit])
            mask ^= low
        return tuple(found)

    def to_multi_hot(self, masks: np.ndarray) -> np.ndarray:
        """Unpack bitmasks (narrow or wide) to a dense ``(n, len(codes_))`` uint8 matrix."""
        check_is_fitted(self)
        masks = np.asarray(masks)
        words = masks.astype(np.uint64)[:, None] if masks.ndim == 1 else masks
        bits = np.arange(codesets.WORD_BITS, dtype=np.uint64)
        hot = ((words[:, :, None] >> bits) & 1).reshape(len(words), -1)
        n = len(self.codes_)
        if hot.shape[1] < n:
            hot = np.pad(hot, ((0, 0), (0, n - hot.shape[1])))
        return hot[:, :n].astype(np.uint8)

    def _key(self, code: str) -> str:
        if self.normalize == "upper":
            return code.upper()
        if self.normalize == "lower":
            return code.lower()
        if self.normalize == "key":
            return certification_key(code)
        return code


class LocationEncoder(TransformerMixin, BaseEstimator):
    """Encode latitude/longitude as float64 unit vectors on the sphere.

    The distance of two profiles is ``R * arccos(u . v)`` and their location similarity
    ``exp(-d / scale_km)``. A profile without coordinates encodes to the zero vector and its
    similarity is 0 (no evidence either way).

    Parameters
    ----------
    scale_km : float
        Distance at which the similarity falls to 1/e.
    virtual_reach : float
        Location similarity, at least, of a mentor who meets virtually: distance does not
        keep it from mentoring, though nearby it may also meet in person (more).
    """

    def __init__(self, scale_km: float = 400.0, virtual_reach: float = 0.4) -> None:
        self.scale_km = scale_km
        self.virtual_reach = virtual_reach

    def fit(self, X: Any = None, y: None = None) -> LocationEncoder:
        """Validate the parameters (there is nothing to learn)."""
        if not self.scale_km > 0:
            raise ValueError("scale_km must be positive")
        if not 0 <= self.virtual_reach <= 1:
            raise ValueError("virtual_reach must be between 0 and 1")
        self.radius_km_ = EARTH_RADIUS_KM
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Return an ``(n, 3)`` float64 array of unit vectors (zeros where missing)."""
        check_is_fitted(self)
        items = list(X)
        if items and hasattr(items[0], "latitude"):
            items = [(r.latitude, r.longitude) for r in items]
        coords = np.array([[np.nan if v is None else v for v in pair] for pair in items],
                          dtype=np.float64).reshape(-1, 2)
        lat, lon = np.radians(coords[:, 0]), np.radians(coords[:, 1])
        units = np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon),
                                 np.sin(lat)))
        return np.nan_to_num(units, nan=0.0)

    def distance_km(self, units: np.ndarray, query: np.ndarray) -> np.ndarray:
        """Return great-circle distances from ``query`` to each row (NaN where missing)."""
        check_fitted(self, "radius_km_")
        cos = np.clip(units @ query, -1.0, 1.0)
        known = np.any(units != 0, axis=1) & bool(np.any(query != 0))
        return np.where(known, self.radius_km_ * np.arccos(cos), np.nan)

    def similarity(self, units: np.ndarray, query: np.ndarray,
                   located: np.ndarray | None = None) -> np.ndarray:
        """Return ``exp(-d / scale_km)`` for each row, 0 where either side has no location."""
        check_fitted(self, "radius_km_")
        if not np.any(query):
            return np.zeros(len(units), np.float32)
        cos = np.clip(units @ query, -1.0, 1.0).astype(np.float32)
        # The dot product is float64; arccos and exp in float32 err by ~0.3 km at most, which
        # moves exp(-d / scale) by far less than any weight (reasons use distance_km).
        sim = np.exp(np.arccos(cos) * np.float32(-self.radius_km_ / self.scale_km))
        if located is None:
            located = np.any(units != 0, axis=1)
        return sim * located
