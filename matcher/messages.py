"""Reason messages in English, Spanish and French, and how their parameters are worded.

Reasons travel as codes with parameters; the text is made here, at the edge, in the reader's
locale. Templates are addressed to the reader ("you": the profile the ranking is for).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import taxonomy as tx
from .errors import MatcherError

__all__ = ["TEMPLATES", "format_params", "locale_of"]

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
}

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
