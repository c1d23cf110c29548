"""Offline evaluation: ranking metrics, two baselines, and scenario files.

A scenario file (JSON) holds ``{"scenarios": [...]}``; each scenario has a ``query`` profile,
``candidates`` (profiles with a ``relevance`` grade 0–3 a program coordinator gave them),
``ordered_pairs`` (``[better_id, worse_id]`` that must be ranked in that order) and optional
ranking ``options`` (``cross_border``, ``country``, ``language_required``).

The model ranks each scenario's candidates exactly as the API would (hard filters included: a
filtered candidate counts as not ranked). Baselines rank every candidate: *random* (seeded
permutations) and *sector-only* (NAICS prefix cosine, ties broken by seeded permutations);
both are averaged over ``repeats`` draws.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .bundle import ModelBundle, build_bundle
from .errors import MatcherError, ScenarioError
from .index import CandidateIndex
from .ranking import rank
from .records import ProfileRecord

__all__ = ["Scenario", "evaluate_scenarios", "format_report", "load_scenarios", "ndcg_at_k",
           "pairwise_agreement", "precision_at_k"]

Ranking = Callable[["Scenario", np.random.Generator], list[int]]


def ndcg_at_k(gains: Sequence[float], k: int, ideal: Sequence[float] | None = None) -> float:
    """Return NDCG@k of relevance grades listed in ranked order (gain ``2**rel - 1``).

    ``ideal`` holds every candidate's grade (default: ``gains``), for when the ranking omits
    some candidates. Returns 0 when no candidate is relevant.
    """
    def dcg(grades: Sequence[float]) -> float:
        return sum((2.0 ** g - 1.0) / math.log2(i + 2) for i, g in enumerate(grades[:k]))
    best = dcg(sorted(gains if ideal is None else ideal, reverse=True))
    return dcg(list(gains)) / best if best > 0 else 0.0


def precision_at_k(gains: Sequence[float], k: int, relevant: float = 2) -> float:
    """Return the share of the first ``k`` places held by grades ``>= relevant`` (over k)."""
    return sum(1 for g in list(gains)[:k] if g >= relevant) / k


def pairwise_agreement(ranking: Sequence[int], pairs: Sequence[Sequence[int]]) -> float:
    """Return the share of ``(better, worse)`` pairs ranked in that order.

    An unranked candidate counts as ranked last; a pair of two unranked ones is not agreed.
    """
    if not pairs:
        return 1.0
    position = {pid: i for i, pid in enumerate(ranking)}
    agreed = sum(position.get(a, math.inf) < position.get(b, math.inf) for a, b in pairs)
    return agreed / len(pairs)


@dataclass(frozen=True)
class Scenario:
    """One evaluation case: a query, graded candidates and pairs that must be ordered."""

    id: str
    query: ProfileRecord
    candidates: tuple[ProfileRecord, ...]
    relevance: Mapping[int, int]
    ordered_pairs: tuple[tuple[int, int], ...]
    options: Mapping[str, Any]
    pairing: str = ""
    late: frozenset[int] = frozenset()
    """Candidates written after the bundle and the index were built (``"added_after_build"``):
    kept out of the bundle's fit and upserted into the built index, as the change feed does."""


def load_scenarios(source: str | Path | Mapping[str, Any]) -> list[Scenario]:
    """Read scenarios from a JSON file path or an already parsed mapping.

    Raises
    ------
    ScenarioError
        If the file cannot be read or a scenario is malformed.
    """
    if not isinstance(source, Mapping):
        try:
            source = json.loads(Path(source).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ScenarioError(f"cannot read scenarios from {source}: {error}",
                                code="scenarios_unreadable") from error
    try:
        return [_scenario(raw) for raw in source["scenarios"]]
    except ScenarioError:
        raise  # a ValueError, already saying which scenario
    except (KeyError, TypeError, ValueError) as error:
        raise ScenarioError(f"malformed scenario: {error!r}",
                            code="scenarios_unreadable") from error


def _scenario(raw: Mapping[str, Any]) -> Scenario:
    candidates = tuple(ProfileRecord.from_mapping(c) for c in raw["candidates"])
    relevance = {int(c["id"]): int(c["relevance"]) for c in raw["candidates"]}
    pairs = tuple((int(a), int(b)) for a, b in raw.get("ordered_pairs", ()))
    unknown = {pid for pair in pairs for pid in pair} - set(relevance)
    if not candidates or unknown or len({c.kind for c in candidates}) != 1:
        raise ScenarioError(f"scenario {raw.get('id')!r}: candidates must be of one kind and "
                            f"pairs must name candidates (unknown: {sorted(unknown)})",
                            code="scenario_invalid", scenario=str(raw.get("id")))
    late = frozenset(int(p["id"]) for p in (raw["query"], *raw["candidates"])
                     if p.get("added_after_build"))
    return Scenario(str(raw["id"]), ProfileRecord.from_mapping(raw["query"]), candidates,
                    relevance, pairs, dict(raw.get("options", {})), str(raw.get("pairing", "")),
                    late)


def _model_ranking(bundle: ModelBundle) -> Ranking:
    def ranking(scenario: Scenario, rng: np.random.Generator) -> list[int]:
        kind = scenario.candidates[0].kind
        index = CandidateIndex.build(bundle, kind, [c for c in scenario.candidates
                                                    if c.id not in scenario.late])
        index.upsert(c for c in scenario.candidates if c.id in scenario.late)
        matches = rank(index, scenario.query, k=len(scenario.candidates), **scenario.options)
        return [m.profile_id for m in matches]
    return ranking


def _random_ranking(scenario: Scenario, rng: np.random.Generator) -> list[int]:
    return [int(pid) for pid in rng.permutation([c.id for c in scenario.candidates])]


def _sector_ranking(bundle: ModelBundle) -> Ranking:
    encoder = bundle.encoders["sector"]

    def ranking(scenario: Scenario, rng: np.random.Generator) -> list[int]:
        candidates = encoder.transform([c.sectors for c in scenario.candidates])
        query = encoder.transform([scenario.query.sectors])
        similarity = np.asarray((candidates @ query.T).todense()).ravel()
        ties = rng.permutation(similarity.size)
        order = np.lexsort((ties, -similarity))
        return [scenario.candidates[i].id for i in order]
    return ranking


def _metrics(scenario: Scenario, ranking: list[int], k: int, precision_k: int,
             relevant: int) -> dict[str, float]:
    gains = [scenario.relevance[pid] for pid in ranking]
    return {
        f"ndcg@{k}": ndcg_at_k(gains, k, ideal=list(scenario.relevance.values())),
        f"precision@{precision_k}": precision_at_k(gains, precision_k, relevant),
        "pairwise": pairwise_agreement(ranking, scenario.ordered_pairs),
    }


def _mean(rows: Sequence[Mapping[str, float]]) -> dict[str, float]:
    return {name: float(np.mean([row[name] for row in rows])) for name in rows[0]}


def evaluate_scenarios(source: str | Path | Mapping[str, Any], *, k: int = 5,
                       precision_k: int = 3, relevant: int = 2, seed: int = 0,
                       repeats: int = 20, bundle: ModelBundle | None = None) -> dict[str, Any]:
    """Evaluate the model and both baselines on a scenario file, in this process.

    Without ``bundle``, one is built (encoders fitted, prior weights) from every profile of the
    file. Returns ``{"summary": {system: {metric: mean}}, "scenarios": [...], "model_version",
    "n_scenarios", "metrics"}`` with systems ``model``, ``random`` and ``sector``.
    """
    scenarios = load_scenarios(source)
    if not scenarios:
        raise ScenarioError("no scenarios to evaluate", code="no_scenarios")
    if bundle is None:
        profiles = [p for s in scenarios for p in (s.query, *s.candidates) if p.id not in s.late]
        bundle = build_bundle(profiles)
    systems = {"model": (_model_ranking(bundle), 1), "random": (_random_ranking, repeats),
               "sector": (_sector_ranking(bundle), repeats)}
    per_scenario = []
    for number, scenario in enumerate(scenarios):
        row: dict[str, Any] = {"id": scenario.id, "pairing": scenario.pairing}
        for name, (ranking, draws) in systems.items():
            rng = np.random.default_rng([seed, number])
            try:
                runs = [_metrics(scenario, ranking(scenario, rng), k, precision_k, relevant)
                        for _ in range(draws)]
            except MatcherError as error:
                raise ScenarioError(f"scenario {scenario.id!r}: {error}", code="scenario_invalid",
                                    scenario=scenario.id) from error
            row[name] = _mean(runs)
        per_scenario.append(row)
    summary = {name: _mean([row[name] for row in per_scenario]) for name in systems}
    return {"summary": summary, "scenarios": per_scenario, "model_version": bundle.version,
            "n_scenarios": len(scenarios), "metrics": list(summary["model"])}


def format_report(result: Mapping[str, Any]) -> str:
    """Return the summary of :func:`evaluate_scenarios` as a markdown table."""
    metrics = result["metrics"]
    lines = [f"| system | {' | '.join(metrics)} |", "|---|" + "---:|" * len(metrics)]
    labels = {"model": f"model ({result['model_version']})", "random": "random baseline",
              "sector": "sector-only baseline"}
    for name, values in result["summary"].items():
        cells = " | ".join(f"{values[m]:.3f}" for m in metrics)
        lines.append(f"| {labels.get(name, name)} | {cells} |")
    return "\n".join(lines) + f"\n\n{result['n_scenarios']} scenarios\n"
