"""The program rules page (staff): the rules and weights of each pairing, a preview, Save.

The form posts every pairing's rules; *Preview* ranks the service's fixed sample with the
stored rules and with the form's, *Save* replaces the rule set through the same use case as
``PUT /api/v1/program/rules`` (with the version the page was read at: a change made meanwhile
is refused, nothing saved). Problems are shown next to their field, in the reader's language.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from matcher import WEIGHT_RANGE
from models import RULE_PAIRINGS
from webapp import catalogue, policy
from webapp.errors import InvalidInput, PreconditionFailed
from webapp.i18n import current_locale
from webapp.schemas.program_rules import PAIRING_OF
from webapp.services import program_rules as service
from webapp.services import rules_preview
from webapp.ui.views import bp

PAIRING_LABELS = {
    "sme_mentor": _l("Mentors proposed to an SME"),
    "mentor_sme": _l("SMEs proposed to a mentor"),
    "sme_buyer": _l("Buyers proposed to an SME"),
    "buyer_sme": _l("SMEs proposed to a buyer"),
}
FACTOR_LABELS = {
    "sector": _l("Sector (NAICS)"),
    "language": _l("Shared language"),
    "needs": _l("Needs covered by expertise"),
    "text": _l("Words of the descriptions"),
    "location": _l("Distance"),
    "cross_border": _l("Across the border"),
    "markets": _l("Knows the target markets"),
    "sourcing": _l("Buys from the SME's country"),
    "diversity": _l("Supplier-diversity goal met"),
}
TRADE_FACTOR_LABELS = {"needs": _l("Required certifications held")}


def _require_staff() -> None:
    if not policy.may_set_program_rules(current_user):
        abort(403)


def factor_label(pairing: str, factor: str) -> str:
    """Return a factor's label for a pairing, in the reader's language."""
    if PAIRING_OF[pairing].name == "trade" and factor in TRADE_FACTOR_LABELS:
        return str(TRADE_FACTOR_LABELS[factor])
    return str(FACTOR_LABELS.get(factor, factor))


def form_rules(form: Any) -> dict[str, dict[str, Any]]:
    """Return the rule set the form posted (numbers left as typed when they are not ones)."""
    rules: dict[str, dict[str, Any]] = {}
    for pairing in RULE_PAIRINGS:
        values: dict[str, Any] = {name: f"{pairing}.{name}" in form for name in (
            "language_required", "cross_border_only")}
        if PAIRING_OF[pairing].name == "mentorship":
            values["needs_covered_required"] = f"{pairing}.needs_covered_required" in form
        values["min_score"] = _number(form.get(f"{pairing}.min_score", "0"))
        values["weights"] = {factor: _number(form.get(f"{pairing}.weights.{factor}", "1"))
                             for factor in PAIRING_OF[pairing].factors}
        rules[pairing] = values
    return rules


def _number(text: str) -> Any:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return text  # refused by the schema, next to the field


def _errors(err: InvalidInput) -> dict[str, list[str]]:
    locale = current_locale()
    return {name: [catalogue.describe_problem(p, locale) for p in problems]
            for name, problems in err.fields.items()}


def _page(values: dict, version: int, *, errors=None, preview=None, message=None,
          status: int = 200):
    return render_template(
        "program_rules.html", values=values, version=version, errors=errors or {},
        preview=preview, message=message, pairings=RULE_PAIRINGS, labels=PAIRING_LABELS,
        factor_label=factor_label, factors={p: PAIRING_OF[p].factors for p in RULE_PAIRINGS},
        mentorship={p for p in RULE_PAIRINGS if PAIRING_OF[p].name == "mentorship"},
        weight_range=WEIGHT_RANGE), status


@bp.route("/program/rules", methods=["GET", "POST"])
@login_required
def program_rules():
    """Show the program rules; POST previews (``action=preview``) or saves them."""
    _require_staff()
    if request.method == "GET":
        rules = service.read_rules(current_user)
        return _page(rules.as_dict(), rules.version)
    values = form_rules(request.form)
    version = _version(request.form.get("version"))
    try:
        if request.form.get("action") == "preview":
            preview = rules_preview.preview(current_user, values)
            return _page(values, version, preview=preview)
        service.change_rules(current_user, values, partial=False, if_match={version})
    except InvalidInput as err:
        return _page(values, version, errors=_errors(err), status=422)
    except PreconditionFailed as err:
        current = service.read_rules(current_user)
        text = catalogue.describe(err.code, current_locale(), **err.params)
        return _page(values, current.version, message=text, status=409)
    flash(_("The program rules are saved."))
    return redirect(url_for("ui.program_rules"))


def _version(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        abort(400)
