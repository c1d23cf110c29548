"""The IANA time zone of a place in the program countries, from its ISO 3166-2 subdivision.

A table rather than a point-in-polygon lookup: every profile has a country and most have a
subdivision, the table is small, exact for single-zone subdivisions, reviewable, and needs no
shapefile data. A subdivision that spans zones gets the zone of most of its people:

- US: Florida, Indiana, Kentucky, Michigan → the Eastern zones (the Central panhandle and west
  are smaller); Tennessee, Kansas, Nebraska, North and South Dakota, Texas → Central; Idaho →
  Boise (Mountain: the south); Oregon → Pacific; Alaska → Anchorage. US-UM (the minor outlying
  islands, nearly unpeopled) → Honolulu.
- Mexico: Chihuahua → America/Chihuahua (Central, no DST; Ciudad Juárez follows the US);
  Coahuila, Tamaulipas → Monterrey (the border towns on America/Matamoros are fewer); Nayarit →
  Mazatlán (Bahía de Banderas is on Central time); Quintana Roo → Cancún.
- Canada: Ontario → Toronto (the far north-west is Central); Nunavut → Iqaluit; Northwest
  Territories → Yellowknife; British Columbia → Vancouver; Saskatchewan → Regina; Québec →
  Toronto (the same rules as Montréal; the Magdalen Islands are Atlantic).

A profile without a subdivision gets its country's most populous zone (:data:`COUNTRY_ZONES`).
"""

from __future__ import annotations

__all__ = ["COUNTRY_ZONES", "SUBDIVISION_ZONES", "zone_of_place"]

_NY, _CHI, _DEN, _LA = "America/New_York", "America/Chicago", "America/Denver", \
    "America/Los_Angeles"
_MXC, _MTY, _MZT = "America/Mexico_City", "America/Monterrey", "America/Mazatlan"

SUBDIVISION_ZONES: dict[str, str] = {
    # United States
    "US-AL": _CHI, "US-AK": "America/Anchorage", "US-AZ": "America/Phoenix", "US-AR": _CHI,
    "US-CA": _LA, "US-CO": _DEN, "US-CT": _NY, "US-DE": _NY, "US-DC": _NY, "US-FL": _NY,
    "US-GA": _NY, "US-HI": "Pacific/Honolulu", "US-ID": "America/Boise", "US-IL": _CHI,
    "US-IN": "America/Indiana/Indianapolis", "US-IA": _CHI, "US-KS": _CHI,
    "US-KY": "America/Kentucky/Louisville", "US-LA": _CHI, "US-ME": _NY, "US-MD": _NY,
    "US-MA": _NY, "US-MI": "America/Detroit", "US-MN": _CHI, "US-MS": _CHI, "US-MO": _CHI,
    "US-MT": _DEN, "US-NE": _CHI, "US-NV": _LA, "US-NH": _NY, "US-NJ": _NY, "US-NM": _DEN,
    "US-NY": _NY, "US-NC": _NY, "US-ND": _CHI, "US-OH": _NY, "US-OK": _CHI, "US-OR": _LA,
    "US-PA": _NY, "US-RI": _NY, "US-SC": _NY, "US-SD": _CHI, "US-TN": _CHI, "US-TX": _CHI,
    "US-UT": _DEN, "US-VT": _NY, "US-VA": _NY, "US-WA": _LA, "US-WV": _NY, "US-WI": _CHI,
    "US-WY": _DEN, "US-AS": "Pacific/Pago_Pago", "US-GU": "Pacific/Guam",
    "US-MP": "Pacific/Saipan", "US-PR": "America/Puerto_Rico", "US-VI": "America/St_Thomas",
    "US-UM": "Pacific/Honolulu",
    # Mexico
    "MX-AGU": _MXC, "MX-BCN": "America/Tijuana", "MX-BCS": _MZT, "MX-CAM": "America/Merida",
    "MX-CHH": "America/Chihuahua", "MX-CHP": _MXC, "MX-CMX": _MXC, "MX-COA": _MTY,
    "MX-COL": _MXC, "MX-DUR": _MTY, "MX-GRO": _MXC, "MX-GUA": _MXC, "MX-HID": _MXC,
    "MX-JAL": _MXC, "MX-MEX": _MXC, "MX-MIC": _MXC, "MX-MOR": _MXC, "MX-NAY": _MZT,
    "MX-NLE": _MTY, "MX-OAX": _MXC, "MX-PUE": _MXC, "MX-QUE": _MXC, "MX-ROO": "America/Cancun",
    "MX-SIN": _MZT, "MX-SLP": _MXC, "MX-SON": "America/Hermosillo", "MX-TAB": _MXC,
    "MX-TAM": _MTY, "MX-TLA": _MXC, "MX-VER": _MXC, "MX-YUC": "America/Merida",
    "MX-ZAC": _MXC,
    # Canada
    "CA-AB": "America/Edmonton", "CA-BC": "America/Vancouver", "CA-MB": "America/Winnipeg",
    "CA-NB": "America/Moncton", "CA-NL": "America/St_Johns", "CA-NS": "America/Halifax",
    "CA-NT": "America/Yellowknife", "CA-NU": "America/Iqaluit", "CA-ON": "America/Toronto",
    "CA-PE": "America/Halifax", "CA-QC": "America/Toronto", "CA-SK": "America/Regina",
    "CA-YT": "America/Whitehorse",
}

COUNTRY_ZONES: dict[str, str] = {"US": _NY, "MX": _MXC, "CA": "America/Toronto"}
DEFAULT_ZONE = "UTC"


def zone_of_place(country: str | None, subdivision: str | None) -> str:
    """Return the IANA zone name of a place: its subdivision's, else its country's, else UTC."""
    if subdivision and subdivision in SUBDIVISION_ZONES:
        return SUBDIVISION_ZONES[subdivision]
    return COUNTRY_ZONES.get(country or "", DEFAULT_ZONE)
