"""The bundle's stored form: NumPy arrays plus a JSON document, never a pickle.

A bundle is one ``.npz`` archive (``numpy.savez_compressed``) read back with
``allow_pickle=False``. The member ``bundle.json`` (UTF-8 bytes as a ``uint8`` array) holds
the format number, the version, the metadata and, for each fitted encoder and scorer, its
class name, its constructor parameters and its small fitted attributes; the other members are
its fitted arrays, named ``<encoders|scorers>.<name>.<attribute>``. Only the classes listed
in :data:`ESTIMATORS` can be rebuilt, each from parameters and arrays alone, so reading a
stored bundle can never run code it carries.

Parameters that were tuples come back as tuples (JSON has only lists); every fitted attribute
comes back with its dtype and value.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .encoders import (
    CodeSetEncoder,
    LanguageEncoder,
    LocationEncoder,
    SectorPrefixEncoder,
    TextEncoder,
)
from .errors import BundleError, IncompatibleBundleError
from .scorer import LinearScorer
from .tfidf import PrefixAnalyzer

__all__ = ["BUNDLE_FORMAT", "ESTIMATORS", "dump_bundle", "load_bundle_parts"]

BUNDLE_FORMAT = 2
"""Format 1 was a joblib pickle; it is refused."""

DOCUMENT = "bundle.json"
State = tuple[dict[str, Any], dict[str, np.ndarray]]


def _words(values: Any) -> np.ndarray:
    """Return strings as a fixed-width unicode array (an object array would need pickle)."""
    return np.asarray(list(values), dtype=str)


def _sector_state(encoder: SectorPrefixEncoder) -> State:
    return {}, {"prefixes_": _words(encoder.prefixes_)}


def _sector_restore(encoder: SectorPrefixEncoder, state: dict, arrays: dict) -> None:
    # The columns are the taxonomy's prefixes; a bundle saved when they were the prefixes
    # seen at fit time reads back with all of them, so no code is unseen.
    encoder.fit([])


def _language_state(encoder: LanguageEncoder) -> State:
    return {}, {}


def _language_restore(encoder: LanguageEncoder, state: dict, arrays: dict) -> None:
    encoder.fit()


def _codes_state(encoder: CodeSetEncoder) -> State:
    return {"codes_": list(encoder.codes_), "labels_": encoder.labels_,
            "dtype_": encoder.dtype_.str}, {}


def _codes_restore(encoder: CodeSetEncoder, state: dict, arrays: dict) -> None:
    encoder.codes_ = tuple(state["codes_"])
    encoder.index_ = {code: bit for bit, code in enumerate(encoder.codes_)}
    encoder.labels_ = dict(state["labels_"])
    encoder.dtype_ = np.dtype(state["dtype_"])


def _text_state(encoder: TextEncoder) -> State:
    return {"surface_": encoder.surface_}, {"terms_": _words(encoder.terms_),
                                             "idf_": encoder.idf_}


def _text_restore(encoder: TextEncoder, state: dict, arrays: dict) -> None:
    encoder.analyzer_ = PrefixAnalyzer(encoder.stem_length)
    encoder.terms_ = arrays["terms_"].astype(object)
    encoder.idf_ = arrays["idf_"]
    encoder.vocabulary_ = {str(term): col for col, term in enumerate(encoder.terms_)}
    encoder.surface_ = dict(state["surface_"])


def _location_state(encoder: LocationEncoder) -> State:
    return {"radius_km_": encoder.radius_km_}, {}


def _location_restore(encoder: LocationEncoder, state: dict, arrays: dict) -> None:
    encoder.radius_km_ = state["radius_km_"]


def _scorer_state(scorer: LinearScorer) -> State:
    arrays = {"coef_": scorer.coef_}
    if hasattr(scorer, "classes_"):  # learned weights; priors have no classes
        arrays["classes_"] = scorer.classes_
    return {"intercept_": scorer.intercept_, "n_samples_": scorer.n_samples_,
            "n_features_in_": scorer.n_features_in_}, arrays


def _scorer_restore(scorer: LinearScorer, state: dict, arrays: dict) -> None:
    scorer.coef_ = arrays["coef_"]
    if "classes_" in arrays:
        scorer.classes_ = arrays["classes_"]
    scorer.intercept_ = state["intercept_"]
    scorer.n_samples_ = state["n_samples_"]
    scorer.n_features_in_ = state["n_features_in_"]


ESTIMATORS: Mapping[str, tuple[type, Callable, Callable]] = {
    cls.__name__: (cls, dump, restore) for cls, dump, restore in (
        (SectorPrefixEncoder, _sector_state, _sector_restore),
        (CodeSetEncoder, _codes_state, _codes_restore),
        (LanguageEncoder, _language_state, _language_restore),
        (TextEncoder, _text_state, _text_restore),
        (LocationEncoder, _location_state, _location_restore),
        (LinearScorer, _scorer_state, _scorer_restore),
    )
}
"""The classes a bundle may hold: name -> (class, fitted state of, restore into)."""


def dump_bundle(encoders: Mapping[str, Any], scorers: Mapping[str, LinearScorer],
                version: str, metadata: Mapping[str, Any]) -> bytes:
    """Return the ``.npz`` bytes of a bundle's parts.

    Raises
    ------
    BundleError
        If an encoder or scorer is not one of :data:`ESTIMATORS`.
    """
    estimators, arrays = {}, {}
    for group, members in (("encoders", encoders), ("scorers", scorers)):
        for name, estimator in members.items():
            key = f"{group}.{name}"
            estimators[key], own = _describe(key, estimator)
            arrays.update({f"{key}.{attr}": value for attr, value in own.items()})
    document = {"format": BUNDLE_FORMAT, "version": version, "metadata": metadata,
                "estimators": estimators}
    text = json.dumps(document, default=_plain, sort_keys=True).encode()
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **{DOCUMENT: np.frombuffer(text, np.uint8)}, **arrays)
    return buffer.getvalue()


def _describe(key: str, estimator: Any) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    entry = ESTIMATORS.get(type(estimator).__name__)
    if entry is None or type(estimator) is not entry[0]:
        raise BundleError(f"{key}: cannot store a {type(estimator).__name__}")
    state, arrays = entry[1](estimator)
    return {"class": type(estimator).__name__, "params": estimator.get_params(deep=False),
            "state": state}, arrays


def _plain(value: Any) -> Any:
    """Return a JSON-ready value of a NumPy scalar or array (json's fallback)."""
    if isinstance(value, np.generic | np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def load_bundle_parts(data: bytes) -> tuple[dict[str, Any], dict[str, Any], str, dict]:
    """Return ``(encoders, scorers, version, metadata)`` read from ``.npz`` bytes.

    Raises
    ------
    BundleError
        If ``data`` is not such an archive, holds a pickle (an object array, or a pickled
        file such as format 1), or names a class outside :data:`ESTIMATORS`.
    IncompatibleBundleError
        If the archive is of another format.
    """
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            members = {name: archive[name] for name in archive.files}
        members = {k: v for k, v in members.items() if isinstance(v, np.ndarray)}
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
        raise BundleError(f"not a model bundle archive (pickles are refused): {error}") \
            from error
    document = _document(members)
    parts: dict[str, dict[str, Any]] = {"encoders": {}, "scorers": {}}
    for key, entry in document["estimators"].items():
        group, _, name = key.partition(".")
        if group not in parts:
            raise BundleError(f"unknown bundle part {key!r}")
        prefix = f"{key}."
        arrays = {k.removeprefix(prefix): v for k, v in members.items() if k.startswith(prefix)}
        parts[group][name] = _rebuild(key, entry, arrays)
    return parts["encoders"], parts["scorers"], document["version"], document["metadata"]


def _document(members: dict[str, np.ndarray]) -> dict[str, Any]:
    raw = members.get(DOCUMENT)
    if raw is None or raw.dtype != np.uint8:
        raise BundleError(f"the archive has no {DOCUMENT}")
    try:
        document = json.loads(raw.tobytes())
    except ValueError as error:
        raise BundleError(f"{DOCUMENT} is not JSON: {error}") from error
    if not isinstance(document, dict) or document.get("format") != BUNDLE_FORMAT:
        found = document.get("format") if isinstance(document, dict) else None
        raise IncompatibleBundleError(f"bundle format {found!r} is not {BUNDLE_FORMAT}")
    return document


def _rebuild(key: str, entry: dict[str, Any], arrays: dict[str, np.ndarray]) -> Any:
    """Return the fitted estimator described by ``entry``, or raise BundleError."""
    known = ESTIMATORS.get(entry.get("class"))
    if known is None:
        raise BundleError(f"{key}: cannot rebuild a {entry.get('class')!r}")
    cls, _, restore = known
    try:
        estimator = cls(**{name: _tuples(value) for name, value in entry["params"].items()})
        restore(estimator, entry["state"], arrays)
    except (KeyError, TypeError, ValueError) as error:
        raise BundleError(f"{key}: incomplete or invalid ({error!r})") from error
    return estimator


def _tuples(value: Any) -> Any:
    """Return JSON lists as tuples: every sequence parameter of the estimators is a tuple."""
    return tuple(_tuples(item) for item in value) if isinstance(value, list) else value
