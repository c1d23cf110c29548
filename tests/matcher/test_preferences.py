"""Every stated preference counts, and explanations follow what moved the score (issue 13)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from matcher import CandidateIndex, ModelBundle, build_bundle, explain_pairs, rank
from matcher.reasons import MIN_CONTRIBUTION
from webapp.catalogue import render_reason


def _codes(match):
    return [reason.code for reason in match.reasons]


# --- unseen codes -------------------------------------------------------------------------

def test_a_language_unseen_when_the_index_was_built_is_still_required_exactly(sme, mentor):
    speakers = [mentor(languages=("es", "en")) for _ in range(5)]
    bundle = build_bundle([sme(), *speakers])
    index = CandidateIndex.build(bundle, "mentor", speakers)
    tzeltal = mentor(languages=("tzh", "es"))
    index.upsert([tzeltal])  # written after start-up, through the change feed
    query = sme(languages=("tzh",))
    matches = rank(index, query, k=10)
    assert [m.profile_id for m in matches] == [tzeltal.id]
    assert matches[0].reasons[0].params.get("languages") == ["tzh"] or any(
        r.code == "shared_language" and r.params["languages"] == ["tzh"]
        for r in matches[0].reasons)


def test_a_stored_bundle_compares_codes_unseen_at_fit_time(sme, mentor):
    bundle = ModelBundle.from_bytes(build_bundle([sme(), mentor()]).to_bytes())
    fresh = mentor(languages=("zap",), sectors=("111219",))
    other = mentor(languages=("es",), sectors=("111219",))
    index = CandidateIndex.build(bundle, "mentor", [fresh, other])
    matches = rank(index, sme(languages=("zap",), sectors=("111219",)), k=5)
    assert [m.profile_id for m in matches] == [fresh.id]
    assert matches[0].factors["sector"] == pytest.approx(1.0)


def test_a_certification_unseen_at_fit_time_is_credited(sme, buyer):
    bundle = build_bundle([sme(), buyer()])
    holder = sme(certifications=("Fair Trade USA",))
    lacking = sme(certifications=())
    index = CandidateIndex.build(bundle, "sme", [holder, lacking])
    matches = rank(index, buyer(required_certifications=("Fair-Trade USA",)), k=2)
    by_id = {m.profile_id: m for m in matches}
    assert by_id[holder.id].factors["needs"] == 1.0
    assert by_id[lacking.id].factors["needs"] == 0.0
    assert matches[0].profile_id == holder.id


def _crowd(buyer, n_buyers: int = 3, each: int = 30):
    """Buyers requiring ``each`` distinct certifications apiece, none shared (90: more
    than one 64-bit word of codes)."""
    return [buyer(required_certifications=tuple(f"Scheme {b}-{i}" for i in range(each)))
            for b in range(n_buyers)]


def test_a_share_of_the_required_certifications_is_told_as_a_share(sme, buyer):
    """A buyer requiring two schemes, an SME holding one: the reason says one of two, never
    "holds the certifications you require"; holding both says so."""
    bundle = build_bundle([sme(), buyer()])
    both = buyer(required_certifications=("ISO 9001", "IATF 16949"))
    part, whole = sme(certifications=("ISO 9001",)), sme(certifications=("ISO 9001", "IATF 16949"))
    smes = CandidateIndex.build(bundle, "sme", [part, whole])
    seen = {m.profile_id: m for m in rank(smes, both, k=2)}
    [partly] = [r for r in seen[part.id].reasons if "certifications" in r.params]
    assert partly.code == "certifications_partly_held"
    assert partly.params == {"certifications": ["ISO 9001"], "count": 1, "total": 2}
    [fully] = [r for r in seen[whole.id].reasons if "certifications" in r.params]
    assert fully.code == "certifications_held" and len(fully.params["certifications"]) == 2
    buyers = CandidateIndex.build(bundle, "buyer", [both])
    [mirrored] = [r for m in rank(buyers, part, k=1) for r in m.reasons
                  if "certifications" in r.params]
    assert mirrored.code == "requirements_partly_met"


def test_a_certification_beyond_64_distinct_ones_is_still_credited(sme, buyer):
    bundle = build_bundle([sme(), buyer()])
    buyers = CandidateIndex.build(bundle, "buyer", [buyer()])
    buyers.upsert(_crowd(buyer))  # 90 new certifications, through the change feed
    holder, lacking = sme(certifications=("OU Kosher",)), sme(certifications=("ISO 9001",))
    smes = CandidateIndex.build(bundle, "sme", [sme()])
    smes.upsert([holder, lacking])
    kosher = buyer(required_certifications=("OU Kosher",))
    matches = {m.profile_id: m for m in rank(smes, kosher, k=3)}
    assert matches[holder.id].factors["needs"] == 1.0
    assert matches[lacking.id].factors["needs"] == 0.0
    assert any(r.code == "certifications_held" and r.params["certifications"] == ["OU Kosher"]
               for r in matches[holder.id].reasons)
    buyers.upsert([kosher])
    seen = {m.profile_id: m for m in rank(buyers, holder, k=10)}
    assert seen[kosher.id].factors["needs"] == 1.0
    assert any(r.code == "requirements_met" for r in seen[kosher.id].reasons)


def test_codes_beyond_64_compare_exactly_in_an_index_built_with_them(sme, buyer):
    crowd = _crowd(buyer)
    bundle = build_bundle([sme(), *crowd])  # all 90 codes fitted: wide masks from the start
    holder = sme(certifications=("Scheme 2-29", "Scheme 0-0"))
    matches = {m.profile_id: m
               for m in rank(CandidateIndex.build(bundle, "buyer", crowd), holder, k=3)}
    assert matches[crowd[2].id].factors["needs"] == pytest.approx(1 / 30)
    assert matches[crowd[0].id].factors["needs"] == pytest.approx(1 / 30)
    assert matches[crowd[1].id].factors["needs"] == 0.0


def _world(n: int = 70) -> list[str]:
    from matcher import taxonomy as tx
    codes = [c["code"] for c in tx.countries()]
    return [c for c in codes if c not in ("US", "MX", "CA")][:n]


def test_markets_and_countries_beyond_64_still_match(sme, mentor):
    world = _world()
    bundle = build_bundle([sme(), mentor()])
    index = CandidateIndex.build(bundle, "mentor", [mentor()])
    index.upsert([mentor(markets=tuple(world[i:i + 10])) for i in range(0, 69, 10)])
    last = world[-1]
    knows = mentor(markets=(last, "US"))
    abroad = mentor(city="toronto", country=last, languages=("es",))
    index.upsert([knows, abroad])
    query = sme(markets=(last,))
    matches = {m.profile_id: m for m in rank(index, query, k=20)}
    assert matches[knows.id].factors["markets"] == 1.0
    assert any(r.code == "knows_markets" and r.params["markets"] == [last]
               for r in matches[knows.id].reasons)
    assert matches[abroad.id].factors["cross_border"]
    assert [m.profile_id for m in rank(index, query, k=5, country=last)] == [abroad.id]


# --- mentor mode --------------------------------------------------------------------------

def test_a_virtual_mentor_far_away_outranks_an_in_person_twin(sme, mentor):
    in_person = mentor("toronto", mode="in_person", languages=("es", "en"))
    virtual = dataclasses.replace(in_person, id=in_person.id + 50_000, mode="virtual")
    bundle = build_bundle([sme(), in_person, virtual])
    index = CandidateIndex.build(bundle, "mentor", [in_person, virtual])
    first, second = rank(index, sme("juarez"), k=2)
    assert (first.profile_id, second.profile_id) == (virtual.id, in_person.id)
    assert first.score > second.score
    assert "meets_online" in _codes(first) and "nearby" not in _codes(second)
    assert render_reason(first.reasons[_codes(first).index("meets_online")], "es") == (
        "Da mentoría en línea: la distancia no es un obstáculo")


def test_nearby_an_in_person_mentor_keeps_its_proximity(sme, mentor):
    near = mentor("el_paso", mode="in_person")
    far_virtual = mentor("toronto", mode="virtual")
    bundle = build_bundle([sme(), near, far_virtual])
    index = CandidateIndex.build(bundle, "mentor", [near, far_virtual])
    first, _ = rank(index, sme("juarez"), k=2)
    assert first.profile_id == near.id and "nearby" in _codes(first)


# --- languages ----------------------------------------------------------------------------

def test_sharing_an_indigenous_language_breaks_the_tie_with_a_spanish_only_twin(sme, mentor):
    spanish = mentor(languages=("es",))
    zapotec = dataclasses.replace(spanish, id=spanish.id + 50_000, languages=("es", "zap"))
    query = sme(languages=("es", "zap"))
    bundle = build_bundle([query, spanish, zapotec])
    index = CandidateIndex.build(bundle, "mentor", [spanish, zapotec])
    first, second = rank(index, query, k=2)
    assert (first.profile_id, second.profile_id) == (zapotec.id, spanish.id)
    assert first.factors["language"] > second.factors["language"] > 0
    [shared] = [r for r in first.reasons if r.code == "shared_language"]
    assert shared.params["languages"] == ["es", "zap"]


def test_the_preferred_language_counts_more_than_a_second_one(sme, mentor):
    english = mentor(languages=("en",))
    french = dataclasses.replace(english, id=english.id + 50_000, languages=("fr",))
    query = sme(languages=("fr", "en"))
    bundle = build_bundle([query, english, french])
    index = CandidateIndex.build(bundle, "mentor", [english, french])
    assert [m.profile_id for m in rank(index, query, k=2)] == [french.id, english.id]


def test_the_language_factor_is_the_same_whichever_side_asks(sme, mentor):
    query, partner = sme(languages=("es", "zap")), mentor(languages=("zap",))
    bundle = build_bundle([query, partner])
    [forward] = explain_pairs(bundle, [query], [partner])
    [backward] = explain_pairs(bundle, [partner], [query])
    assert forward.factors["language"] == pytest.approx(backward.factors["language"])


# --- buyer requirements -------------------------------------------------------------------

def test_a_buyer_stating_no_requirement_does_not_beat_one_the_sme_meets(sme, buyer):
    query = sme("hermosillo", certifications=("ISO 9001",), sectors=("424480",))
    silent = buyer(required_certifications=())
    stating = dataclasses.replace(silent, id=silent.id + 50_000,
                                  required_certifications=("ISO 9001",))
    bundle = build_bundle([query, silent, stating])
    index = CandidateIndex.build(bundle, "buyer", [silent, stating])
    first, second = rank(index, query, k=2)
    assert (first.profile_id, second.profile_id) == (stating.id, silent.id)
    assert second.factors["needs"] == 0.0
    assert "requirements_met" in _codes(first)


# --- diversity goals ----------------------------------------------------------------------

def test_a_diversity_goal_counts_only_for_an_sme_that_declared_the_group(sme, buyer):
    women = sme("hermosillo", ownership=("women",))
    undeclared = dataclasses.replace(women, id=women.id + 50_000, ownership=())
    goal = buyer(diversity_goals=("women", "indigenous"))
    bundle = build_bundle([women, undeclared, goal])
    index = CandidateIndex.build(bundle, "sme", [women, undeclared])
    first, second = rank(index, goal, k=2)
    assert (first.profile_id, second.profile_id) == (women.id, undeclared.id)
    assert first.factors["diversity"] == 1.0 and second.factors["diversity"] == 0.0
    assert "meets_diversity_goal" in _codes(first)
    assert not any(r.code.startswith(("meets_div", "seeks_sup")) for r in second.reasons)
    [toward_sme] = explain_pairs(bundle, [women], [goal])
    assert "seeks_suppliers_like_you" in _codes(toward_sme)
    assert render_reason(toward_sme.reasons[_codes(toward_sme).index(
        "seeks_suppliers_like_you")], "en") == (
        "This buyer seeks suppliers like you (supplier-diversity goal)")


def test_a_buyer_without_goals_ranks_declared_and_undeclared_smes_alike(sme, buyer):
    women = sme("hermosillo", ownership=("women",))
    undeclared = dataclasses.replace(women, id=women.id + 50_000, ownership=())
    plain = buyer()
    bundle = build_bundle([women, undeclared, plain])
    index = CandidateIndex.build(bundle, "sme", [women, undeclared])
    first, second = rank(index, plain, k=2)
    assert first.score == pytest.approx(second.score)


# --- text reasons and titles --------------------------------------------------------------

def test_text_reasons_quote_the_requesters_words_with_accents_and_no_generic_ones(sme, mentor):
    query = sme(needs_text="Certificación de inocuidad alimentaria para exportación de "
                           "chile habanero; negocio familiar", languages=("es",))
    partner = mentor(bio="Inocuidad alimentaria, exportación, chile habanero, business",
                     languages=("es",))
    bundle = build_bundle([query, partner, mentor(bio="Logística y aduanas")])
    [match] = explain_pairs(bundle, [query], [partner])
    [text] = [r for r in match.reasons if r.code == "text_overlap"]
    assert text.params["terms"]
    written = query.needs_text.lower()
    assert all(term in written for term in text.params["terms"])
    assert not {"negocio", "business", "certificación", "certification"} & set(
        text.params["terms"])


GENERIC_NEEDS = ("Business certification for our company products and services; support with "
                 "market experience.")
GENERIC_BIO = ("Business certification, company products and services, market support and "
               "years of experience.")


def test_words_a_reason_may_not_quote_do_not_move_the_text_score(sme, mentor):
    query = sme("juarez", languages=("es", "en"), needs_text=GENERIC_NEEDS, description="")
    far = mentor("montreal", languages=("en",), bio=GENERIC_BIO, description="")
    others = [mentor("detroit", bio=bio) for bio in (
        "Cold chain logistics for fresh produce", "Tooling and die design",
        "Export financing and letters of credit")]
    bundle = build_bundle([query, far, *others])
    [match] = explain_pairs(bundle, [query], [far])
    assert match.factors["text"] == 0.0
    assert "text_overlap" not in _codes(match)
    _assert_every_large_contribution_has_its_reason(match)


def test_a_specific_word_beside_generic_ones_moves_the_score_and_is_quoted(sme, mentor):
    query = sme(needs_text=GENERIC_NEEDS + " Marketing of habanero sauces.", description="")
    partner = mentor(bio=GENERIC_BIO + " Marketing habanero products.", description="")
    bundle = build_bundle([query, partner, mentor(bio="Tooling and die design")])
    [match] = explain_pairs(bundle, [query], [partner])
    [text] = [r for r in match.reasons if r.code == "text_overlap"]
    assert set(text.params["terms"]) == {"marketing", "habanero"}
    _assert_every_large_contribution_has_its_reason(match)


def _assert_every_large_contribution_has_its_reason(match) -> None:
    for name, value in match.contributions.items():
        if value >= MIN_CONTRIBUTION and "*" not in name:
            assert any(_REASON_OF[name](code) for code in _codes(match)), (
                name, value, match.reasons)


def test_a_spanish_sector_reason_never_shows_an_english_title(sme, mentor):
    query, partner = sme(sectors=("336390",)), mentor(sectors=("336390",))
    bundle = build_bundle([query, partner])
    [match] = explain_pairs(bundle, [query], [partner])
    [sector] = [r for r in match.reasons if r.code == "shared_sector"]
    assert render_reason(sector, "es") == "Mismo sector: Fabricación de equipo de transporte"
    assert "Manufacturing" not in render_reason(sector, "fr")


# --- faithful explanations ----------------------------------------------------------------

def _random_population(sme, mentor, buyer, n: int, seed: int):
    rng = np.random.default_rng(seed)
    cities = ["juarez", "el_paso", "monterrey", "detroit", "montreal", "toronto", "nogales",
              "hermosillo"]
    sectors = ["336390", "3363", "111219", "424480", "311421", "541330", "1112"]
    certs = ["ISO 9001", "SQF", "IATF 16949", "PrimusGFS"]
    languages = [("es",), ("en",), ("es", "en"), ("fr", "en"), ("es", "zap")]
    words = ("tomate chile aguacate autopartes arneses inyección calidad exportación logística "
             "business empresa certification products servicios market experience")

    def pick(options, size):
        return tuple(rng.choice(options, size=size, replace=False).tolist())

    def common():
        return {"sectors": pick(sectors, 1), "languages": languages[rng.integers(5)],
                "markets": pick(["US", "CA", "MX"], rng.integers(0, 3))}

    text = lambda: " ".join(pick(words.split(), 3))  # noqa: E731
    smes = [sme(str(rng.choice(cities)), **common(), certifications=pick(certs, rng.integers(3)),
                products_text=text(), needs_text=text(),
                ownership=pick(["women", "indigenous"], rng.integers(0, 2)))
            for _ in range(n)]
    buyers = [buyer(str(rng.choice(cities)), **common(), products_text=text(),
                    required_certifications=pick(certs, rng.integers(3)),
                    sourcing_countries=pick(["US", "CA", "MX"], rng.integers(0, 3)),
                    diversity_goals=pick(["women", "indigenous"], rng.integers(0, 2)))
              for _ in range(n)]
    mentors = [mentor(str(rng.choice(cities)), **common(), bio=text(),
                      mode=str(rng.choice(["virtual", "in_person", "both"])))
               for _ in range(n)]
    return smes, buyers, mentors


@pytest.mark.parametrize(("query_kind", "candidate_kind"),
                         [("sme", "buyer"), ("buyer", "sme"), ("sme", "mentor"),
                          ("mentor", "sme")])
def test_reasons_follow_the_contributions_that_moved_the_score(sme, mentor, buyer, query_kind,
                                                               candidate_kind):
    smes, buyers, mentors = _random_population(sme, mentor, buyer, 40, seed=13)
    pools = {"sme": smes, "buyer": buyers, "mentor": mentors}
    bundle = build_bundle(smes + buyers + mentors)
    index = CandidateIndex.build(bundle, candidate_kind, pools[candidate_kind])
    checked = 0
    for query in pools[query_kind][:15]:
        for match in rank(index, query, k=5, language_required=False):
            explained = [r for r in match.reasons]
            large = sorted((v, name) for name, v in match.contributions.items()
                           if v >= MIN_CONTRIBUTION and "*" not in name)
            # Every large contribution has a reason; the top reason is the largest one's.
            assert len(explained) >= len(large)
            _assert_every_large_contribution_has_its_reason(match)
            if large:
                checked += 1
                top = large[-1][1]
                assert _REASON_OF[top](explained[0].code), (top, explained, match.contributions)
    assert checked >= 20


_REASON_OF = {
    "sector": lambda code: code == "shared_sector",
    "language": lambda code: code == "shared_language",
    "needs": lambda code: code in ("needs_covered", "needs_expertise", "requirements_met",
                                   "certifications_held", "requirements_partly_met",
                                   "certifications_partly_held"),
    "text": lambda code: code == "text_overlap",
    "location": lambda code: code in ("nearby", "meets_online", "online_mentoring"),
    "cross_border": lambda code: code == "cross_border",
    "markets": lambda code: code in ("knows_markets", "targets_known_markets",
                                     "in_target_market", "targets_your_country"),
    "sourcing": lambda code: code in ("sources_from_your_country", "in_sourcing_country"),
    "diversity": lambda code: code in ("seeks_suppliers_like_you", "meets_diversity_goal"),
}


def test_a_reciprocal_contribution_is_what_the_term_moved_the_harmonic_mean_by(sme, buyer):
    query = sme("hermosillo", sectors=("424480",), markets=("US",))
    partner = buyer(sectors=("424480",), sourcing_countries=("MX",))
    bundle = build_bundle([query, partner])
    [match] = explain_pairs(bundle, [query], [partner])
    scorers = [bundle.scorers["trade_buyer"], bundle.scorers["trade_sme"]]
    without = {**match.factors, "sector": 0.0}
    p = [1 / (1 + np.exp(-(s.intercept_ + sum(s.contributions(without).values()))))
         for s in scorers]
    score_without = 2 * p[0] * p[1] / (p[0] + p[1])

    def logit(x):
        return np.log(x / (1 - x))

    moved = logit(match.score) - logit(score_without)
    # sector also enters through interactions: removing the whole factor moves at least as much
    assert match.contributions["sector"] <= moved + 1e-6
    assert match.contributions["sector"] > 0
