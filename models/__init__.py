"""Puente's persistent data: typed SQLAlchemy 2 models on one Flask-SQLAlchemy ``db``.

Models never commit; the web layer's services own transactions.
"""

from models.audit import AuditEntry
from models.base import db, utcnow
from models.cohorts import COHORT_STATUSES, CohortProposal
from models.conversations import IntroductionMessage, MeetingProposal
from models.exposures import MatchImpression as MatchImpression
from models.introductions import (
    DECLINE_REASONS,
    FIT_DECLINE_REASONS,
    INTRODUCTION_KINDS,
    INTRODUCTION_STATES,
    OPEN_STATES,
    Introduction,
    IntroductionFeedback,
    IntroductionReview,
)
from models.jobs import JOB_STATES, BackgroundJob, JobFile, PeriodicTick
from models.match_marks import HIDDEN, MATCH_MARKS, SAVED, MatchMark
from models.model_versions import ModelVersion
from models.notices import Notice
from models.notifications import OUTBOX_STATUSES, OutboxMessage
from models.outcomes import OutcomeStep, UsdRate
from models.profiles import (
    COMMON_FIELDS,
    CONTACT_FIELDS,
    KIND_FIELDS,
    PROFILE_CLASSES,
    PROFILE_KINDS,
    BuyerProfile,
    MentorProfile,
    Profile,
    ProfileChange,
    ProfileFacet,
    SmeProfile,
    columns_for,
    committed_profile_writes,
    facet_pairs,
    fields_of,
)
from models.program_rules import RULE_PAIRINGS, ProgramRule
from models.users import PROFILE_ROLES, ApiToken, Role, User

__all__ = [
    "COMMON_FIELDS", "CONTACT_FIELDS", "DECLINE_REASONS", "FIT_DECLINE_REASONS",
    "INTRODUCTION_KINDS", "INTRODUCTION_STATES", "KIND_FIELDS", "OPEN_STATES",
    "OUTBOX_STATUSES", "PROFILE_CLASSES", "PROFILE_KINDS", "PROFILE_ROLES", "RULE_PAIRINGS",
    "ApiToken", "BackgroundJob", "JOB_STATES", "JobFile", "PeriodicTick",
    "AuditEntry", "BuyerProfile", "COHORT_STATUSES", "CohortProposal",
    "Introduction", "IntroductionFeedback", "IntroductionMessage", "IntroductionReview",
    "MeetingProposal",
    "ModelVersion", "MatchMark", "MATCH_MARKS", "SAVED", "HIDDEN", "Notice",
    "MentorProfile", "OutboxMessage", "OutcomeStep", "Profile", "ProfileChange", "ProfileFacet",
    "ProgramRule", "Role",
    "SmeProfile", "UsdRate", "User", "columns_for", "committed_profile_writes", "db",
    "facet_pairs", "fields_of", "utcnow",
]
