"""Tests of the program rules in the engine: the must-match options of ``rank`` and
coordinator weights as scaled scorers (matcher.rules)."""

import math

import numpy as np
import pytest

from matcher import (
    MENTORSHIP,
    TRADE,
    WEIGHT_RANGE,
    CandidateIndex,
    InvalidQueryError,
    RankOptions,
    explain_pairs,
    rank,
    scale_scorer,
    scaled_scorers,
    unmet_rules,
)
from matcher.cohort import score_cohort


def ids(matches):
    return [m.profile_id for m in matches]


def build(bundle, records):
    return CandidateIndex.build(bundle, records[0].kind, records)


@pytest.fixture
def mentors(mentor):
    """Mentors of three countries, with and without the SME's need, language and sector."""
    return [
        mentor("el_paso"),                                                   # US, covers needs
        mentor("monterrey", expertise=("logistics",), bio="Freight brokers"),  # MX, no need
        mentor("detroit", languages=("en",)),                                # US, English only
        mentor("montreal", languages=("fr", "es"), expertise=("financing",),
               sectors=("3363",), bio="Export credit"),                      # CA, no need
        mentor("hermosillo", expertise=("certification", "logistics")),      # MX, covers needs
    ]


# -- defaults --------------------------------------------------------------------------------

def test_default_rules_rank_exactly_as_before(bundle, sme, mentors):
    index, query = build(bundle, mentors), sme()
    plain = rank(index, query, k=5, language_required=False)
    ruled = rank(index, query, k=5, language_required=False, min_score=0.0,
                 needs_covered_required=False,
                 scorers=scaled_scorers(bundle.scorers, MENTORSHIP, {}))
    assert [(m.profile_id, m.score, dict(m.contributions), m.reasons) for m in plain] == \
           [(m.profile_id, m.score, dict(m.contributions), m.reasons) for m in ruled]


def test_multipliers_of_one_leave_the_scorer_as_it_is(bundle):
    scorer = bundle.scorers["mentorship"]
    same = scale_scorer(scorer, dict.fromkeys(MENTORSHIP.factors, 1.0))
    assert np.array_equal(same.coef_, scorer.coef_)
    assert same.intercept_ == scorer.intercept_


# -- must-match rules ------------------------------------------------------------------------

def test_cross_border_only_keeps_mentors_of_another_country(bundle, sme, mentors):
    index, query = build(bundle, mentors), sme("juarez")   # a Mexican SME
    everyone = ids(rank(index, query, k=10, language_required=False))
    abroad = ids(rank(index, query, k=10, language_required=False, cross_border="only"))
    countries = {m.id: m.country for m in mentors}
    assert {countries[i] for i in everyone} >= {"MX", "US", "CA"}
    assert abroad and all(countries[i] != "MX" for i in abroad)
    assert set(abroad) == {i for i in everyone if countries[i] != "MX"}


def test_language_required_drops_mentors_without_a_shared_language(bundle, sme, mentors):
    index, query = build(bundle, mentors), sme(languages=("es",))
    kept = ids(rank(index, query, k=10, language_required=True))
    english_only = mentors[2].id
    assert english_only in ids(rank(index, query, k=10, language_required=False))
    assert english_only not in kept and len(kept) == 4


def test_min_score_drops_every_match_below_it_and_keeps_the_rest(bundle, sme, mentors):
    index, query = build(bundle, mentors), sme()
    everyone = rank(index, query, k=10, language_required=False)
    threshold = (everyone[1].score + everyone[2].score) / 2
    kept = rank(index, query, k=10, language_required=False, min_score=threshold)
    assert ids(kept) == ids(everyone)[:2]
    assert all(m.score >= threshold for m in kept)
    assert rank(index, query, k=10, language_required=False, min_score=1.0) == []


def test_min_score_applies_to_the_reciprocal_score(bundle, sme, buyer):
    buyers = [buyer(), buyer("detroit", sectors=("3363",), languages=("en",)),
              buyer("toronto", sourcing_countries=("US",))]
    index, query = build(bundle, buyers), sme("hermosillo", sectors=("111419",))
    everyone = rank(index, query, k=10)
    threshold = everyone[0].score - 1e-6
    assert ids(rank(index, query, k=10, min_score=threshold)) == [everyone[0].profile_id]


def test_needs_covered_keeps_only_expertise_matching_a_need(bundle, sme, mentors):
    index, query = build(bundle, mentors), sme(needs=("certification",))
    covering = ids(rank(index, query, k=10, language_required=False,
                        needs_covered_required=True))
    assert sorted(covering) == sorted([mentors[0].id, mentors[2].id, mentors[4].id])
    assert all(m.factors["needs"] > 0 for m in rank(
        index, query, k=10, language_required=False, needs_covered_required=True))


def test_needs_covered_works_from_the_mentor_side(bundle, sme, mentor):
    smes = [sme(needs=("certification",)), sme(needs=("logistics",)),
            sme(needs=("financing", "logistics"))]
    index, query = build(bundle, smes), mentor(expertise=("logistics",))
    assert sorted(ids(rank(index, query, k=10, needs_covered_required=True))) == \
           sorted([smes[1].id, smes[2].id])


def test_needs_covered_is_not_applied_to_an_sme_listing_no_need(bundle, sme, mentors):
    index, query = build(bundle, mentors), sme(needs=())
    assert len(rank(index, query, k=10, language_required=False,
                    needs_covered_required=True)) == len(mentors)


def test_needs_covered_is_refused_for_trade(bundle, sme, buyer):
    with pytest.raises(InvalidQueryError) as caught:
        rank(build(bundle, [buyer()]), sme(), needs_covered_required=True)
    assert caught.value.option == "needs_covered_required"


@pytest.mark.parametrize("value", [-0.1, 1.5, math.nan, "0.5", True])
def test_min_score_outside_zero_one_is_refused(value):
    with pytest.raises(InvalidQueryError) as caught:
        RankOptions(min_score=value)
    assert caught.value.option == "min_score"


# -- weights ---------------------------------------------------------------------------------

def test_a_heavier_factor_changes_the_order(bundle, sme, mentor):
    near_other_need = mentor("el_paso", expertise=("logistics",), bio="Freight",
                             markets=("US",))
    far_expert = mentor("montreal", languages=("es", "fr"), sectors=("311",),
                        expertise=("certification",), bio="Quality systems")
    index, query = build(bundle, [near_other_need, far_expert]), sme("juarez")
    before = ids(rank(index, query, k=2))
    location_heavy = scaled_scorers(bundle.scorers, MENTORSHIP,
                                    {"location": 5.0, "needs": 0.0, "cross_border": 5.0})
    needs_heavy = scaled_scorers(bundle.scorers, MENTORSHIP, {"needs": 5.0, "location": 0.0})
    assert ids(rank(index, query, k=2, scorers=location_heavy)) == [near_other_need.id,
                                                                    far_expert.id]
    assert ids(rank(index, query, k=2, scorers=needs_heavy)) == [far_expert.id,
                                                                 near_other_need.id]
    assert before in ([near_other_need.id, far_expert.id], [far_expert.id, near_other_need.id])


def test_contributions_and_scores_follow_the_weights_used(bundle, sme, mentor):
    query, candidate = sme(), mentor()
    scorers = scaled_scorers(bundle.scorers, MENTORSHIP, {"needs": 2.0, "language": 0.0})
    [plain] = explain_pairs(bundle, [query], [candidate])
    [ruled] = explain_pairs(bundle, [query], [candidate], scorers=scorers)
    assert ruled.contributions["needs"] == pytest.approx(2 * plain.contributions["needs"])
    assert ruled.contributions["language"] == 0.0
    logit = sum(ruled.contributions.values()) + scorers["mentorship"].intercept_
    assert ruled.score == pytest.approx(1 / (1 + math.exp(-logit)), abs=1e-5)
    [ranked] = rank(build(bundle, [candidate]), query, scorers=scorers)
    assert ranked.score == pytest.approx(ruled.score, abs=1e-6)
    assert "shared_language" not in {r.code for r in ruled.reasons}


def test_interactions_fade_with_either_factor(bundle):
    scorer = bundle.scorers["mentorship"]
    terms = list(scorer.terms)
    learned = scale_scorer(scorer, {})  # a copy, given an interaction weight as if learned
    learned.coef_[terms.index("language*needs")] = 0.8
    scaled = scale_scorer(learned, {"language": 0.0, "needs": 2.0})
    assert scaled.weights_["language*needs"] == 0.0
    quadrupled = scale_scorer(learned, {"language": 4.0, "needs": 1.0})
    assert quadrupled.weights_["language*needs"] == pytest.approx(1.6)
    assert learned.weights_["language*needs"] == 0.8   # the original is left unchanged


def test_reciprocal_pairings_scale_both_directions(bundle):
    scaled = scaled_scorers(bundle.scorers, TRADE, {"sector": 2.0})
    for direction in TRADE.directions:
        assert scaled[direction].weights_["sector"] == pytest.approx(
            2 * bundle.scorers[direction].weights_["sector"])
    assert scaled["mentorship"] is bundle.scorers["mentorship"]


@pytest.mark.parametrize(("weights", "code"), [
    ({"charm": 1.0}, "unknown_factor"),
    ({"sourcing": 1.0}, "unknown_factor"),            # a trade factor, not mentorship's
    ({"sector": -0.5}, "weight_out_of_range"),
    ({"sector": WEIGHT_RANGE[1] + 0.1}, "weight_out_of_range"),
    ({"sector": math.inf}, "weight_out_of_range"),
    ({"sector": math.nan}, "weight_out_of_range"),
    ({"sector": "2"}, "weight_out_of_range"),
])
def test_bad_weights_are_refused_naming_the_factor(bundle, weights, code):
    with pytest.raises(InvalidQueryError) as caught:
        scaled_scorers(bundle.scorers, MENTORSHIP, weights)
    assert caught.value.code == code
    assert caught.value.factor == next(iter(weights))


# -- cohorts ---------------------------------------------------------------------------------

def test_cohort_scores_apply_cross_border_needs_and_weights(bundle, sme, mentors):
    smes = [sme("juarez"), sme("hermosillo", needs=())]
    plain = score_cohort(bundle, smes, mentors, language_required=False)
    ruled = score_cohort(bundle, smes, mentors, language_required=False,
                         cross_border_only=True, needs_covered_required=True)
    countries = np.array([m.country for m in mentors])
    assert plain.eligible.all()
    # the SME with needs: abroad and covering; the SME without: abroad only
    covers = np.array([bool(set(m.expertise) & {"certification"}) for m in mentors])
    assert np.array_equal(ruled.eligible[0], (countries != "MX") & covers)
    assert np.array_equal(ruled.eligible[1], countries != "MX")
    heavier = score_cohort(bundle, smes, mentors, language_required=False,
                           scorers=scaled_scorers(bundle.scorers, MENTORSHIP, {"needs": 3.0}))
    assert heavier.scores[0, 0] > plain.scores[0, 0]
    assert np.array_equal(heavier.scores[1], plain.scores[1])   # no needs: nothing to weigh


# -- one pair judged as the ranking judges it (introduction requests) -------------------------

# A min_score of "mid" is set between the pairs' scores (the fixture's model decides them).
RULE_OPTIONS = [{"language_required": True}, {"cross_border_only": True},
                {"needs_covered_required": True}, {"min_score": "mid"},
                {"language_required": True, "cross_border_only": True, "min_score": "mid",
                 "needs_covered_required": True}]


def _with_scores(rules, explained):
    """Return the rules with a ``"mid"`` min_score set between the lowest and highest score."""
    if rules.get("min_score") != "mid":
        return rules
    scores = sorted(e.score for e in explained)
    return {**rules, "min_score": (scores[0] + scores[-1]) / 2}


def _rank_options(rules):
    return {"language_required": rules.get("language_required", False),
            "cross_border": "only" if rules.get("cross_border_only") else "any",
            "min_score": rules.get("min_score", 0.0),
            "needs_covered_required": rules.get("needs_covered_required", False)}


@pytest.mark.parametrize("rules", RULE_OPTIONS)
def test_unmet_rules_agree_with_the_ranking_for_an_sme(bundle, sme, mentors, rules):
    index, query = build(bundle, mentors), sme(needs=("certification",))
    explained = explain_pairs(bundle, [query] * len(mentors), mentors)
    rules = _with_scores(rules, explained)
    shown = set(ids(rank(index, query, k=10, **_rank_options(rules))))
    failing = {m.id: unmet_rules(query, m, e.factors, e.score, **rules)
               for m, e in zip(mentors, explained, strict=True)}
    assert {i for i, unmet in failing.items() if not unmet} == shown
    assert all(set(unmet) <= set(rules) for unmet in failing.values())
    assert shown != {m.id for m in mentors}  # every case excludes someone


@pytest.mark.parametrize("rules", RULE_OPTIONS)
def test_unmet_rules_agree_with_the_ranking_for_a_mentor(bundle, sme, mentor, rules):
    smes = [sme(needs=("certification",)), sme("montreal", needs=("logistics",),
                                                languages=("fr",)),
            sme("detroit", needs=("financing", "logistics"), languages=("en",)),
            sme("hermosillo", needs=())]
    index, query = build(bundle, smes), mentor(expertise=("logistics",), languages=("es",))
    explained = explain_pairs(bundle, [query] * len(smes), smes)
    rules = _with_scores(rules, explained)
    shown = set(ids(rank(index, query, k=10, **_rank_options(rules))))
    kept = {s.id for s, e in zip(smes, explained, strict=True)
            if not unmet_rules(query, s, e.factors, e.score, **rules)}
    assert kept == shown


def test_unmet_rules_name_each_failing_rule_and_nothing_when_off(bundle, sme, mentors):
    query, detroit = sme(needs=("certification",)), mentors[2]  # US, English only
    [match] = explain_pairs(bundle, [query], [detroit])
    assert unmet_rules(query, detroit, match.factors, match.score) == ()
    assert unmet_rules(query, detroit, match.factors, match.score, language_required=True,
                       min_score=1.0) == ("language_required", "min_score")
