"""Validation messages of the shared rules (marshmallow schemas, profile use cases), translated.

The API answers in English; pages show the same rule's message in the reader's language. Each
pattern matches one English message and renders its translation with the message's values.
A message without a pattern is shown as it is, so a new rule is never silent.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import ngettext

from matcher import taxonomy as tx
from webapp.i18n import current_locale

Render = Callable[[re.Match, bool], str]


def _required(match: re.Match, is_list: bool) -> str:
    return _("Choose at least one.") if is_list else _("This field is required.")


def _at_most(match: re.Match, is_list: bool) -> str:
    num = int(match["max"])
    if is_list:
        return ngettext("Choose at most %(num)d item.", "Choose at most %(num)d items.", num)
    return ngettext("Use at most %(num)d character.", "Use at most %(num)d characters.", num)


def _between(match: re.Match, is_list: bool) -> str:
    if match["min"] in ("0", "1"):
        return _at_most(match, is_list)
    return _("Use between %(min)s and %(max)s characters.", min=match["min"], max=match["max"])


def _at_least(match: re.Match, is_list: bool) -> str:
    num = int(match["min"])
    return ngettext("Choose at least %(num)d item.", "Choose at least %(num)d items.", num)


def _unknown_city(match: re.Match, is_list: bool) -> str:
    place = tx.subdivision_name(match["place"], current_locale()) or match["place"]
    return _("No town or city called “%(city)s” is known in %(place)s: check the spelling, "
             "or choose the nearest larger town.", city=match["city"], place=place)


RULES: tuple[tuple[re.Pattern, Render], ...] = tuple((re.compile(p), render) for p, render in (
    (r"Missing data for required field\.|Field may not be null\.", _required),
    (r"Give at least 1\.", _required),
    (r"Give at least (?P<min>\d+)\.", _at_least),
    (r"Longer than maximum length (?P<max>\d+)\.", _at_most),
    (r"At most (?P<max>\d+) items\.", lambda m, _l: _at_most(m, True)),
    (r"Length must be between (?P<min>\d+) and (?P<max>\d+)\.", _between),
    (r"Unknown NAICS 2022 code: (?P<codes>.+)\.",
     lambda m, _l: _("Unknown NAICS 2022 code: %(codes)s.", codes=m["codes"])),
    (r"Unknown ISO 639 language code: (?P<codes>.+)\.",
     lambda m, _l: _("Unknown language code: %(codes)s.", codes=m["codes"])),
    (r"Unknown ISO 3166-1 alpha-2 country code: (?P<codes>.+)\.",
     lambda m, _l: _("Unknown country code: %(codes)s.", codes=m["codes"])),
    (r"Unknown need code: (?P<codes>.+)\.",
     lambda m, _l: _("Unknown need: %(codes)s.", codes=m["codes"])),
    (r"Must be one of.*", lambda m, _l: _("Choose one of the options.")),
    (r"Not a subdivision of \w+: .+\.",
     lambda m, _l: _("Choose a state, province or territory of the selected country.")),
    (r"Not a valid email address\.", lambda m, _l: _("Enter a valid e-mail address.")),
    (r"Not a valid integer\.", lambda m, _l: _("Enter a whole number.")),
    (r"Must be greater than or equal to (?P<min>\S+) and less than or equal to (?P<max>\S+)\.",
     lambda m, _l: _("Enter a number from %(min)s to %(max)s.", min=m["min"], max=m["max"])),
    (r"Use digits, spaces and \+ \( \) \. - only\.",
     lambda m, _l: _("Use digits, spaces and + ( ) . - only.")),
    (r"No city called '(?P<city>.+)' in (?P<place>[A-Z]{2}-\w+);.*", _unknown_city),
    (r"Cannot be lower than the current load: .*",
     lambda m, _l: _("Cannot be lower than the number of introductions accepted and not yet "
                     "completed.")),
    (r"Not a valid (string|list|boolean)\.", lambda m, _l: _("This value is not valid.")),
    (r"Contains a NUL character .*", lambda m, _l: _("This value is not valid.")),
    (r"Use at least (?P<min>\d+) characters\.",
     lambda m, _l: _("Use at least %(num)s characters.", num=m["min"])),
    (r"This password is among the most common ones; choose another\.",
     lambda m, _l: _("This password is among the most common ones; choose another.")),
    (r"Do not use your e-mail address as your password\.",
     lambda m, _l: _("Do not use your e-mail address as your password.")),
))


def translate_message(message: str, is_list: bool = False) -> str:
    """Return a validation message of the shared rules in the current locale."""
    for pattern, render in RULES:
        match = pattern.fullmatch(message)
        if match:
            return render(match, is_list)
    return message
