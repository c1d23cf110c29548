"""Evaluate the matcher on a scenario file against a random and a sector-only baseline.

    .venv/bin/python scripts/evaluate_matches.py tests/data/scenarios.json [--bundle PATH]

Prints NDCG@k, precision@k and pairwise-order agreement of the model and both baselines,
computed in this process, as a markdown table (``--per-scenario`` adds one row per scenario).
A file that is not a scenario file is refused in the words of ``flask evaluate`` (the
catalogue's, from the matcher's code), with exit status 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matcher import MatcherError, ScenarioError, load_bundle  # noqa: E402
from matcher.evaluation import evaluate_scenarios, format_report  # noqa: E402
from webapp.catalogue import describe  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="scenario JSON file")
    parser.add_argument("--bundle", type=Path, help="model bundle (default: fit on the file)")
    parser.add_argument("--k", type=int, default=5, help="NDCG cut-off (default 5)")
    parser.add_argument("--precision-k", type=int, default=3, help="precision cut-off (3)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random baselines")
    parser.add_argument("--per-scenario", action="store_true", help="also print each scenario")
    return parser.parse_args(argv)


def per_scenario_table(result: dict) -> str:
    """Return one markdown row per scenario: the model's and baselines' NDCG."""
    metric = result["metrics"][0]
    lines = [f"| scenario | pairing | model {metric} | random | sector-only |",
             "|---|---|---:|---:|---:|"]
    for row in result["scenarios"]:
        lines.append(f"| {row['id']} | {row['pairing']} | {row['model'][metric]:.3f} | "
                     f"{row['random'][metric]:.3f} | {row['sector'][metric]:.3f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation and print the report; return the exit status."""
    args = parse_args(argv)
    try:
        bundle = load_bundle(args.bundle) if args.bundle else None
        result = evaluate_scenarios(args.file, k=args.k, precision_k=args.precision_k,
                                    seed=args.seed, bundle=bundle)
    except ScenarioError as error:
        print(f"error: {args.file}: {describe(error.code, 'en', **error.attributes)}",
              file=sys.stderr)
        return 1
    except MatcherError as error:  # the bundle: its message names the file and the cause
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(format_report(result))
    if args.per_scenario:
        print(per_scenario_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
