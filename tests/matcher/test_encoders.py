"""Tests of matcher.encoders: the estimator contract and each encoder's behaviour."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from matcher.codesets import row_int, shared_count
from matcher.encoders import (
    CodeSetEncoder,
    LocationEncoder,
    SectorPrefixEncoder,
    TextEncoder,
    certification_key,
)

SAMPLES = {
    SectorPrefixEncoder: [("336390",), ("3363", "311")],
    CodeSetEncoder: [("es",), ("en", "fr")],
    TextEncoder: ["Certificación de calidad", "quality certification"],
    LocationEncoder: [(31.7, -106.4), (None, None)],
}


def _make(cls):
    return cls(field=None) if cls in (SectorPrefixEncoder, CodeSetEncoder, TextEncoder) else cls()


@pytest.mark.parametrize("cls", list(SAMPLES))
def test_estimator_contract(cls):
    encoder = _make(cls)
    assert clone(encoder).get_params() == encoder.get_params()
    with pytest.raises(NotFittedError):
        encoder.transform(SAMPLES[cls])
    assert encoder.fit(SAMPLES[cls]) is encoder
    assert encoder.transform(SAMPLES[cls]).shape[0] == 2
    with pytest.raises(NotFittedError):
        clone(encoder).transform(SAMPLES[cls])


@pytest.mark.parametrize("cls", [SectorPrefixEncoder, CodeSetEncoder, TextEncoder])
def test_encoders_read_record_fields(cls, population):
    field = {SectorPrefixEncoder: "sectors", CodeSetEncoder: "languages",
             TextEncoder: "description"}[cls]
    encoder = cls(field=field).fit(population)
    assert encoder.transform(population).shape[0] == len(population)


def sector_similarity(a: str, b: str) -> float:
    encoder = SectorPrefixEncoder(field=None).fit([(a,), (b,)])
    X = encoder.transform([(a,), (b,)])
    return float((X[0] @ X[1].T).toarray()[0, 0])


def test_sector_deeper_shared_prefixes_are_more_similar():
    same = sector_similarity("336390", "336390")
    group = sector_similarity("336390", "3363")
    subsector = sector_similarity("336390", "336")
    sector = sector_similarity("336390", "31-33")
    assert same == pytest.approx(1.0)
    assert group > subsector > sector > 0
    assert group == pytest.approx(0.63, abs=0.01)
    assert sector_similarity("336390", "336310") > subsector  # siblings in group 3363
    assert sector_similarity("336390", "424480") == 0.0


def test_sector_rows_are_l2_normalised_and_unknown_codes_ignored():
    encoder = SectorPrefixEncoder(field=None).fit([("336390", "311")])
    X = encoder.transform([("336390", "311"), ("999999",), ()])
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    assert norms == pytest.approx([1.0, 0.0, 0.0])
    assert X.dtype == np.float32


def test_sector_unseen_prefixes_still_count_in_the_norm():
    encoder = SectorPrefixEncoder(field=None).fit([("3363",)])
    deep, shallow = encoder.transform([("336390",), ("3363",)])
    assert float((deep @ shallow.T).toarray()[0, 0]) == pytest.approx(0.63, abs=0.01)


def test_sector_rejects_bad_level_weights():
    with pytest.raises(ValueError):
        SectorPrefixEncoder(level_weights=(1.0, 2.0)).fit([])


def test_code_set_bitmasks_and_decode():
    encoder = CodeSetEncoder(seed=("en", "es", "fr"), normalize="lower").fit([("ES", "pt")])
    assert encoder.codes_ == ("en", "es", "fr", "pt")
    masks = encoder.transform([("es",), ("en", "es"), ("de",)])
    assert masks.dtype == np.uint8
    assert masks.tolist() == [0b10, 0b11, 0]
    assert encoder.decode(masks[1]) == ("en", "es")
    assert encoder.to_multi_hot(masks).tolist() == [[0, 1, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0]]


def test_decode_lists_codes_in_vocabulary_order_and_ignores_unknown_bits():
    encoder = CodeSetEncoder(seed=("en", "es", "fr", "pt")).fit([])
    assert encoder.decode(0b1101) == ("en", "fr", "pt")
    assert encoder.decode(np.uint64(0b1010)) == ("es", "pt")
    assert encoder.decode(0) == ()
    assert encoder.decode(0b1 | 1 << 9 | 1 << 40) == ("en",)  # bits past the codes name none


def test_code_set_keeps_the_most_frequent_codes():
    encoder = CodeSetEncoder(max_codes=2).fit([("a", "b"), ("b", "c"), ("b", "c")])
    assert encoder.codes_ == ("b", "c")


def test_a_growing_code_set_gives_every_new_code_a_bit_past_64():
    encoder = CodeSetEncoder(grow=True).fit([])
    codes = [f"c{i}" for i in range(150)]
    assert encoder.transform([codes]).shape == (1, 3)  # c0 … c149 take bits 0 … 149
    narrow = encoder.transform([codes[:3], codes[60:64]])
    assert narrow.ndim == 1 and narrow.dtype == np.uint64  # the common case: one word a row
    wide = encoder.transform([codes[:3], codes[60:70], codes[140:], ()])
    assert wide.shape == (4, 3) and wide.dtype == np.uint64  # three 64-bit words a row
    assert encoder.decode(row_int(wide, 1)) == tuple(codes[60:70])
    assert encoder.decode(row_int(wide, 2)) == tuple(codes[140:])
    assert encoder.to_multi_hot(wide)[2].nonzero()[0].tolist() == list(range(140, 150))
    assert shared_count(wide, encoder.transform([(codes[149], codes[65], codes[1])])
                          ).tolist() == [1, 1, 1, 0]
    assert shared_count(narrow, wide[:2]).tolist() == [3, 4]


def test_a_fitted_code_set_keeps_every_code_by_default():
    data = [(f"c{i}",) for i in range(100)]
    encoder = CodeSetEncoder().fit(data)
    assert len(encoder.codes_) == 100
    masks = encoder.transform(data)
    assert masks.shape == (100, 2)
    assert [encoder.decode(row_int(masks, i)) for i in range(100)] == [
        tuple(encoder.labels_[c] for c in codes) for codes in data]


@pytest.mark.parametrize("params", [{"max_codes": 0}, {"normalize": "title"},
                                    {"vocabulary": ("a", "b", "c"), "max_codes": 2}])
def test_code_set_rejects_bad_parameters(params):
    with pytest.raises(ValueError):
        CodeSetEncoder(**params).fit([])


def test_fixed_vocabulary_is_not_learned():
    encoder = CodeSetEncoder(vocabulary=("x", "y")).fit([("z",)])
    assert encoder.codes_ == ("x", "y")


def test_certification_keys_ignore_case_accents_and_punctuation():
    assert certification_key("GlobalG.A.P.") == certification_key("globalgap")
    assert certification_key("IATF 16949") == "iatf16949"
    encoder = CodeSetEncoder(normalize="key").fit([("IATF 16949",)])
    assert encoder.transform([("iatf-16949",)]).tolist() == [1]
    assert encoder.labels_ == {"iatf16949": "IATF 16949"}


def test_location_distance_and_decay():
    encoder = LocationEncoder(scale_km=100.0).fit()
    units = encoder.transform([(31.7619, -106.4850), (45.5019, -73.5674), (None, None)])
    juarez = encoder.transform([(31.6904, -106.4245)])[0]
    km = encoder.distance_km(units, juarez)
    assert km[0] == pytest.approx(9.8, abs=0.5)
    assert km[1] == pytest.approx(3200, rel=0.05)
    assert np.isnan(km[2])
    similarity = encoder.similarity(units, juarez)
    assert similarity[0] == pytest.approx(np.exp(-km[0] / 100), rel=1e-3)  # float32 arccos
    assert similarity[0] > similarity[1] > 0
    assert similarity[2] == 0.0
    assert units.dtype == np.float64
    assert np.linalg.norm(units[:2], axis=1) == pytest.approx([1.0, 1.0])


def test_location_without_query_coordinates_is_neutral():
    encoder = LocationEncoder().fit()
    units = encoder.transform([(31.7, -106.4)])
    assert encoder.similarity(units, np.zeros(3)).tolist() == [0.0]


def test_location_rejects_bad_scale():
    with pytest.raises(ValueError):
        LocationEncoder(scale_km=0).fit()
