"""Flask CLI commands for the matching model."""

from __future__ import annotations

import click

from matcher import MatcherError
from matcher.evaluation import format_report
from webapp.services import model_training


@click.command("train-model")
@click.option("--seed", default=0, show_default=True, help="Seed of the held-out split.")
def train_model_command(seed: int) -> None:
    """Refit on current profiles, learn weights from outcomes, make the result active."""
    result = model_training.train_model(seed=seed)
    row = result.version
    click.echo(f"Model {row.version} is active ({row.n_profiles} profiles, "
               f"{row.n_outcomes} labelled introductions).")
    for direction, report in result.report.items():
        if "candidate" in report:
            before, after = report["current"], report["candidate"]
            verdict = "promoted" if direction in result.promoted else "active weights kept"
            click.echo(f"  {direction}: held-out log loss {_num(before['log_loss'])} (active) vs "
                       f"{_num(after['log_loss'])} (learned), ROC AUC {_num(before['roc_auc'])} "
                       f"vs {_num(after['roc_auc'])}, NDCG@5 {_num(before.get('ndcg@5'))} vs "
                       f"{_num(after.get('ndcg@5'))} -> {verdict}")
        else:
            click.echo(f"  {direction}: {report.get('skipped', 'not trained')}")
    if not result.report:
        click.echo("  No labelled introductions yet: weights are the priors or the active ones.")


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


@click.command("evaluate")
@click.option("--scenarios", "scenario_file", required=True,
              type=click.Path(exists=True, dir_okay=False), help="Scenario JSON file.")
def evaluate_command(scenario_file: str) -> None:
    """Print NDCG@5, precision@3 and pairwise agreement of the model and two baselines."""
    try:
        result = model_training.evaluate(scenario_file)
    except MatcherError as err:
        raise click.ClickException(str(err)) from err
    click.echo(format_report(result))


COMMANDS = [train_model_command, evaluate_command]
