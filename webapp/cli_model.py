"""Flask CLI commands for the matching model."""

from __future__ import annotations

import click

from matcher import MatcherError
from matcher.evaluation import format_report
from webapp.services import model_training


@click.command("train-model")
def train_model_command() -> None:
    """Fit the encoders on the current profiles and make the new bundle current."""
    result = model_training.train_bundle()
    counts = result.bundle.metadata["training"]["profiles_by_kind"]
    click.echo(f"Model {result.bundle.version} saved to {result.path} and made current "
               f"({', '.join(f'{n} {kind}' for kind, n in counts.items())}).")


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
