"""Small functions the templates call, and the page number the paged views read."""

from __future__ import annotations

import re
from typing import Any

from babel.numbers import NumberFormatError, get_group_symbol, parse_decimal
from flask import abort, request
from flask_babel import get_locale
from werkzeug.datastructures import MultiDict
from wtforms import Field

from matcher.taxonomy import (
    COMMON_CERTIFICATIONS,
    PROGRAM_COUNTRIES,
    country_name,
    naics_title,
    subdivision_name,
)
from webapp import catalogue, policy
from webapp.errors import Problem
from webapp.i18n import current_locale
from webapp.schemas.fields import MAX_PAGE
from webapp.ui.labels import ROLE_LABELS


def require(allowed: bool) -> None:
    """Answer 403 unless the policy allowed what the page does."""
    if not allowed:
        abort(403)


def query_args() -> dict[str, str]:
    """Return the request's query-string arguments to carry into a URL built with
    :func:`flask.url_for`, without those it would read as its own keywords (``_scheme``,
    ``_external``, ``_anchor``, …): passed on, they made a 500, or an absolute URL of any
    scheme in a form's action."""
    return {key: value for key, value in request.args.items() if not key.startswith("_")}


def problem_text(problem: Any) -> str:
    """Return a field problem (or a refusal given as one) in the reader's language."""
    return catalogue.describe_problem(problem, current_locale())


def refusal_text(error: Any) -> str:
    """Return a refused use case's message (a :class:`webapp.errors.PuenteError`) in the
    reader's language."""
    return catalogue.describe(error.code, current_locale(), **error.params)


def aria_attrs(field: Field, hint: Any = None) -> dict[str, str]:
    """Return the attributes tying a control to its hint and its error messages."""
    ids = []
    if hint or field.description:
        ids.append(f"{field.id}-hint")
    if field.errors:
        ids.append(f"{field.id}-error")
    attrs = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return attrs


TEMPLATE_HELPERS = {
    "aria_attrs": aria_attrs, "naics_title": naics_title, "country_name": country_name,
    "subdivision_name": subdivision_name, "program_countries": PROGRAM_COUNTRIES,
    "certifications": COMMON_CERTIFICATIONS, "role_labels": ROLE_LABELS,
    "policy": policy,  # pages ask who may see what, as views do
}


def repeated_refusal(name: str, args: MultiDict | None = None) -> str | None:
    """Return why the query parameter ``name`` (of ``args``, the request's by default), which
    a page reads once, is refused when given more than once — in the reader's language — or
    None when it is given once or not at all."""
    if len((request.args if args is None else args).getlist(name)) < 2:
        return None
    return problem_text(Problem("repeated_parameter"))


def page_number(args: MultiDict | None = None) -> int:
    """Return the ``?page=`` number (of ``args``, the request's by default); anything but a
    whole number from 1 reads as page 1 (:func:`page_refusal` says why)."""
    raw = (request.args if args is None else args).get("page", "").strip()
    return int(raw) if raw and page_refusal(args) is None else 1


def page_refusal(args: MultiDict | None = None, last: int = MAX_PAGE) -> str | None:
    """Return why the ``?page=`` asked (of ``args``, the request's by default) is refused,
    in the reader's language — a whole number from 1 to ``last`` (:data:`MAX_PAGE`, as the
    API takes), given once — or None when it is good or not given."""
    if (repeated := repeated_refusal("page", args)) is not None:
        return repeated
    raw = (request.args if args is None else args).get("page", "").strip()
    if not raw:
        return None
    digits = raw.removeprefix("-").removeprefix("+")
    if not digits.isdecimal():  # what int() reads, as the API's schema does
        return problem_text(Problem("not_integer"))
    if raw.startswith("-") or len(digits) > 6 or not 1 <= int(digits) <= last:
        return problem_text(Problem("out_of_range", min=1, max=last))
    return None


_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
# What a number written by hand may hold: ASCII digits, a sign, the groups' and decimals'
# marks. Nothing else reaches Babel's parser, which also takes exponents ("1E+99999999",
# a hundred million digits once written out) and other scripts' digits.
_AS_TYPED = re.compile(r"-?[0-9][0-9 \u00a0\u202f.,]{0,39}")
_SPACES = re.compile(r"[ \u00a0\u202f]")


def decimal_as_typed(value: str) -> str:
    """Return a number typed in a page's form as the API reads it: "12500.50" as it is, else
    as the reader's region writes numbers ("12 500,50" in French, "12,500.50" in Spanish:
    both "12500.50"); any space groups where the locale groups with one. Strict: misplaced
    groups ("12,50,0") or a Spanish-from-Spain "1.234,56" are no number here, and come back
    as typed, for the schema to refuse naming the field."""
    if _PLAIN_DECIMAL.fullmatch(value) or not _AS_TYPED.fullmatch(value):
        return value
    locale = get_locale()
    group = get_group_symbol(locale)
    typed = _SPACES.sub(group, value) if _SPACES.fullmatch(group) else value
    try:
        return format(parse_decimal(typed, locale=locale, strict=True), "f")
    except (NumberFormatError, ArithmeticError):
        return value
