"""The text factor's encoder: TF-IDF over accent-free prefix stems, for en/es/fr text."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from . import taxonomy as tx
from .stopwords import STOP_WORDS

__all__ = ["PrefixAnalyzer", "TextEncoder", "keep_top_terms"]

_WORD = re.compile(r"[^\W_]+")


def _values(X: Iterable[Any], field: str | None) -> list[Any]:
    return list(X) if field is None else [getattr(item, field) for item in X]


class PrefixAnalyzer:
    """Split text into accent-free words, drop stop words and keep each word's first letters.

    Truncating words to ``stem_length`` letters is a crude stemmer that also bridges cognates
    across English, Spanish and French: "certification", "certificación" and "certificat" all
    become ``certi``; "tomatoes" and "tomates" become ``tomat``.
    """

    def __init__(self, stem_length: int = 5) -> None:
        self.stem_length = stem_length

    def words(self, text: str) -> list[str]:
        """Return the folded words of ``text`` that are not stop words."""
        return [w for w in _WORD.findall(tx.fold(text)) if len(w) > 1 and w not in STOP_WORDS]

    def __call__(self, text: str) -> list[str]:
        """Return the stems of ``text``."""
        return [word[: self.stem_length] for word in self.words(text)]


class TextEncoder(TransformerMixin, BaseEstimator):
    """Encode free text as TF-IDF vectors over prefix stems (en/es/fr, accent-stripped).

    Parameters
    ----------
    field : str or None
        Record attribute holding the text, or None to take plain strings.
    stem_length : int
        Letters kept of each word (see :class:`PrefixAnalyzer`).
    min_df, max_df, sublinear_tf
        Passed to :class:`~sklearn.feature_extraction.text.TfidfVectorizer`.
    max_terms : int or None
        Keep only the heaviest terms of each document (then renormalise), bounding memory.
    """

    def __init__(self, field: str | None = None, stem_length: int = 5, min_df: int = 1,
                 max_df: float = 1.0, sublinear_tf: bool = True,
                 max_terms: int | None = 48) -> None:
        self.field = field
        self.stem_length = stem_length
        self.min_df = min_df
        self.max_df = max_df
        self.sublinear_tf = sublinear_tf
        self.max_terms = max_terms

    def fit(self, X: Iterable[Any], y: None = None) -> TextEncoder:
        """Learn the stem vocabulary, its IDF weights and a readable word for each stem."""
        docs = [text or "" for text in _values(X, self.field)]
        analyzer = PrefixAnalyzer(self.stem_length)
        self.vectorizer_ = TfidfVectorizer(
            analyzer=analyzer, min_df=self.min_df, max_df=self.max_df,
            sublinear_tf=self.sublinear_tf, dtype=np.float32,
        )
        try:
            self.vectorizer_.fit(docs)
            self.terms_ = self.vectorizer_.get_feature_names_out()
        except ValueError:  # no document has a single word: an empty vocabulary
            self.vectorizer_ = None
            self.terms_ = np.array([], dtype=object)
        surfaces = Counter(w for doc in docs for w in analyzer.words(doc))
        by_stem: dict[str, str] = {}
        for word, _ in surfaces.most_common():
            by_stem.setdefault(word[: self.stem_length], word)
        self.surface_ = {stem: by_stem[stem] for stem in self.terms_}
        return self

    def transform(self, X: Iterable[Any]) -> sp.csr_matrix:
        """Return a float32 CSR matrix of L2-normalised TF-IDF rows."""
        check_is_fitted(self, "terms_")
        docs = [text or "" for text in _values(X, self.field)]
        if self.vectorizer_ is None or not docs:
            return sp.csr_matrix((len(docs), len(self.terms_)), dtype=np.float32)
        matrix = self.vectorizer_.transform(docs).astype(np.float32)
        if self.max_terms is not None:
            matrix = keep_top_terms(matrix, self.max_terms)
        return matrix


def keep_top_terms(matrix: sp.csr_matrix, max_terms: int) -> sp.csr_matrix:
    """Keep the ``max_terms`` largest entries of each row of ``matrix`` and renormalise rows."""
    matrix = sp.csr_matrix(matrix)
    counts = np.diff(matrix.indptr)
    if counts.size == 0 or counts.max() <= max_terms:
        return matrix
    rows = np.repeat(np.arange(matrix.shape[0]), counts)
    order = np.lexsort((-matrix.data, rows))
    rank = np.arange(order.size) - np.repeat(matrix.indptr[:-1], counts)
    kept = np.sort(order[rank < max_terms])
    result = sp.csr_matrix((matrix.data[kept], matrix.indices[kept], _indptr(rows[kept], counts)),
                           shape=matrix.shape)
    norms = np.sqrt(np.asarray(result.multiply(result).sum(axis=1)).ravel())
    result.data /= np.repeat(np.where(norms > 0, norms, 1.0), np.diff(result.indptr)).astype(
        np.float32)
    return result


def _indptr(rows: np.ndarray, counts: np.ndarray) -> np.ndarray:
    per_row = np.bincount(rows, minlength=counts.size)
    return np.concatenate(([0], np.cumsum(per_row)))
