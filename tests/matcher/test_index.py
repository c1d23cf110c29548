"""Tests of matcher.index: building, incremental upsert/remove, compaction."""

import dataclasses

import numpy as np
import pytest

from matcher import CandidateIndex, InvalidRecordError, rank


def ranked(index, query, **options):
    """Return (id, rounded score) of every candidate ranked for ``query``."""
    return [(m.profile_id, round(m.score, 5)) for m in rank(index, query, k=50, **options)]


def test_build_keeps_only_eligible_profiles(bundle, mentor):
    keep = mentor()
    others = [mentor(active=False), mentor(paused=True), mentor(capacity_left=0)]
    index = CandidateIndex.build(bundle, "mentor", [keep, *others])
    assert len(index) == 1
    assert index.ids_.tolist() == [keep.id]
    assert keep.id in index and others[0].id not in index


def test_build_keeps_the_last_duplicate(bundle, mentor):
    first = mentor()
    second = dataclasses.replace(first, languages=("fr",))
    index = CandidateIndex.build(bundle, "mentor", [first, second])
    assert len(index) == 1
    languages = index.segments[0].arrays.languages
    assert bundle.encoders["languages"].decode(languages.tocsr()[0].indices) == ("fr",)


def test_build_rejects_other_kinds(bundle, mentor, sme):
    with pytest.raises(InvalidRecordError):
        CandidateIndex.build(bundle, "mentor", [mentor(), sme()])
    with pytest.raises(InvalidRecordError):
        CandidateIndex(bundle, "coordinator")


def test_upserted_profile_shows_in_the_next_ranking(bundle, sme, mentor):
    query = sme()
    index = CandidateIndex.build(bundle, "mentor", [mentor("detroit", languages=("es",))])
    newcomer = mentor()
    generation = index.generation
    index.upsert([newcomer])
    assert index.generation > generation
    assert rank(index, query, k=1)[0].profile_id == newcomer.id


def test_edited_profile_is_ranked_with_its_new_values(bundle, sme, mentor):
    query = sme(languages=("es",))
    speaker = mentor(languages=("es",))
    index = CandidateIndex.build(bundle, "mentor", [speaker])
    assert [m.profile_id for m in rank(index, query)] == [speaker.id]
    index.upsert([dataclasses.replace(speaker, languages=("en",))])
    assert rank(index, query) == []
    assert len(index) == 1


@pytest.mark.parametrize("change", [{"active": False}, {"paused": True}, {"capacity_left": 0}])
def test_profile_made_ineligible_disappears(bundle, sme, mentor, change):
    target = mentor()
    index = CandidateIndex.build(bundle, "mentor", [target, mentor("monterrey")])
    index.upsert([dataclasses.replace(target, **change)])
    assert target.id not in [m.profile_id for m in rank(index, sme())]
    assert target.id not in index


def test_removed_profile_disappears(bundle, sme, mentor):
    a, b = mentor(), mentor("monterrey")
    index = CandidateIndex.build(bundle, "mentor", [a, b])
    assert index.remove([a.id, 123456789]) == 1
    assert [m.profile_id for m in rank(index, sme())] == [b.id]
    assert index.remove([a.id]) == 0


def test_upsert_rejects_other_kinds(bundle, sme):
    index = CandidateIndex(bundle, "mentor")
    with pytest.raises(InvalidRecordError):
        index.upsert([sme()])


@pytest.mark.parametrize("delta_limit", [None, 2])
def test_incremental_changes_equal_a_fresh_build(bundle, sme, mentor, delta_limit):
    rng = np.random.default_rng(7)
    cities = ["juarez", "el_paso", "monterrey", "detroit", "montreal", "toronto"]
    languages = [("es",), ("en",), ("es", "en"), ("fr", "en")]
    needs = [("certification",), ("logistics",), ("certification", "market_entry")]

    def random_mentor(profile_id=None):
        record = mentor(str(rng.choice(cities)), languages=languages[rng.integers(4)],
                        expertise=needs[rng.integers(3)],
                        capacity_left=int(rng.integers(0, 3)))
        return record if profile_id is None else dataclasses.replace(record, id=profile_id)

    current = {r.id: r for r in (random_mentor() for _ in range(30))}
    index = CandidateIndex.build(bundle, "mentor", current.values(), delta_limit=delta_limit)
    for _ in range(40):
        action = rng.integers(3)
        if action == 0:
            record = random_mentor()
        elif action == 1:
            record = random_mentor(int(rng.choice(list(current))))
        else:
            gone = int(rng.choice(list(current)))
            index.remove([gone])
            current.pop(gone)
            continue
        index.upsert([record])
        current[record.id] = record
    fresh = CandidateIndex.build(bundle, "mentor", current.values())
    assert index.ids_.tolist() == fresh.ids_.tolist()
    for query in [sme(), sme("montreal", languages=("fr",)), sme("detroit", markets=())]:
        assert ranked(index, query, language_required=False) == ranked(
            fresh, query, language_required=False)
        assert ranked(index, query, cross_border="prefer") == ranked(
            fresh, query, cross_border="prefer")


def test_compaction_merges_the_delta(bundle, mentor):
    index = CandidateIndex.build(bundle, "mentor", [mentor() for _ in range(3)], delta_limit=1)
    index.upsert([mentor()])
    assert len(index.segments) == 2
    index.upsert([mentor()])
    assert len(index.segments) == 1
    assert len(index) == 5


def test_segments_of_one_and_two_words_of_codes_merge_and_rank_as_a_fresh_build(sme,
                                                                                  buyer):
    from matcher import build_bundle

    bundle = build_bundle([sme(), buyer()])  # its own: the certifications grow below
    narrow = [buyer(required_certifications=("SQF",)) for _ in range(3)]
    wide = [buyer(required_certifications=tuple(f"Scheme {i}" for i in range(70)) + ("SQF",)),
            buyer(required_certifications=("Scheme 69",))]
    index = CandidateIndex.build(bundle, "buyer", narrow, delta_limit=10)
    index.upsert(wide)
    base, delta = index.segments
    assert base.arrays.certs.ndim == 1 and delta.arrays.certs.shape[1] == 2
    query = sme(certifications=("SQF", "Scheme 69"))
    before = ranked(index, query)
    index.compact()
    assert index.segments[0].arrays.certs.shape == (5, 2)
    assert ranked(index, query) == before == ranked(
        CandidateIndex.build(bundle, "buyer", narrow + wide), query)
    scores = {m.profile_id: m.factors["needs"] for m in rank(index, query, k=5)}
    assert scores[wide[1].id] == 1.0 and scores[narrow[0].id] == 1.0
    assert scores[wide[0].id] == pytest.approx(2 / 71)


def test_index_reports_its_memory(bundle, mentor):
    index = CandidateIndex.build(bundle, "mentor", [mentor() for _ in range(10)])
    before = index.nbytes
    index.upsert([mentor() for _ in range(10)])
    assert 0 < before < index.nbytes


def test_empty_index_ranks_nothing(bundle, sme):
    assert rank(CandidateIndex(bundle, "mentor"), sme()) == []


def test_a_repeated_query_ranks_the_same_and_a_changed_one_afresh(bundle, mentor, sme):
    """Encoded queries are kept per record: the same record ranks as before (its arrays are
    not changed by ranking), an edited one is encoded again."""
    near = mentor(languages=("es",), sectors=("336390",))
    far = mentor(languages=("fr",), sectors=("541611",), city="montreal")
    index = CandidateIndex.build(bundle, "mentor", [near, far])
    query = sme(languages=("es",), sectors=("336390",))
    first = ranked(index, query)
    assert ranked(index, query) == first == ranked(index, dataclasses.replace(query))
    assert index.encode_query(query) is index.encode_query(dataclasses.replace(query))
    french = dataclasses.replace(query, languages=("fr",), sectors=("541611",))
    assert index.encode_query(french) is not index.encode_query(query)
    fresh = CandidateIndex.build(bundle, "mentor", [near, far])
    assert ranked(index, french) == ranked(fresh, french)
    assert [pid for pid, _ in ranked(index, french)] != [pid for pid, _ in first]
