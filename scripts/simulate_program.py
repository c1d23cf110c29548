"""Simulate a mentoring program's outcomes and show that training learns what drives them.

Synthetic truth: a mentor accepts mostly because of a shared language and expertise covering
the SME's needs, and hardly because of distance. Outcomes are drawn from that truth for
SME→mentor requests (half to a top-10 match, half to a random mentor), the scorer is trained on
them, and the learned weights and held-out figures are printed next to the prior ones.

    python scripts/simulate_program.py [--requests 1200] [--seed 7]

The tests import :func:`simulate_outcomes` from here.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence

import numpy as np

from matcher import CandidateIndex, ProfileRecord, build_bundle, rank
from matcher.gate import describe_decision
from matcher.scorer import sigmoid
from matcher.training import pair_features, train_scorers

TRUE_WEIGHTS: Mapping[str, float] = {"language": 4.0, "needs": 4.0, "location": 0.2}
TRUE_BIAS = -4.0


def simulate_outcomes(bundle, smes: Sequence[ProfileRecord], mentors: Sequence[ProfileRecord],
                      n_requests: int, seed: int = 0,
                      ) -> tuple[list[tuple[ProfileRecord, ProfileRecord]], list[int]]:
    """Return SME→mentor request pairs and their simulated 0/1 outcomes."""
    rng = np.random.default_rng(seed)
    index = CandidateIndex.build(bundle, "mentor", mentors)
    by_id = {m.id: m for m in mentors}
    pairs, outcomes = [], []
    for _ in range(n_requests):
        sme = smes[rng.integers(len(smes))]
        top = rank(index, sme, 10, language_required=False)
        if top and rng.random() < 0.5:
            mentor = by_id[top[rng.integers(len(top))].profile_id]
        else:
            mentor = mentors[rng.integers(len(mentors))]
        pairs.append((sme, mentor))
        outcomes.append(int(rng.random() < _truth(bundle, sme, mentor)))
    return pairs, outcomes


def _truth(bundle, sme: ProfileRecord, mentor: ProfileRecord) -> float:
    features = pair_features(bundle, sme, [mentor])[0]
    names = bundle.scorers["mentorship"].factors
    logit = TRUE_BIAS + sum(w * features[names.index(f)] for f, w in TRUE_WEIGHTS.items())
    return float(sigmoid(np.float64(logit)))


def main() -> None:
    from webapp.demo.generator import generate_profiles

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    records = [ProfileRecord.from_mapping({**p, "id": i}) for i, p in enumerate(
        generate_profiles(smes=600, mentors=150, buyers=0, seed=args.seed), start=1)]
    bundle = build_bundle(records)
    smes = [r for r in records if r.kind == "sme"]
    mentors = [r for r in records if r.kind == "mentor" and r.eligible]
    pairs, outcomes = simulate_outcomes(bundle, smes, mentors, args.requests, args.seed)
    report = train_scorers(bundle, pairs, outcomes, seed=args.seed)
    result = report.directions["mentorship"]
    print(f"{len(pairs)} simulated requests, {sum(outcomes)} accepted; "
          f"promoted: {', '.join(report.promoted) or 'nothing'} "
          f"({describe_decision(result['decision'])})")
    print("| factor | prior weight | learned weight | true weight |\n|---|---:|---:|---:|")
    prior = bundle.scorers["mentorship"].weights_
    for factor, learned in result["weights"].items():
        print(f"| {factor} | {prior[factor]:.2f} | {learned:.2f} | "
              f"{TRUE_WEIGHTS.get(factor, 0.0):.2f} |")
    print("\n| held-out | log loss | ROC AUC | NDCG@5 |\n|---|---:|---:|---:|")
    for name in ("current", "candidate"):
        label = "prior weights" if name == "current" else "learned weights"
        m = result[name]
        print(f"| {label} | {m['log_loss']:.3f} | {m['roc_auc']:.3f} | {m['ndcg@5']:.3f} |")


if __name__ == "__main__":
    main()
