"""Reason messages in English, Spanish and French, and how their parameters are worded.

Reasons travel as codes with parameters; the text is made here, at the edge, in the reader's
locale. Templates are addressed to the reader ("you": the profile the ranking is for).
:data:`STAFF_TEMPLATES` word the reasons that say "you" for a third party — program staff
looking at a pair — naming the requester by its kind ("the SME's needs"); the target of a
pair reads the stored reasons through :data:`MIRRORED`, each code's counterpart from the other
side ("Expertise covers your needs" ↔ "Needs help where you are an expert").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import taxonomy as tx
from .errors import MatcherError

__all__ = ["MIRRORED", "STAFF_TEMPLATES", "TEMPLATES", "format_params", "locale_of",
           "party_names"]

TEMPLATES: Mapping[str, Mapping[str, str]] = {
    "shared_language": {
        "en": "Speaks {languages} like you",
        "es": "Habla {languages}, como usted",
        "fr": "Parle {languages}, comme vous",
    },
    "shared_sector": {
        "en": "Same industry: {title}",
        "es": "Mismo sector: {title}",
        "fr": "Même secteur : {title}",
    },
    "needs_covered": {
        "en": "Expertise covers your needs: {needs}",
        "es": "Su experiencia cubre sus necesidades: {needs}",
        "fr": "Son expertise couvre vos besoins : {needs}",
    },
    "needs_expertise": {
        "en": "Needs help where you are an expert: {needs}",
        "es": "Necesita apoyo en lo que usted domina: {needs}",
        "fr": "A besoin d'aide dans votre domaine d'expertise : {needs}",
    },
    "certifications_held": {
        "en": "Holds the certifications you require: {certifications}",
        "es": "Cuenta con las certificaciones que usted exige: {certifications}",
        "fr": "Détient les certifications que vous exigez : {certifications}",
    },
    "requirements_met": {
        "en": "You hold the certifications this buyer requires: {certifications}",
        "es": "Usted cuenta con las certificaciones que exige este comprador: {certifications}",
        "fr": "Vous détenez les certifications exigées par cet acheteur : {certifications}",
    },
    "text_overlap": {
        "en": "Both profiles mention {terms}",
        "es": "Ambos perfiles mencionan {terms}",
        "fr": "Les deux profils mentionnent {terms}",
    },
    "nearby": {
        "en": "About {km} km away",
        "es": "A unos {km} km de distancia",
        "fr": "À environ {km} km",
    },
    "cross_border": {
        "en": "Across the border: {from} → {to}{distance}",
        "es": "Al otro lado de la frontera: {from} → {to}{distance}",
        "fr": "De l'autre côté de la frontière : {from} → {to}{distance}",
    },
    "knows_markets": {
        "en": "Knows your target markets: {markets}",
        "es": "Conoce sus mercados meta: {markets}",
        "fr": "Connaît vos marchés cibles : {markets}",
    },
    "targets_known_markets": {
        "en": "Wants to sell in markets you know: {markets}",
        "es": "Quiere vender en mercados que usted conoce: {markets}",
        "fr": "Veut vendre sur des marchés que vous connaissez : {markets}",
    },
    "in_target_market": {
        "en": "Based in one of your target markets: {country}",
        "es": "Ubicado en uno de sus mercados meta: {country}",
        "fr": "Situé dans l'un de vos marchés cibles : {country}",
    },
    "targets_your_country": {
        "en": "Wants to sell in your country: {country}",
        "es": "Quiere vender en su país: {country}",
        "fr": "Veut vendre dans votre pays : {country}",
    },
    "sources_from_your_country": {
        "en": "Buys from suppliers in your country: {country}",
        "es": "Compra a proveedores de su país: {country}",
        "fr": "Achète auprès de fournisseurs de votre pays : {country}",
    },
    "in_sourcing_country": {
        "en": "Based in a country you buy from: {country}",
        "es": "Ubicado en un país donde usted compra: {country}",
        "fr": "Situé dans un pays où vous vous approvisionnez : {country}",
    },
    "meets_online": {
        "en": "Mentors online, so distance is no obstacle",
        "es": "Da mentoría en línea: la distancia no es un obstáculo",
        "fr": "Accompagne en ligne : la distance n'est pas un obstacle",
    },
    "online_mentoring": {
        "en": "You mentor online, so distance is no obstacle",
        "es": "Usted da mentoría en línea: la distancia no es un obstáculo",
        "fr": "Vous accompagnez en ligne : la distance n'est pas un obstacle",
    },
    "seeks_suppliers_like_you": {
        "en": "This buyer seeks suppliers like you (supplier-diversity goal)",
        "es": "Este comprador busca proveedores como usted (meta de diversidad de proveedores)",
        "fr": "Cet acheteur recherche des fournisseurs comme vous (objectif de diversité des "
              "fournisseurs)",
    },
    "meets_diversity_goal": {
        "en": "Meets your supplier-diversity goals",
        "es": "Cumple sus metas de diversidad de proveedores",
        "fr": "Répond à vos objectifs de diversité des fournisseurs",
    },
}

# Reasons are computed for the requester; what the same fact reads like from the target's side.
_PAIRS = (("needs_covered", "needs_expertise"), ("certifications_held", "requirements_met"),
          ("knows_markets", "targets_known_markets"), ("in_target_market", "targets_your_country"),
          ("sources_from_your_country", "in_sourcing_country"),
          ("meets_online", "online_mentoring"),
          ("seeks_suppliers_like_you", "meets_diversity_goal"))
MIRRORED: Mapping[str, str] = {**dict(_PAIRS), **{b: a for a, b in _PAIRS}}

# For staff: {who} / {Who} / {whose} name the requester (the "you" of TEMPLATES) by its kind.
STAFF_TEMPLATES: Mapping[str, Mapping[str, str]] = {
    "shared_language": {
        "en": "Both speak {languages}",
        "es": "Ambos hablan {languages}",
        "fr": "Parlent tous deux {languages}",
    },
    "needs_covered": {
        "en": "Expertise covers {whose} needs: {needs}",
        "es": "Su experiencia cubre las necesidades {whose}: {needs}",
        "fr": "Son expertise couvre les besoins {whose} : {needs}",
    },
    "needs_expertise": {
        "en": "Needs help where {who} is an expert: {needs}",
        "es": "Necesita apoyo en lo que domina {who}: {needs}",
        "fr": "A besoin d'aide dans le domaine d'expertise {whose} : {needs}",
    },
    "certifications_held": {
        "en": "Holds the certifications {who} requires: {certifications}",
        "es": "Cuenta con las certificaciones que exige {who}: {certifications}",
        "fr": "Détient les certifications exigées par {who} : {certifications}",
    },
    "requirements_met": {
        "en": "{Who} holds the certifications this buyer requires: {certifications}",
        "es": "{Who} cuenta con las certificaciones que exige este comprador: {certifications}",
        "fr": "{Who} détient les certifications exigées par cet acheteur : {certifications}",
    },
    "knows_markets": {
        "en": "Knows {whose} target markets: {markets}",
        "es": "Conoce los mercados meta {whose}: {markets}",
        "fr": "Connaît les marchés cibles {whose} : {markets}",
    },
    "targets_known_markets": {
        "en": "Wants to sell in markets {who} knows: {markets}",
        "es": "Quiere vender en mercados que conoce {who}: {markets}",
        "fr": "Veut vendre sur des marchés que connaît {who} : {markets}",
    },
    "in_target_market": {
        "en": "Based in one of {whose} target markets: {country}",
        "es": "Ubicado en uno de los mercados meta {whose}: {country}",
        "fr": "Situé dans l'un des marchés cibles {whose} : {country}",
    },
    "targets_your_country": {
        "en": "Wants to sell in {whose} country: {country}",
        "es": "Quiere vender en el país {whose}: {country}",
        "fr": "Veut vendre dans le pays {whose} : {country}",
    },
    "sources_from_your_country": {
        "en": "Buys from suppliers in {whose} country: {country}",
        "es": "Compra a proveedores del país {whose}: {country}",
        "fr": "Achète auprès de fournisseurs du pays {whose} : {country}",
    },
    "in_sourcing_country": {
        "en": "Based in a country {who} buys from: {country}",
        "es": "Ubicado en un país donde compra {who}: {country}",
        "fr": "Situé dans un pays où s'approvisionne {who} : {country}",
    },
    "online_mentoring": {
        "en": "{Who} mentors online, so distance is no obstacle",
        "es": "{Who} da mentoría en línea: la distancia no es un obstáculo",
        "fr": "{Who} accompagne en ligne : la distance n'est pas un obstacle",
    },
    "seeks_suppliers_like_you": {
        "en": "This buyer seeks suppliers like {who} (supplier-diversity goal)",
        "es": "Este comprador busca proveedores como {who} (meta de diversidad de proveedores)",
        "fr": "Cet acheteur recherche des fournisseurs comme {who} (objectif de diversité des "
              "fournisseurs)",
    },
    "meets_diversity_goal": {
        "en": "Meets {whose} supplier-diversity goals",
        "es": "Cumple las metas de diversidad de proveedores {whose}",
        "fr": "Répond aux objectifs de diversité des fournisseurs {whose}",
    },
}

# kind -> locale -> (who, whose): the requester named for staff ("requester" when unknown)
_PARTY_NAMES: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "sme": {"en": ("the SME", "the SME's"), "es": ("la pyme", "de la pyme"),
            "fr": ("la PME", "de la PME")},
    "mentor": {"en": ("the mentor", "the mentor's"), "es": ("el mentor", "del mentor"),
               "fr": ("le mentor", "du mentor")},
    "buyer": {"en": ("the buyer", "the buyer's"), "es": ("el comprador", "del comprador"),
              "fr": ("l'acheteur", "de l'acheteur")},
    "requester": {"en": ("the requester", "the requester's"),
                  "es": ("el solicitante", "del solicitante"),
                  "fr": ("le demandeur", "du demandeur")},
}


def party_names(kind: str | None, locale: str) -> dict[str, str]:
    """Return the {who}, {Who} and {whose} values naming a requester of ``kind`` for staff."""
    who, whose = _PARTY_NAMES.get(kind or "requester", _PARTY_NAMES["requester"])[locale]
    return {"who": who, "Who": who[0].upper() + who[1:], "whose": whose}


_AND = {"en": "and", "es": "y", "fr": "et"}


def locale_of(locale: str) -> str:
    """Return the supported locale for ``locale`` ("es-MX" -> "es"; unknown -> "en")."""
    base = str(locale).replace("-", "_").split("_", 1)[0].lower()
    return base if base in tx.LOCALES else "en"


def _join(items: Sequence[str], locale: str) -> str:
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_AND[locale]} {items[-1]}"


def _language(code: str, locale: str) -> str:
    name = tx.language_name(code, locale) or code
    return name if locale == "en" else name.lower()


def _need(code: str, locale: str) -> str:
    return tx.need_label(code, locale) if tx.is_need(code) else code


def _country(code: str | None, locale: str) -> str:
    return (tx.country_name(code, locale) or code) if code else ""


def _km(value: Any, locale: str) -> str:
    text = f"{int(value):,}"
    return text if locale == "en" else text.replace(",", "\u00a0")


_FORMATTERS: Mapping[str, Callable[[Any, str], str]] = {
    "languages": lambda codes, loc: _join([_language(c, loc) for c in codes], loc),
    "needs": lambda codes, loc: ", ".join(_need(c, loc) for c in codes),
    "markets": lambda codes, loc: _join([_country(c, loc) for c in codes], loc),
    "country": _country,
    "from": _country,
    "to": _country,
    "km": _km,
    "terms": lambda terms, loc: _join([f"“{t}”" for t in terms], loc),
    "certifications": lambda names, loc: ", ".join(names),
}


def format_params(code: str, params: Mapping[str, Any], locale: str) -> dict[str, str]:
    """Return the template values of a reason, worded for ``locale``.

    Raises
    ------
    MatcherError
        If ``code`` has no template.
    """
    if code not in TEMPLATES:
        raise MatcherError(f"no message template for reason {code!r}")
    values = {name: _FORMATTERS.get(name, lambda v, loc: str(v))(value, locale)
              for name, value in params.items() if value is not None}
    if code == "shared_sector":
        values["title"] = (tx.naics_title(params["code"], locale) or params.get("title")
                           or params["code"])
    if code == "cross_border":
        km = params.get("km")
        values["distance"] = f" ({values['km']} km)" if km is not None else ""
    return values
