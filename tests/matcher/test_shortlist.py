"""A large segment's ranking computes location on a shortlist only: it must rank, score and
explain exactly as computing it for every candidate does."""

from __future__ import annotations

import copy
import dataclasses
import itertools

import numpy as np
import pytest

from matcher import CandidateIndex, ProfileRecord, build_bundle, rank, ranking
from matcher.factors import Gathered, compute_factors, factor_parts
from matcher.rules import scaled_scorers
from webapp.demo.generator import generate_profiles

MENTORS = ranking.SHORTLIST_ROWS + 1500


@pytest.fixture(scope="module")
def population():
    ids = itertools.count(1)
    records = [ProfileRecord.from_mapping({**row, "id": next(ids)})
               for row in generate_profiles(40, MENTORS, 40, seed=11)]
    bundle = build_bundle(records)
    mentors = [r for r in records if r.kind == "mentor"]
    smes = [r for r in records if r.kind == "sme"]
    return bundle, CandidateIndex.build(bundle, "mentor", mentors), smes, mentors


def both_ways(monkeypatch, index, query, **options):
    """Return the ranking with the shortlist and with location computed for every row."""
    shortlisted = rank(index, query, **options)
    with monkeypatch.context() as patch:
        patch.setattr(ranking, "SHORTLIST_ROWS", 10**12)
        everyone = rank(index, query, **options)
    return shortlisted, everyone


OPTIONS = [
    {"k": 10},
    {"k": 1},
    {"k": 60, "distinct": False},
    {"k": 10, "offset": 20},
    {"k": 10, "cross_border": "prefer"},
    {"k": 10, "cross_border": "only"},
    {"k": 10, "country": "US"},
    {"k": 10, "min_score": 0.6},
    {"k": 10, "min_score": 0.999},
    {"k": 10, "language_required": False},
    {"k": 10, "needs_covered_required": True},
    {"k": 10, "needs_covered_required": True, "language_required": False, "country": "MX"},
    {"k": 400, "distinct": False, "country": "CA", "cross_border": "only"},
]


@pytest.mark.parametrize("options", OPTIONS,
                         ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()))
def test_the_shortlist_ranks_exactly_as_every_row_does(population, monkeypatch, options):
    _, index, smes, _ = population
    assert len(index.segments[0]) >= ranking.SHORTLIST_ROWS
    for query in smes[:12]:
        shortlisted, everyone = both_ways(monkeypatch, index, query, **options)
        assert shortlisted == everyone  # ids, scores, factors, contributions, reasons


def test_exclude_and_only_rank_alike(population, monkeypatch):
    _, index, smes, mentors = population
    only = [m.id for m in mentors[::7]]
    for query in smes[:5]:
        best = [m.profile_id for m in rank(index, query, 5)]
        shortlisted, everyone = both_ways(monkeypatch, index, query, k=10, exclude=best,
                                          only=only)
        assert shortlisted == everyone
        assert not {m.profile_id for m in shortlisted} & set(best)


def test_removed_candidates_and_the_querys_own_row_rank_alike(population, monkeypatch):
    """Rows masked out of a segment (removed or replaced profiles) and a query that is itself
    a candidate of the index never appear, with the shortlist as without it."""
    bundle, _, smes, mentors = population
    index = CandidateIndex.build(bundle, "mentor", mentors)
    for query in smes[:4]:
        best = [m.profile_id for m in rank(index, query, 6)]
        index.remove(best[::2])
        shortlisted, everyone = both_ways(monkeypatch, index, query, k=10)
        assert shortlisted == everyone
        assert not {m.profile_id for m in shortlisted} & set(best[::2])
    mentor = mentors[3]
    index = CandidateIndex.build(bundle, "mentor", mentors)
    as_query = dataclasses.replace(mentor, kind="sme")
    shortlisted, everyone = both_ways(monkeypatch, index, as_query, k=10)
    assert shortlisted == everyone
    assert mentor.id not in {m.profile_id for m in shortlisted}


def test_ties_on_everything_but_location_go_to_the_nearest_then_the_lower_id(
        population, monkeypatch):
    """Hundreds of candidates alike but for where they are: the shortlist must keep every one
    that location could lift into the top, and ties must still go to the lower id."""
    bundle, index, smes, mentors = population
    query = smes[0]
    best = {m.id: m for m in mentors}[rank(index, query, 1)[0].profile_id]
    twin = dataclasses.replace(best, mode="in_person")
    towns = [(31.7, -106.4), (25.7, -100.3), (45.5, -73.6), (31.7, -106.4)]
    clones = [dataclasses.replace(twin, id=100_000 + i, latitude=towns[i % 4][0],
                                  longitude=towns[i % 4][1])
              for i in range(ranking.SHORTLIST_ROWS)]
    index = CandidateIndex.build(bundle, "mentor", clones + mentors[:500])
    assert len(index) >= ranking.SHORTLIST_ROWS
    shortlisted, everyone = both_ways(monkeypatch, index, query, k=30, distinct=False)
    assert shortlisted == everyone
    assert len({m.score for m in shortlisted}) < len(shortlisted)  # ties were resolved
    assert all(m.profile_id >= 100_000 for m in shortlisted)


def test_a_negative_or_interacting_location_weight_ranks_alike(population, monkeypatch):
    bundle, index, smes, _ = population
    negative = scaled_scorers(bundle.scorers, ranking.pairing_for("sme", "mentor"),
                              {"location": 0.0})
    negative = {name: copy.deepcopy(scorer) for name, scorer in negative.items()}
    mentorship = negative["mentorship"]
    mentorship.coef_ = mentorship.coef_.copy()
    mentorship.coef_[mentorship.factors.index("location")] = -1.5
    interacting = copy.deepcopy(bundle.scorers)
    scorer = interacting["mentorship"]
    scorer.interactions = (*scorer.interactions, ("location", "sector"))
    scorer.coef_ = np.append(scorer.coef_, 2.0)
    assert scorer.term_range("location") is None
    assert mentorship.term_range("location") == (-1.5, 0.0)
    for scorers in (negative, interacting):
        for query in smes[:6]:
            shortlisted, everyone = both_ways(monkeypatch, index, query, k=10, scorers=scorers)
            assert shortlisted == everyone


def test_term_range_is_what_the_factor_can_add(population):
    bundle, *_ = population
    scorer = bundle.scorers["mentorship"]
    weight = scorer.weights_["location"]
    assert scorer.term_range("location") == (min(0.0, weight), max(0.0, weight))
    assert scorer.term_range("no_such_factor") == (0.0, 0.0)


def weighted(bundle, changes: dict[str, float], interactions: dict[tuple[str, str], float]):
    """Return the bundle's scorers with mentorship's weights changed and interactions added."""
    scorers = copy.deepcopy(bundle.scorers)
    scorer = scorers["mentorship"]
    scorer.coef_ = scorer.coef_.copy()
    for name, weight in changes.items():
        scorer.coef_[scorer.factors.index(name)] = weight
    for pair, weight in interactions.items():
        scorer.interactions = (*scorer.interactions, pair)
        scorer.coef_ = np.append(scorer.coef_, weight)
    return scorers


@pytest.mark.parametrize("changes, interactions", [
    # Negative weights on factors gathered per pattern, and on a yes/no one.
    ({"sector": -0.7, "cross_border": -1.2, "markets": 0.0}, {}),
    # An interaction away from location: the bound is no plain sum of the factors.
    ({}, {("needs", "sector"): 1.5}),
    ({}, {("language", "text"): -2.0}),
], ids=["negative", "needs*sector", "language*text"])
def test_weights_of_any_sign_and_interactions_away_from_location_rank_alike(
        population, monkeypatch, changes, interactions):
    bundle, index, smes, _ = population
    scorers = weighted(bundle, changes, interactions)
    assert scorers["mentorship"].term_range("location") is not None  # the shortlist is used
    for query in smes[:8]:
        shortlisted, everyone = both_ways(monkeypatch, index, query, k=10, scorers=scorers)
        assert shortlisted == everyone


def test_the_bound_sums_factors_per_pattern_as_the_scores_sum_them(population):
    """The shortlist's lower bound, summed per pattern before one gather each, is the logit
    without location the scores would give, to float32 rounding."""
    bundle, index, smes, _ = population
    segment = index.segments[0]
    pairing = ranking.pairing_for("sme", "mentor")
    for scorers in (bundle.scorers, weighted(bundle, {"sector": -0.7}, {}),
                    weighted(bundle, {}, {("needs", "sector"): 1.5})):
        scorer = scorers["mentorship"]
        for query in smes[:5]:
            q = index.encode_query(query)
            parts = factor_parts(pairing, q, segment.arrays, bundle.encoders,
                                 defer=("location",))
            assert any(isinstance(part, Gathered) for part in parts.values())
            full = compute_factors(pairing, q, segment.arrays, bundle.encoders,
                                   defer=("location",))
            expected = scorer.combine(full, absent=("location",))
            bound = ranking._logits_without(scorer, parts, "location", len(segment))
            np.testing.assert_allclose(bound, expected, rtol=0, atol=1e-5)


def test_filters_on_factors_not_gathered_per_pattern_rank_alike(population, monkeypatch):
    """A segment's factors computed row by row (no patterns) carry the language and needs
    filters into the bound as well."""
    from matcher import factors

    _, index, smes, _ = population
    monkeypatch.setattr(factors, "LANGUAGE_PATTERN_ROWS", 10**12)
    for options in ({"k": 10}, {"k": 10, "needs_covered_required": True}):
        for query in smes[:6]:
            shortlisted, everyone = both_ways(monkeypatch, index, query, **options)
            assert shortlisted == everyone
