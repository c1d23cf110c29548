"""Certifications suggested when SMEs and buyers type theirs (the field itself is free text)."""

__all__ = ["COMMON_CERTIFICATIONS"]

COMMON_CERTIFICATIONS: tuple[str, ...] = (
    # Quality and management systems
    "ISO 9001",
    "IATF 16949",
    "AS9100",
    "ISO 13485",
    "ISO 14001",
    "ISO 45001",
    "ISO 27001",
    "ISO 50001",
    # Food safety (GFSI schemes and regulators)
    "ISO 22000",
    "FSSC 22000",
    "SQF",
    "BRCGS",
    "GlobalG.A.P.",
    "PrimusGFS",
    "HACCP",
    "SENASICA",
    "FDA registration",
    "USDA Organic",
    "Canada Organic",
    "Kosher",
    "Halal",
    # Supply-chain security (mutually recognised trusted-trader programmes)
    "C-TPAT",
    "OEA (Mexico AEO)",
    "PIP (Canada Partners in Protection)",
    # Product conformity
    "NOM",
    "UL",
    "CSA",
    "CE marking",
    "Health Canada MDL",
    # Sustainability and social
    "Fair Trade",
    "B Corp",
    "FSC",
    "Empresa Socialmente Responsable (ESR)",
)
