"""Profile features: the arrays each profile kind contributes to the factors.

:func:`encode_profiles` runs the fitted encoders over records of one kind and returns a
:class:`ProfileArrays`, one row per profile. The same function encodes a query (one row, CSR)
and a candidate index segment (many rows, converted to CSC for column-wise scoring).

What each kind contributes:

======== ================== ==================== =============================== ============
kind     ``codes``          ``targets``          ``certs``                       texts
======== ================== ==================== =============================== ============
sme      needs              markets              certifications held             mentorship:
                                                                                 needs text +
                                                                                 description;
                                                                                 trade:
                                                                                 products +
                                                                                 description
mentor   expertise          markets (known)      --                              bio +
                                                                                 description
buyer    --                 sourcing countries   required certifications         products +
                            and markets                                          description
======== ================== ==================== =============================== ============

Every kind has ``languages`` (sparse over all ISO 639 codes; an SME's row is weighted, see
:class:`~matcher.language_encoder.LanguageEncoder`). A mentor also has ``mode`` (one of
:data:`MODES`' indices), an SME ``groups`` (the ownership groups it declared, a bitmask over
:data:`~matcher.records.OWNERSHIP_GROUPS`) and a buyer ``groups`` (its supplier-diversity
goals, same bits). An index row also has ``claims``, a digest of what the profile claims,
and ``blank``, a bit per role (:data:`TEXT_FIELDS` order) whose text it left empty, which
:mod:`matcher.duplicates` compares. ``codes``, ``targets`` and ``certs``
(:data:`CODE_SET_COLUMNS`) are code-set masks, one integer a row or, when a row holds a code
numbered 64 or more, several 64-bit words a row (:mod:`matcher.codesets`); ``country`` is the
country's number in the countries encoder (:data:`UNKNOWN_COUNTRY` for none).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from . import codesets
from . import taxonomy as tx
from .duplicates import claims_digest
from .encoders import certification_key
from .errors import InvalidRecordError
from .records import OWNERSHIP_GROUPS, ProfileRecord

__all__ = ["CODE_SET_COLUMNS", "MODES", "TEXT_FIELDS", "UNKNOWN_COUNTRY", "ProfileArrays",
           "blank_of", "encode_profiles", "group_mask", "text_corpus"]

MODES: tuple[str | None, ...] = (None, "in_person", "virtual", "both")
"""A mentor's ``mode`` column holds the index of its mode here (0: not stated)."""

UNKNOWN_COUNTRY = 255
_LETTER = re.compile(r"[^\W_]")
CODE_SET_COLUMNS = ("targets", "codes", "certs")
"""Columns of code-set masks, narrow or wide (:mod:`matcher.codesets`)."""
TEXT_FIELDS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "sme": {"mentorship": ("needs_text", "description"),
            "trade": ("products_text", "description")},
    "mentor": {"mentorship": ("bio", "description")},
    "buyer": {"trade": ("products_text", "description")},
}
@dataclass(eq=False)
class ProfileArrays:
    """Column arrays of profiles of one kind; ``None`` where the kind has no such column."""

    kind: str
    ids: np.ndarray
    country: np.ndarray
    languages: np.ndarray
    targets: np.ndarray
    sector: sp.spmatrix
    units: np.ndarray
    located: np.ndarray
    texts: dict[str, sp.spmatrix]
    codes: np.ndarray | None = None
    certs: np.ndarray | None = None
    n_required: np.ndarray | None = None
    mode: np.ndarray | None = None
    groups: np.ndarray | None = None
    claims: np.ndarray | None = None
    blank: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    @functools.cached_property
    def language_patterns(self) -> tuple[np.ndarray, sp.csc_matrix]:
        """Return each row's language pattern and the distinct patterns (rows of a CSC matrix).

        Profiles speak few distinct combinations of languages, so a factor of the languages
        is computed once per pattern and gathered per row (:func:`matcher.factors`). Built
        when an index segment is made; exact for any code, seen at fit time or not.
        """
        return _row_patterns(self.languages)

    @functools.cached_property
    def sector_patterns(self) -> tuple[np.ndarray, sp.csc_matrix]:
        """Return each row's sector pattern and the distinct patterns, as
        :attr:`language_patterns` (100,000 candidates hold about 9,000 distinct sector sets)."""
        return _row_patterns(self.sector)

    def patterns(self, columns: tuple[str, ...]) -> tuple[np.ndarray, ProfileArrays]:
        """Return each row's pattern of ``columns`` and one row per distinct pattern.

        The patterns number the distinct combinations of the columns' values (0, 1, ... as
        :func:`numpy.unique` orders them); the arrays returned hold those combinations in that
        order, with ``kind``, ``ids`` (of a row showing each) and ``columns`` only, the other
        columns None. A factor of these columns alone is computed once per pattern and
        gathered per row (:mod:`matcher.factors`), as the language factor is. Made once per
        arrays (an index segment's) and kept; the row patterns are ``intp``, what
        :func:`numpy.take` gathers with without converting them first.
        """
        made = self.__dict__.setdefault("_patterns", {})
        if columns not in made:
            made[columns] = _patterns(self, columns)
        return made[columns]

    @property
    def nbytes(self) -> int:
        """Return the bytes held by the arrays (sparse data, indices and pointers included)."""
        return sum(_nbytes(value) for value in self._columns().values())

    def take(self, rows: np.ndarray) -> ProfileArrays:
        """Return the profiles at ``rows`` (sparse columns keep their format)."""
        def pick(value: Any) -> Any:
            if sp.issparse(value):
                return value.tocsr()[rows].asformat(value.format)
            return value[rows]
        return self._map(pick)

    def to_format(self, fmt: str) -> ProfileArrays:
        """Return a copy whose sparse columns are in ``fmt`` ("csr" or "csc"), indices sorted."""
        def convert(value: Any) -> Any:
            if not sp.issparse(value):
                return value
            matrix = value.asformat(fmt)
            matrix.sort_indices()
            return matrix
        return self._map(convert)

    @classmethod
    def concat(cls, parts: Sequence[ProfileArrays], fmt: str = "csc") -> ProfileArrays:
        """Stack profiles of the same kind, sparse columns in ``fmt``."""
        first = parts[0]
        values = {}
        for name, value in first._columns().items():
            column = [part._columns()[name] for part in parts]
            if value is None:
                values[name] = None
            elif sp.issparse(value):
                values[name] = sp.vstack(column, format=fmt)
            elif name in CODE_SET_COLUMNS:  # of different widths when a code took bit 64
                values[name] = codesets.stack(column)
            else:
                values[name] = np.concatenate(column)
        texts = {role: values.pop(f"text:{role}") for role in first.texts}
        return replace(first, texts=texts, **values).to_format(fmt)

    def _columns(self) -> dict[str, Any]:
        columns = {f.name: getattr(self, f.name) for f in fields(self)
                   if f.name not in ("kind", "texts")}
        columns.update({f"text:{role}": matrix for role, matrix in self.texts.items()})
        return columns

    def _map(self, function: Any) -> ProfileArrays:
        values = {name: None if value is None else function(value)
                  for name, value in self._columns().items()}
        texts = {role: values.pop(f"text:{role}") for role in self.texts}
        return replace(self, texts=texts, **values)


def _row_patterns(matrix: sp.spmatrix) -> tuple[np.ndarray, sp.csc_matrix]:
    """Return each row's pattern (the distinct rows numbered as first seen, ``intp``: what
    :func:`numpy.take` gathers with) and the distinct rows, as a CSC matrix."""
    rows = matrix.tocsr()
    keys: dict[tuple, int] = {}
    pattern = np.empty(rows.shape[0], np.intp)
    for i in range(rows.shape[0]):
        lo, hi = rows.indptr[i], rows.indptr[i + 1]
        key = (rows.indices[lo:hi].tobytes(), rows.data[lo:hi].tobytes())
        pattern[i] = keys.setdefault(key, len(keys))
    first = np.unique(pattern, return_index=True)[1]
    return pattern, sp.csc_matrix(rows[first])


def _patterns(arrays: ProfileArrays, columns: tuple[str, ...]) -> tuple[np.ndarray,
                                                                         ProfileArrays]:
    key = np.zeros(len(arrays), np.intp)
    for name in columns:
        value = getattr(arrays, name)
        if value is None or not len(arrays):
            continue
        inverse = codesets.unique_inverse(value)
        # Renumbered after each column, so the combined key stays below the row count.
        _, key = np.unique(key * (int(inverse.max()) + 1) + inverse, return_inverse=True)
    first = np.unique(key, return_index=True)[1]
    kept = {f.name: None for f in fields(arrays) if f.name not in ("kind", "texts")}
    kept.update({name: getattr(arrays, name)[first] for name in ("ids", *columns)
                 if getattr(arrays, name) is not None})
    return key.astype(np.intp, copy=False), replace(arrays, texts={}, **kept)


def _nbytes(value: Any) -> int:
    if value is None:
        return 0
    if sp.issparse(value):
        return value.data.nbytes + value.indices.nbytes + value.indptr.nbytes
    return int(value.nbytes)


def text_corpus(records: Sequence[ProfileRecord]) -> list[str]:
    """Return every text the text encoder will see for ``records`` (one per record and role)."""
    return [_joined(record, names) for record in records
            for names in TEXT_FIELDS[record.kind].values()]


def _joined(record: ProfileRecord, names: tuple[str, ...]) -> str:
    return " ".join(getattr(record, name) for name in names if getattr(record, name))


def encode_profiles(encoders: Mapping[str, Any], records: Sequence[ProfileRecord],
                    kind: str, fmt: str = "csr",
                    roles: Sequence[str] | None = None) -> ProfileArrays:
    """Encode ``records`` (all of ``kind``) with the fitted ``encoders``.

    ``roles`` restricts the text columns to those pairings (a query needs only one); the
    claims digest (``claims``, for :mod:`matcher.duplicates`) is made only without it.

    Raises
    ------
    InvalidRecordError
        If a record is not of ``kind``.
    """
    strays = [record.id for record in records if record.kind != kind]
    if strays:
        raise InvalidRecordError(f"profiles {strays[:5]} are not of kind {kind!r}")
    countries = encoders["countries"]
    texts = {role: encoders["text"].transform([_joined(r, names) for r in records])
             for role, names in TEXT_FIELDS[kind].items() if roles is None or role in roles}
    units = encoders["location"].transform([(r.latitude, r.longitude) for r in records])
    arrays = ProfileArrays(
        kind=kind,
        ids=np.fromiter((r.id for r in records), np.int64, len(records)),
        country=np.fromiter((_country_index(countries, r.country) for r in records), np.uint8,
                            len(records)),
        languages=encoders["languages"].transform([r.languages for r in records],
                                                  weighted=kind == "sme"),
        targets=countries.transform([_targets(r) for r in records]),
        sector=encoders["sector"].transform([r.sectors for r in records]),
        units=units,
        located=np.any(units != 0, axis=1),
        texts=texts,
    )
    if roles is None:  # index rows, not queries
        arrays.claims = np.fromiter((_claims(r) for r in records), np.uint64, len(records))
        arrays.blank = np.fromiter((_blank(r) for r in records), np.uint8, len(records))
    return _add_kind_columns(arrays, encoders, records).to_format(fmt)


def _blank(record: ProfileRecord) -> int:
    """Return the bits (one per role, in :data:`TEXT_FIELDS` order) of the roles whose text
    the profile left empty: not a letter or digit written."""
    return sum(1 << bit for bit, names in enumerate(TEXT_FIELDS[record.kind].values())
               if _LETTER.search(_joined(record, names)) is None)


def blank_of(arrays: ProfileArrays, role: str, rows: np.ndarray) -> np.ndarray:
    """Tell which of the index ``rows`` left their text for ``role`` empty (see ``blank``)."""
    if arrays.blank is None:
        return np.zeros(len(rows), bool)
    bit = list(TEXT_FIELDS[arrays.kind]).index(role)
    return (arrays.blank[rows] >> np.uint8(bit) & 1).astype(bool)


def _claims(record: ProfileRecord) -> int:
    """Return the digest of what a profile claims and where; name and contacts are left out."""
    return claims_digest((
        record.kind, record.country.upper(), (record.subdivision or "").upper(),
        tx.fold(record.city or ""), record.sectors,
        {code.lower() for code in record.languages}, record.needs, record.expertise,
        {code.upper() for code in record.markets},
        {code.upper() for code in record.sourcing_countries},
        {certification_key(name) for name in record.certifications},
        {certification_key(name) for name in record.required_certifications}, record.mode,
        record.ownership, record.diversity_goals))


def _country_index(countries: Any, code: str) -> int:
    bit = countries.bit_of(code) if hasattr(countries, "bit_of") else countries.index_.get(
        code.upper())
    # ISO 3166 has 249 countries: a program never numbers 255 of them.
    return UNKNOWN_COUNTRY if bit is None or bit >= UNKNOWN_COUNTRY else bit


def group_mask(groups: Sequence[str]) -> int:
    """Return the bitmask of ownership ``groups`` over OWNERSHIP_GROUPS (others ignored)."""
    return sum(1 << bit for bit, group in enumerate(OWNERSHIP_GROUPS) if group in groups)


def _targets(record: ProfileRecord) -> tuple[str, ...]:
    """Return the countries a profile's cross-border factors read: where a buyer buys from
    (its own markets are where it sells, nothing about its suppliers), else its markets."""
    if record.kind == "buyer":
        return record.sourcing_countries
    return record.markets


def _add_kind_columns(arrays: ProfileArrays, encoders: Mapping[str, Any],
                      records: Sequence[ProfileRecord]) -> ProfileArrays:
    if arrays.kind == "sme":
        arrays.codes = encoders["needs"].transform([r.needs for r in records])
        arrays.certs = encoders["certifications"].transform([r.certifications for r in records])
        arrays.groups = np.fromiter((group_mask(r.ownership) for r in records), np.uint8,
                                    len(records))
    elif arrays.kind == "mentor":
        arrays.codes = encoders["needs"].transform([r.expertise for r in records])
        arrays.mode = np.fromiter((MODES.index(r.mode) if r.mode in MODES else 0
                                   for r in records), np.uint8, len(records))
    else:
        arrays.groups = np.fromiter((group_mask(r.diversity_goals) for r in records),
                                    np.uint8, len(records))
        required = [r.required_certifications for r in records]
        arrays.certs = encoders["certifications"].transform(required)
        counts = (len({certification_key(name) for name in names}) for names in required)
        arrays.n_required = np.fromiter((min(n, 255) for n in counts), np.uint8, len(records))
    return arrays
