"""Puente's matching engine: rank mentors and buyers for SMEs (and SMEs for them), explained.

Pure NumPy/SciPy/scikit-learn; no Flask, no database. Typical use::

    bundle = build_bundle(records)                       # or ModelBundle.load(path)
    mentors = CandidateIndex.build(bundle, "mentor", mentor_records)
    matches = rank(mentors, sme_record, k=10)
    [render_reason(reason, "es") for reason in matches[0].reasons]
"""

from .bundle import BUNDLE_FORMAT, ModelBundle, build_bundle, library_versions, load_bundle
from .errors import (
    BundleError,
    BundleVersionWarning,
    IncompatibleBundleError,
    InvalidQueryError,
    InvalidRecordError,
    MatcherError,
    ScenarioError,
    TrainingError,
    UnsupportedPairingError,
)
from .factors import MENTORSHIP, PAIRINGS, TRADE, Pairing, pairing_for
from .index import CandidateIndex
from .ranking import CROSS_BORDER_MODES, PREFER_BONUS, Match, RankOptions, rank
from .reasons import Reason, reason_payload, render_reason
from .records import KINDS, ProfileRecord
from .scorer import DEFAULT_BIAS, DEFAULT_WEIGHTS, LinearScorer

__all__ = [
    "BUNDLE_FORMAT",
    "CROSS_BORDER_MODES",
    "DEFAULT_BIAS",
    "DEFAULT_WEIGHTS",
    "KINDS",
    "MENTORSHIP",
    "PAIRINGS",
    "PREFER_BONUS",
    "TRADE",
    "BundleError",
    "BundleVersionWarning",
    "CandidateIndex",
    "IncompatibleBundleError",
    "InvalidQueryError",
    "InvalidRecordError",
    "LinearScorer",
    "Match",
    "MatcherError",
    "ModelBundle",
    "Pairing",
    "ProfileRecord",
    "RankOptions",
    "Reason",
    "ScenarioError",
    "TrainingError",
    "UnsupportedPairingError",
    "build_bundle",
    "library_versions",
    "load_bundle",
    "pairing_for",
    "rank",
    "reason_payload",
    "render_reason",
]
