"""Flask CLI commands for the matching model."""

from __future__ import annotations

import time

import click

from matcher.evaluation import format_report
from matcher.gate import GRADES, describe_decision
from webapp.errors import PuenteError, english_refusal
from webapp.services import matching, model_training, snapshots


@click.command("build-snapshot")
@click.option("--if-changed", is_flag=True,
              help="Only when profiles or the active model changed since the current snapshot "
                   "(as the periodic job does; make run starts with it).")
def build_snapshot_command(if_changed: bool) -> None:
    """Build the matching indexes once and write the snapshot every worker maps."""
    started = time.perf_counter()
    try:
        done = matching.refresh_snapshot() if if_changed else {}
        if done.get("skipped") == "current":
            click.echo(f"Matching snapshot {done['snapshot']} is current: kept.")
            return
        path = (snapshots.snapshot_root() / done["snapshot"] if "snapshot" in done
                else matching.build_snapshot())
    except PuenteError as err:
        raise click.ClickException(english_refusal(err)) from err
    click.echo(f"Matching snapshot written to {path} in {time.perf_counter() - started:.1f} s.")


@click.command("train-model")
@click.option("--seed", default=0, show_default=True, help="Seed of the held-out split.")
def train_model_command(seed: int) -> None:
    """Refit on current profiles, learn weights from outcomes, make the result active."""
    result = model_training.train_model(seed=seed)
    row = result.version
    click.echo(f"Model {row.version} is active ({row.n_profiles} profiles, "
               f"{row.n_outcomes} labelled outcomes: introductions and hidden matches).")
    for direction, report in result.report.items():
        click.echo(_direction_summary(direction, report, direction in result.promoted))
    if not result.report:
        click.echo("  No labelled introductions yet: weights are the priors or the active ones.")


def _direction_summary(direction: str, report: dict, promoted: bool) -> str:
    """Return the held-out comparison, the gate's decision and the calibration of a direction."""
    reason = describe_decision(report["decision"])
    grades = ", ".join(f"{_GRADE_NAMES[int(g)]} {n}" for g, n in report.get("grades", {}).items())
    if "candidate" not in report:
        return (f"  {direction}: {report['n_outcomes']} outcomes ({grades}), "
                f"not trained: {reason}")
    lines = [f"  {direction}: {report['n_outcomes']} outcomes from {report['n_requesters']} "
             "requesters, held out by requester",
             f"    graded by the furthest confirmed step: {grades}",
             "    | held-out | gain-weighted ROC AUC | graded NDCG@5 | log loss "
             "| calibration error |",
             "    |---|---:|---:|---:|---:|"]
    for name, label in _MODELS.items():
        m = report[name]
        lines.append(f"    | {label} | {_num(m['roc_auc'])} | {_num(m.get('ndcg@5'))} | "
                     f"{_num(m['log_loss'])} | {_num(m.get('calibration_error'))} |")
    verdict = ("promoted" if promoted else "active weights kept, intercept recalibrated by "
               f"{report['intercept_shift']:+.2f}")
    lines.append(f"    -> {verdict}: {reason}")
    shown = "candidate" if promoted else "calibrated"
    lines.append(f"    reliability of the weights now in use ({_MODELS[shown]}):")
    lines.append("    | predicted | pairs | mean predicted | observed |")
    lines.append("    |---|---:|---:|---:|")
    lines.extend(f"    | {b['low']:.1f}-{b['high']:.1f} | {b['n']} | {b['predicted']:.3f} | "
                 f"{b['observed']:.3f} |" for b in report["calibration"][shown])
    return "\n".join(lines)


_GRADE_NAMES = {grade: name for name, grade in GRADES.items()}
_MODELS = {"current": "active", "calibrated": "active, recalibrated", "candidate": "learned"}


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


@click.command("evaluate")
@click.option("--scenarios", "scenario_file", required=True,
              type=click.Path(exists=True, dir_okay=False), help="Scenario JSON file.")
def evaluate_command(scenario_file: str) -> None:
    """Print NDCG@5, precision@3 and pairwise agreement of the model and two baselines."""
    try:
        result = model_training.evaluate(scenario_file)
    except PuenteError as err:
        raise click.ClickException(english_refusal(err)) from err
    click.echo(format_report(result))


COMMANDS = [build_snapshot_command, train_model_command, evaluate_command]
