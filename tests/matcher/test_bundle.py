"""Tests of matcher.bundle and matcher.bundle_format: building, saving, loading, versions."""

import importlib
import io
import json
import pickle
import sys
import warnings

import numpy as np
import pytest

from matcher import (
    BundleError,
    BundleVersionWarning,
    CandidateIndex,
    IncompatibleBundleError,
    LinearScorer,
    ModelBundle,
    ProfileRecord,
    build_bundle,
    library_versions,
    load_bundle,
    rank,
)
from matcher.bundle_format import DOCUMENT


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
    path = bundle.save(tmp_path / "models" / "bundle.npz")
    loaded = load_bundle(path)
    assert loaded.version == bundle.version and loaded.metadata == bundle.metadata
    mentors = [p for p in population if p.kind == "mentor"]
    before = rank(CandidateIndex.build(bundle, "mentor", mentors), sme())
    after = rank(CandidateIndex.build(loaded, "mentor", mentors), sme())
    assert before == after


def same_state(a, b) -> bool:
    """Tell whether two fitted estimators have the same class, parameters and attributes."""
    if type(a) is not type(b) or a.get_params() != b.get_params():
        return False
    fitted = sorted(k for k in vars(a) if k.endswith("_"))
    if fitted != sorted(k for k in vars(b) if k.endswith("_")):
        return False
    for name in fitted:
        x, y = getattr(a, name), getattr(b, name)
        if isinstance(x, np.ndarray):
            if x.dtype != y.dtype or not np.array_equal(x, y):
                return False
        elif name == "analyzer_":
            if x.stem_length != y.stem_length:
                return False
        elif x != y or type(x) is not type(y):
            return False
    return True


def learned(bundle):
    """Return the bundle with a mentorship scorer learned from outcomes (it has ``classes_``)."""
    rng = np.random.default_rng(0)
    prior = bundle.scorers["mentorship"]
    X = rng.random((60, len(prior.factors)))
    y = (X[:, 0] + rng.random(60) > 1).astype(int)
    scorer = LinearScorer(factors=prior.factors, weights=prior.weights, bias=prior.bias)
    return bundle.with_scorers({"mentorship": scorer.fit(X, y)})


@pytest.mark.parametrize("make", [lambda b: b, learned], ids=["priors", "learned"])
def test_every_encoder_and_scorer_round_trips_exactly(bundle, make):
    original = make(bundle)
    loaded = ModelBundle.from_bytes(original.to_bytes())
    assert (loaded.version, loaded.metadata) == (original.version, original.metadata)
    assert set(loaded.encoders) == set(original.encoders)
    assert set(loaded.scorers) == set(original.scorers)
    for name, encoder in original.encoders.items():
        assert same_state(encoder, loaded.encoders[name]), name
    for name, scorer in original.scorers.items():
        assert same_state(scorer, loaded.scorers[name]), name


def _payload(bundle) -> dict:
    with np.load(io.BytesIO(bundle.to_bytes()), allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def _archive(members: dict) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **members)
    return buffer.getvalue()


def test_stored_bundle_is_arrays_and_json(bundle):
    members = _payload(bundle)
    document = json.loads(members.pop(DOCUMENT).tobytes())
    assert document["format"] == 2 and document["version"] == bundle.version
    assert document["estimators"]["scorers.mentorship"]["class"] == "LinearScorer"
    assert all(array.dtype != object for array in members.values())


class Boom:
    def __reduce__(self):
        return (print, ("unpickled!",))


@pytest.mark.parametrize("blob", [
    pickle.dumps({"format": 1, "bundle": "anything"}),
    pickle.dumps(Boom()),
    _archive({DOCUMENT: np.frombuffer(b"{}", np.uint8), "x": np.array([Boom()], object)}),
    b"not a bundle",
    b"",
])
def test_pickles_and_garbage_are_refused_unread(blob, capsys):
    with pytest.raises(BundleError):
        ModelBundle.from_bytes(blob)
    assert "unpickled!" not in capsys.readouterr().out


def test_a_class_outside_the_allowed_list_is_refused(bundle):
    members = _payload(bundle)
    document = json.loads(members[DOCUMENT].tobytes())
    document["estimators"]["encoders.text"]["class"] = "LogisticRegression"
    members[DOCUMENT] = np.frombuffer(json.dumps(document).encode(), np.uint8)
    with pytest.raises(BundleError, match="LogisticRegression"):
        ModelBundle.from_bytes(_archive(members))


def _with_libraries(bundle, **libraries):
    bundle.metadata = {**bundle.metadata, "libraries": {**library_versions(), **libraries}}
    return bundle.to_bytes()


@pytest.mark.parametrize("libraries", [{"scikit-learn": "0.24.2"}, {"numpy": "1.26.4"},
                                       {"scipy": "0.19.0"}])
def test_other_library_versions_only_warn_or_raise_when_strict(population, libraries):
    data = _with_libraries(build_bundle(population), **libraries)
    with pytest.warns(BundleVersionWarning):
        loaded = ModelBundle.from_bytes(data)
    assert loaded.scorers["mentorship"].weights_
    with pytest.raises(IncompatibleBundleError):
        ModelBundle.from_bytes(data, strict=True)


def test_same_library_versions_load_silently(bundle):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ModelBundle.from_bytes(bundle.to_bytes(), strict=True)


def test_other_bundle_formats_raise(bundle):
    members = _payload(bundle)
    document = json.loads(members[DOCUMENT].tobytes())
    members[DOCUMENT] = np.frombuffer(json.dumps({**document, "format": 1}).encode(),
                                      np.uint8)
    with pytest.raises(IncompatibleBundleError):
        ModelBundle.from_bytes(_archive(members))


@pytest.mark.parametrize("content", [b"not an archive", None])
def test_unreadable_files_raise(tmp_path, content):
    path = tmp_path / "broken.npz"
    if content is not None:
        path.write_bytes(content)
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
        raise AssertionError("np.load at import time")
    monkeypatch.setattr(np, "load", refuse)
    for name in [m for m in sys.modules if m == "matcher" or m.startswith("matcher.")]:
        if not name.startswith("matcher.taxonomy"):
            monkeypatch.delitem(sys.modules, name)
    importlib.import_module("matcher")
    assert ProfileRecord
