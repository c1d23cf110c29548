"""Tests of matcher.reasons: a match carries its why as codes with parameters (no words)."""

import numpy as np
import scipy.sparse as sp

from matcher import CandidateIndex, Reason, build_bundle, rank
from matcher.reasons import column_values


def test_ranked_reasons_are_codes_with_json_ready_params(bundle, sme, mentor):
    index = CandidateIndex.build(bundle, "mentor", [mentor()])
    match = rank(index, sme())[0]
    codes = [r.code for r in match.reasons]
    assert "shared_language" in codes and "needs_covered" in codes
    assert all(isinstance(r, Reason) and isinstance(dict(r.params), dict) for r in match.reasons)
    languages = next(r for r in match.reasons if r.code == "shared_language")
    assert "es" in languages.params["languages"]


def test_column_values_reads_what_the_matrix_holds():
    rng = np.random.default_rng(3)
    dense = rng.random((40, 12)).astype(np.float32) * (rng.random((40, 12)) < 0.3)
    dense[:, 4] = 0.0  # a column with nothing stored
    dense[39, 7] = 0.5  # the last row, at the end of its column
    matrix = sp.csc_matrix(dense)
    columns = np.array([7, 4, 0, 11, 7])
    rows = np.array([39, 0, 17, 5, 17, 38])  # out of order, one twice
    assert np.array_equal(column_values(matrix, columns, rows), dense[rows][:, columns])
    assert column_values(matrix, columns[:0], rows).shape == (6, 0)
    empty = sp.csc_matrix((40, 12), dtype=np.float32)
    assert not column_values(empty, columns, rows).any()


def test_a_virtual_mentor_ranking_smes_is_told_it_mentors_online(sme, mentor):
    far = sme("juarez")
    near = sme("toronto")
    virtual = mentor("toronto", mode="virtual", languages=("es", "en"))
    bundle = build_bundle([far, near, virtual])
    index = CandidateIndex.build(bundle, "sme", [far, near])
    by_id = {m.profile_id: [r.code for r in m.reasons] for m in rank(index, virtual, k=2)}
    assert "online_mentoring" in by_id[far.id] and "nearby" not in by_id[far.id]
    assert "nearby" in by_id[near.id] and "online_mentoring" not in by_id[near.id]


def test_a_distance_is_told_once(bundle, sme, mentor):
    """Across the border and nearby: the distance is the nearby reason's, not said twice."""
    query = sme()  # Ciudad Juárez
    near, far = mentor(), mentor("detroit")  # El Paso, across the river; Detroit, ~2,300 km
    matches = {m.profile_id: {r.code: dict(r.params) for r in m.reasons}
               for m in rank(CandidateIndex.build(bundle, "mentor", [near, far]), query, k=2)}
    close = matches[near.id]
    assert close["nearby"]["km"] < 20
    assert close["cross_border"] == {"from": "MX", "to": "US"}
    distant = matches[far.id]
    assert "nearby" not in distant
    assert distant["cross_border"]["km"] > 2000 and distant["cross_border"]["to"] == "US"


def test_a_sector_reason_names_the_deepest_code_shared(sme, mentor):
    """The SME's code shares every level with the mentor's; the reason names the deepest."""
    query, same = sme(sectors=("336390",)), mentor(sectors=("336390",))
    bundle = build_bundle([query, same, mentor(sectors=("3363",))])
    [match] = rank(CandidateIndex.build(bundle, "mentor", [same]), query, k=1)
    [sector] = [r for r in match.reasons if r.code == "shared_sector"]
    assert sector.params["code"] == "336390"
    assert sector.params["title"] == "Other Motor Vehicle Parts Manufacturing"


def test_text_reasons_quote_shared_words_never_generic_ones(sme, mentor):
    """Each match quotes the query's words it shares, as the query wrote them; a generic word
    ("certificación") is never quoted, so it does not score either."""
    query = sme(needs_text="Certificación de arneses y cableado automotriz",
                products_text="Arneses eléctricos")
    wiring = mentor(bio="Arneses y cableado: auditorías de calidad, certificación")
    generic = mentor(bio="Sistemas para autos, certificación")
    bundle = build_bundle([query, wiring, generic])
    matches = {m.profile_id: m
               for m in rank(CandidateIndex.build(bundle, "mentor", [wiring, generic]), query,
                             k=2)}
    terms = {i: next((r.params["terms"] for r in m.reasons if r.code == "text_overlap"), [])
             for i, m in matches.items()}
    assert sorted(terms[wiring.id]) == ["arneses", "cableado"]
    assert matches[generic.id].contributions["text"] == 0.0 and terms[generic.id] == []
