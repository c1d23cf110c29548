"""Flask CLI commands: thin click wrappers over the services."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import click
from flask import Flask
from flask_migrate import upgrade

from models import Role
from webapp.database import MIGRATIONS_DIR
from webapp.errors import PuenteError, english_refusal
from webapp.services import (
    accounts,
    demo_history,
    demo_seed,
    matching,
    notifications,
    snapshots,
    sweep,
)


@click.command("init-db")
def init_db_command() -> None:
    """Create the database tables, or upgrade them to the latest schema."""
    upgrade(directory=MIGRATIONS_DIR)
    click.echo("Database is at the latest schema.")


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--password", required=True, help="At least 8 characters.")
@click.option("--locale", default="en", type=click.Choice(["en", "es", "fr"]))
def create_user_command(email: str, role: str, password: str, locale: str) -> None:
    """Create a user account."""
    try:
        user = accounts.create_user(email, password, role, locale)
    except PuenteError as err:
        raise click.ClickException(english_refusal(err)) from err
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@click.command("seed-demo")
@click.option("--smes", default=300, show_default=True, type=click.IntRange(0))
@click.option("--mentors", default=80, show_default=True, type=click.IntRange(0))
@click.option("--buyers", default=60, show_default=True, type=click.IntRange(0))
@click.option("--seed", default=2026, show_default=True, type=int)
@click.option("--if-empty", is_flag=True, help="Do nothing when profiles exist already.")
@click.option("--users/--no-users", default=True, show_default=True,
              help="Create one demo login per role.")
@click.option("--history/--no-history", default=True, show_default=True,
              help="With the logins: simulate eight weeks of a program (a confirmed cohort, "
                   "answers, reviews, rankings shown) for the metrics and cohort pages.")
def seed_demo_command(smes: int, mentors: int, buyers: int, seed: int, if_empty: bool,
                      users: bool, history: bool) -> None:
    """Load synthetic demo profiles (deterministic for a seed)."""
    loaded = False
    if if_empty and demo_seed.count_profiles():
        click.echo("Profiles exist already; no demo data loaded.")
    else:
        report = demo_seed.seed_profiles(smes, mentors, buyers, seed)
        rate = report.profiles / report.seconds if report.seconds else 0
        click.echo(f"Loaded {report.profiles} demo profiles in {report.seconds:.1f} s "
                   f"({rate:,.0f}/s).")
        loaded = True
    if users:
        logins = demo_seed.ensure_demo_users()
        if history and loaded:
            coordinator = accounts.find_user_by_email(
                next(email for email, role, _ in logins if role == "coordinator"))
            done = demo_history.seed_program_history(coordinator, seed)
            click.echo(f"Simulated a program: {done.introductions} introductions, "
                       f"{done.reviews} reviews, {done.rankings} mentors' rankings shown, "
                       f"{done.outcome_steps} outcome steps.")
        _print_logins(logins)
    if loaded and snapshots.snapshot_root() is not None:
        click.echo(f"Matching snapshot written to {matching.build_snapshot()}.")


def _print_logins(logins: list[tuple[str, str, int | None]]) -> None:
    from flask import current_app

    password = current_app.config["PUENTE_DEMO_PASSWORD"]
    click.echo(f"Demo logins (password: {password}):")
    for email, role, profile_id in logins:
        owned = f", profile {profile_id}" if profile_id else ""
        click.echo(f"  {role:<12} {email}{owned}")


@click.command("sweep-introductions")
@click.option("--now", type=click.DateTime(), default=None,
              help="Act as if it were this UTC time (default: now).")
@click.option("--no-mail", is_flag=True, help="Leave the outbox for deliver-mail.")
def sweep_introductions_command(now: datetime | None, no_mail: bool) -> None:
    """Expire unanswered requests, send reminders, deliver mail (idempotent; for cron)."""
    report = sweep.sweep_introductions(_utc(now), deliver=not no_mail)
    click.echo(f"Expired {report.expired} and reminded {report.reminded} unanswered "
               f"requests; asked the parties of {report.prompted} introductions for outcomes; "
               f"deleted {report.files_deleted} old export files; "
               f"{_delivery_line(report.delivery)}")


@click.command("deliver-mail")
def deliver_mail_command() -> None:
    """Deliver the outbox: by SMTP when MAIL_SERVER is set, else to the log."""
    click.echo(_delivery_line(notifications.deliver_pending()))


@click.command("jobs")
@click.option("--once", is_flag=True, help="Run one scheduler tick and return.")
@click.option("--burst", is_flag=True,
              help="Stop once no job is left (with Redis: when the queue is empty).")
def jobs_command(once: bool, burst: bool) -> None:
    """Run periodic work and queued jobs: scheduler plus RQ worker (Redis), else in-process."""
    from flask import current_app

    from webapp.jobs import queue, runner

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    ran = runner.run(current_app._get_current_object(), once=once, burst=burst)
    if once:  # with Redis the tick only queues them: the workers run them
        done = "Queued for the job workers" if queue.redis_url() else "Ran"
        click.echo(f"{done}: {', '.join(ran) or 'nothing due'}.")


def _utc(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def _delivery_line(report: notifications.DeliveryReport) -> str:
    return (f"mail: {report.sent} sent, {report.logged} logged, {report.retrying} to retry, "
            f"{report.failed} failed.")


COMMANDS = [init_db_command, create_user_command, seed_demo_command,
            sweep_introductions_command, deliver_mail_command, jobs_command]


def init_app(app: Flask) -> None:
    """Register the commands."""
    from webapp import cli_cohort, cli_model

    for command in COMMANDS + cli_model.COMMANDS + cli_cohort.COMMANDS:
        app.cli.add_command(command)
