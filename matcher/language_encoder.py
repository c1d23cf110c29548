"""The language factor's encoder: spoken languages as sparse rows over every ISO 639 code.

The columns are the taxonomy's language codes (:func:`matcher.taxonomy.language_codes`), not
codes seen at fit time: a profile created after a bundle was built, speaking a language no
profile spoke then (Tzeltal), is compared exactly. An SME's row weighs its languages — the
first listed (its preferred language) and the region's Indigenous languages count
``key_weight`` times, the others once — and sums to 1; a partner's row has 1 per language. The
product of the two is then the share of the SME's (weighted) languages the partner speaks,
whichever side is the query.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from . import taxonomy as tx
from .fitted import check_fitted

__all__ = ["LanguageEncoder"]


class LanguageEncoder(TransformerMixin, BaseEstimator):
    """Encode lists of language codes as float32 sparse rows over all ISO 639 codes.

    Parameters
    ----------
    key_weight : float
        Weight of the preferred (first-listed) language and of Indigenous languages in a
        weighted row; other languages weigh 1.
    """

    def __init__(self, key_weight: float = 2.0) -> None:
        self.key_weight = key_weight

    def fit(self, X: Any = None, y: None = None) -> LanguageEncoder:
        """Take the columns from the taxonomy (nothing is learned from ``X``)."""
        if not self.key_weight >= 1:
            raise ValueError("key_weight must be at least 1")
        self.codes_ = tx.language_codes()
        self.vocabulary_ = {str(code): col for col, code in enumerate(self.codes_)}
        return self

    def transform(self, X: Iterable[Sequence[str]], weighted: bool = False) -> sp.csr_matrix:
        """Return one row per list of codes: 1 per language, or SME weights when ``weighted``.

        Codes that are not languages (rejected by the validators) are ignored.
        """
        check_is_fitted(self)
        indptr, indices, data = [0], [], []
        for codes in X:
            cols = self._columns(codes)
            weights = self._weights(codes, cols) if weighted else [1.0] * len(cols)
            order = sorted(range(len(cols)), key=cols.__getitem__)
            indices.extend(cols[j] for j in order)
            data.extend(weights[j] for j in order)
            indptr.append(len(indices))
        arrays = (np.asarray(data, np.float32), np.asarray(indices, np.int32),
                  np.asarray(indptr, np.int64))
        return sp.csr_matrix(arrays, shape=(len(indptr) - 1, len(self.codes_)))

    def _columns(self, codes: Sequence[str]) -> list[int]:
        cols: dict[int, None] = {}
        for code in codes:
            col = self.vocabulary_.get(str(code).lower())
            if col is not None:
                cols.setdefault(col)
        return list(cols)

    def _weights(self, codes: Sequence[str], cols: list[int]) -> list[float]:
        first = self.vocabulary_.get(str(codes[0]).lower()) if codes else None
        raw = [self.key_weight if col == first or self.codes_[col] in tx.INDIGENOUS_LANGUAGES
               else 1.0 for col in cols]
        total = sum(raw) or 1.0
        return [w / total for w in raw]

    def decode(self, columns: Iterable[int]) -> tuple[str, ...]:
        """Return the codes of ``columns``."""
        check_fitted(self, "codes_")
        return tuple(self.codes_[col] for col in columns)
