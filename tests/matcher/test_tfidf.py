"""Tests of matcher.tfidf: the text factor's TF-IDF encoder."""

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from matcher.tfidf import PrefixAnalyzer, TextEncoder, keep_top_terms


def test_analyzer_folds_drops_stop_words_and_truncates():
    analyzer = PrefixAnalyzer(stem_length=5)
    assert analyzer("Inocuidad de la CALIDAD y l'export") == ["inocu", "calid", "expor"]


def test_analyzer_drops_generic_words_but_keeps_specific_words_of_their_stem():
    analyzer = PrefixAnalyzer(stem_length=5)
    assert analyzer("Certificación, business services and market experience") == []
    assert analyzer("Marketing for our company") == ["marke"]
    assert dict(analyzer.surfaces("Market and marketing support")) == {"marke": "marketing"}


def test_text_matches_across_accents_and_languages():
    docs = ["Certificación de calidad automotriz", "automotive quality certification",
            "Fromages fins au lait cru"]
    encoder = TextEncoder(field=None).fit(docs)
    X = encoder.transform(docs)
    similarity = (X @ X.T).toarray()
    assert similarity[0, 1] > 0.3
    assert similarity[0, 2] == 0.0
    assert encoder.surface_["autom"] in ("automotriz", "automotive")


def test_text_drops_stop_words_and_handles_empty_corpus():
    encoder = TextEncoder(field=None).fit(["", "de la y the"])
    assert encoder.transform(["anything"]).shape == (1, 0)
    assert encoder.transform([]).shape == (0, 0)


def test_keep_top_terms_bounds_row_length_and_renormalises():
    docs = ["alpha bravo charlie delta echo", "alpha"]
    encoder = TextEncoder(field=None, max_terms=None).fit(docs)
    X = keep_top_terms(encoder.transform(docs), 2)
    assert np.diff(X.indptr).tolist() == [2, 1]
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    assert norms == pytest.approx([1.0, 1.0])


def test_text_transform_equals_the_fitted_tfidf_vectorizer():
    docs = ["Certificación IATF 16949 y PPAP para autopartes", "quality quality audits",
            "Exporter des fromages fins aux États-Unis", ""]
    encoder = TextEncoder(field=None, max_terms=None).fit(docs)
    reference = TfidfVectorizer(analyzer=encoder.analyzer_, sublinear_tf=True).fit(docs)
    np.testing.assert_allclose(encoder.transform(docs).toarray(),
                               reference.transform(docs).toarray(), rtol=1e-5, atol=1e-6)


def test_text_drops_corpus_stop_words_only_in_large_corpora():
    small = TextEncoder(field=None).fit(["mentor export", "mentor quality", "mentor audits"])
    assert "mento" in small.vocabulary_
    docs = [f"mentor topic{i % 7} area{i}" for i in range(100)]
    large = TextEncoder(field=None).fit(docs)
    assert "mento" not in large.vocabulary_ and "topic" not in large.vocabulary_
    assert "area1" in large.vocabulary_
