"""The model bundle: fitted encoders, scorer weights, a version and training metadata.

A bundle is stored as NumPy arrays plus a JSON document (:mod:`matcher.bundle_format`, an
``.npz`` read with ``allow_pickle=False``): :meth:`ModelBundle.to_bytes` and
:meth:`ModelBundle.save` write it, :meth:`ModelBundle.from_bytes` and
:meth:`ModelBundle.load` read it back and check what was recorded at save time:

* another bundle format (format 1 was a joblib pickle) raises
  :class:`~matcher.errors.IncompatibleBundleError`, and anything that is not such an archive,
  or that holds a pickle, raises :class:`~matcher.errors.BundleError`; retrain with
  ``train-model``;
* different NumPy, SciPy or scikit-learn versions only warn with
  :class:`~matcher.errors.BundleVersionWarning` (or raise with ``strict=True``): nothing is
  unpickled, every fitted value is stored as plain numbers and words, so a bundle reads the
  same under any of them.

Nothing is loaded at import time: callers load a bundle lazily, once per process.
"""

from __future__ import annotations

import hashlib
import platform
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import scipy
import sklearn

from . import taxonomy as tx
from .bundle_format import BUNDLE_FORMAT, dump_bundle, load_bundle_parts
from .encoders import (
    CodeSetEncoder,
    LanguageEncoder,
    LocationEncoder,
    SectorPrefixEncoder,
    TextEncoder,
)
from .errors import BundleError, BundleVersionWarning, IncompatibleBundleError
from .factors import MENTORSHIP, TRADE
from .features import text_corpus
from .records import KINDS, ProfileRecord
from .scorer import DEFAULT_WEIGHTS, LinearScorer, default_scorers

__all__ = ["BUNDLE_FORMAT", "ModelBundle", "build_bundle", "library_versions", "load_bundle"]


def library_versions() -> dict[str, str]:
    """Return the versions of the libraries a bundle depends on."""
    return {"numpy": np.__version__, "scipy": scipy.__version__,
            "scikit-learn": sklearn.__version__, "python": platform.python_version()}


def _scorer_factors() -> dict[str, tuple[str, ...]]:
    return {direction: pairing.factors for pairing in (MENTORSHIP, TRADE)
            for direction in pairing.directions}


@dataclass(eq=False)
class ModelBundle:
    """Everything needed to rank: fitted encoders and one scorer per scoring direction.

    Attributes
    ----------
    encoders : dict
        ``sector``, ``languages``, ``needs``, ``countries``, ``certifications``, ``text``,
        ``location``, all fitted.
    scorers : dict
        ``mentorship``, ``trade_buyer`` and ``trade_sme`` :class:`LinearScorer`, fitted.
    version : str
        Identifies the bundle in match snapshots ("20251123T113000Z-1a2b3c4d").
    metadata : dict
        ``created_at``, ``libraries``, ``bundle_format``, ``training`` (profile counts,
        outcome counts, metrics).
    """

    encoders: dict[str, Any]
    scorers: dict[str, LinearScorer]
    version: str
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        """Return the bundle as ``.npz`` bytes (arrays plus a JSON document, no pickle)."""
        return dump_bundle(self.encoders, self.scorers, self.version, self.metadata)

    @classmethod
    def from_bytes(cls, data: bytes, *, strict: bool = False) -> ModelBundle:
        """Read a bundle written by :meth:`to_bytes` and check its library versions.

        Raises
        ------
        BundleError
            If ``data`` holds no bundle, or a pickle.
        IncompatibleBundleError
            If the bundle format differs, or library versions do with ``strict``.
        """
        encoders, scorers, version, metadata = load_bundle_parts(data)
        check_versions(metadata.get("libraries", {}), strict=strict)
        upgrade(encoders, scorers)
        return cls(encoders=encoders, scorers=scorers, version=version, metadata=metadata)

    def save(self, path: str | Path) -> Path:
        """Write the bundle to ``path`` (see :meth:`to_bytes`) and return the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.to_bytes())
        return path

    @classmethod
    def load(cls, path: str | Path, *, strict: bool = False) -> ModelBundle:
        """Read a bundle written by :meth:`save` (see :meth:`from_bytes`).

        Raises
        ------
        BundleError
            If the file is missing or holds no bundle.
        IncompatibleBundleError
            If the bundle format differs, or library versions do with ``strict``.
        """
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise BundleError(f"cannot read model bundle {path}: {error}") from error
        return cls.from_bytes(data, strict=strict)

    def with_scorers(self, scorers: Mapping[str, LinearScorer], *,
                     training: Mapping[str, Any] | None = None,
                     version: str | None = None) -> ModelBundle:
        """Return a new bundle with other scorers (e.g. learned ones) and a new version."""
        merged = {**self.scorers, **scorers}
        metadata = {**self.metadata, "created_at": _now().isoformat(),
                    "libraries": library_versions(),
                    "training": {**self.metadata.get("training", {}), **(training or {})}}
        new = replace(self, scorers=merged, metadata=metadata, version="")
        new.version = version or _make_version(new)
        return new


def check_versions(saved: Mapping[str, str], *, strict: bool = False) -> None:
    """Warn (raise when ``strict``) when ``saved`` library versions differ from the running ones.

    Nothing in a bundle is pickled, so no difference makes it unreadable; the warning says the
    numbers were computed by other library versions than the ones serving now.
    """
    current = library_versions()
    differences = [f"{name} {saved.get(name)} != {current[name]}" for name in
                   ("numpy", "scipy", "scikit-learn") if saved.get(name) != current[name]]
    if differences and strict:
        raise IncompatibleBundleError("library versions differ: " + "; ".join(differences))
    if differences:
        warnings.warn("model bundle library versions differ: " + "; ".join(differences),
                      BundleVersionWarning, stacklevel=3)


def upgrade(encoders: dict[str, Any], scorers: dict[str, LinearScorer]) -> None:
    """Bring a bundle saved by an earlier release up to this one's encoders and factors, in place.

    Earlier bundles compared languages, countries and certifications over the codes seen at
    fit time only; they get the taxonomy's languages and growing code sets. Their needs and
    countries encoders had no claim cap: they get :data:`NEEDS_BREADTH` and
    :data:`MARKETS_BREADTH`. A factor their scorers lack (``diversity``) enters at its prior
    weight until a model learns it.
    """
    if not isinstance(encoders.get("languages"), LanguageEncoder):
        encoders["languages"] = LanguageEncoder().fit()
    for name in ("countries", "certifications"):
        encoder = encoders.get(name)
        if isinstance(encoder, CodeSetEncoder) and not getattr(encoder, "grow", False):
            encoder.grow, encoder.dtype_ = True, np.dtype(np.uint64)
    for name, breadth in (("needs", NEEDS_BREADTH), ("countries", MARKETS_BREADTH)):
        encoder = encoders.get(name)
        if isinstance(encoder, CodeSetEncoder) and getattr(encoder, "breadth", None) is None:
            encoder.breadth = breadth
    factors = _scorer_factors()
    for direction, scorer in scorers.items():
        if tuple(scorer.factors) != factors.get(direction, tuple(scorer.factors)):
            scorers[direction] = _with_factors(scorer, factors[direction], direction)


def _with_factors(scorer: LinearScorer, factors: tuple[str, ...],
                  direction: str) -> LinearScorer:
    priors = dict(DEFAULT_WEIGHTS[direction])
    weights = {**{f: priors.get(f, 0.0) for f in factors}, **scorer.weights_}
    new = LinearScorer(factors=factors, weights=weights, bias=scorer.intercept_, C=scorer.C,
                       interactions=tuple(getattr(scorer, "interactions", ())))
    new.fit()
    new.n_samples_ = scorer.n_samples_
    if hasattr(scorer, "classes_"):
        new.classes_ = scorer.classes_
    return new


NEEDS_BREADTH = 6
"""Needs or expertise a profile may claim at full credit (of 14): beyond, claims share it."""
MARKETS_BREADTH = 4
"""Markets a profile may claim to know or target at full credit: beyond, claims share it."""


def make_encoders() -> dict[str, Any]:
    """Return the unfitted encoders of a bundle."""
    return {
        "sector": SectorPrefixEncoder(field=None),
        "languages": LanguageEncoder(),
        "needs": CodeSetEncoder(vocabulary=tx.NEED_CODES, breadth=NEEDS_BREADTH),
        "countries": CodeSetEncoder(seed=tx.PROGRAM_COUNTRIES, normalize="upper", grow=True,
                                    breadth=MARKETS_BREADTH),
        "certifications": CodeSetEncoder(normalize="key", grow=True),
        "text": TextEncoder(),
        "location": LocationEncoder(),
    }


def fit_encoders(records: Sequence[ProfileRecord]) -> dict[str, Any]:
    """Return the encoders of a bundle fitted on ``records`` (any number, even none)."""
    encoders = make_encoders()
    encoders["sector"].fit([r.sectors for r in records])
    encoders["languages"].fit()
    encoders["needs"].fit([r.needs + r.expertise for r in records])
    encoders["countries"].fit([(r.country, *r.markets, *r.sourcing_countries) for r in records])
    encoders["certifications"].fit(
        [r.certifications + r.required_certifications for r in records])
    encoders["text"].fit(text_corpus(records))
    encoders["location"].fit()
    return encoders


def build_bundle(records: Sequence[ProfileRecord], version: str | None = None, *,
                 scorers: Mapping[str, LinearScorer] | None = None) -> ModelBundle:
    """Fit encoders on ``records`` and return a bundle with prior (or given) scorers."""
    records = list(records)
    by_kind = {kind: sum(r.kind == kind for r in records) for kind in KINDS}
    metadata = {
        "created_at": _now().isoformat(),
        "bundle_format": BUNDLE_FORMAT,
        "libraries": library_versions(),
        "training": {"n_profiles": len(records), "profiles_by_kind": by_kind,
                     "n_outcomes": 0, "metrics": {}},
    }
    bundle = ModelBundle(encoders=fit_encoders(records),
                         scorers={**default_scorers(_scorer_factors()), **(scorers or {})},
                         version="", metadata=metadata)
    bundle.version = version or _make_version(bundle)
    return bundle


def load_bundle(path: str | Path, *, strict: bool = False) -> ModelBundle:
    """Read a bundle from ``path`` (see :meth:`ModelBundle.load`)."""
    return ModelBundle.load(path, strict=strict)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _make_version(bundle: ModelBundle) -> str:
    """Return "<UTC timestamp>-<digest of vocabularies and weights>"."""
    digest = hashlib.sha1(usedforsecurity=False)
    for name, encoder in sorted(bundle.encoders.items()):
        vocabulary = getattr(encoder, "codes_", None) or getattr(encoder, "vocabulary_", None)
        digest.update(f"{name}:{sorted(vocabulary or ())}".encode())
    digest.update(str(len(bundle.encoders["text"].terms_)).encode())
    for name, scorer in sorted(bundle.scorers.items()):
        digest.update(f"{name}:{scorer.coef_.round(6).tolist()}:{scorer.intercept_}".encode())
    stamp = datetime.fromisoformat(bundle.metadata["created_at"]).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{digest.hexdigest()[:8]}"
