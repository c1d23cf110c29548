"""Translated labels of the codes the pages show: roles, kinds and the profile value sets."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "sme": _l("SME"),
    "mentor": _l("Mentor"),
    "buyer": _l("Buyer"),
    "coordinator": _l("Coordinator"),
    "admin": _l("Administrator"),
}
# What a newcomer picks at sign-up: the kind of profile the account will own.
SIGNUP_ROLE_LABELS = {
    "sme": _l("A small or medium business looking for mentors and buyers"),
    "mentor": _l("A mentor sharing export know-how"),
    "buyer": _l("A buyer sourcing from the region"),
}
KIND_PLURALS = {"sme": _l("SMEs"), "mentor": _l("Mentors"), "buyer": _l("Buyers")}
EMPLOYEE_LABELS = {
    "1-9": _l("1 to 9 employees"),
    "10-49": _l("10 to 49 employees"),
    "50-249": _l("50 to 249 employees"),
    "250-499": _l("250 to 499 employees"),
}
EXPORT_STAGE_LABELS = {
    "none": _l("Not exporting yet"),
    "exploring": _l("Exploring export"),
    "occasional": _l("Exporting occasionally"),
    "regular": _l("Exporting regularly"),
}
OWNERSHIP_LABELS = {
    "women": _l("Women-owned"),
    "indigenous": _l("Indigenous-owned"),
    "minority": _l("Minority-owned"),
    "veteran": _l("Veteran-owned"),
}
MENTOR_MODE_LABELS = {
    "virtual": _l("Virtual"),
    "in_person": _l("In person"),
    "both": _l("Virtual and in person"),
}
VOLUME_LABELS = {
    "small": _l("Small orders"),
    "medium": _l("Medium orders"),
    "large": _l("Large orders"),
}
VALUE_LABELS = {
    "employees": EMPLOYEE_LABELS,
    "export_stage": EXPORT_STAGE_LABELS,
    "ownership": OWNERSHIP_LABELS,
    "diversity_goals": OWNERSHIP_LABELS,
    "mode": MENTOR_MODE_LABELS,
    "volume": VOLUME_LABELS,
}
