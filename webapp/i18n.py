"""Locale selection: ``?lang=``, the user's preference, the locale cookie, then Accept-Language."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, request
from flask_babel import get_locale
from flask_login import current_user

from matcher.taxonomy import LOCALES
from webapp.extensions import babel

LOCALE_COOKIE = "puente_lang"
LOCALE_COOKIE_MAX_AGE = 365 * 24 * 3600
# Each language named in itself, so that anyone can find their own in the switcher.
LOCALE_NAMES = {"en": "English", "es": "Español", "fr": "Français"}


def select_locale() -> str:
    """Return the locale for this request."""
    chosen = request.args.get("lang")
    if chosen in LOCALES:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    remembered = request.cookies.get(LOCALE_COOKIE)
    if remembered in LOCALES:
        return remembered
    return request.accept_languages.best_match(LOCALES) or "en"


def current_locale() -> str:
    """Return the current locale as a code: ``en``, ``es`` or ``fr``."""
    return str(get_locale() or "en")


def remember_locale(response: Response, locale: str) -> Response:
    """Keep the chosen locale in a cookie (visitors who are not signed in)."""
    response.set_cookie(LOCALE_COOKIE, locale, max_age=LOCALE_COOKIE_MAX_AGE,
                        httponly=True, samesite="Lax")
    return response


def path_without_lang() -> str:
    """Return the current page's path and query string less any ``lang`` argument.

    After a form post whose URL has no page of its own (e.g. creating a token), the home page.
    """
    rule = request.url_rule
    if request.method != "GET" and (rule is None or "GET" not in (rule.methods or ())):
        return "/"
    args = [(k, v) for k, values in request.args.lists() if k != "lang" for v in values]
    return request.path + ("?" + urlencode(args) if args else "")


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with Puente's locale selector."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(get_locale=get_locale, current_locale=current_locale,
                                 locale_names=LOCALE_NAMES, path_without_lang=path_without_lang)
