"""Tests of matcher.reasons: a match carries its why as codes with parameters (no words)."""

from matcher import CandidateIndex, Reason, rank


def test_ranked_reasons_are_codes_with_json_ready_params(bundle, sme, mentor):
    index = CandidateIndex.build(bundle, "mentor", [mentor()])
    match = rank(index, sme())[0]
    codes = [r.code for r in match.reasons]
    assert "shared_language" in codes and "needs_covered" in codes
    assert all(isinstance(r, Reason) and isinstance(dict(r.params), dict) for r in match.reasons)
    languages = next(r for r in match.reasons if r.code == "shared_language")
    assert "es" in languages.params["languages"]
