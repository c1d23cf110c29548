"""Measure how many rows a ranking's shortlist keeps when a factor is computed last.

    python scripts/measure_deferral.py [--candidates 100000] [--queries 300]

The ranking computes location on a shortlist only (:mod:`matcher.ranking`): with every other
factor known, a row whose best possible logit misses the k-th best lowest one cannot be in the
top k. This script asks whether the text factor (the dearest one computed over every row, a
sparse product over the query's terms) could be deferred the same way. Its bound is the best
text score any candidate could have, ``min(1, sum of the query's term weights times each term's
largest weight among the candidates)``; the script prints that bound next to the best text score
actually reached, and the shortlist's size with location alone deferred and with text as well,
over SME queries ranking demo-generator mentors (top 10, the language filter applied).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_matcher import make_records, sample_args  # noqa: E402

from matcher import CandidateIndex, build_bundle  # noqa: E402
from matcher.factors import compute_factors, pairing_for  # noqa: E402

K = 10


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    return sample_args(__doc__.splitlines()[0], argv)


def column_maxima(texts) -> np.ndarray:
    """Return each term's largest weight among the candidates (0 for a term none has)."""
    texts = texts.tocsc()
    maxima = np.zeros(texts.shape[1], np.float32)
    filled = np.diff(texts.indptr) > 0
    maxima[filled] = np.maximum.reduceat(texts.data, texts.indptr[:-1][filled])
    return maxima


def shortlist_size(low: np.ndarray, keep: np.ndarray, span: float) -> int:
    """Return how many kept rows' upper bound (``low + span``) reaches the k-th best ``low``."""
    low = np.where(keep, low, -np.inf)
    finite = low[np.isfinite(low)]
    if finite.size <= K:
        return int(finite.size)
    kth = np.partition(finite, finite.size - K)[finite.size - K]
    return int((low >= kth - span).sum())


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    candidates, queries = make_records("mentor", args.candidates, args.queries, args.seed)
    bundle = build_bundle(candidates[:20_000] + queries, version="deferral")
    index = CandidateIndex.build(bundle, "mentor", candidates)
    segment = max(index.segments, key=len)
    pairing = pairing_for("sme", "mentor")
    scorer = bundle.scorers[pairing.directions[0]]
    texts = segment.arrays.texts[pairing.name]
    maxima = column_maxima(texts)
    text_weight = scorer.weights_["text"]
    least, most = scorer.term_range("location")
    bounds, reached, location_only, with_text = [], [], [], []
    for query in queries:
        q = index.encode_query(query)
        factors = compute_factors(pairing, q, segment.arrays, bundle.encoders)
        keep = segment.alive & (factors["language"] > 0)
        terms = q.texts[pairing.name]
        bound = min(1.0, float(maxima[terms.indices] @ terms.data)) if terms.nnz else 0.0
        bounds.append(bound)
        reached.append(float(factors["text"][keep].max()) if keep.any() else 0.0)
        low = scorer.combine(factors, absent=("location",)) + np.float32(least)
        location_only.append(shortlist_size(low, keep, most - least))
        low = (scorer.combine(factors, absent=("location", "text")) + np.float32(least)
               + np.float32(min(0.0, text_weight) * bound))
        with_text.append(shortlist_size(low, keep, most - least + abs(text_weight) * bound))
    print(f"{len(segment):,} mentors, {len(queries)} SME queries, top {K}; weights: "
          f"text {text_weight:g}, location {most - least:g}")
    print(f"  text bound p50 {np.median(bounds):.3f}, best text reached p50 "
          f"{np.median(reached):.3f}")
    for name, sizes in (("location deferred", location_only),
                        ("location and text deferred", with_text)):
        p50, p90 = np.percentile(sizes, [50, 90])
        print(f"  shortlist, {name:27s} p50 {p50:9,.0f}  p90 {p90:9,.0f}  max {max(sizes):9,}"
              f"  ({p50 / len(segment):.1%} of the rows at p50)")


if __name__ == "__main__":
    main()
