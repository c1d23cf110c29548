"""Tests of webapp.catalogue.reasons: the matcher's reason codes rendered in en/es/fr."""

import pytest

from matcher import Reason
from webapp.catalogue import reason_payload, render_reason
from webapp.catalogue.reasons import (
    MIRRORED,
    STAFF_TEMPLATES,
    TEMPLATES,
    UnknownReasonError,
    for_target,
)

SAMPLE_PARAMS = {
    "shared_language": {"languages": ["es"]},
    "shared_sector": {"code": "3363", "title": "Motor Vehicle Parts Manufacturing"},
    "needs_covered": {"needs": ["certification", "logistics"]},
    "needs_expertise": {"needs": ["financing"]},
    "certifications_held": {"certifications": ["IATF 16949"]},
    "requirements_met": {"certifications": ["PrimusGFS", "SQF"]},
    "certifications_partly_held": {"certifications": ["ISO 9001"], "count": 1, "total": 2},
    "requirements_partly_met": {"certifications": ["SQF"], "count": 1, "total": 3},
    "text_overlap": {"terms": ["ppap", "tier"]},
    "nearby": {"km": 12},
    "cross_border": {"from": "MX", "to": "US", "km": 12},
    "knows_markets": {"markets": ["US", "CA"]},
    "targets_known_markets": {"markets": ["MX"]},
    "in_target_market": {"country": "US"},
    "targets_your_country": {"country": "CA"},
    "sources_from_your_country": {"country": "MX"},
    "in_sourcing_country": {"country": "MX"},
    "meets_online": {"km": 3500},
    "online_mentoring": {"km": None},
    "seeks_suppliers_like_you": {"groups": ["women"]},
    "meets_diversity_goal": {"groups": ["indigenous"]},
}


@pytest.mark.parametrize(("locale", "message"), [
    ("en", "Speaks Spanish like you"),
    ("es", "Habla español, como usted"),
    ("fr", "Parle espagnol, comme vous"),
])
def test_shared_language_in_three_languages(locale, message):
    assert render_reason(Reason("shared_language", {"languages": ["es"]}), locale) == message


@pytest.mark.parametrize(("locale", "message"), [
    ("en", "Speaks English and French like you"),
    ("es", "Habla inglés y francés, como usted"),
    ("fr", "Parle anglais et français, comme vous"),
])
def test_languages_are_joined_per_locale(locale, message):
    assert render_reason(Reason("shared_language", {"languages": ["en", "fr"]}),
                         locale) == message


@pytest.mark.parametrize(("locale", "label"), [
    ("en", "Quality certification & standards"),
    ("es", "Certificación de calidad y normas"),
    ("fr", "Certification qualité et normes"),
])
def test_needs_are_translated(locale, label):
    message = render_reason(Reason("needs_covered", {"needs": ["certification"]}), locale)
    assert label in message


def test_sector_title_is_translated_where_the_taxonomy_has_one():
    reason = Reason("shared_sector", {"code": "311", "title": "Food Manufacturing"})
    assert render_reason(reason, "en") == "Same industry: Food Manufacturing"
    assert render_reason(reason, "es") == "Mismo sector: Industria alimentaria"


def test_cross_border_names_countries_and_distance():
    reason = Reason("cross_border", {"from": "MX", "to": "US", "km": 1234})
    assert render_reason(reason, "en") == "Across the border: Mexico → United States (1,234 km)"
    assert "México → Estados Unidos" in render_reason(reason, "es")
    assert "Mexique → États-Unis" in render_reason(reason, "fr")
    unlocated = Reason("cross_border", {"from": "MX", "to": "US", "km": None})
    assert render_reason(unlocated, "en") == "Across the border: Mexico → United States"


@pytest.mark.parametrize("code", sorted(TEMPLATES))
@pytest.mark.parametrize("locale", ["en", "es", "fr"])
def test_every_reason_renders_in_every_locale(code, locale):
    message = render_reason(Reason(code, SAMPLE_PARAMS[code]), locale)
    assert message and "{" not in message


def test_regional_locales_fall_back_to_their_language():
    reason = Reason("nearby", {"km": 12})
    assert render_reason(reason, "es-MX") == "A unos 12 km de distancia"
    assert render_reason(reason, "fr_CA") == "À environ 12 km"
    assert render_reason(reason, "de") == "About 12 km away"


def test_unknown_reason_code_is_an_error():
    with pytest.raises(UnknownReasonError):
        render_reason(Reason("telepathy", {}), "en")


def test_payload_for_the_api():
    payload = reason_payload(Reason("nearby", {"km": 3}), "fr")
    assert payload == {"code": "nearby", "params": {"km": 3}, "message": "À environ 3 km"}


# -- the same reasons read by the pair's target and by program staff -------------------------



def test_mirrored_codes_pair_up_and_keep_the_facts():
    assert all(MIRRORED[MIRRORED[code]] == code for code in MIRRORED)
    assert set(MIRRORED) <= set(TEMPLATES)
    reason = Reason("needs_covered", {"needs": ["logistics"]})
    assert for_target(reason) == Reason("needs_expertise", {"needs": ["logistics"]})
    assert render_reason(for_target(reason), "en") == (
        "Needs help where you are an expert: Logistics & transport")
    symmetric = Reason("shared_language", {"languages": ["es"]})
    assert for_target(symmetric) == symmetric


@pytest.mark.parametrize("kind", ["sme", "mentor", "buyer", "requester", None])
@pytest.mark.parametrize("locale", ["en", "es", "fr"])
def test_every_reason_has_a_staff_wording_without_you(kind, locale):
    for code, params in SAMPLE_PARAMS.items():
        text = render_reason(Reason(code, params), locale, staff_about=kind or "requester")
        words = text.lower().replace(",", " ").replace(":", " ").split()
        assert not {"you", "your", "usted", "su", "vous", "vos", "votre"} & set(words) or (
            code == "needs_covered" and locale == "es"), (code, locale, text)  # "Su" = the mentor's
    assert set(STAFF_TEMPLATES) <= set(TEMPLATES)


@pytest.mark.parametrize(("code", "locale", "message"), [
    ("shared_language", "en", "Both speak Spanish"),
    ("needs_covered", "en", "Expertise covers the SME's needs: Quality certification & "
                            "standards, Logistics & transport"),
    ("needs_covered", "es", "Su experiencia cubre las necesidades de la pyme: "),
    ("requirements_met", "fr", "La PME détient les certifications exigées par cet acheteur : "),
    ("certifications_held", "es", "Cuenta con las certificaciones que exige el comprador: "),
])
def test_staff_wordings(code, locale, message):
    kind = "buyer" if code == "certifications_held" else "sme"
    assert render_reason(Reason(code, SAMPLE_PARAMS[code]), locale,
                         staff_about=kind).startswith(message)


def test_remembered_wordings_follow_each_reasons_own_facts_locale_and_reader(monkeypatch):
    """Reasons are worded once per process; a remembered wording never answers for other
    facts, another language or another reader."""
    from webapp.catalogue import reasons as catalogue_reasons

    worded = []
    real = catalogue_reasons._render_reason
    monkeypatch.setattr(catalogue_reasons, "_RENDERED", {})
    monkeypatch.setattr(catalogue_reasons, "_render_reason",
                        lambda *args: worded.append(args) or real(*args))
    near, nearer = Reason("nearby", {"km": 12}), Reason("nearby", {"km": 11})
    assert render_reason(near, "en") == "About 12 km away"
    assert render_reason(nearer, "en") == "About 11 km away"
    assert render_reason(near, "es") == "A unos 12 km de distancia"
    assert render_reason(Reason("nearby", {"km": 12}), "en") == "About 12 km away"
    needs, covered = (Reason("needs_covered", {"needs": ["financing"]}),
                      "Expertise covers your needs: Financing & access to capital")
    assert render_reason(needs, "en") == covered
    assert "the SME" in render_reason(needs, "en", staff_about="sme")
    assert render_reason(needs, "en") == covered
    # asked again with the same facts: not worded again
    assert len(worded) == 5, worded


@pytest.mark.parametrize("locale", ["es", "fr"])
def test_a_sector_reasons_params_name_the_title_the_message_gives(locale):
    """A reason never mixes languages: in es/fr the payload's ``title`` parameter is the
    title its message names (the deepest translated level), not the English 6-digit title;
    the code stays as it was."""
    reason = Reason("shared_sector", {"code": "315210",
                                      "title": "Cut and Sew Apparel Contractors"})
    payload = reason_payload(reason, locale)
    assert payload["params"]["code"] == "315210"
    assert payload["params"]["title"] != "Cut and Sew Apparel Contractors"
    assert payload["message"].endswith(payload["params"]["title"])
    assert reason_payload(reason, "en")["params"]["title"] == "Cut and Sew Apparel Contractors"
