"""Tests of matcher.factors: pairings and each factor's behaviour over candidates."""

import numpy as np
import pytest

from matcher import MENTORSHIP, TRADE, UnsupportedPairingError, pairing_for
from matcher.training import pair_features


def factors(bundle, query, candidates):
    """Return {factor: array over candidates} for ``query``."""
    pairing = pairing_for(query.kind, candidates[0].kind)
    matrix = pair_features(bundle, query, candidates)
    return {name: matrix[:, i] for i, name in enumerate(pairing.factors)}


@pytest.mark.parametrize(("query", "candidate", "pairing"), [
    ("sme", "mentor", MENTORSHIP), ("mentor", "sme", MENTORSHIP),
    ("sme", "buyer", TRADE), ("buyer", "sme", TRADE),
])
def test_pairings(query, candidate, pairing):
    assert pairing_for(query, candidate) is pairing


@pytest.mark.parametrize(("query", "candidate"), [
    ("sme", "sme"), ("mentor", "buyer"), ("buyer", "mentor"), ("mentor", "mentor"),
])
def test_unsupported_pairings(query, candidate):
    with pytest.raises(UnsupportedPairingError):
        pairing_for(query, candidate)


def test_factors_are_similarities_in_unit_interval(bundle, population):
    by_kind = {k: [p for p in population if p.kind == k] for k in ("sme", "mentor", "buyer")}
    for query_kind, candidate_kind in [("sme", "mentor"), ("mentor", "sme"), ("sme", "buyer"),
                                       ("buyer", "sme")]:
        for query in by_kind[query_kind]:
            for name, values in factors(bundle, query, by_kind[candidate_kind]).items():
                assert ((values >= 0) & (values <= 1 + 1e-6)).all(), name


def test_mentorship_is_symmetric(bundle, sme, mentor):
    a, b = sme(), mentor("monterrey", sectors=("336350",))
    forward = factors(bundle, a, [b])
    backward = factors(bundle, b, [a])
    for name in MENTORSHIP.factors:
        assert forward[name] == pytest.approx(backward[name], abs=1e-6), name


def test_trade_is_symmetric(bundle, sme, buyer):
    a = sme("hermosillo", sectors=("1112",), certifications=("PrimusGFS",))
    b = buyer(required_certifications=("PrimusGFS", "SQF"))
    forward, backward = factors(bundle, a, [b]), factors(bundle, b, [a])
    for name in TRADE.factors:
        assert forward[name] == pytest.approx(backward[name], abs=1e-6), name
    assert forward["needs"][0] == pytest.approx(0.5)


def test_sector_factor_orders_by_shared_depth(bundle, sme, mentor):
    query = sme(sectors=("336390",))
    values = factors(bundle, query, [mentor(sectors=s) for s in
                                     [("336390",), ("3363",), ("336",), ("31-33",), ("424480",)]])
    sector = values["sector"]
    assert sector[0] == pytest.approx(1.0)
    assert sector[0] > sector[1] > sector[2] > sector[3] > sector[4] == 0


def test_language_factor_is_shared_language(bundle, sme, mentor):
    values = factors(bundle, sme(languages=("es",)),
                     [mentor(languages=("es", "en")), mentor(languages=("en",)),
                      mentor(languages=())])
    assert values["language"].tolist() == [1.0, 0.0, 0.0]


def test_needs_factor_is_cosine_of_needs_and_expertise(bundle, sme, mentor):
    query = sme(needs=("certification", "logistics"))
    values = factors(bundle, query, [mentor(expertise=("certification", "logistics")),
                                     mentor(expertise=("certification",)),
                                     mentor(expertise=("financing",))])
    assert values["needs"] == pytest.approx([1.0, 1 / np.sqrt(2), 0.0])


def test_location_factor_decays_with_distance(bundle, sme, mentor):
    values = factors(bundle, sme(), [mentor("el_paso"), mentor("monterrey"), mentor("detroit"),
                                     mentor(latitude=None, longitude=None)])
    location = values["location"]
    assert location[0] > location[1] > location[2] > 0
    assert location[3] == 0.0


def test_cross_border_needs_another_country_in_the_query_markets(bundle, sme, mentor):
    candidates = [mentor("el_paso"), mentor("monterrey"), mentor("toronto")]
    targeting_us = factors(bundle, sme(markets=("US",)), candidates)
    no_markets = factors(bundle, sme(markets=()), candidates)
    assert targeting_us["cross_border"].tolist() == [1.0, 0.0, 0.0]
    assert no_markets["cross_border"].tolist() == [1.0, 0.0, 1.0]


def test_market_knowledge_covers_the_sme_targets(bundle, sme, mentor):
    values = factors(bundle, sme(markets=("US", "CA")),
                     [mentor(markets=("US", "CA")), mentor(markets=("US",)), mentor(markets=())])
    assert values["markets"].tolist() == pytest.approx([1.0, 0.5, 0.0])


def test_trade_markets_and_sourcing(bundle, sme, buyer):
    query = sme("hermosillo", markets=("US",))
    values = factors(bundle, query, [buyer(sourcing_countries=("MX",)),
                                     buyer("toronto", sourcing_countries=("US",)),
                                     buyer("monterrey", sourcing_countries=())])
    assert values["markets"].tolist() == [1.0, 0.0, 0.0]
    assert values["sourcing"].tolist() == [1.0, 0.0, 0.0]
    assert values["cross_border"].tolist() == [1.0, 0.0, 0.0]


def test_a_buyers_own_markets_are_not_where_it_buys_from(bundle, sme, buyer):
    # "Markets you sell in" on the buyer's form: selling in Mexico says nothing of buying there.
    query = sme("hermosillo", markets=("US",))
    values = factors(bundle, query, [buyer(sourcing_countries=("CA",), markets=("MX",)),
                                     buyer(sourcing_countries=(), markets=("MX",)),
                                     buyer(sourcing_countries=("MX",), markets=())])
    assert values["sourcing"].tolist() == [0.0, 0.0, 1.0]
    # Sourcing only from Canada refuses a Mexican SME; stating no sourcing country welcomes it.
    assert values["cross_border"].tolist() == [0.0, 1.0, 1.0]


def test_trade_needs_is_share_of_required_certifications_held_and_nothing_is_no_credit(
        bundle, sme, buyer):
    query = sme(certifications=("IATF 16949",))
    values = factors(bundle, query, [buyer(required_certifications=("IATF-16949",)),
                                     buyer(required_certifications=("IATF 16949", "Unheard")),
                                     buyer(required_certifications=("PrimusGFS",)),
                                     buyer(required_certifications=())])
    # A buyer requiring nothing gives no evidence: it must not beat one whose requirement
    # the SME meets (it used to score 1.0, the largest term of most trade matches).
    assert values["needs"].tolist() == pytest.approx([1.0, 0.5, 0.0, 0.0])
