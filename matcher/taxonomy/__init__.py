"""Reference data shared by the web layer and the matching engine.

NAICS 2022 industries, the needs vocabulary, countries and subdivisions, languages, cities and
common certifications, with names in English, Spanish and French. Pure Python on packaged data
files: nothing is read until first use, and no data is ever downloaded.

>>> from matcher import taxonomy as tx
>>> tx.naics_lineage("336390")
['31-33', '336', '3363', '33639', '336390']
"""

from .certifications import COMMON_CERTIFICATIONS
from .errors import UnknownCodeError
from .geo import (
    PROGRAM_COUNTRIES,
    countries,
    country_name,
    is_country_code,
    is_subdivision,
    subdivision_name,
    subdivisions,
)
from .i18n import LOCALES
from .industries import (
    is_naics_code,
    naics_codes,
    naics_entry,
    naics_filter_code,
    naics_lineage,
    naics_parent,
    naics_sector,
    naics_title,
    search_naics,
)
from .language_codes import (
    INDIGENOUS_LANGUAGES,
    REGIONAL_LANGUAGES,
    is_language,
    language_codes,
    language_name,
    languages,
)
from .places import City, cities, find_city
from .text import fold
from .vocabulary import NEED_CODES, is_need, need_label, needs

__all__ = [
    "COMMON_CERTIFICATIONS",
    "INDIGENOUS_LANGUAGES",
    "LOCALES",
    "NEED_CODES",
    "PROGRAM_COUNTRIES",
    "REGIONAL_LANGUAGES",
    "City",
    "UnknownCodeError",
    "cities",
    "countries",
    "country_name",
    "find_city",
    "fold",
    "is_country_code",
    "is_language",
    "is_naics_code",
    "is_need",
    "is_subdivision",
    "language_codes",
    "language_name",
    "languages",
    "naics_codes",
    "naics_entry",
    "naics_filter_code",
    "naics_lineage",
    "naics_parent",
    "naics_sector",
    "naics_title",
    "need_label",
    "needs",
    "search_naics",
    "subdivision_name",
    "subdivisions",
]
