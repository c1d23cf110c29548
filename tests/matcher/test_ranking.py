"""Tests of matcher.ranking: pairings, hard filters, reciprocal scores, top-k, explanations."""

import dataclasses

import numpy as np
import pytest

from matcher import (
    MENTORSHIP,
    PREFER_BONUS,
    CandidateIndex,
    InvalidQueryError,
    LinearScorer,
    UnsupportedPairingError,
    explain_pairs,
    rank,
    rank_page,
)
from matcher.ranking import top_k
from matcher.reasons import MIN_CONTRIBUTION
from matcher.scorer import harmonic_mean, sigmoid
from matcher.training import pair_features


def ids(matches):
    return [m.profile_id for m in matches]


def build(bundle, records):
    return CandidateIndex.build(bundle, records[0].kind, records)


@pytest.mark.parametrize(("query_kind", "candidate_kind"), [
    ("sme", "mentor"), ("sme", "buyer"), ("buyer", "sme"), ("mentor", "sme")])
def test_all_four_pairings_rank_with_reasons(bundle, population, query_kind, candidate_kind):
    query = next(p for p in population if p.kind == query_kind)
    candidates = [p for p in population if p.kind == candidate_kind]
    matches = rank(build(bundle, candidates), query, k=2, language_required=False)
    assert len(matches) == 2
    assert matches[0].score >= matches[1].score
    assert all(0.0 <= m.score <= 1.0 for m in matches)
    assert matches[0].reasons


def test_issue_example_spanish_border_mentor_before_english_only(bundle, sme, mentor):
    query = sme("juarez", languages=("es",), needs=("certification",))
    border = mentor("el_paso", languages=("es", "en"))
    english = mentor("detroit", languages=("en",), sectors=("336390",))
    index = build(bundle, [english, border])
    assert ids(rank(index, query)) == [border.id]
    assert ids(rank(index, query, language_required=False)) == [border.id, english.id]


def test_query_itself_never_appears(bundle, sme, mentor):
    query = sme()
    twin = dataclasses.replace(mentor(), id=query.id)
    other = mentor("monterrey")
    assert ids(rank(build(bundle, [twin, other]), query)) == [other.id]


def test_unranked_kinds_are_rejected(bundle, sme, mentor, buyer):
    with pytest.raises(UnsupportedPairingError):
        rank(build(bundle, [buyer()]), mentor())
    with pytest.raises(UnsupportedPairingError):
        rank(build(bundle, [sme()]), sme())


def test_language_required_defaults_on_for_mentorship_only(bundle, sme, mentor, buyer):
    query = sme(languages=("fr",))
    mentors = build(bundle, [mentor(languages=("en",)), mentor(languages=("fr",))])
    buyers = build(bundle, [buyer(languages=("en",)), buyer(languages=("fr",))])
    assert len(rank(mentors, query)) == 1
    assert len(rank(mentors, query, language_required=False)) == 2
    assert len(rank(buyers, query)) == 2
    assert len(rank(buyers, query, language_required=True)) == 1


def test_a_mentor_is_not_shown_smes_it_shares_no_language_with_by_default(bundle, sme,
                                                                          mentor, buyer):
    query = mentor(languages=("es", "en"))
    french, spanish = sme(languages=("fr",)), sme(languages=("es",))
    smes = build(bundle, [french, spanish])
    assert ids(rank(smes, query)) == [spanish.id]
    assert ids(rank(smes, query, language_required=None)) == [spanish.id]
    assert set(ids(rank(smes, query, language_required=False))) == {french.id, spanish.id}
    # Trade keeps its default: a buyer still sees the SME it shares no language with.
    assert set(ids(rank(smes, buyer(languages=("en",))))) == {french.id, spanish.id}


def test_country_filter(bundle, sme, mentor):
    index = build(bundle, [mentor("el_paso"), mentor("monterrey"), mentor("toronto",
                                                                         languages=("es",))])
    assert [m.factors["location"] > 0 for m in rank(index, sme(), country="US")] == [True]
    assert len(rank(index, sme(), country="mx")) == 1
    assert rank(index, sme(), country="JP") == []


def test_cross_border_only_keeps_other_countries(bundle, sme, mentor):
    domestic, foreign = mentor("monterrey"), mentor("el_paso")
    index = build(bundle, [domestic, foreign])
    assert ids(rank(index, sme(), cross_border="only")) == [foreign.id]


def test_cross_border_prefer_adds_a_bonus_to_foreign_candidates(bundle, sme, mentor):
    domestic, foreign = mentor("monterrey"), mentor("detroit", languages=("es",))
    index = build(bundle, [domestic, foreign])
    plain = {m.profile_id: m for m in rank(index, sme(markets=("CA",)))}
    preferred = {m.profile_id: m for m in rank(index, sme(markets=("CA",)),
                                                cross_border="prefer")}
    assert preferred[domestic.id].score == pytest.approx(plain[domestic.id].score)
    assert preferred[foreign.id].score > plain[foreign.id].score
    gain = (preferred[foreign.id].contributions["cross_border"]
            - plain[foreign.id].contributions["cross_border"])
    assert gain == pytest.approx(PREFER_BONUS)


@pytest.mark.parametrize("options", [
    {"k": 0}, {"k": "3"}, {"k": True}, {"cross_border": "maybe"}, {"country": "USA"},
    {"country": 12}, {"language_required": "yes"},
])
def test_bad_options_are_rejected(bundle, sme, mentor, options):
    with pytest.raises(InvalidQueryError):
        rank(build(bundle, [mentor()]), sme(), **options)


def test_score_is_logistic_of_weighted_factors(bundle, sme, mentor):
    query, candidate = sme(), mentor()
    match = rank(build(bundle, [candidate]), query)[0]
    scorer = bundle.scorers["mentorship"]
    X = pair_features(bundle, query, [candidate])
    assert match.score == pytest.approx(sigmoid(scorer.decision_function(X))[0], rel=1e-5)
    assert set(match.contributions) == set(MENTORSHIP.factors)  # prior interactions weigh 0
    for name in MENTORSHIP.factors:
        assert match.contributions[name] == pytest.approx(
            scorer.weights_[name] * match.factors[name], abs=1e-6)
    assert list(match.factors) == list(MENTORSHIP.factors)


@pytest.mark.parametrize("query_kind", ["sme", "buyer"])
def test_trade_score_is_harmonic_mean_of_both_directions(bundle, sme, buyer, query_kind):
    a = sme("hermosillo", sectors=("1112",), markets=("US",), certifications=("PrimusGFS",))
    b = buyer(required_certifications=("PrimusGFS",))
    query, candidate = (a, b) if query_kind == "sme" else (b, a)
    match = rank(build(bundle, [candidate]), query)[0]
    X = pair_features(bundle, query, [candidate])
    p_buyer = sigmoid(bundle.scorers["trade_buyer"].decision_function(X))
    p_sme = sigmoid(bundle.scorers["trade_sme"].decision_function(X))
    assert match.score == pytest.approx(harmonic_mean(p_buyer, p_sme)[0], rel=1e-5)
    assert min(p_buyer[0], p_sme[0]) <= match.score <= max(p_buyer[0], p_sme[0])


def test_trade_needs_both_sides(bundle, sme, buyer):
    query = sme("hermosillo", sectors=("1112",), products_text="Tomates frescos",
                markets=("US",))
    wants_it = buyer(products_text="fresh tomates")
    wrong_market = buyer("toronto", products_text="fresh tomates", sourcing_countries=("US",))
    order = ids(rank(build(bundle, [wrong_market, wants_it]), query))
    assert order == [wants_it.id, wrong_market.id]


def test_reasons_follow_contributions(bundle, sme, mentor):
    match = rank(build(bundle, [mentor()]), sme())[0]
    assert match.reasons
    by_factor = {"shared_sector": "sector", "shared_language": "language",
                 "needs_covered": "needs", "text_overlap": "text", "nearby": "location",
                 "cross_border": "cross_border", "knows_markets": "markets"}
    contributions = [match.contributions[by_factor[r.code]] for r in match.reasons]
    assert contributions == sorted(contributions, reverse=True)
    assert min(contributions) >= MIN_CONTRIBUTION
    assert {r.code for r in match.reasons} >= {"shared_language", "needs_covered", "nearby"}


def test_an_interaction_term_is_a_contribution_explained_by_its_factors(bundle, sme, mentor):
    prior = bundle.scorers["mentorship"]
    learned = LinearScorer(factors=prior.factors, interactions=prior.interactions,
                           weights={**prior.weights_, "language": 0.0, "needs": 0.0,
                                    "language*needs": 5.0}, bias=prior.intercept_).fit()
    model = bundle.with_scorers({"mentorship": learned})
    query, candidate = sme(), mentor()
    match = rank(build(model, [candidate]), query)[0]
    X = pair_features(model, query, [candidate])
    assert match.score == pytest.approx(sigmoid(learned.decision_function(X))[0], rel=1e-5)
    assert match.contributions["language*needs"] == max(match.contributions.values())
    assert sum(match.contributions.values()) + learned.intercept_ == pytest.approx(
        learned.decision_function(X)[0], rel=1e-5)
    assert [r.code for r in match.reasons[:2]] == ["shared_language", "needs_covered"]
    assert len({r.code for r in match.reasons}) == len(match.reasons)


def test_k_limits_and_orders_results(bundle, sme, mentor):
    index = build(bundle, [mentor(city) for city in ("el_paso", "monterrey", "detroit")])
    everything = rank(index, sme(), k=10)
    assert len(everything) == 3
    assert [m.score for m in everything] == sorted((m.score for m in everything), reverse=True)
    assert ids(rank(index, sme(), k=2)) == ids(everything)[:2]


def test_offset_pages_through_the_ranking_without_overlap(bundle, sme, mentor):
    cities = ("el_paso", "monterrey", "detroit", "juarez", "montreal")
    index = build(bundle, [mentor(city, bio=f"{city} advice") for city in cities])
    everything = ids(rank(index, sme(), k=10, language_required=False, distinct=False))
    pages = [ids(rank(index, sme(), k=2, offset=o, language_required=False, distinct=False))
             for o in (0, 2, 4, 6)]
    assert sum(pages, []) == everything and pages[-1] == []


def test_a_page_tells_whether_another_follows(bundle, sme, mentor):
    cities = ("el_paso", "monterrey", "detroit", "juarez", "montreal")
    index = build(bundle, [mentor(city, bio=f"{city} advice") for city in cities])
    query = sme()
    options = {"language_required": False, "distinct": False}
    everything = ids(rank(index, query, k=10, **options))
    assert len(everything) == 5
    pages = [rank_page(index, query, k=2, offset=o, **options) for o in (0, 2, 4)]
    assert [ids(page) for page, _ in pages] == [everything[0:2], everything[2:4], everything[4:]]
    assert [more for _, more in pages] == [True, True, False]
    page, more = rank_page(index, query, k=5, **options)
    assert ids(page) == everything and more is False
    assert page == rank(index, query, k=5, **options)  # the same matches, explained alike


def test_exclude_and_only_choose_the_candidates(bundle, sme, mentor):
    index = build(bundle, [mentor(city) for city in ("el_paso", "monterrey", "detroit")])
    everything = ids(rank(index, sme(), k=10, language_required=False, distinct=False))
    best = everything[0]
    assert best not in ids(rank(index, sme(), k=10, exclude=[best], language_required=False,
                                distinct=False))
    assert ids(rank(index, sme(), k=10, only=[best, 999], language_required=False)) == [best]
    assert rank(index, sme(), k=10, only=[]) == []


@pytest.mark.parametrize("offset", [-1, 1.5, True, "2"])
def test_a_bad_offset_is_refused(bundle, sme, mentor, offset):
    index = build(bundle, [mentor()])
    with pytest.raises(InvalidQueryError):
        rank(index, sme(), k=2, offset=offset)


def test_top_k_breaks_ties_by_id_and_skips_filtered():
    scores = np.array([0.5, 0.9, 0.5, -np.inf, 0.5, 0.1], dtype=np.float32)
    row_ids = np.array([60, 50, 40, 30, 20, 10])
    assert top_k(scores, 3, row_ids).tolist() == [1, 4, 2]
    assert top_k(scores, 10, row_ids).tolist() == [1, 4, 2, 0, 5]
    assert top_k(np.full(3, -np.inf), 2, row_ids[:3]).tolist() == []


@pytest.mark.parametrize("seed", range(5))
def test_top_k_on_large_arrays_equals_a_full_sort(seed):
    rng = np.random.default_rng(seed)
    n = 50_000
    scores = rng.integers(0, 300, n).astype(np.float32)  # many ties
    scores[rng.random(n) < 0.3] = -np.inf
    row_ids = rng.permutation(n) + 1000
    finite = np.flatnonzero(np.isfinite(scores))
    expected = finite[np.lexsort((row_ids[finite], -scores[finite]))][:25]
    assert top_k(scores, 25, row_ids).tolist() == expected.tolist()


def test_top_k_when_few_rows_pass_the_filters():
    scores = np.full(100_000, -np.inf, dtype=np.float32)
    scores[[5, 70_000]] = [0.2, 0.7]
    assert top_k(scores, 10, np.arange(100_000)).tolist() == [70_000, 5]


# -- explaining given pairs ------------------------------------------------------------------

@pytest.mark.parametrize(("query_kind", "candidate_kind"), [
    ("sme", "mentor"), ("sme", "buyer"), ("buyer", "sme"), ("mentor", "sme")])
def test_explain_pairs_gives_what_rank_gives(bundle, population, query_kind, candidate_kind):
    query = next(p for p in population if p.kind == query_kind)
    candidates = [p for p in population if p.kind == candidate_kind]
    ranked = rank(build(bundle, candidates), query, k=len(candidates), language_required=False)
    by_id = {c.id: c for c in candidates}
    explained = explain_pairs(bundle, [query] * len(ranked),
                              [by_id[m.profile_id] for m in ranked])
    assert explained == ranked


def test_explain_pairs_keeps_the_order_of_mixed_pairs(bundle, population, sme, mentor):
    smes, mentors = [sme(), sme("monterrey")], [mentor(), mentor("detroit")]
    pairs = [(smes[0], mentors[1]), (smes[1], mentors[0]), (smes[0], mentors[0])]
    explained = explain_pairs(bundle, [s for s, _ in pairs], [m for _, m in pairs])
    one_by_one = [explain_pairs(bundle, [s], [m])[0] for s, m in pairs]
    assert explained == one_by_one
    assert [m.profile_id for m in explained] == [m.id for _, m in pairs]


def test_a_full_mentor_is_still_explained(bundle, sme, mentor):
    query, free = sme(), mentor()
    full = dataclasses.replace(free, id=free.id + 1, capacity_left=0)
    assert ids(rank(build(bundle, [free, full]), query)) == [free.id]
    [for_free], [for_full] = (explain_pairs(bundle, [query], [m]) for m in (free, full))
    assert for_full.reasons and for_full.reasons == for_free.reasons
    assert for_full.score == for_free.score


def test_explain_pairs_wants_one_candidate_per_query(bundle, sme, mentor):
    with pytest.raises(InvalidQueryError):
        explain_pairs(bundle, [sme()], [mentor(), mentor()])
    with pytest.raises(UnsupportedPairingError):
        explain_pairs(bundle, [mentor()], [mentor()])
