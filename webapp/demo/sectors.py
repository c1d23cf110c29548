"""What demo profiles do: sector groups, their NAICS codes, needs, certifications and markets.

A *sector group* ("automotive", "agrifood", ...) ties together the NAICS codes a profile lists,
the needs it is likely to have, the certifications its customers ask for and the words its texts
use. The numbers are rough, hand-set shares meant to look plausible, not statistics.
"""

from dataclasses import dataclass
from functools import cache

import numpy as np

from matcher import taxonomy as tx

KINDS = ("sme", "mentor", "buyer")
EXPORT_STAGES = ("none", "exploring", "occasional", "regular")


@dataclass(frozen=True)
class SectorGroup:
    """One family of trade-relevant activities and the codes that describe it."""

    codes: tuple[str, ...]  # NAICS 2022; a 3- or 4-digit code is a rarer, vaguer choice
    related: tuple[str, ...]  # groups a second or third sector is sometimes drawn from
    certifications: tuple[tuple[str, float], ...]  # (name, relative weight)
    need_boost: dict[str, float]  # need code -> multiplier over the base need weight
    share: tuple[float, float, float]  # relative weight among SMEs, mentors, buyers


GROUPS: dict[str, SectorGroup] = {
    "automotive": SectorGroup(
        ("336310", "336320", "336330", "336340", "336350", "336360", "336370", "336390",
         "423120", "3363"),
        ("machinery", "plastics", "electronics", "logistics"),
        (("IATF 16949", 3), ("ISO 9001", 2), ("ISO 14001", 1)),
        {"certification": 3, "rules_of_origin": 3, "supply_chain": 2.5, "workforce": 1.5,
         "technology": 1.3, "ecommerce": 0.3},
        (0.14, 0.12, 0.16),
    ),
    "agrifood": SectorGroup(
        ("111219", "111334", "111339", "111310", "111421", "111419", "111332", "111333",
         "311421", "311411", "311812", "311919", "311942", "311920", "311351", "311612",
         "311710", "312130", "312140", "424480", "424490", "311", "1112"),
        ("logistics", "plastics"),
        (("GlobalG.A.P.", 2), ("SQF", 1.5), ("HACCP", 1.5), ("BRCGS", 1), ("FSSC 22000", 1),
         ("USDA Organic", 1), ("PrimusGFS", 1), ("FDA registration", 1), ("Kosher", 0.5)),
        {"certification": 2.5, "logistics": 2.2, "export_regulations": 2.2,
         "market_entry": 1.3, "sustainability": 1.3, "rules_of_origin": 1.2},
        (0.22, 0.16, 0.24),
    ),
    "electronics": SectorGroup(
        ("334111", "334118", "334220", "334290", "334412", "334413", "334416", "334417",
         "334418", "334419", "334511", "334513", "334515", "335931", "335929", "3344"),
        ("automotive", "medical", "aerospace"),
        (("ISO 9001", 3), ("IPC-A-610", 1.5), ("UL", 1), ("CE marking", 0.5), ("ISO 14001", 0.5)),
        {"rules_of_origin": 2, "supply_chain": 2, "certification": 1.8, "technology": 1.5,
         "workforce": 1.3},
        (0.09, 0.09, 0.11),
    ),
    "medical": SectorGroup(
        ("339112", "339113", "339114", "339115", "339116", "334510", "325413", "423450",
         "3391"),
        ("electronics", "plastics"),
        (("ISO 13485", 4), ("ISO 9001", 1), ("FDA registration", 1.5), ("MDSAP", 0.5)),
        {"certification": 3.5, "export_regulations": 2, "legal_tax": 1.3, "supply_chain": 1.3,
         "technology": 1.3},
        (0.06, 0.06, 0.08),
    ),
    "apparel": SectorGroup(
        ("315120", "315210", "315250", "315990", "316210", "316990", "313210", "314120",
         "424350", "315"),
        ("crafts", "logistics"),
        (("WRAP", 1.5), ("OEKO-TEX", 1.5), ("ISO 9001", 1), ("Fair Trade", 0.5)),
        {"rules_of_origin": 2.5, "ecommerce": 1.8, "market_entry": 1.5, "sustainability": 1.3,
         "certification": 1.2},
        (0.08, 0.05, 0.09),
    ),
    "logistics": SectorGroup(
        ("484110", "484121", "484122", "484230", "488510", "488490", "488320", "493110",
         "493120", "492110", "541614", "484", "493"),
        ("agrifood", "automotive"),
        (("C-TPAT", 3), ("OEA (Mexico AEO)", 1.5), ("PIP (Canada Partners in Protection)", 1),
         ("SmartWay", 1), ("ISO 28000", 0.5)),
        {"technology": 2, "workforce": 2, "export_regulations": 1.8, "sustainability": 1.5,
         "legal_tax": 1.3, "government_procurement": 1.2, "logistics": 0.3},
        (0.09, 0.12, 0.04),
    ),
    "aerospace": SectorGroup(
        ("336411", "336412", "336413", "332912", "3364"),
        ("machinery", "electronics"),
        (("AS9100", 3), ("Nadcap", 1.5), ("ISO 9001", 1)),
        {"certification": 3, "supply_chain": 2.5, "workforce": 2, "technology": 1.5,
         "rules_of_origin": 1.5},
        (0.03, 0.05, 0.05),
    ),
    "machinery": SectorGroup(
        ("332710", "332721", "332312", "333248", "333111", "333415", "332999", "333514",
         "333515", "333"),
        ("automotive", "aerospace", "energy"),
        (("ISO 9001", 3), ("ISO 14001", 1), ("ISO 45001", 0.5)),
        {"supply_chain": 2, "technology": 1.8, "certification": 1.5, "workforce": 1.5,
         "financing": 1.3},
        (0.07, 0.07, 0.06),
    ),
    "plastics": SectorGroup(
        ("326199", "326112", "326220", "325611", "325620", "325510", "326"),
        ("automotive", "medical", "agrifood"),
        (("ISO 9001", 2), ("ISO 14001", 1.5), ("ISO 22716", 0.5)),
        {"sustainability": 2.2, "certification": 1.5, "supply_chain": 1.5,
         "export_regulations": 1.2},
        (0.05, 0.04, 0.05),
    ),
    "furniture": SectorGroup(
        ("337121", "337122", "337211", "337110", "321911", "321920", "321999"),
        ("crafts", "logistics"),
        (("FSC", 2), ("ISO 9001", 1)),
        {"ecommerce": 1.8, "logistics": 1.6, "sustainability": 1.5, "market_entry": 1.3},
        (0.04, 0.03, 0.04),
    ),
    "crafts": SectorGroup(
        ("327110", "327212", "339910", "339930", "339999", "313220", "314999"),
        ("apparel", "furniture"),
        (("Fair Trade", 1), ("B Corp", 0.3)),
        {"ecommerce": 2.5, "market_entry": 2, "translation": 1.8, "financing": 1.5,
         "logistics": 1.3, "certification": 0.4, "supply_chain": 0.4},
        (0.05, 0.03, 0.04),
    ),
    "software": SectorGroup(
        ("541511", "541512", "518210", "513210", "541519", "541715", "5415"),
        ("logistics", "electronics"),
        (("ISO 27001", 2), ("SOC 2", 2), ("ISO 9001", 0.5)),
        {"market_entry": 2, "legal_tax": 2, "government_procurement": 2, "financing": 1.5,
         "translation": 1.5, "logistics": 0.2, "certification": 0.6, "rules_of_origin": 0.2},
        (0.05, 0.12, 0.02),
    ),
    "energy": SectorGroup(
        ("221114", "221115", "335312", "333611", "541620", "238210"),
        ("machinery", "electronics"),
        (("ISO 14001", 2), ("ISO 50001", 1.5), ("ISO 9001", 1)),
        {"government_procurement": 2.5, "financing": 2, "sustainability": 2,
         "certification": 1.3, "technology": 1.3},
        (0.03, 0.06, 0.02),
    ),
}

# How common each need is before the sector and the export stage are taken into account.
BASE_NEED_WEIGHT = {
    "export_regulations": 1.2, "rules_of_origin": 0.8, "financing": 1.3, "logistics": 1.0,
    "ecommerce": 0.9, "certification": 1.0, "market_entry": 1.3, "legal_tax": 0.8,
    "translation": 0.5, "government_procurement": 0.4, "supply_chain": 0.8, "technology": 0.8,
    "workforce": 0.7, "sustainability": 0.6,
}
STAGE_NEED_BOOST = {
    "none": {"market_entry": 1.8, "export_regulations": 1.6, "financing": 1.5, "ecommerce": 1.4,
             "translation": 1.3, "supply_chain": 0.6, "sustainability": 0.6},
    "exploring": {"export_regulations": 1.8, "market_entry": 1.6, "rules_of_origin": 1.4,
                  "translation": 1.3, "legal_tax": 1.2},
    "occasional": {"logistics": 1.5, "certification": 1.4, "rules_of_origin": 1.3,
                   "financing": 1.3, "supply_chain": 1.2},
    "regular": {"supply_chain": 1.6, "sustainability": 1.6, "technology": 1.4,
                "government_procurement": 1.4, "certification": 1.3, "legal_tax": 1.3,
                "workforce": 1.3, "market_entry": 0.7, "export_regulations": 0.6},
}

_MX_BORDER = ("MX-BCN", "MX-SON", "MX-CHH", "MX-COA", "MX-NLE", "MX-TAM")
_MX_BAJIO = ("MX-GUA", "MX-QUE", "MX-AGU", "MX-SLP", "MX-JAL", "MX-MEX", "MX-PUE")
_MX_SOUTH = ("MX-OAX", "MX-CHP", "MX-YUC", "MX-ROO", "MX-CAM", "MX-GRO", "MX-TAB", "MX-VER",
             "MX-MIC", "MX-HID")
# Where an activity clusters: subdivision -> group -> multiplier of the group's share.
REGIONAL_BOOST: dict[str, dict[str, float]] = {
    **dict.fromkeys(_MX_BORDER, {"automotive": 1.7, "electronics": 2.2, "medical": 1.8,
                                 "aerospace": 1.5, "logistics": 1.6, "crafts": 0.5}),
    **dict.fromkeys(_MX_BAJIO, {"automotive": 2.0, "aerospace": 1.3, "electronics": 1.3,
                                "agrifood": 1.1}),
    **dict.fromkeys(_MX_SOUTH, {"agrifood": 1.8, "crafts": 3.0, "apparel": 1.3,
                                "automotive": 0.3, "electronics": 0.3, "aerospace": 0.2,
                                "medical": 0.4}),
    "MX-BCN": {"medical": 3.5, "electronics": 2.2, "aerospace": 1.8, "logistics": 1.6},
    "MX-QUE": {"aerospace": 3.5, "automotive": 1.8},
    "MX-JAL": {"electronics": 2.8, "software": 1.5, "agrifood": 1.2},
    "MX-CMX": {"software": 2.0, "apparel": 1.3, "logistics": 1.2},
    **dict.fromkeys(("US-MI", "US-OH", "US-IN"), {"automotive": 2.2, "machinery": 1.4}),
    "CA-ON": {"automotive": 1.8, "machinery": 1.2, "software": 1.2},
    **dict.fromkeys(("US-TX", "US-AZ", "US-NM"), {"logistics": 2.0, "electronics": 1.2,
                                                  "energy": 1.5}),
    "US-CA": {"software": 1.8, "agrifood": 1.4, "medical": 1.4},
    "US-WA": {"aerospace": 3.0, "software": 1.5, "agrifood": 1.2},
    "US-KS": {"aerospace": 2.5, "agrifood": 1.5},
    **dict.fromkeys(("US-MN", "US-MA"), {"medical": 2.2}),
    "US-FL": {"agrifood": 1.2, "logistics": 1.3, "medical": 1.2},
    "CA-QC": {"aerospace": 2.5, "furniture": 1.5, "software": 1.3},
    "CA-BC": {"software": 1.5, "furniture": 1.6, "logistics": 1.3, "agrifood": 1.2},
    **dict.fromkeys(("CA-AB", "CA-SK", "CA-MB"), {"agrifood": 1.8, "energy": 1.6,
                                                  "machinery": 1.3}),
}

@dataclass(frozen=True)
class SectorTables:
    """The sector groups turned into arrays, checked against the taxonomy."""

    names: tuple[str, ...]
    codes: dict[str, tuple[tuple[str, ...], tuple[float, ...]]]  # group -> codes, cum. weights
    certifications: dict[str, tuple[tuple[str, ...], tuple[float, ...]]]
    need_codes: tuple[str, ...]
    need_logits: np.ndarray  # (group, export stage, need) log-weights
    expertise_logits: np.ndarray  # (group, need) log-weights


@cache
def sector_tables() -> SectorTables:
    """Build the sector tables once, keeping only codes the taxonomy knows."""
    names = tuple(GROUPS)
    need_codes = tuple(tx.NEED_CODES)
    base = np.array([BASE_NEED_WEIGHT.get(n, 0.5) for n in need_codes])
    groups = np.array([[GROUPS[g].need_boost.get(n, 1.0) for n in need_codes] for g in names])
    stages = np.array([[STAGE_NEED_BOOST[s].get(n, 1.0) for n in need_codes]
                       for s in EXPORT_STAGES])
    return SectorTables(
        names=names,
        codes={g: _weighted(_known_codes(GROUPS[g].codes)) for g in names},
        certifications={g: _certifications(GROUPS[g].certifications) for g in names},
        need_codes=need_codes,
        need_logits=np.log(base * groups[:, None, :] * stages[None, :, :]),
        expertise_logits=np.log(base * groups),
    )


def group_weights(kind: str, subdivision: str) -> np.ndarray:
    """Return the relative weight of each sector group for a kind of profile in a place."""
    column = KINDS.index(kind)
    boost = REGIONAL_BOOST.get(subdivision, {})
    return np.array([g.share[column] * boost.get(name, 1.0) for name, g in GROUPS.items()])


def _known_codes(codes: tuple[str, ...]) -> dict[str, float]:
    """Keep the codes the taxonomy knows; broad (short) codes are drawn less often."""
    known = {code: (1.0 if len(code) == 6 else 0.3) for code in codes if tx.is_naics_code(code)}
    if not known:
        raise LookupError(f"none of the demo NAICS codes {codes} is in the taxonomy")
    return known


def _certifications(
    weighted: tuple[tuple[str, float], ...],
) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Spell certification names the way the taxonomy's common list does."""
    common = {name.casefold(): name for name in tx.COMMON_CERTIFICATIONS}
    return _weighted({common.get(name.casefold(), name): w for name, w in weighted})


def _weighted(weights: dict[str, float]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Split a {item: weight} mapping into items and cumulative weights (for `choices`)."""
    return tuple(weights), tuple(np.cumsum(list(weights.values())).tolist())
