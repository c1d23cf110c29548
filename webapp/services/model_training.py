"""Use cases for the model: train on outcomes and promote only when better; roll back;
evaluate on scenario files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matcher import MatcherError, ModelBundle, ScenarioError, build_bundle
from matcher.evaluation import evaluate_scenarios, load_scenarios
from matcher.training import train_scorers
from models import ModelVersion, User, db
from models.storable import has_unstorable, printable
from webapp.errors import Conflict, InvalidInput, NotFound
from webapp.services import matching, model_store
from webapp.services.audit import record
from webapp.services.matching import load_records, record_of
from webapp.services.outcomes import training_examples
from webapp.services.transactions import write_transaction


@dataclass(frozen=True)
class TrainingResult:
    version: ModelVersion
    bundle: ModelBundle
    promoted: tuple[str, ...]
    report: dict[str, Any]

    @property
    def decisions(self) -> dict[str, dict[str, Any]]:
        """The gate's decision per direction (see :func:`decisions_of`), for a job's result."""
        return decisions_of(self.report)


def decisions_of(metrics: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Return the gate's decision per direction of a version's metrics, as data.

    Each is ``{"promoted", "code", "params", "assessed"}``: the gate's code and parameters
    (:func:`matcher.gate.decide`), and whether a challenger was judged on held-out outcomes
    (with too few outcomes none is, and the active weights are not recalibrated either).
    Directions stored without a decision (versions older than the gate) are left out; the
    matcher's English notes are not carried: readers get the code worded in their language.
    """
    decisions = {}
    for direction, report in sorted((metrics or {}).items()):
        decision = report.get("decision") if isinstance(report, dict) else None
        if isinstance(decision, dict) and decision.get("code"):
            decisions[direction] = {"promoted": bool(decision.get("promoted")),
                                    "code": decision["code"],
                                    "params": dict(decision.get("params") or {}),
                                    "assessed": "comparison" in report}
    return decisions


def version_decisions(version: str) -> dict[str, dict[str, Any]] | None:
    """Return the decisions recorded with a stored version (None if there is no such version)."""
    row = db.session.scalar(db.select(ModelVersion).where(ModelVersion.version == version))
    return None if row is None else decisions_of(row.metrics)


def _active_bundle() -> ModelBundle | None:
    version = model_store.active_version()
    return model_store.load_version(version) if version else None


def train_model(actor: User | None = None, *, seed: int = 0,
                progress: Callable[[int, str], None] | None = None) -> TrainingResult:
    """Refit the encoders on current profiles, learn weights from outcomes, make it active.

    The outcomes are the labelled introductions and the matches their owners hid (negative).

    Learned weights replace the active ones only for the directions where they pass the gate
    (:mod:`matcher.gate`: better ranking than the noise allows, on enough outcomes held out by
    requester); elsewhere the active weights are kept, their intercept recalibrated when there
    are enough outcomes. The version's metrics record each decision and its reason.
    ``progress(percent, stage)`` is told how far it got (a job shows it).
    """
    progress = progress or _no_progress
    progress(5, "loading")
    active = _active_bundle()
    served = None if active else matching.default_bundle_served()
    records = load_records()
    progress(25, "fitting")
    base = build_bundle(records, scorers=active.scorers if active else None)
    progress(50, "learning")
    examples = training_examples()
    pairs = [(record_of(requester), record_of(target)) for requester, target, _ in examples]
    labels = [y for _, _, y in examples]
    report = train_scorers(base, pairs, labels, seed=seed) if pairs else None
    progress(85, "storing")
    bundle = report.bundle if report else base
    promoted = report.promoted if report else ()
    metrics = _plain(report.directions) if report else {}
    with write_transaction():
        if served is not None and served.version != bundle.version:
            # The default model served until now, kept so that it can be rolled back to.
            model_store.store(served, note="the default model served before any training")
        row = model_store.store(bundle, n_outcomes=len(pairs), promoted=bool(promoted),
                                metrics=metrics,
                                note=_decisions_note(report.directions) if report else "",
                                created_by_id=actor.id if actor else None)
        model_store.activate(row)
        db.session.flush()
        record("model.train", "model_version", row.id, actor=actor, promoted=list(promoted),
               recalibrated=list(report.recalibrated) if report else [], active=row.active)
    return TrainingResult(row, bundle, promoted, row.metrics)


def _no_progress(percent: int, stage: str) -> None:
    """Ignore progress (a command or a periodic run shows none)."""


def _decisions_note(directions: dict[str, Any]) -> str:
    """Return the gate's decision code per direction, for the version's note."""
    note = "; ".join(f"{d}: {r['decision']['code']}" for d, r in sorted(directions.items()))
    return note[:200]


def _plain(value: Any) -> Any:
    """Return the training report as JSON-ready data."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    if hasattr(value, "item"):
        return _plain(value.item())
    return value


def list_versions() -> list[ModelVersion]:
    """Return the stored model versions, newest first."""
    return list(db.session.scalars(db.select(ModelVersion).order_by(ModelVersion.id.desc())))


def activate_version(actor: User, version: str) -> ModelVersion:
    """Make a stored version the active one (e.g. roll back) and commit."""
    if has_unstorable(version):  # no version holds one (and PostgreSQL refuses a NUL)
        raise NotFound("model_version_not_found", version=printable(version))
    with write_transaction():
        row = db.session.scalar(db.select(ModelVersion)
                                .where(ModelVersion.version == version))
        if row is None:
            raise NotFound("model_version_not_found", version=version)
        try:
            model_store.load_version(version)  # e.g. one stored as a pickle, which is never read
        except MatcherError as err:
            raise Conflict("model_version_unloadable", version=version,
                           reason=getattr(err, "code", "unreadable")) from err
        model_store.activate(row)
        record("model.activate", "model_version", row.id, actor=actor)
    return row


def evaluate(scenario_file: str | Path) -> dict[str, Any]:
    """Evaluate the active model's weights and two baselines on a scenario file.

    A file that cannot be evaluated is refused (``InvalidInput``) with the matcher's code:
    ``scenarios_unreadable``, ``scenario_invalid`` (its ``scenario``) or ``no_scenarios``.
    """
    active = _active_bundle()
    try:
        if active is None:
            return evaluate_scenarios(scenario_file)
        scenarios = load_scenarios(scenario_file)
        profiles = [p for s in scenarios for p in (s.query, *s.candidates)]
        return evaluate_scenarios(scenario_file,
                                  bundle=build_bundle(profiles, scorers=active.scorers))
    except MatcherError as err:
        if isinstance(err, ScenarioError):
            raise InvalidInput(err.code, **err.attributes) from err
        raise InvalidInput("scenarios_unreadable") from err
