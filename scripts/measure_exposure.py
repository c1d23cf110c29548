"""Measure fair exposure: how evenly top-5 appearances spread, plain vs re-ranked, and its cost.

    .venv/bin/python scripts/measure_exposure.py [--strength 0.05] [--depth 20] [--rounds 1]
        [--smes 300 --mentors 80 --buyers 60 --seed 2026] [--scenarios tests/data/scenarios.json]

Builds the demo program in memory (``webapp.demo.generator``, the profiles ``seed-demo`` loads
by default, one bundle fitted on them) and, for each pairing, ranks every active requester's
top k (5) in this process, twice: plain, and re-ranked by exposure
(:class:`matcher.exposure.ExposureReranker`) with an amortised counter that every ranking
served feeds, requesters taking turns in a seeded order for ``--rounds`` rounds. Per pairing it
prints the Gini coefficient of top-k appearances over the rankable candidates, the share
never shown, and the mean score of the matches shown (what re-ranking gives up in the
program).

Quality on the scenario suite (:mod:`matcher.evaluation`): NDCG@5 of the plain ranking, and of
the re-ranked one with each scenario's candidates given exposure counts drawn from the plain
program's counts of that pairing (``--draws`` seeded draws, averaged), and in the worst case,
where the counts drawn are handed out in score order (the best candidate the most shown).

``--strength`` takes a comma-separated list to show the trade-off (0 is the plain ranking).
``--timing N`` also times top-10 rankings of SMEs over N demo mentors, plain and re-ranked
(exposure from an in-memory counter of earlier rankings), alternating in this process.
"""

from __future__ import annotations

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matcher import CandidateIndex, ProfileRecord, build_bundle, rank  # noqa: E402
from matcher.evaluation import Scenario, load_scenarios, ndcg_at_k  # noqa: E402
from matcher.exposure import (  # noqa: E402
    DEFAULT_DEPTH,
    DEFAULT_STRENGTH,
    ExposureCounter,
    ExposureReranker,
    gini,
    never_shown_share,
)

PAIRINGS = (("sme", "mentor"), ("sme", "buyer"), ("buyer", "sme"), ("mentor", "sme"))


@dataclass(frozen=True)
class ProgramFigures:
    """One pairing's top-k appearances over a program, plain or re-ranked."""

    counts: np.ndarray
    mean_score: float

    @property
    def gini(self) -> float:
        """Return the Gini coefficient of the appearances."""
        return gini(self.counts)

    @property
    def never_shown(self) -> float:
        """Return the share of candidates never shown."""
        return never_shown_share(self.counts)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smes", type=int, default=300)
    parser.add_argument("--mentors", type=int, default=80)
    parser.add_argument("--buyers", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2026, help="demo generator seed")
    parser.add_argument("--k", type=int, default=5, help="places counted as shown (5)")
    parser.add_argument("--strength", default=str(DEFAULT_STRENGTH),
                        help=f"largest bonus; a comma-separated list to compare "
                             f"(default {DEFAULT_STRENGTH})")
    parser.add_argument("--depth", type=int, default=DEFAULT_DEPTH,
                        help=f"candidates below the top k that may be lifted ({DEFAULT_DEPTH})")
    parser.add_argument("--rounds", type=int, default=1, help="rankings per requester (1)")
    parser.add_argument("--draws", type=int, default=20, help="exposure draws per scenario")
    parser.add_argument("--scenarios", type=Path, default=ROOT / "tests/data/scenarios.json")
    parser.add_argument("--timing", type=int, default=0, metavar="N",
                        help="also time plain vs re-ranked top-10 over N mentors (0: skip)")
    parser.add_argument("--timing-queries", type=int, default=300)
    args = parser.parse_args(argv)
    args.strength = [float(s) for s in args.strength.split(",")]
    return args


def build_program(smes: int, mentors: int, buyers: int, seed: int):
    """Return the demo program's bundle, records by kind and one index per candidate kind."""
    from webapp.demo.generator import generate_profiles

    records = [ProfileRecord.from_mapping({**p, "id": i}) for i, p in enumerate(
        generate_profiles(smes=smes, mentors=mentors, buyers=buyers, seed=seed), start=1)]
    bundle = build_bundle(records)
    by_kind = {kind: [r for r in records if r.kind == kind] for kind in ("sme", "mentor", "buyer")}
    indexes = {kind: CandidateIndex.build(bundle, kind, rows) for kind, rows in by_kind.items()}
    return bundle, by_kind, indexes


def run_program(index: CandidateIndex, requesters: list[ProfileRecord], k: int,
                strength: float, depth: int, rounds: int, seed: int) -> ProgramFigures:
    """Rank every requester's top k, ``rounds`` times in seeded turns; count appearances."""
    counter, shown, scores = ExposureCounter(), Counter(), []
    rng = np.random.default_rng(seed)
    for _ in range(rounds):
        for i in rng.permutation(len(requesters)):
            query = requesters[i]
            rerank = (ExposureReranker(counter.exposure_of(query.id), strength, depth)
                      if strength > 0 else None)
            matches = rank(index, query, k, rerank=rerank)
            counter.record(query.id, [m.profile_id for m in matches])
            shown.update(m.profile_id for m in matches)
            scores += [m.score for m in matches]
    counts = np.array([shown[int(pid)] for pid in index.ids_])
    return ProgramFigures(counts, float(np.mean(scores)) if scores else 0.0)


def scenario_ndcg(bundle, scenarios: list[Scenario], pool: dict[str, np.ndarray], k: int,
                  strength: float, depth: int, draws: int, seed: int) -> dict[str, dict]:
    """Return NDCG@k per pairing: plain, re-ranked with drawn exposure, and its worst case."""
    rows: dict[str, dict[str, list[float]]] = {}
    for number, scenario in enumerate(scenarios):
        rng = np.random.default_rng([seed, number])
        counts = pool.get(scenario.pairing, np.zeros(1))
        drawn = [rng.choice(counts, size=len(scenario.candidates)) for _ in range(draws)]
        row = rows.setdefault(scenario.pairing, {"plain": [], "drawn": [], "worst": []})
        for name, value in _scenario_ndcg(bundle, scenario, drawn, k, strength, depth).items():
            row[name].append(value)
    return {pairing: {name: float(np.mean(v)) for name, v in row.items()} | {"n": len(row["plain"])}
            for pairing, row in rows.items()}


def _scenario_ndcg(bundle, scenario: Scenario, drawn: list[np.ndarray], k: int, strength: float,
                   depth: int) -> dict[str, float]:
    """Return one scenario's NDCG@k: plain, and re-ranked averaged over the drawn counts
    given at random (``drawn``) and in score order (``worst``)."""
    index = CandidateIndex.build(bundle, scenario.candidates[0].kind, scenario.candidates)
    n, ideal = len(scenario.candidates), list(scenario.relevance.values())

    def ndcg(exposure: dict[int, int] | None) -> float:
        rerank = None if exposure is None else ExposureReranker(
            lambda ids: np.array([exposure[int(i)] for i in ids]), strength, depth)
        matches = rank(index, scenario.query, n, rerank=rerank, **scenario.options)
        return ndcg_at_k([scenario.relevance[m.profile_id] for m in matches], k, ideal)

    plain = [m.profile_id for m in rank(index, scenario.query, n, **scenario.options)]
    by_score = plain + [c.id for c in scenario.candidates if c.id not in set(plain)]
    ids = [c.id for c in scenario.candidates]
    return {"plain": ndcg(None),
            "drawn": float(np.mean([ndcg(dict(zip(ids, d.tolist(), strict=True)))
                                    for d in drawn])),
            "worst": float(np.mean([ndcg(dict(zip(by_score, sorted(d.tolist(), reverse=True),
                                                  strict=True))) for d in drawn]))}


def measure(args: argparse.Namespace) -> list[dict]:
    """Return, per strength, the program figures and scenario NDCG of every pairing."""
    bundle, by_kind, indexes = build_program(args.smes, args.mentors, args.buyers, args.seed)
    scenarios = load_scenarios(args.scenarios)
    scenario_bundle = build_bundle([p for s in scenarios for p in (s.query, *s.candidates)])
    plain: dict[str, ProgramFigures] = {}
    for asking, shown in PAIRINGS:
        requesters = [r for r in by_kind[asking] if r.active]
        plain[f"{asking}->{shown}"] = run_program(indexes[shown], requesters, args.k, 0.0,
                                                  args.depth, 1, args.seed)
    pool = {name: figures.counts for name, figures in plain.items()}
    results = []
    for strength in args.strength:
        program = {}
        for asking, shown in PAIRINGS:
            requesters = [r for r in by_kind[asking] if r.active]
            program[f"{asking}->{shown}"] = run_program(
                indexes[shown], requesters, args.k, strength, args.depth, args.rounds, args.seed)
        ndcg = scenario_ndcg(scenario_bundle, scenarios, pool, args.k, strength, args.depth,
                             args.draws, args.seed)
        results.append({"strength": strength, "plain": plain, "program": program,
                        "ndcg": ndcg})
    return results


def format_results(results: list[dict], k: int) -> str:
    """Return the figures as markdown tables, one pair per strength."""
    out = []
    for result in results:
        out.append(f"strength {result['strength']:g}: top-{k} appearances, plain → re-ranked\n")
        out.append(f"| pairing | candidates | Gini | never shown | mean score of top {k} |")
        out.append("|---|---:|---|---|---|")
        for name, fair in result["program"].items():
            base = result["plain"][name]
            out.append(f"| {name} | {base.counts.size} | {base.gini:.2f} → {fair.gini:.2f} | "
                       f"{base.never_shown:.0%} → {fair.never_shown:.0%} | "
                       f"{base.mean_score:.3f} → {fair.mean_score:.3f} |")
        out.append(f"\n| scenario NDCG@{k} | scenarios | plain | re-ranked, drawn exposure | "
                   f"re-ranked, worst case |\n|---|---:|---:|---:|---:|")
        rows = result["ndcg"]
        for name, row in rows.items():
            out.append(f"| {name} | {row['n']} | {row['plain']:.3f} | {row['drawn']:.3f} | "
                       f"{row['worst']:.3f} |")
        total = sum(row["n"] for row in rows.values())
        means = {m: sum(row[m] * row["n"] for row in rows.values()) / total
                 for m in ("plain", "drawn", "worst")}
        out.append(f"| all | {total} | {means['plain']:.3f} | {means['drawn']:.3f} | "
                   f"{means['worst']:.3f} |\n")
    return "\n".join(out)


def time_rankings(candidates: int, queries: int, strength: float, depth: int,
                  seed: int) -> dict[str, float]:
    """Return p50 and p95 (ms) of top-10 rankings, plain and re-ranked, timed alternately."""
    bundle, by_kind, indexes = build_program(queries, candidates, 0, seed)
    counter, times = ExposureCounter(), {"plain": [], "re-ranked": []}
    for query in by_kind["sme"]:
        for name in times:
            rerank = (ExposureReranker(counter.exposure_of(query.id), strength, depth)
                      if name == "re-ranked" else None)
            start = time.perf_counter()
            matches = rank(indexes["mentor"], query, 10, rerank=rerank)
            times[name].append(time.perf_counter() - start)
        counter.record(query.id, [m.profile_id for m in matches[:5]])
    return {f"{name} {q}": float(np.percentile(t, q)) * 1000
            for name, t in times.items() for q in (50, 95)}


def main(argv: list[str] | None = None) -> int:
    """Measure and print the figures; return the exit status."""
    args = parse_args(argv)
    print(format_results(measure(args), args.k))
    if args.timing:
        t = time_rankings(args.timing, args.timing_queries, args.strength[-1], args.depth,
                          args.seed)
        print(f"top-10 latency over {args.timing:,} mentors, {args.timing_queries} SME queries "
              f"(ms): plain p50 {t['plain 50']:.2f}, p95 {t['plain 95']:.2f}; re-ranked "
              f"(strength {args.strength[-1]:g}) p50 {t['re-ranked 50']:.2f}, "
              f"p95 {t['re-ranked 95']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
