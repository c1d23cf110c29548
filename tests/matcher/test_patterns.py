"""A large index segment scores what its rows share once per distinct value, to the same bits.

Candidates hold few distinct sector sets, claim sets and countries with markets; a segment of
:data:`~matcher.factors.LANGUAGE_PATTERN_ROWS` rows or more computes those factors once per
distinct combination and gathers them per row. Every factor must equal, bit for bit, what the
same candidates get row by row in small segments, for every pairing and either side asking.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from matcher import ProfileRecord, build_bundle
from matcher.factors import LANGUAGE_PATTERN_ROWS, compute_factors, pairing_for
from matcher.features import encode_profiles
from webapp.demo.generator import generate_profiles

ROWS = LANGUAGE_PATTERN_ROWS + 300


@pytest.fixture(scope="module")
def population():
    ids = itertools.count(1)
    records = [ProfileRecord.from_mapping({**row, "id": next(ids)})
               for row in generate_profiles(ROWS, ROWS, ROWS, seed=11)]
    by_kind = {kind: [r for r in records if r.kind == kind] for kind in ("sme", "mentor", "buyer")}
    bundle = build_bundle(records[::4])
    arrays = {kind: encode_profiles(bundle.encoders, rows, kind, fmt="csc")
              for kind, rows in by_kind.items()}
    return bundle, by_kind, arrays


def test_each_row_points_at_its_own_combination(population):
    _, _, arrays = population
    smes = arrays["sme"]
    pattern, distinct = smes.patterns(("country", "targets"))
    assert pattern.dtype == np.intp and len(distinct) < len(smes) // 10
    assert np.array_equal(distinct.country[pattern], smes.country)
    assert np.array_equal(distinct.targets[pattern], smes.targets)
    pairs = set(zip(smes.country.tolist(), smes.targets.tolist(), strict=True))
    assert len(distinct) == len(pairs)
    assert distinct.sector is None and distinct.codes is None  # only the columns asked for
    assert smes.patterns(("country", "targets"))[0] is pattern  # made once


@pytest.mark.parametrize(("asking", "candidates"),
                         [("sme", "mentor"), ("mentor", "sme"), ("sme", "buyer"),
                          ("buyer", "sme")])
def test_factors_of_a_large_segment_equal_those_row_by_row(population, asking, candidates):
    bundle, records, arrays = population
    big = arrays[candidates]
    assert len(big) >= LANGUAGE_PATTERN_ROWS
    pairing = pairing_for(asking, candidates)
    chunks = [big.take(np.arange(start, min(start + 1000, len(big))))
              for start in range(0, len(big), 1000)]
    for query in records[asking][:12]:
        q = encode_profiles(bundle.encoders, [query], asking, roles=(pairing.name,))
        whole = compute_factors(pairing, q, big, bundle.encoders)
        pieces = [compute_factors(pairing, q, chunk, bundle.encoders) for chunk in chunks]
        for name in pairing.factors:
            by_rows = np.concatenate([piece[name] for piece in pieces])
            assert whole[name].dtype == by_rows.dtype, name
            assert np.array_equal(whole[name], by_rows), (name, query.id)
