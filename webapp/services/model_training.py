"""Use cases for the model: fit a bundle on the current profiles; evaluate on scenarios."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matcher import ModelBundle, build_bundle
from matcher.evaluation import evaluate_scenarios, load_scenarios
from webapp.services import model_store
from webapp.services.matching import load_records


@dataclass(frozen=True)
class TrainingResult:
    bundle: ModelBundle
    path: Path


def train_bundle() -> TrainingResult:
    """Fit the encoders on every current profile, keep the current weights, save and promote."""
    version = model_store.current_version()
    scorers = model_store.load_version(version).scorers if version else None
    bundle = build_bundle(load_records(), scorers=scorers)
    return TrainingResult(bundle, model_store.save_bundle(bundle))


def evaluate(scenario_file: str | Path) -> dict[str, Any]:
    """Evaluate the current model's weights and two baselines on a scenario file."""
    version = model_store.current_version()
    if version is None:
        return evaluate_scenarios(scenario_file)
    scenarios = load_scenarios(scenario_file)
    profiles = [p for s in scenarios for p in (s.query, *s.candidates)]
    bundle = build_bundle(profiles, scorers=model_store.load_version(version).scorers)
    return evaluate_scenarios(scenario_file, bundle=bundle)
