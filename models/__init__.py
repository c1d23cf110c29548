"""Puente's persistent data: typed SQLAlchemy 2 models on one Flask-SQLAlchemy ``db``.

Models never commit; the web layer's services own transactions.
"""

from models.audit import AuditEntry
from models.base import db, utcnow
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
    facet_pairs,
    fields_of,
)
from models.users import PROFILE_ROLES, ApiToken, Role, User

__all__ = [
    "COMMON_FIELDS", "CONTACT_FIELDS", "KIND_FIELDS", "PROFILE_CLASSES", "PROFILE_KINDS",
    "PROFILE_ROLES", "ApiToken", "AuditEntry", "BuyerProfile", "MentorProfile", "Profile",
    "ProfileChange", "ProfileFacet", "Role", "SmeProfile", "User", "db", "facet_pairs",
    "fields_of", "utcnow",
]
