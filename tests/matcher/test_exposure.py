"""Fair-exposure re-ranking: a bounded, diminishing bonus for rarely shown candidates that
never lifts a much worse candidate over a much better one, through ``rank(rerank=)``."""

from __future__ import annotations

import numpy as np
import pytest

from matcher import CandidateIndex, ExposureCounter, ExposureReranker, InvalidQueryError, rank
from matcher.exposure import exposure_bonus, gini, never_shown_share, rerank_order
from tests.matcher.conftest import _mentor, _sme


def _exposure(mapping: dict[int, int]):
    return lambda ids: np.array([mapping.get(int(i), 0) for i in ids], dtype=float)


# --- the bonus and the order ----------------------------------------------------------------


def test_bonus_is_full_for_the_unseen_half_at_the_reference_and_shrinks_with_exposure():
    bonus = exposure_bonus(np.array([0, 2, 6, 100]), 0.1, reference=2)
    assert bonus == pytest.approx([0.1, 0.05, 0.025, 0.1 * 2 / 102])
    assert np.all(np.diff(bonus) < 0)


def test_bonus_reference_defaults_to_the_mean_and_is_even_when_nobody_was_shown():
    assert exposure_bonus(np.array([0, 4]), 0.2) == pytest.approx([0.2, 0.2 * 2 / 6])
    assert exposure_bonus(np.zeros(3), 0.2) == pytest.approx([0.2, 0.2, 0.2])


def test_a_rarely_shown_candidate_slightly_below_is_lifted():
    scores, exposures = np.array([0.80, 0.78, 0.50]), np.array([9, 0, 0])
    assert rerank_order(scores, exposures, 3, strength=0.1).tolist() == [1, 0, 2]


def test_nobody_is_lifted_over_a_candidate_better_by_the_strength_or_more():
    scores, exposures = np.array([0.80, 0.70, 0.69]), np.array([50, 0, 0])
    assert rerank_order(scores, exposures, 3, strength=0.1).tolist() == [0, 1, 2]


@pytest.mark.parametrize("seed", range(20))
def test_relevance_is_kept_for_any_scores_and_exposures(seed):
    rng = np.random.default_rng(seed)
    scores = np.sort(rng.random(30))[::-1]
    exposures = rng.integers(0, 20, 30)
    order = rerank_order(scores, exposures, 30, strength=0.15)
    assert sorted(order.tolist()) == list(range(30))
    placed = scores[order]
    for i in range(30):  # anyone placed above another is less than 0.15 worse than it
        assert np.all(placed[i] > placed[i + 1:] - 0.15)


def test_equal_exposure_keeps_the_plain_order_and_the_order_is_deterministic():
    scores = np.array([0.9, 0.9, 0.7, 0.6])
    assert rerank_order(scores, np.full(4, 3), 4).tolist() == [0, 1, 2, 3]
    exposures = np.array([5, 1, 0, 2])
    first = rerank_order(scores, exposures, 4, strength=0.3)
    assert first.tolist() == rerank_order(scores, exposures, 4, strength=0.3).tolist()


@pytest.mark.parametrize("field, value", [
    ("strength", -0.1), ("strength", 1.5), ("strength", float("nan")), ("strength", True),
    ("strength", "0.1"), ("depth", -1), ("depth", 2.5), ("reference", -1.0),
])
def test_bad_settings_are_refused_naming_them(field, value):
    with pytest.raises(InvalidQueryError, match=field):
        ExposureReranker(_exposure({}), **{field: value})


def test_a_wrong_exposure_lookup_is_refused():
    reranker = ExposureReranker(lambda ids: np.zeros(len(ids) + 1))
    with pytest.raises(InvalidQueryError, match="one count"):
        reranker.order(np.array([0.5, 0.4]), np.array([1, 2]), 2)


# --- through rank() -------------------------------------------------------------------------


@pytest.fixture
def twins(bundle):
    """Eight mentors with the same profile (equal scores: the plain order is by id).

    They are near-duplicates by construction, so these rankings keep them (``distinct=False``);
    collapsing is tested in ``test_duplicates.py``.
    """
    mentors = [_mentor(name=f"twin {n}") for n in range(8)]
    return CandidateIndex.build(bundle, "mentor", mentors), mentors


def test_rank_lifts_unseen_candidates_from_below_the_top_k(twins):
    index, mentors = twins
    sme = _sme()
    plain = [m.profile_id for m in rank(index, sme, 3, distinct=False)]
    assert plain == [m.id for m in mentors[:3]]
    shown = {pid: 4 for pid in plain}
    fair = rank(index, sme, 3, rerank=ExposureReranker(_exposure(shown)),
                distinct=False)
    assert [m.profile_id for m in fair] == [m.id for m in mentors[3:6]]


def test_depth_limits_who_may_be_lifted(twins):
    index, mentors = twins
    shown = {m.id: 4 for m in mentors[:3]}
    fair = rank(index, _sme(), 3, rerank=ExposureReranker(_exposure(shown), depth=1),
                distinct=False)
    assert [m.profile_id for m in fair] == [mentors[3].id, mentors[0].id, mentors[1].id]


def test_a_reranked_match_keeps_its_own_score_and_reasons(bundle):
    close = _mentor(name="close")
    other = _mentor(name="other", city="nogales")
    index = CandidateIndex.build(bundle, "mentor", [close, other])
    plain = {m.profile_id: m for m in rank(index, _sme(), 2)}
    assert [*plain] == [close.id, other.id]
    fair = rank(index, _sme(), 2, rerank=ExposureReranker(_exposure({close.id: 10}), 1.0))
    assert [m.profile_id for m in fair] == [other.id, close.id]
    assert all(m == plain[m.profile_id] for m in fair)


def test_strength_zero_is_the_plain_ranking(twins):
    index, mentors = twins
    fair = rank(index, _sme(), 4,
                rerank=ExposureReranker(_exposure({m.id: 9 for m in mentors[:4]}), 0.0))
    assert fair == rank(index, _sme(), 4)


def test_amortised_over_rankings_every_twin_gets_shown(twins):
    index, mentors = twins
    counter = ExposureCounter()
    plain_shown, fair_shown = set(), set()
    for requester in range(4):
        sme = _sme()
        plain_shown |= {m.profile_id for m in rank(index, sme, 2, distinct=False)}
        fair = rank(index, sme, 2, rerank=ExposureReranker(counter.exposure_of(requester)),
                    distinct=False)
        counter.record(requester, [m.profile_id for m in fair])
        fair_shown |= {m.profile_id for m in fair}
    assert len(plain_shown) == 2 and fair_shown == {m.id for m in mentors}


# --- the counter and the figures ------------------------------------------------------------


def test_counter_counts_requesters_once_and_leaves_out_ones_own_views():
    counter = ExposureCounter()
    counter.record(1, [10, 11])
    counter.record(1, [10, 12])  # a reload: 10 is not shown to a new requester
    counter.record(2, [10])
    assert counter.exposure_of()(np.array([10, 11, 12, 13])).tolist() == [2, 1, 1, 0]
    assert counter.exposure_of(1)(np.array([10, 11, 12, 13])).tolist() == [1, 0, 0, 0]


def test_gini_and_never_shown_share():
    assert gini(np.array([3, 3, 3, 3])) == 0.0
    assert gini(np.array([0, 0, 0, 8])) == pytest.approx(0.75)
    assert gini(np.array([1, 2, 3, 4])) == pytest.approx(0.25)
    assert gini(np.zeros(5)) == 0.0 and gini(np.array([])) == 0.0
    assert never_shown_share(np.array([0, 2, 0, 1])) == 0.5


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(10))
def test_pages_of_a_reranked_ranking_neither_repeat_nor_skip_a_candidate(seed):
    """Each page is cut from the ranking re-ranked as deep as that page (plus one, to tell
    whether a next page has any): page after page, at any page size, they are that one
    ranking's slices — a candidate shown on page 1 never comes back on page 2."""
    rng = np.random.default_rng(seed)
    n = 90
    scores = np.sort(0.5 + 0.2 * rng.random(n))[::-1]
    ids = np.arange(1000, 1000 + n)
    counts = dict(zip(ids.tolist(), rng.integers(0, 6, n).tolist(), strict=True))
    counts.update({int(i): 0 for i in rng.choice(ids, 15, replace=False)})
    reranker = ExposureReranker(_exposure(counts), places=5)

    def ranked(deep: int) -> list[int]:
        pool = reranker.pool_size(deep)
        return reranker.order(scores[:pool], ids[:pool], deep).tolist()

    whole = ranked(60)
    assert sorted(whole) == sorted(set(whole))
    for per_page in (1, 5, 10, 20):
        shown = [position for offset in range(0, 60, per_page)
                 for position in ranked(offset + per_page + 1)[offset:offset + per_page]]
        assert shown == whole


def test_the_first_places_are_reranked_as_a_top_of_that_many(twins):
    """With ``places``, the first places draw from the best ``places + depth`` whatever the
    page size, and a later place ``i`` from the best ``i + 1 + depth``."""
    index, mentors = twins
    shown = {m.id: 4 for m in mentors[:3]}
    reranker = ExposureReranker(_exposure(shown), depth=1, places=3)
    for k in (1, 2, 3, 5):
        fair = rank(index, _sme(), k, rerank=reranker, distinct=False)
        assert [m.profile_id for m in fair] == [
            m.id for m in (mentors[3], mentors[0], mentors[1], mentors[4], mentors[5])][:k]


def test_bad_places_are_refused_naming_them():
    for value in (0, -1, 2.5, True):
        with pytest.raises(InvalidQueryError, match="places"):
            ExposureReranker(_exposure({}), places=value)
