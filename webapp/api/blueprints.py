"""The JSON API under ``/api/v1``: blueprints, OpenAPI document and its docs page."""

from flask import Blueprint as FlaskBlueprint
from flask import Flask, request, send_from_directory
from swagger_ui_bundle import swagger_ui_path

from webapp.api import (
    accounts,
    audit,
    cohorts,
    conversations,
    exports,
    introductions,
    jobs,
    json_body,
    matches,
    metrics,
    models,
    notices,
    outcomes,
    profiles,
    program_rules,
    taxonomy,
)
from webapp.api.base import (
    current_operation,
    refuse_anonymous_caller,
    refuse_repeated_inputs,
    refuse_unauthorised_caller,
    refuse_undeclared_inputs,
    refuse_unknown_lang,
)
from webapp.auth import protect_api_session_writes
from webapp.extensions import api, csrf

BLUEPRINTS = [accounts.blp, taxonomy.blp, *profiles.blueprints, matches.blp, introductions.blp,
              models.blp, cohorts.blp, metrics.blp, audit.blp, program_rules.blp,
              outcomes.blp, conversations.blp, notices.blp, jobs.blp, exports.blp]

OPERATION_BLUEPRINTS = frozenset(blp.name for blp in BLUEPRINTS)


def is_operation() -> bool:
    """Tell whether the request calls an operation of the API (not its OpenAPI document, docs
    page or assets, nor a CORS preflight)."""
    return request.blueprint in OPERATION_BLUEPRINTS and request.method != "OPTIONS"


def check_caller() -> None:
    """Refuse a caller who may not call the operation before anything it sent is checked or
    parsed: 401 not signed in, 403 a permission the operation declares and the caller lacks
    (recorded as ``access.denied`` like every 403). Such a caller is told nothing of the
    operation's inputs."""
    if is_operation():
        operation = current_operation()
        refuse_anonymous_caller(operation)
        refuse_unauthorised_caller(operation)


def check_lang() -> None:
    """Refuse an unknown ``lang`` on every operation of the API, before the view runs."""
    if is_operation():
        refuse_unknown_lang()


def check_inputs() -> None:
    """Refuse a query parameter or a body an operation does not take, and a query parameter
    it reads once given more than once, before the view runs (after the caller's, the CSRF
    and the body's own checks)."""
    if is_operation():
        refuse_undeclared_inputs()
        refuse_repeated_inputs()


# Swagger UI is served from the installed swagger-ui-bundle package, never from a CDN.
swagger_assets = FlaskBlueprint("swagger_ui", __name__, url_prefix="/api/v1/swagger-ui")


@swagger_assets.route("/<path:filename>")
def swagger_asset(filename: str):
    """Serve a Swagger UI asset."""
    return send_from_directory(swagger_ui_path, filename)


def init_app(app: Flask) -> None:
    """Bind the API, its blueprints and their CSRF rule to the app."""
    api.init_app(app)
    for blp in BLUEPRINTS:
        csrf.exempt(blp)  # session-cookie writes are checked by protect_api_session_writes
        api.register_blueprint(blp)
    app.register_blueprint(swagger_assets)
    # First of the app's checks, also of those registered before the API's (the storable
    # text of webapp.input_guard): who may call comes before what was sent.
    app.before_request_funcs.setdefault(None, []).insert(0, check_caller)
    app.before_request(check_lang)
    app.before_request(protect_api_session_writes)
    json_body.init_app(app)  # after the CSRF check: a cross-site form post is refused as such
    app.before_request(check_inputs)
