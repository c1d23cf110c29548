"""Program metrics for coordinators: charts with their numbers as tables, and CSV exports."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask import Response, render_template, request
from flask_babel import format_date, format_decimal, format_percent
from flask_babel import gettext as _
from flask_login import current_user, login_required

from models import INTRODUCTION_STATES
from webapp import policy
from webapp.catalogue import model_decisions
from webapp.i18n import current_locale
from webapp.services import exports
from webapp.services.metrics import program_metrics
from webapp.services.model_training import decisions_of
from webapp.ui.charts import Series, calibration_chart, horizontal_bar_chart, stacked_bar_chart
from webapp.ui.helpers import require
from webapp.ui.introduction_forms import STATE_LABELS
from webapp.ui.metrics_forms import (
    SOURCE_LABELS,
    MetricsFilterForm,
    country_label,
    group_label,
    impressions_label,
    pair_label,
)
from webapp.ui.repeated_args import reads_args
from webapp.ui.views import bp

FILTER_KEYS = ("from", "to", "country", "kind")


def _pct(value: float) -> str:
    return format_percent(value)


def _num(value: float) -> str:
    return format_decimal(value)


def _tick(score: float) -> str:
    return format_decimal(score, format="0.0")  # 0.0 … 1.0, one decimal even when whole


@bp.get("/dashboard/metrics")
@reads_args(*FILTER_KEYS)
@login_required
def metrics():
    """Show coordinators the program's metrics for a period, country and pairing."""
    require(policy.may_see_program(current_user))
    form = MetricsFilterForm(request.args)
    if not form.validate():
        return render_template("metrics.html", form=form, view=None, query={}), 422
    view = metrics_view(program_metrics(current_user, form.filters()))
    query = {k: request.args[k] for k in FILTER_KEYS if request.args.get(k)}
    return render_template("metrics.html", form=form, view=view, query=query)


@bp.get("/dashboard/metrics.csv")
@reads_args(*FILTER_KEYS)
@login_required
def metrics_csv():
    """Download the metrics of the filters as rows of section, group, measure and value."""
    return _export("metrics", exports.METRICS_HEADER, exports.metric_rows)


@bp.get("/dashboard/introductions.csv")
@reads_args(*FILTER_KEYS)
@login_required
def introductions_csv():
    """Download the introductions of the filters, one row each (no names nor contacts)."""
    return _export("introductions", exports.INTRODUCTION_HEADER, exports.introduction_rows)


def _export(name: str, header, rows_of):
    require(policy.may_see_program(current_user))
    form = MetricsFilterForm(request.args)
    if not form.validate():
        return render_template("metrics.html", form=form, view=None, query={}), 422
    body = exports.to_csv(header, rows_of(current_user, form.filters()))
    filename = f"puente-{name}-{datetime.now(UTC).date().isoformat()}.csv"
    return Response(body, content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def metrics_view(data: dict[str, Any]) -> dict[str, Any]:
    """Return what the page shows: each section's table rows and chart (None if absent)."""
    exposure = data.get("exposure") or {}
    return {
        "introductions": data.get("introductions", 0),
        "acceptance_rate": data.get("acceptance_rate"),
        "median_hours": data.get("median_hours_to_answer"),
        "by_state": [(STATE_LABELS[s], (data.get("by_state") or {}).get(s, 0))
                     for s in INTRODUCTION_STATES],
        "over_time": over_time_view(data.get("by_state_over_time")),
        "deciles": deciles_view(data.get("acceptance_by_score_decile") or []),
        "outcome_deciles": outcome_deciles_view(data.get("outcomes_by_score_decile") or []),
        "ranking": ranking_view(data.get("ranking_quality")),
        "cross_border": cross_border_view(data.get("cross_border") or {}),
        "by_country": groups_view(data.get("acceptance_by_sme_country") or {},
                                  exposure.get("by_sme_country"), country_label, (
                                      _("SME country"), _("Acceptance rate by SME country"),
                                      _("Exposure by SME country"))),
        "by_ownership": groups_view(data.get("acceptance_by_ownership") or {},
                                    exposure.get("by_ownership"), group_label, (
                                        _("Ownership group"),
                                        _("Acceptance rate by ownership group"),
                                        _("Exposure by ownership group"))),
        "exposure": exposure_view(exposure),
        "utilisation": utilisation_view(data.get("mentor_utilisation") or {}),
        "model": model_view(data.get("model")),
    }


def over_time_view(over_time: dict[str, Any] | None) -> dict[str, Any] | None:
    """Return the periods as dates with their counts by state, and the stacked bar chart."""
    if not over_time or not over_time.get("periods"):
        return None
    monthly = over_time.get("bucket") == "month"
    periods = [{**p, "label": format_date(start, "LLLL y" if monthly else "medium"),
                "short": format_date(start, "LLL y" if monthly else "short")}
               for p in over_time["periods"] for start in [date.fromisoformat(p["start"])]]
    buckets = {"day": _("Day"), "week": _("Week starting"), "month": _("Month")}
    series = [Series(str(STATE_LABELS[s]), f"s-{s}", [p.get(s, 0) for p in periods])
              for s in INTRODUCTION_STATES]
    chart = stacked_bar_chart(
        [p["short"] for p in periods], series,
        title=_("Introductions by state over time"), x_label=buckets.get(
            over_time.get("bucket"), _("Period")), y_label=_("Introductions"),
        empty=_("No introductions in this period."), fmt=_num)
    return {"bucket": buckets.get(over_time.get("bucket"), _("Period")), "periods": periods,
            "states": [(s, STATE_LABELS[s]) for s in INTRODUCTION_STATES], "chart": chart}


def deciles_view(deciles: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the acceptance rate per score decile and the calibration chart."""
    rows = [{**d, "range": f"{_num(d['from'])}–{_num(d['to'])}"} for d in deciles]
    points = [(d["decile"], d["acceptance_rate"] or 0.0,
               _("Scores %(range)s: %(rate)s of %(num)s accepted", range=r["range"],
                 rate=_pct(d["acceptance_rate"] or 0), num=_num(d["decided"])))
              for d, r in zip(deciles, rows, strict=True)]
    chart = calibration_chart(
        points, title=_("Acceptance rate by score decile"), x_label=_("Match score"),
        y_label=_("Acceptance rate"), expected=_("A calibrated score (decile midpoint)"),
        empty=_("No decided introductions with a score yet."), fmt=_pct,
        x_fmt=_tick)
    return {"rows": rows, "chart": chart}


def outcome_deciles_view(deciles: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the acceptance, meeting and order rates per score decile, and their chart."""
    rows = [{**d, "range": f"{_num(d['from'])}–{_num(d['to'])}"} for d in deciles]
    chart = horizontal_bar_chart(
        [r["range"] for r in rows],
        [Series(_("Accepted"), "s-accepted", [r["accepted_rate"] for r in rows]),
         Series(_("Met"), "s-completed", [r["met_rate"] for r in rows]),
         Series(_("Ordered"), "s-rate", [r["order_rate"] for r in rows])],
        title=_("Outcomes by score decile"), x_label=_("Share of introductions"), maximum=1,
        empty=_("No decided introductions with a score yet."), fmt=_pct)
    return {"rows": rows, "chart": chart}


def ranking_view(quality: dict[str, Any] | None) -> dict[str, Any] | None:
    """Return precision@k and NDCG@k from coordinator reviews and party feedback."""
    if not quality:
        return None
    rows = [{"source": SOURCE_LABELS[key], **quality.get(key, {})} for key in SOURCE_LABELS]
    k = quality.get("k")
    chart = horizontal_bar_chart(
        [str(r["source"]) for r in rows],
        [Series(_("Precision at %(k)s", k=k), "s-precision",
                [r.get("precision_at_k") for r in rows]),
         Series(_("NDCG at %(k)s", k=k), "s-ndcg", [r.get("ndcg_at_k") for r in rows])],
        title=_("Ranking quality"), x_label=_("Score from 0 to 1"), maximum=1,
        empty=_("No rated introductions yet."), fmt=_num)
    return {"k": k, "relevant_rating": quality.get("relevant_rating"), "rows": rows,
            "chart": chart}


def cross_border_view(cross: dict[str, Any]) -> dict[str, Any]:
    """Return the share of introductions per country pair and its bar chart."""
    pairs = cross.get("by_country_pair") or {}
    rows = [{"pair": pair_label(key), **value} for key, value in pairs.items()]
    chart = horizontal_bar_chart(
        [r["pair"] for r in rows],
        [Series(_("Share of introductions"), "s-share", [r["share"] for r in rows])],
        title=_("Introductions by country pair"), x_label=_("Share of introductions"),
        maximum=1, empty=_("No introductions in this period."), fmt=_pct)
    return {"share": cross.get("share"), "rows": rows, "chart": chart}


def groups_view(acceptance: dict[str, Any], exposure: dict[str, Any] | None, label_of,
                titles: tuple[str, str, str]) -> dict[str, Any]:
    """Return acceptance and exposure per group (SME country or ownership group), charted.

    ``titles`` are the group column's heading and the two charts' titles.
    """
    heading, acceptance_title, exposure_title = titles
    keys = sorted(set(acceptance) | set(exposure or {}))
    rows = [{"group": label_of(key), **acceptance.get(key, {}),
             **{f"exp_{k}": v for k, v in (exposure or {}).get(key, {}).items()}}
            for key in keys]
    labels = [r["group"] for r in rows]
    accepted = horizontal_bar_chart(
        labels, [Series(_("Acceptance rate"), "s-rate",
                        [r.get("acceptance_rate") for r in rows])],
        title=acceptance_title,
        x_label=_("Acceptance rate"), maximum=1, fmt=_pct,
        empty=_("No decided introductions yet."))
    shares = horizontal_bar_chart(
        labels, [Series(_("Share of profiles"), "s-profiles",
                        [r.get("exp_share_of_profiles") for r in rows]),
                 Series(_("Share of impressions"), "s-impressions",
                        [r.get("exp_share_of_impressions") for r in rows])],
        title=exposure_title,
        x_label=_("Share"), maximum=1, fmt=_pct, empty=_("No exposure data yet."))
    return {"heading": heading, "rows": rows, "has_exposure": exposure is not None,
            "acceptance_chart": accepted, "exposure_chart": shares}


def exposure_view(exposure: dict[str, Any]) -> dict[str, Any] | None:
    """Return how many rankings and impressions there were, by kind of profile shown."""
    if not exposure:
        return None
    return {"rankings": exposure.get("rankings", 0),
            "impressions": exposure.get("impressions", 0),
            "by_kind": [(impressions_label(k), n)
                        for k, n in (exposure.get("by_kind") or {}).items()]}


def utilisation_view(load: dict[str, Any]) -> dict[str, Any]:
    """Return the active mentors' load and capacity, with a load-against-capacity chart."""
    chart = horizontal_bar_chart(
        [_("All active mentors")],
        [Series(_("Current load"), "s-load", [load.get("load")]),
         Series(_("Capacity"), "s-capacity", [load.get("capacity")])],
        title=_("Mentor utilisation"), x_label=_("Mentees"), fmt=_num,
        empty=_("No active mentors."))
    return {**load, "chart": chart}


def model_view(model: dict[str, Any] | None) -> dict[str, Any] | None:
    """Return the active model's version and date, and per direction what the learning gate
    decided (promoted or kept, and why, worded from its code) with its training size and the
    held-out AUC and NDCG@5 of the active and the learned weights, formatted for the reader."""
    if not model:
        return None
    metrics = model.get("metrics") or {}
    decisions = decisions_of(metrics)
    locale = current_locale()
    pairings = [{**row, "figures": _model_figures(metrics[row["direction"]])}
                for row in model_decisions.decision_rows(decisions, locale)]
    created = model.get("created_at")
    return {"version": model.get("version"), "pairings": pairings,
            "nothing": None if metrics else model_decisions.nothing_learned(locale),
            "created_at": datetime.fromisoformat(created) if created else None}


def _model_figures(report: dict[str, Any]) -> list[tuple[str, str]]:
    """Return a direction's training size and held-out ranking measures as labelled values."""
    comparison = report.get("comparison") or {}
    auc, ndcg = comparison.get("roc_auc") or {}, comparison.get("ndcg@5") or {}
    rows = [(_("Outcomes learned from"), _count(report.get("n_outcomes")))]
    if "n_requesters" in report:
        rows.append((_("Requesters"), _count(report["n_requesters"])))
    if comparison:
        rows += [(_("Held-out AUC, active weights"), _measure(auc.get("champion"))),
                 (_("Held-out AUC, learned weights"), _measure(auc.get("challenger"))),
                 (_("Held-out NDCG@5, active weights"), _measure(ndcg.get("champion"))),
                 (_("Held-out NDCG@5, learned weights"), _measure(ndcg.get("challenger")))]
    return rows


def _count(value: Any) -> str:
    return "–" if value is None else format_decimal(value)


def _measure(value: Any) -> str:
    return "–" if value is None else format_decimal(value, format="0.000")
