"""Words that say nothing about a match neither score nor are quoted (issue 13 follow-up).

The demo's filler ("…is based in X… We export regularly across North America") gave reasons
such as "Both profiles mention “north”, “america” and “based”": in a program for the three
USMCA countries, the region and the words around a place say nothing about the business, and
where a profile is has its own factor.
"""

from __future__ import annotations

import pytest

from matcher import ModelBundle, build_bundle, explain_pairs, tfidf
from matcher.stopwords import STOP_WORDS

# An SME and a buyer writing only the demo's fixed sentences, each about a different business
# and in a different place: every word they share is filler.
FILLER = {
    "en": ("Our furniture company is based in San Diego and has 12 employees. We export "
           "regularly across North America. Based in San Diego, our team of 12 people.",
           "We make solid wood tables.",
           "Distributor based in San Antonio looking for suppliers in clean energy across North "
           "America; North American and American markets.",
           "We are looking for electric motors. Our orders are small, with regular purchases."),
    "es": ("Somos una empresa de muebles ubicada en Ciudad Juárez con 12 empleados. Exportamos "
           "con regularidad a América del Norte. Desde Ciudad Juárez, nuestro equipo de 12 "
           "personas, basada en México.",
           "Fabricamos mesas de madera maciza.",
           "Importadora con sede en Ciudad Acuña que busca proveedores de energías limpias en "
           "América del Norte, regularmente, en Norteamérica; ubicado en México.",
           "Buscamos motores eléctricos. Nuestros pedidos son pequeños y regulares."),
    "fr": ("Nous sommes une entreprise de meubles établie à Saint-Jérôme avec 12 employés. Nous "
           "exportons régulièrement en Amérique du Nord. Basée à Saint-Jérôme, notre équipe de "
           "12 personnes se spécialise en meubles pour le marché intérieur.",
           "Nous fabriquons des tables en bois massif.",
           "Distributeur de Saint-Laurent à la recherche de fournisseurs en énergie propre en "
           "Amérique du Nord, marché nord-américain; spécialiste basé au Canada.",
           "Nous recherchons des moteurs électriques. Nos commandes sont petites, avec des "
           "achats réguliers."),
}
# Enough other profiles that the filler would score: IDF keeps a word of few documents.
OTHERS = ("Cold chain logistics for fresh produce", "Tooling and die design",
          "Export financing and letters of credit", "Software for customs brokers")


def _pair(sme, buyer, language: str):
    description, products, buyer_description, buyer_products = FILLER[language]
    query = sme(languages=(language,), description=description, products_text=products,
                needs_text="", sectors=("337122",))
    partner = buyer(languages=(language,), description=buyer_description,
                    products_text=buyer_products, sectors=("423610",))
    return query, partner


def _others(buyer):
    return [buyer(products_text=text, description="") for text in OTHERS]


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_a_pair_sharing_only_filler_words_gets_no_text_score_or_reason(sme, buyer, language):
    query, partner = _pair(sme, buyer, language)
    bundle = build_bundle([query, partner, *_others(buyer)])
    for match in explain_pairs(bundle, [query, partner], [partner, query]):
        assert match.factors["text"] == 0.0
        assert "text_overlap" not in [reason.code for reason in match.reasons]


def test_a_bundle_stored_before_these_words_were_generic_ignores_them_too(sme, buyer,
                                                                         monkeypatch):
    query, partner = _pair(sme, buyer, "en")
    with monkeypatch.context() as patch:  # the analyzer as it was: stop words only
        patch.setattr(tfidf, "IGNORED_WORDS", STOP_WORDS)
        tfidf._surfaces.cache_clear()
        stored = build_bundle([query, partner, *_others(buyer)]).to_bytes()
    tfidf._surfaces.cache_clear()
    assert "north" in ModelBundle.from_bytes(stored).encoders["text"].vocabulary_
    [match] = explain_pairs(ModelBundle.from_bytes(stored), [query], [partner])
    assert match.factors["text"] == 0.0
    assert "text_overlap" not in [reason.code for reason in match.reasons]


@pytest.mark.parametrize(("needs", "bio", "quoted"), [
    # "regularly" is filler, "regulatory" (the same stem, regul) is not
    ("We export regularly. Regulatory approvals for medical devices.",
     "Regulatory affairs consultant", "regulatory"),
    # Spanish "equipo" is equipment as well as team: only French "équipe" (team) is filler
    ("Nuestro equipo de 12 personas fabrica equipo dental.", "Equipo dental y ortodoncia",
     "equipo"),
])
def test_a_real_word_beside_filler_still_scores_and_is_quoted(sme, mentor, needs, bio, quoted):
    query = sme(needs_text=needs, description="", languages=("en", "es"))
    partner = mentor(bio=bio, description="")
    bundle = build_bundle([query, partner, *(mentor(bio=text) for text in OTHERS)])
    [match] = explain_pairs(bundle, [query], [partner])
    assert match.factors["text"] > 0
    [text] = [reason for reason in match.reasons if reason.code == "text_overlap"]
    assert quoted in text.params["terms"]
