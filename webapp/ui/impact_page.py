"""The impact page for coordinators: the Dialogue's table by year, the funnel, the groups.

Charts with their numbers as tables, filters as ``GET /api/v1/impact`` takes them, a CSV.
The figures come from ``services.impact``; this module only words and draws them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from flask import Response, render_template, request
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from webapp import policy
from webapp.i18n import current_locale
from webapp.services import exports, impact, impact_tables
from webapp.ui.charts import Series, horizontal_bar_chart
from webapp.ui.helpers import require
from webapp.ui.impact_forms import SOURCE_LABELS, ImpactFilterForm
from webapp.ui.metrics_forms import country_label, group_label
from webapp.ui.outcomes import GOAL_LABELS, STAGE_LABELS
from webapp.ui.repeated_args import reads_args
from webapp.ui.views import bp

FILTER_KEYS = ("from", "to", "country", "ownership", "pairing", "source")
FUNNEL_LABELS = {"introduced": _l("Introduced"), "accepted": _l("Accepted")}
# Each ladder's funnel: the report's key, the section's anchor, title and explanation.
FUNNEL_SECTIONS = (
    ("funnel", "funnel", _l("From introduction to order"), _l(
        "SME–buyer introductions created in the period, those accepted, and those with a "
        "confirmed step at each stage or a later one. Conversion is from the step before; "
        "median days run from the acceptance to the first confirmed step.")),
    ("mentorship_funnel", "funnel-mentorship", _l("From introduction to mentoring goal"), _l(
        "SME–mentor introductions created in the period, those accepted, those with a "
        "confirmed mentoring session (or a goal) and those with a confirmed goal achieved. "
        "Conversion is from the step before; median days run from the acceptance to the "
        "first confirmed step.")),
)


def _num(value: float) -> str:
    return format_decimal(value)


def _usd(value: float) -> str:
    return format_decimal(value, format="#,##0")


def _amount(value: str) -> str:
    """Return an unconverted amount (a decimal string) as the reader writes numbers."""
    return format_decimal(Decimal(value), format="#,##0.00##")


@bp.get("/impact")
@reads_args(*FILTER_KEYS)
@login_required
def impact_page():
    """Show coordinators what the confirmed outcome steps add up to."""
    require(policy.may_see_impact(current_user))
    form = ImpactFilterForm(request.args)
    if not form.validate():
        return render_template("impact.html", form=form, view=None, query={}), 422
    report = impact.render_warnings(impact.impact_report(current_user, form.filters()),
                                    current_locale())
    query = {k: request.args[k] for k in FILTER_KEYS if request.args.get(k)}
    return render_template("impact.html", form=form, view=impact_view(report), query=query)


@bp.get("/impact.csv")
@reads_args(*FILTER_KEYS)
@login_required
def impact_csv():
    """Download the impact report of the filters as rows of section, group, measure, value."""
    require(policy.may_see_impact(current_user))
    form = ImpactFilterForm(request.args)
    if not form.validate():
        return render_template("impact.html", form=form, view=None, query={}), 422
    report = impact.impact_report(current_user, form.filters())
    body = exports.to_csv(impact_tables.CSV_HEADER, impact_tables.csv_rows(report))
    filename = f"puente-impact-{datetime.now(UTC).date().isoformat()}.csv"
    return Response(body, content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def impact_view(report: dict[str, Any]) -> dict[str, Any]:
    """Return what the page shows: the years, the funnel and the groups, each charted."""
    return {"years": years_view(report.get("years") or []),
            "funnels": [funnel_view(impact_tables.funnel_steps(report, key), anchor, str(title),
                                    str(about))
                        for key, anchor, title, about in FUNNEL_SECTIONS],
            "groups": [
                groups_view("by-country", (_("By SME country"), _("SME country"), _(
                    "Exporters and orders by SME country")),
                    report.get("by_country") or {}, country_label),
                groups_view("by-ownership", (_("By ownership group"), _("Ownership group"), _(
                    "Exporters and orders by ownership group")),
                    report.get("by_ownership") or {}, group_label),
                groups_view("by-source", (_("By source"), _("Source"), _(
                    "Exporters and orders by source")),
                    report.get("by_source") or {},
                            lambda key: str(SOURCE_LABELS.get(key, key)))],
            "warnings": report.get("warnings") or []}


def _goals(figures: dict[str, Any]) -> list[tuple[str, int]]:
    return [(str(GOAL_LABELS.get(goal, goal)), n)
            for goal, n in (figures.get("goals_achieved") or {}).items()]


def _row(label: str, figures: dict[str, Any]) -> dict[str, Any]:
    return {**figures, "label": label, "goals": _goals(figures),
            "unconverted": {currency: _amount(amount)
                            for currency, amount in (figures.get("unconverted") or {}).items()},
            "goals_total": sum((figures.get("goals_achieved") or {}).values())}


def years_view(years: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the Dialogue's table by year and two charts: counts, and export volume."""
    rows = [_row(str(y["year"]), y) for y in years]
    labels = [r["label"] for r in rows]
    counts = horizontal_bar_chart(
        labels, [Series(_("Exporters"), "s-rate", [r["exporters"] for r in rows]),
                 Series(_("Orders"), "s-impressions", [r["orders"] for r in rows]),
                 Series(_("Mentoring sessions"), "s-profiles",
                        [r["mentoring_sessions"] for r in rows])],
        title=_("Exporters, orders and mentoring sessions by year"), x_label=_("Count"),
        empty=_("No confirmed steps in this period."), fmt=_num)
    volume = horizontal_bar_chart(
        labels, [Series(_("Export volume (USD)"), "s-rate",
                        [r["export_volume_usd"] for r in rows])],
        title=_("Export volume by year (USD)"), x_label=_("US dollars"),
        empty=_("No confirmed export orders in this period."), fmt=_usd)
    return {"rows": rows, "counts_chart": counts, "volume_chart": volume}


def funnel_view(steps: list[dict[str, Any]], anchor: str, title: str,
                about: str) -> dict[str, Any]:
    """Return one ladder's funnel: its steps with their labels, and its bar chart."""
    rows = [{**s, "label": str(FUNNEL_LABELS.get(s["stage"]) or STAGE_LABELS[s["stage"]])}
            for s in steps]
    chart = horizontal_bar_chart(
        [r["label"] for r in rows],
        [Series(_("Introductions"), "s-share", [r["count"] for r in rows])],
        title=title, x_label=_("Introductions"),
        empty=_("No introductions in this period."), fmt=_num)
    return {"anchor": anchor, "title": title, "about": about, "rows": rows, "chart": chart}


def groups_view(anchor: str, titles: tuple[str, str, str], groups: dict[str, Any],
                label_of) -> dict[str, Any]:
    """Return one breakdown (by country, ownership group or source) with its chart;
    ``titles`` are the section's, the group column's and the chart's."""
    title, heading, chart_title = titles
    rows = [_row(label_of(key), figures) for key, figures in groups.items()]
    chart = horizontal_bar_chart(
        [r["label"] for r in rows],
        [Series(_("Exporters"), "s-rate", [r["exporters"] for r in rows]),
         Series(_("Orders"), "s-impressions", [r["orders"] for r in rows])],
        title=chart_title, x_label=_("Count"),
        empty=_("No confirmed steps in this period."), fmt=_num)
    return {"anchor": anchor, "title": title, "heading": heading, "rows": rows,
            "chart": chart}
