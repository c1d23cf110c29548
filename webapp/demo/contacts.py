"""Contact details for demo profiles: plausible in shape, fake by construction.

E-mail domains are the IANA-reserved example.com / example.net / example.org; North American
phone numbers use the fictional 555-01XX range; Mexican ones a subscriber number starting with
000, which no carrier assigns.
"""

import random
import re
import unicodedata

# Reserved domain per kind, so that per-kind sequence numbers never collide.
EMAIL_DOMAINS = {"sme": "example.com", "buyer": "example.net", "mentor": "example.org"}

# Area codes (lada in Mexico) of the main cities of each subdivision.
AREA_CODES: dict[str, tuple[str, ...]] = {
    "US-AL": ("205", "251"), "US-AK": ("907",), "US-AZ": ("520", "602", "928"),
    "US-AR": ("501",), "US-CA": ("213", "415", "619", "760", "916"), "US-CO": ("303", "719"),
    "US-CT": ("203", "860"), "US-DE": ("302",), "US-DC": ("202",), "US-FL": ("305", "407", "813"),
    "US-GA": ("404", "912"), "US-HI": ("808",), "US-ID": ("208",), "US-IL": ("312", "217"),
    "US-IN": ("317", "219"), "US-IA": ("515", "319"), "US-KS": ("316", "785"),
    "US-KY": ("502", "859"), "US-LA": ("504", "225"), "US-ME": ("207",), "US-MD": ("410", "301"),
    "US-MA": ("617", "508"), "US-MI": ("313", "248", "616"), "US-MN": ("612", "651"),
    "US-MS": ("601",), "US-MO": ("314", "816"), "US-MT": ("406",), "US-NE": ("402",),
    "US-NV": ("702", "775"), "US-NH": ("603",), "US-NJ": ("201", "973"), "US-NM": ("505", "575"),
    "US-NY": ("212", "518", "716"), "US-NC": ("919", "704"), "US-ND": ("701",),
    "US-OH": ("614", "216", "513"), "US-OK": ("405", "918"), "US-OR": ("503", "541"),
    "US-PA": ("215", "412"), "US-RI": ("401",), "US-SC": ("803", "843"), "US-SD": ("605",),
    "US-TN": ("615", "901"), "US-TX": ("214", "512", "713", "915", "956"), "US-UT": ("801",),
    "US-VT": ("802",), "US-VA": ("804", "703"), "US-WA": ("206", "360", "509"),
    "US-WV": ("304",), "US-WI": ("414", "608"), "US-WY": ("307",),
    "CA-AB": ("403", "780"), "CA-BC": ("604", "250"), "CA-MB": ("204",), "CA-NB": ("506",),
    "CA-NL": ("709",), "CA-NS": ("902",), "CA-NT": ("867",), "CA-NU": ("867",),
    "CA-ON": ("416", "519", "613", "905"), "CA-PE": ("902",), "CA-QC": ("514", "418", "450"),
    "CA-SK": ("306",), "CA-YT": ("867",),
    "MX-AGU": ("449",), "MX-BCN": ("664", "686", "646"), "MX-BCS": ("612",), "MX-CAM": ("981",),
    "MX-CHP": ("961", "962"), "MX-CHH": ("656", "614"), "MX-CMX": ("55",),
    "MX-COA": ("844", "878"), "MX-COL": ("312",), "MX-DUR": ("618",), "MX-GUA": ("477", "462"),
    "MX-GRO": ("744", "747"), "MX-HID": ("771",), "MX-JAL": ("33",), "MX-MEX": ("722", "55"),
    "MX-MIC": ("443",), "MX-MOR": ("777",), "MX-NAY": ("311",), "MX-NLE": ("81",),
    "MX-OAX": ("951",), "MX-PUE": ("222",), "MX-QUE": ("442",), "MX-ROO": ("998",),
    "MX-SLP": ("444",), "MX-SIN": ("667", "669"), "MX-SON": ("662", "631"), "MX-TAB": ("993",),
    "MX-TAM": ("899", "867", "868"), "MX-TLA": ("246",), "MX-VER": ("229", "228"),
    "MX-YUC": ("999",), "MX-ZAC": ("492",),
}
_FALLBACK_AREA_CODES = {"US": ("202",), "CA": ("613",), "MX": ("55",)}


def phone_number(country: str, subdivision: str, r: random.Random) -> str:
    """Return a made-up phone number in the subdivision's format."""
    area = r.choice(AREA_CODES.get(subdivision) or _FALLBACK_AREA_CODES[country])
    if country == "MX":
        width = 10 - len(area) - 3  # ten digits in all: lada + 000 + the rest
        return f"+52 {area} 000 {r.randrange(10**width):0{width}d}"
    return f"+1 {area} 555 01{r.randrange(100):02d}"


def company_email(kind: str, local: str, slug: str, sequence: int) -> str:
    """Return a company address on a reserved domain, unique by its sequence number."""
    return f"{local}.{sequence}@{slug}.{EMAIL_DOMAINS[kind]}"


def person_email(kind: str, first: str, last: str, sequence: int) -> str:
    """Return a personal address on a reserved domain, unique by its sequence number."""
    return f"{slugify(first)}.{slugify(last)}.{sequence}@{EMAIL_DOMAINS[kind]}"


_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Legal forms at the end of a company name add nothing to a domain name.
_LEGAL_FORM = re.compile(r"(-(s-a|s-c|a-c|s-de-r-l|s-a-p-i|de|c-v|inc|llc|ltd|ltee|co|plc|"
                         r"group|and-sons|e-hijos))+$")


def slugify(text: str, limit: int = 40) -> str:
    """Fold text to lowercase ASCII words joined by hyphens, without a trailing legal form."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _LEGAL_FORM.sub("", _NOT_SLUG.sub("-", ascii_text.lower()).strip("-"))
    return slug[:limit].strip("-") or "company"
