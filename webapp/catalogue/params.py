"""How parameters are worded in the reader's language: codes named, lists joined, numbers kept.

A parameter is worded by its name: ``languages`` [es, en] -> "Spanish and English",
``needs`` -> need labels, ``country``/``from``/``to``/``markets`` -> country names, ``place``
-> a subdivision's name, ``kind``/``role`` -> kind words, ``state`` -> state labels, ``naics``
-> the NAICS title, ``stage``/``reached``/``stages`` -> outcome stage labels, ``ladder`` ->
the outcome ladder's name, ``date`` (an ISO day) -> the day as the reader's region writes it
(long, as the e-mails), ``rules`` -> what the must-match rules a pairing fails find wrong,
``sme`` + ``mentor`` -> a ``pair``. Other
lists are joined with commas; numbers stay numbers (for ``%(num)d`` and plural choice), but a
``min`` or ``max`` bound of five digits or more is grouped as the reader groups digits.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

from matcher import taxonomy as tx
from webapp.catalogue.text import N_, formatting_locale, translate
from webapp.catalogue.words import (
    ACTIONS,
    AND,
    KINDS,
    LADDERS,
    OR,
    OUTCOME_STAGES,
    SIDES,
    STATES,
    THINGS,
    UNMET_RULES,
)

PAIR = N_("SME %(sme)s – mentor %(mentor)s")
# An outcome ladder (``webapp.services.outcome_ladder``), named as the impact page's pairing
# filter names it.
def _join(items: Sequence[str], locale: str, word: str = AND) -> str:
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {translate(word, locale)} {items[-1]}"


def _language(code: str, locale: str) -> str:
    name = tx.language_name(code, locale) or code
    return name if locale == "en" else name.lower()


def _need(code: str, locale: str) -> str:
    return tx.need_label(code, locale) if tx.is_need(code) else code


def _country(code: str | None, locale: str) -> str:
    return (tx.country_name(code, locale) or code) if code else ""


def _km(value: Any, locale: str) -> str:
    return format_decimal(int(value), locale=formatting_locale(locale))


def _day(value: Any, locale: str) -> str:
    """Return an ISO day as the reader's region writes it, as the e-mails do ("7 de
    diciembre de 2026"); anything else as it is."""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return format_date(day, "long", locale=formatting_locale(locale))


def _bound(value: Any, locale: str) -> Any:
    """Return a bound as the reader writes it: a whole number of five digits or more grouped
    ("1,000,000,000,000"; "1 000 000 000 000" in French); smaller ones (years, lengths) as
    they are; a decimal one with the reader's decimal sign, without a needless ".0" (a
    score from 0 to 1; "0,5" in French)."""
    if isinstance(value, float) and math.isfinite(value):
        return format_decimal(value, locale=formatting_locale(locale))
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
        return format_decimal(value, locale=formatting_locale(locale))
    return _plain(value)


def _label(labels: Mapping[str, str], lower: bool = False) -> Callable[[Any, str], str]:
    def word(code: Any, locale: str) -> str:
        if code not in labels:
            return str(code)
        text = translate(labels[code], locale)
        return text.lower() if lower else text
    return word


def _listed(one: Callable[[Any, str], str], word: str = AND) -> Callable[[Any, str], str]:
    return lambda codes, loc: _join([one(c, loc) for c in codes], loc, word)


FORMATTERS: Mapping[str, Callable[[Any, str], str]] = {
    "languages": _listed(_language),
    "needs": lambda codes, loc: ", ".join(_need(c, loc) for c in codes),
    "markets": _listed(_country),
    "country": _country,
    "from": _country,
    "to": _country,
    "km": _km,
    "min": _bound,
    "max": _bound,
    "terms": _listed(lambda t, loc: f"“{t}”"),
    "place": lambda code, loc: tx.subdivision_name(code, loc) or code,
    "naics": lambda code, loc: (tx.naics_title(code, loc) or "") if code else "",
    "kind": _label(KINDS),
    "target_kind": _label(KINDS),
    "role": _label(KINDS),
    "allowed": _listed(_label(KINDS), OR),
    "state": _label(STATES, lower=True),
    "allowed_states": _listed(_label(STATES, lower=True), OR),
    "action": _label(ACTIONS),
    "sides": _listed(_label(SIDES), OR),
    "rules": _listed(_label(UNMET_RULES)),
    "what": _label(THINGS),
    "stage": _label(OUTCOME_STAGES),  # named as the outcome form names it
    "reached": _label(OUTCOME_STAGES),
    "stages": _listed(_label(OUTCOME_STAGES), OR),
    "ladder": _label(LADDERS),
    "date": _day,
}


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(map(str, value))
    return value


def worded(params: Mapping[str, Any], locale: str) -> dict[str, Any]:
    """Return the template values of ``params`` in ``locale``."""
    values = {name: FORMATTERS[name](value, locale) if name in FORMATTERS and value is not None
              else _plain(value) for name, value in params.items()}
    if "sme" in params and "mentor" in params and "pair" not in params:
        values["pair"] = translate(PAIR, locale, values)
    return values
