"""Puente's matching engine: rank mentors and buyers for SMEs (and SMEs for them), explained.

Pure NumPy/SciPy/scikit-learn; no Flask, no database, nothing read at import. Typical use::

    bundle = build_bundle(records)                # or load_bundle(path), once per process
    mentors = CandidateIndex.build(bundle, "mentor", mentor_records)   # one index per kind
    matches = rank(mentors, sme_record, k=10, cross_border="prefer")
    rank(mentors, sme_record, k=5, rerank=ExposureReranker(counter.exposure_of(sme_id)))
    explain_pairs(bundle, [sme_record], [mentor_record])   # given pairs, no ranking filter
    [(reason.code, reason.params) for reason in matches[0].reasons]   # words: at the edge
    mentors.upsert([changed_record]); mentors.remove([deleted_id])     # keep it fresh

Pairings: SME→mentor and mentor→SME (mentorship), SME→buyer and buyer→SME (reciprocal trade);
:func:`rank` picks the pairing from the query's kind and the index's kind.
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
from .evaluation import evaluate_scenarios, format_report, load_scenarios
from .exposure import ExposureCounter, ExposureReranker
from .factors import MENTORSHIP, PAIRINGS, TRADE, Pairing, pairing_for
from .index import CandidateIndex
from .ranking import (
    CROSS_BORDER_MODES,
    PREFER_BONUS,
    Match,
    RankOptions,
    explain_pairs,
    rank,
    rank_page,
)
from .reasons import Reason
from .records import KINDS, ProfileRecord
from .rules import (
    MUST_MATCH_RULES,
    WEIGHT_RANGE,
    check_multipliers,
    scale_scorer,
    scaled_scorers,
    score_without,
    unmet_rules,
)
from .scorer import DEFAULT_BIAS, DEFAULT_WEIGHTS, LinearScorer
from .training import TrainingReport, pair_features, train_scorers

__all__ = [
    "BUNDLE_FORMAT",
    "CROSS_BORDER_MODES",
    "DEFAULT_BIAS",
    "DEFAULT_WEIGHTS",
    "KINDS",
    "MENTORSHIP",
    "MUST_MATCH_RULES",
    "PAIRINGS",
    "PREFER_BONUS",
    "TRADE",
    "WEIGHT_RANGE",
    "BundleError",
    "BundleVersionWarning",
    "CandidateIndex",
    "ExposureCounter",
    "ExposureReranker",
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
    "TrainingReport",
    "UnsupportedPairingError",
    "build_bundle",
    "check_multipliers",
    "evaluate_scenarios",
    "explain_pairs",
    "format_report",
    "library_versions",
    "load_bundle",
    "load_scenarios",
    "pair_features",
    "pairing_for",
    "rank",
    "rank_page",
    "scale_scorer",
    "scaled_scorers",
    "score_without",
    "train_scorers",
    "unmet_rules",
]
