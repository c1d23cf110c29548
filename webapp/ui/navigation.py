"""The navigation bar: which pages each role sees.

Entries name an endpoint and appear only once a view with that endpoint is registered, so the
pages still to come (matches, introductions, the coordinator dashboard) join the bar by
registering their view under the endpoint named here — nothing else to change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from models import User
from webapp import policy

# Who sees an entry: the policy's answer for the page behind it.
PROFILE_OWNERS = policy.has_own_profile
STAFF = policy.may_see_program


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy string, translated when rendered
    shown_to: Callable[[User], bool]


NAV_ITEMS = (
    NavItem("ui.my_profile", _l("My profile"), PROFILE_OWNERS),
    NavItem("ui.matches", _l("My matches"), PROFILE_OWNERS),
    NavItem("ui.introductions", _l("Introductions"), PROFILE_OWNERS),
    NavItem("ui.dashboard", _l("Dashboard"), STAFF),
    NavItem("ui.cohorts", _l("Cohorts"), policy.may_run_cohorts),
    NavItem("ui.metrics", _l("Metrics"), STAFF),
    NavItem("ui.impact_page", _l("Impact"), policy.may_see_impact),
    NavItem("ui.model_page", _l("Model"), policy.may_manage_models),
    NavItem("ui.profiles", _l("Profiles"), STAFF),
    NavItem("ui.program_rules", _l("Program rules"), policy.may_set_program_rules),
    NavItem("ui.users", _l("Users"), policy.may_manage_users),
    NavItem("ui.account", _l("Account"), lambda user: True),
)


@dataclass(frozen=True, slots=True)
class NavLink:
    """An entry as the bar shows it (attributes: a template reads a dict's key only after
    failing to read it as an attribute)."""

    endpoint: str
    label: object
    current: bool


def nav_items() -> list[NavLink]:
    """Return the entries the current user sees, each with whether it is the current page."""
    if not current_user.is_authenticated:
        return []
    views, user = current_app.view_functions, current_user._get_current_object()
    return [NavLink(item.endpoint, item.label, request.endpoint == item.endpoint)
            for item in NAV_ITEMS if item.shown_to(user) and item.endpoint in views]
