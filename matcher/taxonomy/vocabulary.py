"""The needs vocabulary: what an SME asks for and what a mentor offers, labelled in en/es/fr."""

from types import MappingProxyType

from .errors import UnknownCodeError
from .i18n import check_locale

__all__ = ["NEED_CODES", "is_need", "need_label", "needs"]

# code -> (en, es, fr). Order is the display order and must not change: it is also the column
# order of the matcher's multi-hot needs vectors.
_LABELS = MappingProxyType({
    "export_regulations": ("Export regulations & customs", "Regulaciones de exportación y aduanas",
                           "Réglementation des exportations et douanes"),
    "rules_of_origin": ("Rules of origin (USMCA)", "Reglas de origen (T-MEC)",
                        "Règles d'origine (ACEUM)"),
    "financing": ("Financing & access to capital", "Financiamiento y acceso a capital",
                  "Financement et accès au capital"),
    "logistics": ("Logistics & transport", "Logística y transporte", "Logistique et transport"),
    "ecommerce": ("E-commerce & digital tools", "Comercio electrónico y herramientas digitales",
                  "Commerce électronique et outils numériques"),
    "certification": ("Quality certification & standards", "Certificación de calidad y normas",
                      "Certification qualité et normes"),
    "market_entry": ("Marketing & market entry", "Mercadotecnia y entrada a nuevos mercados",
                     "Marketing et accès aux marchés"),
    "legal_tax": ("Legal & tax", "Asuntos legales y fiscales", "Questions juridiques et fiscales"),
    "translation": ("Language & translation", "Idiomas y traducción", "Langues et traduction"),
    "government_procurement": ("Government procurement", "Compras gubernamentales",
                               "Marchés publics"),
    "supply_chain": ("Supply-chain integration", "Integración a cadenas de suministro",
                     "Intégration aux chaînes d'approvisionnement"),
    "technology": ("Technology & innovation", "Tecnología e innovación",
                   "Technologie et innovation"),
    "workforce": ("Workforce & skills", "Talento y capacitación laboral",
                  "Main-d'œuvre et compétences"),
    "sustainability": ("Sustainability", "Sostenibilidad", "Développement durable"),
})
_COLUMN = {"en": 0, "es": 1, "fr": 2}

NEED_CODES: tuple[str, ...] = tuple(_LABELS)


def is_need(code: object) -> bool:
    """Tell whether ``code`` is one of NEED_CODES."""
    return isinstance(code, str) and code in _LABELS


def need_label(code: str, lang: str = "en") -> str:
    """Return the label of need ``code`` in ``lang``; raise UnknownCodeError if unknown."""
    column = _COLUMN[check_locale(lang)]
    if not is_need(code):
        raise UnknownCodeError(f"unknown need {code!r}")
    return _LABELS[code][column]


def needs(lang: str = "en") -> list[dict[str, str]]:
    """Return every need as ``{"code", "label"}`` in NEED_CODES order."""
    return [{"code": code, "label": need_label(code, lang)} for code in NEED_CODES]
