"""Which countries a demo profile sells to, knows or sources from (ISO 3166-1 alpha-2)."""

import random

# The program partner each country trades with most, then farther markets.
PARTNERS = {"MX": (("US", 0.8), ("CA", 0.2)), "US": (("MX", 0.5), ("CA", 0.5)),
            "CA": (("US", 0.8), ("MX", 0.2))}
OVERSEAS_MARKETS = {"MX": ("GT", "CO", "ES", "CL", "PE", "CR", "DE", "JP"),
                    "US": ("GB", "DE", "JP", "KR", "CN", "BR", "AU"),
                    "CA": ("GB", "FR", "DE", "JP", "KR", "CN", "AU")}
LOW_COST_SOURCES = ("CN", "VN", "IN", "GT", "CO", "BR", "DE", "TW")


def partners(country: str, r: random.Random) -> list[str]:
    """Return the two other program countries, the usual trading partner first."""
    (first, weight), (second, _) = PARTNERS[country]
    return [first, second] if r.random() < weight else [second, first]


def sme_markets(country: str, stage: str, r: random.Random) -> list[str]:
    """Return the markets an SME sells to or targets; exporters reach farther."""
    first, second = partners(country, r)
    markets = [first]
    if r.random() < {"none": 0.15, "exploring": 0.3, "occasional": 0.45, "regular": 0.7}[stage]:
        markets.append(second)
    overseas = {"none": 0, "exploring": 0, "occasional": int(r.random() < 0.35),
                "regular": 1 + int(r.random() < 0.5)}[stage]
    return markets + r.sample(OVERSEAS_MARKETS[country], overseas)


def mentor_markets(country: str, r: random.Random) -> list[str]:
    """Return the markets a mentor knows: usually home, always a partner, sometimes more."""
    first, second = partners(country, r)
    markets = [country] if r.random() < 0.8 else []
    markets.append(first)
    if r.random() < 0.5:
        markets.append(second)
    if r.random() < 0.3:
        markets.append(r.choice(OVERSEAS_MARKETS[country]))
    return markets


def buyer_markets(country: str, r: random.Random) -> list[str]:
    """Return where a buyer sells: at home, sometimes in a partner country or overseas."""
    markets = [country]
    if r.random() < 0.3:
        markets.append(partners(country, r)[0])
    if r.random() < 0.15:
        markets.append(r.choice(OVERSEAS_MARKETS[country]))
    return markets


def sourcing_countries(country: str, r: random.Random) -> list[str]:
    """Return where a buyer sources: always a partner country, often home, sometimes overseas."""
    first, second = partners(country, r)
    sources = [first]
    if r.random() < 0.4:
        sources.append(second)
    if r.random() < 0.5:
        sources.append(country)
    if r.random() < 0.25:
        sources.extend(r.sample(LOW_COST_SOURCES, r.randint(1, 2)))
    return sources
