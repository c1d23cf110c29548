"""The impact report as the page and its CSV show it: the funnel's conversions, flat rows.

Pure functions of the report ``impact.impact_report`` returns; no database.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

CSV_HEADER = ("section", "group", "measure", "value")
FUNNEL_SECTIONS = ("funnel", "mentorship_funnel")  # trade's, then mentorship's
GROUP_SECTIONS = ("by_country", "by_ownership", "by_source")


def funnel_steps(report: dict[str, Any], key: str = "funnel") -> list[dict[str, Any]]:
    """Return the steps of one ladder's funnel (``funnel``: trade, ``mentorship_funnel``) in
    order, each with its count, its conversion from the step before (None for the first, or
    when the step before has none) and the median days from the acceptance to it (None when
    no introduction reached it with a confirmed step)."""
    steps, before = [], None
    for stage, count in (report.get(key) or {}).items():
        conversion = None if not before else count / before
        steps.append({"stage": stage, "count": count, "conversion": conversion,
                      "median_days": (report.get("median_days") or {}).get(stage)})
        before = count
    return steps


def _figure_rows(section: str, group: str, figures: dict[str, Any]) -> Iterator[tuple]:
    for measure in ("exporters", "export_volume_usd", "orders", "mentoring_sessions",
                    "mentoring_hours"):
        yield section, group, measure, figures.get(measure, 0)
    for goal, count in (figures.get("goals_achieved") or {}).items():
        yield section, group, f"goals_achieved.{goal}", count
    for currency, amount in (figures.get("unconverted") or {}).items():
        yield section, group, f"unconverted.{currency}", amount


def csv_rows(report: dict[str, Any]) -> Iterator[tuple]:
    """Yield the report as (section, group, measure, value) rows: years, each ladder's funnel
    (trade's, then mentorship's), groups, then the warnings (one row each, its currency as the
    value)."""
    for year in report.get("years") or []:
        yield from _figure_rows("year", str(year["year"]), year)
    for key in FUNNEL_SECTIONS:
        for step in funnel_steps(report, key):
            yield key, step["stage"], "count", step["count"]
            if step["conversion"] is not None:
                yield key, step["stage"], "conversion", round(step["conversion"], 4)
            if step["median_days"] is not None:
                yield key, step["stage"], "median_days", step["median_days"]
    for section in GROUP_SECTIONS:
        for group, figures in (report.get(section) or {}).items():
            yield from _figure_rows(section, group, figures)
    for warning in report.get("warnings") or []:
        params = warning.get("params") or {}
        yield "warning", str(params.get("year", "")), warning["code"], params.get("currency")
