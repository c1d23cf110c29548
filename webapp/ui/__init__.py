"""Server-rendered pages: one blueprint, ``ui``, its views in modules by feature."""

from flask.blueprints import BlueprintSetupState

from webapp.ui import (  # noqa: F401  (they register their views on bp)
    account,
    cohorts,
    conversation,
    dashboard,
    export_jobs,
    homes,
    impact_page,
    introduction_links,
    introductions,
    jobs_page,
    match_marks,
    matches,
    metrics_page,
    outcomes,
    over_limit,
    password_reset,
    profiles,
    program_rules,
    rates_page,
    repeated_args,
    users,
    verification,
)
from webapp.ui.helpers import TEMPLATE_HELPERS
from webapp.ui.homes import unread_notices
from webapp.ui.navigation import nav_items
from webapp.ui.views import bp


@bp.record_once
def register_template_helpers(state: BlueprintSetupState) -> None:
    """Give every template (macros included) the navigation and the template helpers."""
    state.app.jinja_env.globals.update(TEMPLATE_HELPERS, nav_items=nav_items,
                                      unread_notices=unread_notices)


__all__ = ["bp"]
