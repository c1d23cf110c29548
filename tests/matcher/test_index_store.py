"""Candidate indexes saved as ``.npy`` files and loaded memory-mapped rank exactly as the
index that was saved, share the files instead of copying them, and take changes on top."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace

import numpy as np
import pytest

from matcher import CandidateIndex, ProfileRecord, build_bundle, rank
from matcher.errors import BundleError
from matcher.index_store import load_index, save_index
from webapp.demo.generator import generate_profiles


@pytest.fixture(scope="module")
def population():
    ids = itertools.count(1)
    records = [ProfileRecord.from_mapping({**row, "id": next(ids)})
               for row in generate_profiles(60, 5000, 300, seed=3)]
    return build_bundle(records), records


def ranked(index, query, k=10):
    return [(m.profile_id, round(m.score, 12), m.reasons) for m in rank(index, query, k)]


def mapped(array) -> bool:
    """Tell whether the array is (a view of) a memory-mapped file."""
    while isinstance(array, np.ndarray):
        if isinstance(array, np.memmap):
            return True
        array = array.base
    return False


@pytest.mark.parametrize("kind", ["mentor", "buyer"])
def test_a_loaded_index_ranks_as_the_saved_one(population, tmp_path, kind):
    bundle, records = population
    built = CandidateIndex.build(bundle, kind, [r for r in records if r.kind == kind])
    save_index(built, tmp_path / kind)
    loaded = load_index(bundle, tmp_path / kind)
    assert len(loaded) == len(built) and np.array_equal(loaded.ids_, built.ids_)
    for query in [r for r in records if r.kind == "sme"][:20]:
        assert ranked(loaded, query) == ranked(built, query)


def test_markets_past_64_countries_rank_alike_saved_loaded_and_pair_by_pair(population,
                                                                            tmp_path):
    from matcher import ModelBundle, explain_pairs
    from matcher import taxonomy as tx

    bundle, records = population
    bundle = ModelBundle.from_bytes(bundle.to_bytes())  # its own: the countries grow below
    world = [c["code"] for c in tx.countries() if c["code"] not in ("US", "MX", "CA")][:140]
    mentors = [replace(m, markets=(*m.markets, *world[i // 40 % 14 * 10:][:10]))
               if i % 40 == 0 else m
               for i, m in enumerate(r for r in records if r.kind == "mentor")]
    built = CandidateIndex.build(bundle, "mentor", mentors)  # patterns: over 4,096 rows
    assert built.segments[0].arrays.targets.ndim == 2
    save_index(built, tmp_path / "mentor")
    loaded = load_index(bundle, tmp_path / "mentor")
    by_id = {m.id: m for m in mentors}
    smes = [r for r in records if r.kind == "sme"][:10]
    far = [replace(q, markets=(world[-1], world[70])) for q in smes]
    knowing = [m.id for m in mentors if world[70] in m.markets]
    for query in smes + far:
        assert ranked(loaded, query) == ranked(built, query)
        for only in (None, knowing):
            matches = rank(built, query, 10, language_required=False, only=only)
            pairs = explain_pairs(bundle, [query] * len(matches),
                                  [by_id[m.profile_id] for m in matches])
            for match, pair in zip(matches, pairs, strict=True):
                assert pair.factors == pytest.approx(match.factors, rel=1e-5)
                assert pair.reasons == match.reasons
    matches = rank(built, far[0], 10, language_required=False, only=knowing)
    assert matches and all(m.factors["markets"] > 0 for m in matches)
    assert all(any(r.code == "knows_markets" and world[70] in r.params["markets"]
                   for r in m.reasons) for m in matches if m.contributions["markets"] >= 0.1)


def test_the_arrays_are_mapped_read_only_not_copied(population, tmp_path):
    bundle, records = population
    built = CandidateIndex.build(bundle, "mentor", [r for r in records if r.kind == "mentor"])
    loaded = load_index(bundle, save_index(built, tmp_path / "mentor"))
    arrays = loaded.segments[0].arrays
    for array in (arrays.ids, arrays.units, arrays.sector.data, arrays.sector.indices,
                  arrays.texts["mentorship"].indptr, arrays.language_patterns[0],
                  arrays.sector_patterns[0], arrays.sector_patterns[1].indices):
        assert mapped(array) and not array.flags.writeable


def test_the_mapped_arrays_are_plain_arrays_over_the_mapping(population, tmp_path):
    # np.memmap's Python-level __getitem__ and __array_finalize__ ran ~120 times a ranking
    # and every slice of a mapped column was a memmap again; a plain view maps the same pages.
    bundle, records = population
    built = CandidateIndex.build(bundle, "mentor", [r for r in records if r.kind == "mentor"])
    loaded = load_index(bundle, save_index(built, tmp_path / "mentor"))
    arrays = loaded.segments[0].arrays
    for array in (arrays.ids, arrays.units, arrays.sector.data, arrays.language_patterns[0]):
        assert type(array) is np.ndarray and type(array[:3]) is np.ndarray
        assert mapped(array)


def test_an_index_saved_before_sector_patterns_loads_and_ranks_the_same(population, tmp_path):
    bundle, records = population
    built = CandidateIndex.build(bundle, "mentor", [r for r in records if r.kind == "mentor"])
    directory = save_index(built, tmp_path / "mentor")
    description = json.loads((directory / "index.json").read_text())
    for name in ("sector_patterns.rows", "sector_patterns.matrix"):
        del description["columns"][name]
    (directory / "index.json").write_text(json.dumps(description))
    for path in directory.glob("sector_patterns.*"):
        path.unlink()
    loaded = load_index(bundle, directory)
    assert not mapped(loaded.segments[0].arrays.sector_patterns[0])  # made on loading
    for query in [r for r in records if r.kind == "sme"][:20]:
        assert ranked(loaded, query) == ranked(built, query)


def test_changes_go_on_top_of_the_mapped_base(population, tmp_path):
    bundle, records = population
    mentors = [r for r in records if r.kind == "mentor"]
    built = CandidateIndex.build(bundle, "mentor", mentors)
    loaded = load_index(bundle, save_index(built, tmp_path / "mentor"))
    query = next(r for r in records if r.kind == "sme")
    best = ranked(loaded, query, 1)[0][0]
    twin = replace(next(m for m in mentors if m.id == best), id=999_999, name="Twin")
    for index in (built, loaded):
        index.remove([best])
        index.upsert([twin])
    assert ranked(loaded, query) == ranked(built, query)
    assert ranked(loaded, query, 1)[0][0] == 999_999


def test_an_index_of_another_bundle_is_refused(population, tmp_path):
    bundle, records = population
    built = CandidateIndex.build(bundle, "buyer", [r for r in records if r.kind == "buyer"])
    save_index(built, tmp_path / "buyer")
    other = build_bundle(records[:50], version="other")
    with pytest.raises(BundleError):
        load_index(other, tmp_path / "buyer")
    with pytest.raises(BundleError):
        load_index(bundle, tmp_path / "missing")


# 1: its texts kept generic words and its code sets one word a row; 2: its texts kept the
# filler words made generic since ("based", "north", "america", "regularly"…)
@pytest.mark.parametrize("old_format", [1, 2])
def test_an_index_of_a_format_whose_texts_kept_generic_words_is_refused(population, tmp_path,
                                                                        old_format):
    bundle, records = population
    built = CandidateIndex.build(bundle, "buyer", [r for r in records if r.kind == "buyer"])
    description = save_index(built, tmp_path / "buyer") / "index.json"
    description.write_text(json.dumps({**json.loads(description.read_text()),
                                       "format": old_format}))
    with pytest.raises(BundleError, match=f"format {old_format}"):
        load_index(bundle, tmp_path / "buyer")


def test_an_index_with_changes_is_saved_with_its_live_rows_only(population, tmp_path):
    bundle, records = population
    buyers = [r for r in records if r.kind == "buyer"]
    index = CandidateIndex.build(bundle, "buyer", buyers[1:])
    index.remove([buyers[1].id])  # one row masked in the base ...
    index.upsert([buyers[0]])  # ... and one in the delta: as many rows as the base holds
    loaded = load_index(bundle, save_index(index, tmp_path / "buyer"))
    assert np.array_equal(loaded.ids_, index.ids_)
    assert buyers[0].id in loaded and buyers[1].id not in loaded
