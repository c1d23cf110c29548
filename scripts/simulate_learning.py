"""Prove the learning gate on simulated programs with hidden acceptance rules.

A program of SMEs and mentors is generated once; every SME→mentor pair's factors are computed
once. Each hidden rule gives every pair a true acceptance probability. A trial draws ``n``
requests (an SME; half the time a mentor from the champion's top 10, else any mentor), draws
their outcomes from the rule, and runs the training gate (:func:`matcher.training.
assess_direction`) against the hand-set champion. Printed per rule and size: how often the
challenger was promoted, and the true acceptance of every SME's top 5 under the champion and
under the model in use after training (the promoted challenger, else the champion).

Rules: ``coin`` (a fair coin, nothing to learn), ``prior`` (the champion's own weights: nothing
better to learn), ``language_needs`` (a shared language and needs covered, strongly),
``both_needed`` (accepted only when language *and* needs match: an interaction), and
``proximity`` (distance and needs).

    python scripts/simulate_learning.py [--trials 100] [--sizes 20 200 1000 3000] [--jobs 2]

The tests import :func:`simulate` from here.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from matcher import ProfileRecord, build_bundle
from matcher.gate import describe_decision
from matcher.scorer import LinearScorer, sigmoid
from matcher.training import assess_direction, pair_features

DIRECTION = "mentorship"
Rule = Callable[[Mapping[str, np.ndarray], np.ndarray], np.ndarray]


def _logit(bias: float, **weights: float) -> Rule:
    def rule(f: Mapping[str, np.ndarray], prior: np.ndarray) -> np.ndarray:
        return sigmoid(bias + sum(w * f[name] for name, w in weights.items()))
    return rule


RULES: Mapping[str, Rule] = {
    "coin": lambda f, prior: np.full(prior.shape, 0.5),
    "prior": lambda f, prior: sigmoid(prior),
    "language_needs": _logit(-4.0, language=4.0, needs=4.0, location=0.2),
    "both_needed": lambda f, prior: sigmoid(-3.0 + 5.0 * f["language"] * f["needs"]
                                            + 1.0 * f["sector"]),
    "proximity": _logit(-3.5, location=4.0, needs=2.0),
}


@dataclass(frozen=True)
class Program:
    """Every SME→mentor pair's factors, the champion, and its top 10 per SME."""

    features: np.ndarray  # (n_smes, n_mentors, n_factors)
    factors: tuple[str, ...]
    champion: LinearScorer
    eligible: np.ndarray  # (n_smes, n_mentors): shares a language (the default hard filter)
    top10: np.ndarray  # (n_smes, 10)


def build_program(smes: int = 300, mentors: int = 120, seed: int = 0) -> Program:
    """Generate profiles and compute every pair's factors once."""
    from webapp.demo.generator import generate_profiles

    records = [ProfileRecord.from_mapping({**p, "id": i}) for i, p in enumerate(
        generate_profiles(smes=smes, mentors=mentors, buyers=0, seed=seed), start=1)]
    bundle = build_bundle(records)
    sme_rows = [r for r in records if r.kind == "sme"]
    mentor_rows = [r for r in records if r.kind == "mentor" and r.eligible]
    features = np.stack([pair_features(bundle, s, mentor_rows) for s in sme_rows])
    champion = bundle.scorers[DIRECTION]
    factors = tuple(champion.factors)
    eligible = features[..., factors.index("language")] > 0
    eligible |= ~eligible.any(axis=1, keepdims=True)
    scores = np.where(eligible, _logits(champion, features), -np.inf)
    return Program(features, factors, champion, eligible, np.argsort(-scores, axis=1)[:, :10])


def _logits(scorer: LinearScorer, features: np.ndarray) -> np.ndarray:
    n, m, k = features.shape
    return scorer.decision_function(features.reshape(n * m, k)).reshape(n, m)


def truth(program: Program, rule: str) -> np.ndarray:
    """Return the ``(n_smes, n_mentors)`` true acceptance probabilities under ``rule``."""
    named = {f: program.features[..., i] for i, f in enumerate(program.factors)}
    return RULES[rule](named, _logits(program.champion, program.features))


def top5_acceptance(program: Program, scorer: LinearScorer, p_true: np.ndarray) -> float:
    """Return the mean true acceptance of the 5 mentors ``scorer`` ranks first per SME."""
    scores = np.where(program.eligible, _logits(scorer, program.features), -np.inf)
    top = np.argsort(-scores, axis=1, kind="stable")[:, :5]
    return float(np.take_along_axis(p_true, top, axis=1).mean())


def trial(program: Program, p_true: np.ndarray, n: int, rng: np.random.Generator) -> dict:
    """Draw ``n`` requests and outcomes, run the gate, return the decision and top-5 figures."""
    n_smes, n_mentors = p_true.shape
    smes = rng.integers(n_smes, size=n)
    from_top = rng.random(n) < 0.5
    mentors = np.where(from_top, program.top10[smes, rng.integers(10, size=n)],
                       rng.integers(n_mentors, size=n))
    y = (rng.random(n) < p_true[smes, mentors]).astype(np.int64)
    result = assess_direction(program.champion, program.features[smes, mentors], y, smes,
                              seed=int(rng.integers(2**31)),
                              interactions=(("language", "needs"), ("needs", "sector")))
    in_use = program.champion
    if result["promoted"]:
        in_use = result["scorer"]
    return {"promoted": result["promoted"], "decision": result["decision"],
            "top5": top5_acceptance(program, in_use, p_true)}


def simulate(program: Program, rules: Sequence[str], sizes: Sequence[int], trials: int,
             seed: int = 0, jobs: int = 1) -> list[dict]:
    """Return one row per rule and size: promotions, top-5 acceptance before and after."""
    cells = [(program, rule, r, size, trials, seed) for r, rule in enumerate(rules)
             for size in sizes]
    if jobs <= 1:
        return [_cell(*cell) for cell in cells]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(_cell, *zip(*cells, strict=True)))


def _cell(program: Program, rule: str, number: int, size: int, trials: int,
          seed: int) -> dict:
    """Run the trials of one rule and size."""
    p_true = truth(program, rule)
    best = float(np.sort(np.where(program.eligible, p_true, -1.0), axis=1)[:, -5:].mean())
    rng = np.random.default_rng([seed, number, size])
    results = [trial(program, p_true, size, rng) for _ in range(trials)]
    return {"rule": rule, "n": size, "trials": trials,
            "promoted": sum(t["promoted"] for t in results),
            "top5_before": top5_acceptance(program, program.champion, p_true),
            "best_possible": best,
            "top5_after": float(np.mean([t["top5"] for t in results])),
            "example": describe_decision(results[-1]["decision"])}


def format_rows(rows: Sequence[dict]) -> str:
    """Return the rows as a markdown table."""
    lines = ["| hidden rule | outcomes | promoted | top-5 acceptance: champion → after "
             "(best possible) | e.g. |", "|---|---:|---:|---|---|"]
    for row in rows:
        lines.append(f"| {row['rule']} | {row['n']:,} | {row['promoted']}/{row['trials']} | "
                     f"{row['top5_before']:.3f} → {row['top5_after']:.3f} "
                     f"({row['best_possible']:.3f}) | {row['example']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200, 1000, 3000])
    parser.add_argument("--rules", nargs="+", default=list(RULES), choices=list(RULES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2, help="Worker processes.")
    args = parser.parse_args()
    program = build_program(seed=args.seed)
    rows = simulate(program, args.rules, args.sizes, args.trials, args.seed, args.jobs)
    print(format_rows(rows))


if __name__ == "__main__":
    main()
