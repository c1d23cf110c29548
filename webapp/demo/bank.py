"""The shape of a per-language text bank used to write demo profiles."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SectorWords:
    """How one sector group is talked about in one language."""

    phrase: str  # noun phrase: "automotive parts manufacturing"
    verb: str  # what an SME does with its products: "We manufacture"
    company_word: str  # used in made-up company names: "Auto Parts"
    products: tuple[str, ...]  # plural, article-less product or service phrases


@dataclass(frozen=True)
class NeedWords:
    """How one need is voiced by an SME (two variants) and by a mentor."""

    sme: tuple[str, str]
    mentor: str


@dataclass(frozen=True)
class LanguageBank:
    """Every word a demo profile written in one language can use.

    Templates are `str.format` strings; the fields they may use are named in the comments.
    `{of_sector}` is the sector phrase after the preposition "de", elided where French wants it.
    """

    conjunction: str  # "and" / "y" / "et"
    sme_article: str  # put before each product an SME offers: "" / "des "
    buyer_article: str  # put before each product a buyer seeks: "" / "de "
    sectors: dict[str, SectorWords]
    needs: dict[str, NeedWords]
    stages: dict[str, str]  # export stage -> sentence
    sme_descriptions: tuple[str, ...]  # {sector} {of_sector} {city} {employees} {stage}
    sme_products: str  # {verb} {products}
    mentor_bios: tuple[str, ...]  # {years} {sector} {of_sector} {role} {expertise}
    mentor_more: str  # {items}: the expertise the bio template left out
    mentor_roles: tuple[str, ...]
    mentor_description: str  # {city} {e1} {sector} {of_sector}
    modes: dict[str, str]  # mode -> sentence using {city}
    buyer_products: str  # {products}
    volumes: dict[str, str]  # volume band -> sentence
    buyer_certifications: str  # {certifications}
    buyer_types: tuple[str, ...]
    buyer_description: str  # {buyer_type} {city} {sector} {of_sector}
    company_patterns: tuple[str, ...]  # {surname} {word} {city}
    company_suffixes: tuple[str, ...]
    email_locals: tuple[str, ...]
