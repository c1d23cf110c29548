"""The text factor's encoder: TF-IDF over accent-free prefix stems, for en/es/fr text."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from . import taxonomy as tx
from .stopwords import IGNORED_WORDS

__all__ = ["PrefixAnalyzer", "TextEncoder", "keep_top_terms", "normalize_rows"]

_WORD = re.compile(r"[^\W_]+")
_MIN_CAPPED_COUNT = 20


def _values(X: Iterable[Any], field: str | None) -> list[Any]:
    return list(X) if field is None else [getattr(item, field) for item in X]


class PrefixAnalyzer:
    """Split text into accent-free words, drop stop words and generic words
    (:data:`~matcher.stopwords.IGNORED_WORDS`) and keep each word's first letters.

    Truncating words to ``stem_length`` letters is a crude stemmer that also bridges cognates
    across English, Spanish and French: "certification", "certificación" and "certificat" all
    become ``certi``; "tomatoes" and "tomates" become ``tomat``.
    """

    def __init__(self, stem_length: int = 5) -> None:
        self.stem_length = stem_length

    def words(self, text: str) -> list[str]:
        """Return the folded words of ``text`` that are neither stop words nor generic."""
        return [w for w in _WORD.findall(tx.fold(text))
                if len(w) > 1 and w not in IGNORED_WORDS]

    def surfaces(self, text: str) -> Mapping[str, str]:
        """Return each stem of ``text`` with the first word that gave it, as written (lowercase,
        accents kept); read-only, and kept for the texts last asked about (a profile's
        rankings explain its one text again and again)."""
        return _surfaces(text or "", self.stem_length)

    def __call__(self, text: str) -> list[str]:
        """Return the stems of ``text``."""
        return [word[: self.stem_length] for word in self.words(text)]


@functools.lru_cache(maxsize=1024)
def _surfaces(text: str, stem_length: int) -> Mapping[str, str]:
    found: dict[str, str] = {}
    for word in _WORD.findall(text):
        folded = tx.fold(word)
        if len(folded) > 1 and folded not in IGNORED_WORDS:
            found.setdefault(folded[:stem_length], word.lower())
    return MappingProxyType(found)


class TextEncoder(TransformerMixin, BaseEstimator):
    """Encode free text as TF-IDF vectors over prefix stems (en/es/fr, accent-stripped).

    Parameters
    ----------
    field : str or None
        Record attribute holding the text, or None to take plain strings.
    stem_length : int
        Letters kept of each word (see :class:`PrefixAnalyzer`).
    min_df, sublinear_tf
        Passed to the :class:`~sklearn.feature_extraction.text.TfidfVectorizer` that learns
        the vocabulary and the IDF weights.
    max_df : float
        Drop stems found in more than this share of the documents (corpus-specific stop words
        such as "mentor" in every bio; they cost scoring time and carry no signal). Applied
        only to stems in more than 20 documents, so small corpora keep all their words.
    max_terms : int or None
        Keep only the heaviest terms of each document (then renormalise), bounding memory.
    """

    def __init__(self, field: str | None = None, stem_length: int = 5, min_df: int = 1,
                 max_df: float = 0.5, sublinear_tf: bool = True,
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
        self.analyzer_ = PrefixAnalyzer(self.stem_length)
        max_count = max(int(self.max_df * len(docs)), _MIN_CAPPED_COUNT)
        vectorizer = TfidfVectorizer(analyzer=self.analyzer_, min_df=self.min_df,
                                     max_df=max_count, sublinear_tf=self.sublinear_tf)
        try:
            vectorizer.fit(docs)
            self.terms_ = vectorizer.get_feature_names_out()
            self.idf_ = vectorizer.idf_.astype(np.float32)
        except ValueError:  # no document has a single word: an empty vocabulary
            self.terms_ = np.array([], dtype=object)
            self.idf_ = np.array([], dtype=np.float32)
        self.vocabulary_ = {str(term): col for col, term in enumerate(self.terms_)}
        surfaces = Counter(w for doc in docs for w in self.analyzer_.words(doc))
        by_stem: dict[str, str] = {}
        for word, _ in surfaces.most_common():
            by_stem.setdefault(word[: self.stem_length], word)
        self.surface_ = {stem: by_stem[stem] for stem in self.vocabulary_}
        return self

    def transform(self, X: Iterable[Any]) -> sp.csr_matrix:
        """Return a float32 CSR matrix of L2-normalised TF-IDF rows.

        Computes what the fitted ``TfidfVectorizer`` would (raw or ``1 + log`` counts times
        IDF, L2-normalised), without its per-call overhead: a query is one short document.
        """
        check_is_fitted(self, "terms_")
        vocabulary, analyzer = self.vocabulary_, self.analyzer_
        indptr, indices, counts = [0], [], []
        for text in _values(X, self.field):
            tally: dict[int, int] = {}
            for stem in analyzer(text or ""):
                col = vocabulary.get(stem)
                if col is not None:
                    tally[col] = tally.get(col, 0) + 1
            ordered = sorted(tally)
            indices.extend(ordered)
            counts.extend(tally[col] for col in ordered)
            indptr.append(len(indices))
        cols = np.asarray(indices, np.int32)
        tf = np.asarray(counts, np.float32)
        if self.sublinear_tf:
            tf = 1.0 + np.log(tf)
        matrix = sp.csr_matrix((tf * self.idf_[cols], cols, np.asarray(indptr, np.int64)),
                               shape=(len(indptr) - 1, len(self.terms_)))
        normalize_rows(matrix)
        if self.max_terms is not None:
            matrix = keep_top_terms(matrix, self.max_terms)
        return matrix


def normalize_rows(matrix: sp.csr_matrix) -> None:
    """Scale each row of a CSR matrix to unit L2 norm, in place (empty rows stay empty)."""
    counts = np.diff(matrix.indptr)
    rows = np.repeat(np.arange(matrix.shape[0]), counts)
    norms = np.sqrt(np.bincount(rows, weights=matrix.data.astype(np.float64) ** 2,
                                minlength=matrix.shape[0]))
    matrix.data /= norms[rows].astype(matrix.data.dtype)


def keep_top_terms(matrix: sp.csr_matrix, max_terms: int) -> sp.csr_matrix:
    """Keep the ``max_terms`` largest entries of each row of ``matrix`` and renormalise rows.

    Ties keep the lower column.
    """
    matrix = sp.csr_matrix(matrix)
    counts = np.diff(matrix.indptr)
    if counts.size == 0 or counts.max() <= max_terms:
        return matrix
    rows = np.repeat(np.arange(matrix.shape[0]), counts)
    order = np.lexsort((matrix.indices, -matrix.data, rows))
    rank = np.arange(order.size) - np.repeat(matrix.indptr[:-1], counts)
    kept = np.sort(order[rank < max_terms])
    per_row = np.bincount(rows[kept], minlength=counts.size)
    result = sp.csr_matrix((matrix.data[kept], matrix.indices[kept],
                            np.concatenate(([0], np.cumsum(per_row)))), shape=matrix.shape)
    normalize_rows(result)
    return result
