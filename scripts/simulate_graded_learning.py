"""Compare learning from acceptance alone with learning from graded outcomes, simulated.

The program of :mod:`scripts.simulate_learning` (SMEs, mentors, every pair's factors, the
hand-set champion and its top 10). Each hidden rule gives every pair a true acceptance
probability *and* a chance that an accepted mentorship reaches a goal (grade 3; else it stays
at grade 1, a decline is grade 0). A trial draws ``n`` requests as there, draws their grades,
and runs the gate twice on the same draws: on the acceptances only (0/1) and on the grades.
Printed per rule and size: how often each was promoted, and the true **expected gain** of
every SME's top 5 (``P(accept) × (1 + 6 × P(goal | accepted))``, the gain ``2**grade − 1``)
under the champion, after learning from acceptance, and after learning from grades.

Rules: ``goal_follows_needs`` (acceptance follows a shared language, goals follow needs
covered), ``accept_far_goal_near`` (far mentors accept more, near ones lead to goals), and
``goal_coin`` (acceptance follows language and needs, goals are a coin flip: grades carry
nothing more to learn).

    python scripts/simulate_graded_learning.py [--trials 20] [--sizes 1000 3000] [--jobs 2]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matcher.scorer import LinearScorer, sigmoid  # noqa: E402
from matcher.training import assess_direction  # noqa: E402
from scripts.simulate_learning import Program, _logits, build_program  # noqa: E402

Chances = Callable[[Mapping[str, np.ndarray]], tuple[np.ndarray, np.ndarray]]

RULES: Mapping[str, Chances] = {
    "goal_follows_needs": lambda f: (sigmoid(-2.0 + 3.0 * f["language"]),
                                     sigmoid(-4.0 + 6.0 * f["needs"])),
    "accept_far_goal_near": lambda f: (sigmoid(0.5 - 1.5 * f["location"]),
                                       sigmoid(-4.0 + 6.0 * f["location"])),
    "goal_coin": lambda f: (sigmoid(-4.0 + 4.0 * f["language"] + 4.0 * f["needs"]),
                            np.full(f["needs"].shape, 0.5)),
}
INTERACTIONS = (("language", "needs"), ("needs", "sector"))


def chances(program: Program, rule: str) -> tuple[np.ndarray, np.ndarray]:
    """Return the true ``(P(accept), P(goal | accepted))`` of every SME→mentor pair."""
    return RULES[rule]({f: program.features[..., i] for i, f in enumerate(program.factors)})


def top5_gain(program: Program, scorer: LinearScorer, gain: np.ndarray) -> float:
    """Return the mean true expected gain of the 5 mentors ``scorer`` ranks first per SME."""
    scores = np.where(program.eligible, _logits(scorer, program.features), -np.inf)
    top = np.argsort(-scores, axis=1, kind="stable")[:, :5]
    return float(np.take_along_axis(gain, top, axis=1).mean())


def trial(program: Program, accept: np.ndarray, goal: np.ndarray, gain: np.ndarray, n: int,
          rng: np.random.Generator) -> dict:
    """Draw ``n`` requests and their grades; learn from acceptance and from grades."""
    n_smes, n_mentors = accept.shape
    smes = rng.integers(n_smes, size=n)
    mentors = np.where(rng.random(n) < 0.5, program.top10[smes, rng.integers(10, size=n)],
                       rng.integers(n_mentors, size=n))
    accepted = rng.random(n) < accept[smes, mentors]
    grades = np.where(accepted, np.where(rng.random(n) < goal[smes, mentors], 3, 1), 0)
    seed = int(rng.integers(2**31))
    out = {}
    for name, y in (("binary", np.minimum(grades, 1)), ("graded", grades)):
        result = assess_direction(program.champion, program.features[smes, mentors],
                                  y.astype(np.int64), smes, seed=seed, interactions=INTERACTIONS)
        in_use = result["scorer"] if result["promoted"] else program.champion
        out[name] = (result["promoted"], top5_gain(program, in_use, gain))
    return out


def _cell(program: Program, rule: str, number: int, size: int, trials: int,
          seed: int) -> dict:
    accept, goal = chances(program, rule)
    gain = accept * (1.0 + 6.0 * goal)
    best = float(np.sort(np.where(program.eligible, gain, -1.0), axis=1)[:, -5:].mean())
    rng = np.random.default_rng([seed, number, size])
    results = [trial(program, accept, goal, gain, size, rng) for _ in range(trials)]
    row = {"rule": rule, "n": size, "trials": trials, "best_possible": best,
           "champion": top5_gain(program, program.champion, gain)}
    for name in ("binary", "graded"):
        row[f"{name}_promoted"] = sum(r[name][0] for r in results)
        row[f"{name}_gain"] = float(np.mean([r[name][1] for r in results]))
    return row


def simulate(program: Program, rules: Sequence[str], sizes: Sequence[int], trials: int,
             seed: int = 0, jobs: int = 1) -> list[dict]:
    """Return one row per rule and size (see the module's docstring)."""
    cells = [(program, rule, r, size, trials, seed) for r, rule in enumerate(rules)
             for size in sizes]
    if jobs <= 1:
        return [_cell(*cell) for cell in cells]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(_cell, *zip(*cells, strict=True)))


def format_rows(rows: Sequence[dict]) -> str:
    """Return the rows as a markdown table."""
    lines = ["| hidden rule | outcomes | promoted: acceptance / grades | top-5 expected gain: "
             "champion → from acceptance / from grades (best possible) |",
             "|---|---:|---:|---|"]
    for r in rows:
        lines.append(f"| {r['rule']} | {r['n']:,} | {r['binary_promoted']}/{r['trials']} / "
                     f"{r['graded_promoted']}/{r['trials']} | {r['champion']:.3f} → "
                     f"{r['binary_gain']:.3f} / {r['graded_gain']:.3f} "
                     f"({r['best_possible']:.3f}) |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000])
    parser.add_argument("--rules", nargs="+", default=list(RULES), choices=list(RULES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2, help="Worker processes.")
    args = parser.parse_args()
    program = build_program(seed=args.seed)
    print(format_rows(simulate(program, args.rules, args.sizes, args.trials, args.seed,
                               args.jobs)))


if __name__ == "__main__":
    main()
