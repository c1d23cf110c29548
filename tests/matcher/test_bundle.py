"""Tests of matcher.bundle: building, saving, loading and version checks."""

import importlib
import sys

import joblib
import pytest

from matcher import (
    BundleError,
    BundleVersionWarning,
    CandidateIndex,
    IncompatibleBundleError,
    ModelBundle,
    ProfileRecord,
    build_bundle,
    library_versions,
    load_bundle,
    rank,
)


def test_bundle_records_version_and_metadata(bundle, population):
    assert bundle.version == "test-1"
    meta = bundle.metadata
    assert meta["libraries"] == library_versions()
    assert meta["training"]["n_profiles"] == len(population)
    assert meta["training"]["profiles_by_kind"] == {"sme": 3, "mentor": 3, "buyer": 3}
    assert set(bundle.scorers) == {"mentorship", "trade_buyer", "trade_sme"}


def test_default_version_is_timestamp_and_digest(population):
    version = build_bundle(population).version
    stamp, digest = version.split("-")
    assert len(stamp) == 16 and stamp.endswith("Z") and len(digest) == 8


@pytest.mark.parametrize("size", [0, 1])
def test_bundle_builds_from_tiny_populations(size, population, sme, mentor):
    small = build_bundle(population[:size])
    index = CandidateIndex.build(small, "mentor", [mentor()])
    assert len(rank(index, sme())) == 1


def test_round_trip_gives_the_same_rankings(tmp_path, bundle, population, sme):
    path = bundle.save(tmp_path / "models" / "bundle.joblib")
    loaded = load_bundle(path)
    assert loaded.version == bundle.version and loaded.metadata == bundle.metadata
    mentors = [p for p in population if p.kind == "mentor"]
    before = rank(CandidateIndex.build(bundle, "mentor", mentors), sme())
    after = rank(CandidateIndex.build(loaded, "mentor", mentors), sme())
    assert before == after


def _save_with(tmp_path, bundle, **libraries):
    bundle.metadata = {**bundle.metadata, "libraries": {**library_versions(), **libraries}}
    return bundle.save(tmp_path / "bundle.joblib")


@pytest.mark.parametrize("libraries", [{"scikit-learn": "0.24.2"}, {"numpy": "1.26.4"},
                                       {"scipy": "0.19.0"}])
def test_incompatible_versions_raise(tmp_path, population, libraries):
    path = _save_with(tmp_path, build_bundle(population), **libraries)
    with pytest.raises(IncompatibleBundleError):
        ModelBundle.load(path)


def test_minor_version_differences_warn_or_raise_when_strict(tmp_path, population):
    major = library_versions()["numpy"].split(".")[0]
    path = _save_with(tmp_path, build_bundle(population), numpy=f"{major}.0.0rc1")
    with pytest.warns(BundleVersionWarning):
        ModelBundle.load(path)
    with pytest.raises(IncompatibleBundleError):
        ModelBundle.load(path, strict=True)


def test_other_bundle_formats_raise(tmp_path, bundle):
    path = tmp_path / "old.joblib"
    joblib.dump({"format": 0, "bundle": bundle}, path)
    with pytest.raises(IncompatibleBundleError):
        load_bundle(path)


@pytest.mark.parametrize("content", [b"not a pickle", None])
def test_unreadable_files_raise(tmp_path, content):
    path = tmp_path / "broken.joblib"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(BundleError):
        load_bundle(path)


def test_non_bundle_payload_raises(tmp_path):
    path = tmp_path / "other.joblib"
    joblib.dump({"format": 1, "bundle": "nope"}, path)
    with pytest.raises(BundleError):
        load_bundle(path)


def test_with_scorers_makes_a_new_version(bundle):
    scorer = bundle.scorers["mentorship"].set_params(bias=-1.0).fit()
    new = bundle.with_scorers({"mentorship": scorer}, training={"n_outcomes": 40})
    assert new.version != bundle.version
    assert new.metadata["training"]["n_outcomes"] == 40
    assert new.encoders is bundle.encoders


def test_importing_the_engine_reads_no_model(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("joblib.load at import time")
    monkeypatch.setattr(joblib, "load", refuse)
    for name in [m for m in sys.modules if m == "matcher" or m.startswith("matcher.")]:
        if not name.startswith("matcher.taxonomy"):
            monkeypatch.delitem(sys.modules, name)
    importlib.import_module("matcher")
    assert ProfileRecord
