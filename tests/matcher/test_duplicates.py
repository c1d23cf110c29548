"""Near-duplicates never sit side by side, and claiming everything does not beat a true match."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from matcher import CandidateIndex, ExposureReranker, ModelBundle, build_bundle, rank
from matcher.duplicates import claims_digest, distinct_positions, near_duplicates
from matcher.factors import LANGUAGE_PATTERN_ROWS, claim_credit, compute_factors, pairing_for
from matcher.features import encode_profiles
from matcher.taxonomy import NEED_CODES

BIO = "Customs broker in Laredo: pedimentos, IMMEX and cross-border freight for auto parts."


def _copy(record, new_id, **changes):
    return dataclasses.replace(record, id=new_id, name=f"copy of {record.name}", **changes)


@pytest.fixture
def program(sme, mentor):
    best = mentor(city="monterrey", bio=BIO, expertise=("export_regulations", "logistics"))
    others = [mentor(city=city, bio=f"Quality and {topic} for exporters", expertise=(need,))
              for city, topic, need in (("el_paso", "customs", "export_regulations"),
                                        ("detroit", "freight", "logistics"),
                                        ("nogales", "finance", "financing"))]
    query = sme(city="monterrey", needs=("export_regulations", "logistics"),
                needs_text="Pedimentos, IMMEX y transporte de autopartes a Laredo")
    return query, best, others


def _ids(matches):
    return [m.profile_id for m in matches]


# --- duplicates -------------------------------------------------------------------------------

def test_a_copy_of_the_best_candidate_is_not_shown_beside_it(program):
    query, best, others = program
    copy = _copy(best, 90_001)
    bundle = build_bundle([query, best, copy, *others])
    index = CandidateIndex.build(bundle, "mentor", [best, copy, *others])
    before = _ids(rank(index, query, 5, distinct=False))
    assert before[:2] == [best.id, copy.id]  # same score: both at the top
    after = _ids(rank(index, query, 3))
    assert after[0] == best.id and copy.id not in after and len(after) == 3
    assert after[1:] == [pid for pid in before if pid not in (best.id, copy.id)][:2]


def test_a_lightly_edited_copy_is_collapsed_into_the_better_scored_one(program):
    query, best, others = program
    edited = _copy(best, 90_002, bio=BIO.replace("Customs broker", "Licensed customs broker"))
    bundle = build_bundle([query, best, edited, *others])
    index = CandidateIndex.build(bundle, "mentor", [edited, *others])
    index.upsert([best])  # the original arrives through the change feed: another segment
    shown = _ids(rank(index, query, 4))
    assert len({best.id, edited.id} & set(shown)) == 1


def test_two_mentors_without_a_bio_identical_but_the_name_are_shown_once(program):
    query, best, others = program
    blank = dataclasses.replace(best, bio="", description="")
    twin = _copy(blank, 90_010)
    bundle = build_bundle([query, blank, twin, *others])
    index = CandidateIndex.build(bundle, "mentor", [blank, twin, *others])
    assert _ids(rank(index, query, 5, distinct=False))[:2] == [blank.id, twin.id]
    shown = _ids(rank(index, query, 5))
    assert shown[0] == blank.id and twin.id not in shown and len(shown) == 4


def test_two_smes_without_needs_text_identical_but_the_name_are_shown_once(program, sme):
    query, best, _ = program
    blank = sme(needs=("export_regulations", "logistics"), needs_text="", description="")
    twin = _copy(blank, 90_011)
    other = sme("monterrey", needs=("logistics",), needs_text="", description="")
    bundle = build_bundle([best, blank, twin, other])
    index = CandidateIndex.build(bundle, "sme", [blank, twin, other])
    shown = _ids(rank(index, best, 5))
    assert len({blank.id, twin.id} & set(shown)) == 1 and other.id in shown


def test_a_mentor_without_a_bio_is_no_copy_of_one_with_a_bio(program):
    query, best, others = program
    blank = _copy(best, 90_012, bio="", description="")
    bundle = build_bundle([query, best, blank, *others])
    shown = _ids(rank(CandidateIndex.build(bundle, "mentor", [best, blank, *others]), query, 5))
    assert {best.id, blank.id} <= set(shown)


def test_texts_left_empty_with_the_same_claims_are_near_duplicates():
    claims = np.array([4, 4, 4, 4, 4], np.uint64)
    rows = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    left_empty = np.array([True, True, False, False, False])  # 4: words outside the vocabulary
    texts, blank = (lambda p: rows[p]), (lambda p: left_empty[p])
    twins = near_duplicates(claims, texts, blank=blank)
    assert twins[0, 1] and twins[1, 0]
    assert not twins[0, 2:].any() and not twins[2:, 2:].any() and not twins.diagonal().any()
    assert distinct_positions(claims, texts, blank=blank) == [0, 2, 3, 4]


def test_two_bios_of_words_unseen_at_fit_time_are_no_copies(program):
    query, best, others = program
    bundle = build_bundle([query, best, *others])
    first = _copy(best, 90_013, bio="Tzotzil weaving cooperatives", description="")
    second = _copy(best, 90_014, bio="Amber jewellery from Simojovel", description="")
    index = CandidateIndex.build(bundle, "mentor", [first, second, *others])
    assert {first.id, second.id} <= set(_ids(rank(index, query, 5)))


@pytest.mark.parametrize("change", [
    {"expertise": ("export_regulations",)},             # another claim
    {"languages": ("en",)},
    {"city": "saltillo"},                               # another place
    {"mode": "in_person"},
    {"bio": "Freight forwarding and IMMEX for maquilas."},  # another text
])
def test_a_profile_that_differs_in_a_claim_or_its_text_is_kept(program, change):
    query, best, others = program
    twin = _copy(best, 90_003, **change)
    bundle = build_bundle([query, best, twin, *others])
    index = CandidateIndex.build(bundle, "mentor", [best, twin, *others])
    shown = _ids(rank(index, query, 5, language_required=False))
    assert {best.id, twin.id} <= set(shown)


def test_collapsing_backfills_the_list_and_runs_before_the_exposure_reranker(program):
    query, best, others = program
    copies = [_copy(best, 90_100 + n) for n in range(8)]  # more than the margin
    bundle = build_bundle([query, best, *copies, *others])
    index = CandidateIndex.build(bundle, "mentor", [best, *copies, *others])
    assert _ids(rank(index, query, 4)) == _ids(rank(index, query, 4, distinct=False))[:1] + [
        o.id for o in sorted(others, key=lambda o: -next(
            m.score for m in rank(index, query, 12, distinct=False) if m.profile_id == o.id))]
    # The most shown is the original: the re-ranker may lift others, never a copy.
    shown = {best.id: 50}
    fair = _ids(rank(index, query, 4, rerank=ExposureReranker(
        lambda ids: np.array([shown.get(int(i), 0) for i in ids], float), 1.0)))
    assert not set(fair) & {c.id for c in copies} and len(fair) == 4


def test_distinct_positions_keep_the_first_of_each_group():
    claims = np.array([7, 7, 8, 7], np.uint64)
    rows = np.array([[1.0, 0.0], [0.99, 0.14], [1.0, 0.0], [0.0, 1.0]])
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    asked = []

    def texts(positions):
        asked.append(positions.tolist())
        return rows[positions]
    assert distinct_positions(claims, texts) == [0, 2, 3]  # 1 copies 0; 3 has another text
    assert asked == [[0, 1, 3]]  # texts are read only for candidates sharing claims
    assert not near_duplicates(claims, texts).diagonal().any()


def test_distinct_positions_follow_chains_as_a_walk_best_first_does():
    # b copies a and c copies b, but c is no copy of a: b goes with a, so c stays.
    claims = np.array([5, 5, 5, 9], np.uint64)
    angles = np.array([0.0, 0.35, 0.7, 0.0])  # cosines 0.94 a step, 0.76 across two
    rows = np.column_stack([np.cos(angles), np.sin(angles)])
    texts = lambda positions: rows[positions]  # noqa: E731
    assert near_duplicates(claims, texts)[0, 1] and near_duplicates(claims, texts)[1, 2]
    assert not near_duplicates(claims, texts)[0, 2]
    assert distinct_positions(claims, texts) == [0, 2, 3]


def test_distinct_positions_equal_a_plain_walk_over_every_candidate():
    rng = np.random.default_rng(3)
    for _ in range(200):
        n = int(rng.integers(1, 40))
        claims = rng.integers(0, 4, n).astype(np.uint64)
        rows = rng.random((n, 3)) ** 4
        rows /= np.linalg.norm(rows, axis=1, keepdims=True)
        twins = near_duplicates(claims, lambda positions, rows=rows: rows[positions])
        walked: list[int] = []
        for i in range(n):  # keep each that no kept one before it is a near-duplicate of
            if not twins[i, walked].any():
                walked.append(i)
        assert distinct_positions(claims, lambda p, rows=rows: rows[p]) == walked


def test_the_claims_digest_ignores_order_but_not_content():
    assert claims_digest(["mentor", ("es", "en")]) == claims_digest(["mentor", ("en", "es")])
    assert claims_digest(["mentor", ("es",)]) != claims_digest(["mentor", ("es", "en")])
    assert claims_digest(["mentor", None]) == claims_digest(["mentor", ""])


def test_demo_profiles_are_never_near_duplicates_of_each_other():
    from matcher import ProfileRecord
    from webapp.demo.generator import generate_profiles

    records = [ProfileRecord.from_mapping({**p, "id": i}) for i, p in enumerate(
        generate_profiles(smes=400, mentors=200, buyers=150, seed=3), start=1)]
    bundle = build_bundle(records)
    for kind, role in (("sme", "mentorship"), ("mentor", "mentorship"), ("buyer", "trade")):
        arrays = encode_profiles(bundle.encoders, [r for r in records if r.kind == kind], kind)
        text = arrays.texts[role]
        assert not near_duplicates(arrays.claims, lambda rows, t=text: t[rows]).any()


# --- keyword stuffing -------------------------------------------------------------------------

def _stuffed(record, new_id):
    return _copy(record, new_id, expertise=NEED_CODES, languages=("en", "es", "fr"),
                 markets=("US", "MX", "CA", "GT", "DE"))


def test_claiming_every_need_does_not_beat_a_focused_true_match(sme, mentor):
    query = sme(needs=("certification", "logistics", "market_entry"))
    focused = mentor(expertise=("certification", "supply_chain"))  # one of the three needs
    stuffer = _stuffed(mentor(expertise=("certification",)), 90_200)
    bundle = build_bundle([query, focused, stuffer])
    index = CandidateIndex.build(bundle, "mentor", [focused, stuffer])
    assert _ids(rank(index, query, 2)) == [focused.id, stuffer.id]
    uncapped = ModelBundle.from_bytes(bundle.to_bytes())
    for name in ("needs", "countries"):
        uncapped.encoders[name].breadth = None
    plain = CandidateIndex.build(uncapped, "mentor", [focused, stuffer])
    assert _ids(rank(plain, query, 2)) == [stuffer.id, focused.id]  # what the cap prevents


def test_claims_beyond_the_breadth_share_its_credit(sme, mentor):
    query = sme(needs=NEED_CODES[:1], markets=("US", "MX"))
    bundle = build_bundle([query, mentor()])
    breadth = bundle.encoders["needs"].breadth
    expertise = [NEED_CODES[:n] for n in (1, breadth, breadth + 2, len(NEED_CODES))]
    mentors = [mentor(expertise=codes, markets=("US", "MX", "CA", "GT", "DE", "FR")[:n + 2])
               for n, codes in enumerate(expertise)]
    arrays = encode_profiles(bundle.encoders, mentors, "mentor", fmt="csc")
    q = encode_profiles(bundle.encoders, [query], "sme", roles=("mentorship",))
    factors = compute_factors(pairing_for("sme", "mentor"), q, arrays, bundle.encoders)
    n = np.array([len(codes) for codes in expertise])
    assert np.allclose(factors["needs"], np.sqrt(claim_credit(n, breadth)) / n, atol=1e-6)
    known = np.arange(len(mentors)) + 2
    markets_breadth = bundle.encoders["countries"].breadth
    assert np.allclose(factors["markets"], claim_credit(known, markets_breadth) / known)
    assert claim_credit(np.array([1, breadth, 14]), breadth).tolist() == [1, breadth, breadth]


def test_an_sme_claiming_every_market_gets_a_buyers_market_credit_once_shared(sme, buyer):
    honest, stuffer = sme(markets=("US",)), sme(markets=("US", "CA", "GT", "DE", "FR", "JP"))
    bundle = build_bundle([honest, stuffer, buyer()])
    arrays = encode_profiles(bundle.encoders, [honest, stuffer], "sme", fmt="csc")
    q = encode_profiles(bundle.encoders, [buyer()], "buyer", roles=("trade",))
    markets = compute_factors(pairing_for("buyer", "sme"), q, arrays, bundle.encoders)["markets"]
    assert markets.tolist() == pytest.approx([1.0, bundle.encoders["countries"].breadth / 6])


def test_a_stored_bundle_without_breadths_is_upgraded_to_the_caps(sme, mentor):
    bundle = build_bundle([sme(), mentor()])
    for name in ("needs", "countries"):
        bundle.encoders[name].breadth = None
    loaded = ModelBundle.from_bytes(bundle.to_bytes())
    assert loaded.encoders["needs"].breadth == 6 and loaded.encoders["countries"].breadth == 4


# --- languages per pattern (speed) ------------------------------------------------------------

def test_languages_scored_per_pattern_equal_the_direct_product(sme, mentor):
    languages = [("es",), ("en", "es"), ("fr", "en"), ("tzh", "es"), ("en",)]
    mentors = [mentor(languages=languages[i % len(languages)])
               for i in range(LANGUAGE_PATTERN_ROWS + 10)]
    bundle = build_bundle([sme(), *mentors[:5]])
    big = encode_profiles(bundle.encoders, mentors, "mentor", fmt="csc")
    pattern, rows = big.language_patterns
    assert rows.shape[0] == len(languages) and pattern.size == len(mentors)
    pairing = pairing_for("sme", "mentor")
    for spoken in (("es", "tzh"), ("fr",), ("en", "es", "fr")):
        q = encode_profiles(bundle.encoders, [sme(languages=spoken)], "sme",
                            roles=("mentorship",))
        fast = compute_factors(pairing, q, big, bundle.encoders)["language"]
        small = [compute_factors(pairing, q, big.take(np.arange(i, i + 5)), bundle.encoders)
                 ["language"] for i in range(0, 15, 5)]
        assert np.allclose(fast[:15], np.concatenate(small), atol=1e-6)
