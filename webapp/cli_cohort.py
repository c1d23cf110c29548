"""``flask allocate-cohort``: the cohort allocation of the API, from the command line."""

from __future__ import annotations

from typing import Any

import click

from matcher.cohort import OBJECTIVES
from models import User, db
from webapp import policy
from webapp.errors import PuenteError, english_refusal
from webapp.services import cohorts

FILTERS = ("country", "subdivision", "sector", "need")


def _selection_options(kind: str):
    def decorate(func):
        for name in reversed(FILTERS):
            func = click.option(f"--{kind}-{name}", default=None,
                                help=f"Select active {kind}s by {name}.")(func)
        return click.option(f"--{kind}-ids", default=None,
                            help=f"Comma-separated {kind} profile ids.")(func)
    return decorate


def _selection(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    ids = values.pop(f"{kind}_ids")
    filters = {name: values.pop(f"{kind}_{name}") for name in FILTERS}
    if ids:
        try:
            return {"ids": [int(i) for i in ids.split(",") if i.strip()]}
        except ValueError as err:
            raise click.BadParameter("ids are integers", param_hint=f"--{kind}-ids") from err
    return {"filter": {k: v for k, v in filters.items() if v}}


def _acting_user(email: str | None) -> User:
    query = db.select(User).where(User.role.in_(policy.STAFF_ROLES))
    if email:
        query = query.where(User.email == email.strip().lower())
    user = db.session.scalars(query.order_by(User.id)).first()
    if user is None:
        raise click.ClickException("No coordinator or admin account to act as "
                                   f"({email or 'none exists'}).")
    return user


@click.command("allocate-cohort")
@_selection_options("sme")
@_selection_options("mentor")
@click.option("--objective", type=click.Choice(OBJECTIVES), default="total_score",
              show_default=True)
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, show_default=True)
@click.option("--mentors-per-sme", type=click.IntRange(1, 10), default=1, show_default=True)
@click.option("--language-required/--no-language-required", default=True, show_default=True)
@click.option("--previous-id", type=click.IntRange(1), default=None,
              help="Show the diff against this proposal.")
@click.option("--user", "email", default=None,
              help="Coordinator or admin e-mail to act as (default: the first one).")
@click.option("--confirm", is_flag=True, help="Create the introductions at once.")
def allocate_cohort_command(objective: str, min_score: float, mentors_per_sme: int,
                            language_required: bool, previous_id: int | None,
                            email: str | None, confirm: bool, **selections) -> None:
    """Allocate SMEs to mentors exactly, store the draft proposal, optionally confirm it."""
    user = _acting_user(email)
    data = {"smes": _selection("sme", selections), "mentors": _selection("mentor", selections),
            "options": {"objective": objective, "min_score": min_score,
                        "mentors_per_sme": mentors_per_sme,
                        "language_required": language_required}}
    if previous_id:
        data["previous_id"] = previous_id
    try:
        proposal = cohorts.propose(user, data)
        _print_proposal(proposal.id, proposal.result)
        if confirm:
            report = cohorts.confirm_proposal(user, proposal.id).result["confirmation"]
            click.echo(f"Confirmed: created {len(report['created'])} introductions, "
                       f"{len(report['failed'])} failed.")
            for failure in report["failed"]:
                click.echo(f"  [{failure['sme_id']}, {failure['mentor_id']}]: "
                           f"{failure['error']}")
    except PuenteError as err:
        raise click.ClickException(english_refusal(err)) from err


def _print_proposal(proposal_id: int, result: dict[str, Any]) -> None:
    objective, greedy = result["objective"], result["greedy"]
    click.echo(f"Proposal {proposal_id} (draft): {objective['n_pairs']} pairs, "
               f"{objective['smes_covered']} SMEs covered, total score "
               f"{objective['total_score']:.4f} ({objective['name']}), "
               f"certified optimal: {'yes' if result['certified'] else 'no'}.")
    click.echo(f"Greedy: total score {greedy['total_score']:.4f}, "
               f"{greedy['gap_percent']:.2f}% below.")
    for pair in result["pairs"]:
        click.echo(f"  SME {pair['sme_id']} -> mentor {pair['mentor_id']}  "
                   f"{pair['score']:.3f}{'  (pinned)' if pair['pinned'] else ''}")
    for left in result["unassigned"]:
        click.echo(f"  SME {left['sme_id']} unassigned: {left['reason']}")
    for key, why in (("open_excluded", "an open introduction"),
                     ("declined_excluded", "a declined introduction"),
                     ("hidden_excluded", "a hidden match")):
        if result.get(key):
            pairs = ", ".join(f"[{s}, {m}]" for s, m in result[key][:20])
            more = f" and {len(result[key]) - 20} more" if len(result[key]) > 20 else ""
            click.echo(f"Left out for {why}: {pairs}{more}")
    if "diff" in result:
        diff = result["diff"]
        click.echo(f"Against the previous proposal: {len(diff['added'])} added, "
                   f"{len(diff['removed'])} removed, {len(diff['kept'])} kept.")


COMMANDS = [allocate_cohort_command]
