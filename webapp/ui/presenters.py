"""Profile values as people read them: codes named in the reader's language, numbers and
dates formatted for the locale, and nothing the reader may not see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import format_date, format_decimal, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matcher import taxonomy as tx
from models import Profile
from webapp.ui.labels import VALUE_LABELS

CODE_NAMES = {
    "country": tx.country_name,
    "subdivision": tx.subdivision_name,
    "languages": tx.language_name,
    "markets": tx.country_name,
    "sourcing_countries": tx.country_name,
    "needs": tx.need_label,
    "expertise": tx.need_label,
}
# The heading and the status badge say the name and whether it is active; the city, the
# subdivision and the country say where it is (coordinates are for the ranking, not people).
NOT_SHOWN = ("name", "active", "latitude", "longitude")
# Labels for readers other than the owner (the editor's labels speak to the owner).
LABELS = {
    "description": _l("Description"), "country": _l("Country"),
    "subdivision": _l("State, province or territory"), "city": _l("City or town"),
    "latitude": _l("Latitude"), "longitude": _l("Longitude"),
    "sectors": _l("Sectors (NAICS 2022 codes)"), "languages": _l("Languages spoken"),
    "markets": _l("Markets"), "contact_email": _l("Contact e-mail"),
    "contact_phone": _l("Contact phone"), "needs": _l("Needs"),
    "needs_text": _l("Needs, in their own words"), "employees": _l("Employees"),
    "export_stage": _l("Export stage"), "certifications": _l("Certifications held"),
    "ownership": _l("Self-declared ownership"), "expertise": _l("Expertise"),
    "bio": _l("Biography"), "capacity": _l("Capacity (mentees at a time)"),
    "mode": _l("Mentoring mode"), "required_certifications": _l("Certifications required"),
    "sourcing_countries": _l("Sourcing countries"), "volume": _l("Order volume"),
    "diversity_goals": _l("Supplier-diversity goals"),
}
PRODUCTS_LABELS = {"sme": _l("Products and services offered"), "buyer": _l("Products sought"),
                   "mentor": _l("Products")}


@dataclass(frozen=True)
class Row:
    name: str
    label: str
    values: tuple[str, ...]  # one or several values, already readable
    link: str | None = None


def profile_rows(profile: Profile, shown: dict[str, Any], lang: str) -> list[Row]:
    """Return the filled-in fields of ``shown`` (the profile presenter's values for the
    reader) as labelled, readable rows."""
    labels = {**LABELS, "products_text": PRODUCTS_LABELS[profile.kind]}
    rows = []
    for name, value in shown.items():
        if name in NOT_SHOWN or value in (None, "", []):
            continue
        values = readable(name, value, lang)
        link = f"mailto:{value}" if name == "contact_email" else None
        rows.append(Row(name, str(labels.get(name, name)), values, link))
    if profile.response_rate is not None:  # answered ÷ (answered + expired), as the API says
        rows.append(Row("response_rate", _("Response rate"),
                        (format_percent(profile.response_rate),)))
    if profile.last_active_at is not None:
        rows.append(Row("last_active_at", _("Last active"), (format_date(profile.last_active_at),)))
    rows.append(Row("updated_at", _("Last updated"), (format_date(profile.updated_at),)))
    return rows


def readable(name: str, value: Any, lang: str) -> tuple[str, ...]:
    """Return a field's value as text for people, in the given language."""
    values = value if isinstance(value, list) else [value]
    if name in CODE_NAMES:
        return tuple(CODE_NAMES[name](code, lang) or code for code in values)
    if name in VALUE_LABELS:
        return tuple(str(VALUE_LABELS[name].get(code, code)) for code in values)
    if name == "sectors":
        return tuple(f"{code} — {tx.naics_title(code, lang) or ''}" for code in values)
    if name in ("latitude", "longitude", "capacity"):
        return (format_decimal(value, format="#,##0.####"),)
    if isinstance(value, bool):
        return (_("Yes") if value else _("No"),)
    return tuple(str(v) for v in values)
