"""Locale selection: ``?lang=``, the locale cookie, the user's preference, then Accept-Language."""

from __future__ import annotations

from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel.support import NullTranslations
from flask import Flask, Response, g, has_app_context, request
from flask_babel import format_date, format_datetime, get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from matcher.taxonomy import LOCALES
from webapp.catalogue.text import formatting_locale, language_of_tag
from webapp.extensions import babel

LOCALE_COOKIE = "puente_lang"
LOCALE_COOKIE_MAX_AGE = 365 * 24 * 3600
# Each language named in itself, so that anyone can find their own in the switcher.
LOCALE_NAMES = {"en": "English", "es": "Español", "fr": "Français"}


def select_locale() -> str:
    """Return the Babel locale of this request: its language (:func:`request_language`) as
    the program's region writes numbers and dates ("es" -> "es_MX", "fr" -> "fr_CA"; see
    :data:`webapp.catalogue.text.REGIONAL_LOCALES`). Translations are the language's own."""
    return formatting_locale(request_language())


def request_language() -> str:
    """Return the language of this request: ``?lang=``, the browser's cookie, the user's
    preference, ``Accept-Language``, English.

    The cookie comes before the preference: the switcher sets both, and signing in sets the
    cookie from the preference, so for a signed-in browser they agree — except on the
    requests right after a switch, where another worker may still hold the account's old
    preference (``webapp.services.account_cache``) and the pages flipped between the two
    languages. The cookie travels with the very next request, to whichever worker or host,
    and costs no database read. The preference speaks where there is no cookie: API clients
    with a token, e-mails, a browser's next sign-in.
    """
    chosen = language_of_tag(request.args.get("lang"))  # "ES", "fr-CA" alike (BCP 47)
    if chosen is not None:
        return chosen
    remembered = request.cookies.get(LOCALE_COOKIE)
    if remembered in LOCALES:
        return remembered
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    return request.accept_languages.best_match(LOCALES) or "en"


def current_locale() -> str:
    """Return the current language as a code: ``en``, ``es`` or ``fr``."""
    locale = get_locale()
    return locale.language if locale is not None else "en"


def remember_locale(response: Response, locale: str) -> Response:
    """Keep the chosen locale in the browser's cookie, which decides its pages' language
    (set by the switcher, at sign-up, sign-in and sign-out)."""
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


def translations() -> NullTranslations:
    """Return the current request's translations, as Flask-Babel's ``get_translations``.

    Flask-Babel finds them anew for every string (the request's context, the locale, its name,
    the cache) and a page shows some forty strings: 7 µs each. They are kept for the request
    with the locale object they were found for: :func:`flask_babel.force_locale` puts another
    locale in place (and back), which finds them again. Should Flask-Babel keep its locale
    elsewhere one day, every string simply asks it, as before.
    """
    if not has_app_context():
        return get_translations()
    locale = getattr(g.get("_flask_babel"), "babel_locale", None)
    kept = g.get("_puente_translations")
    if kept is not None and locale is not None and kept[0] is locale:
        return kept[1]
    found = get_translations()
    locale = getattr(g.get("_flask_babel"), "babel_locale", None)  # chosen by that call
    if locale is not None:
        g._puente_translations = (locale, found)
    return found


@pass_eval_context
def template_gettext(eval_ctx: EvalContext, string: str, /, **variables) -> str:
    """The templates' ``_``: Jinja's new-style gettext in one call.

    As Jinja's: the message translated, marked safe where the template escapes, then formatted
    with the variables (escaped); a message with a ``%`` is formatted even without any
    (``%%`` reads ``%``). Jinja's ``_`` reached it through an alias and a wrapper, each a
    call through the template's context (10 µs a message, some thirty a page).
    """
    text = translations().ugettext(string)
    if eval_ctx.autoescape:
        text = Markup(text)
    return text % variables if variables or "%" in text else text


def utc_datetime(value, format: str = "medium") -> str:
    """Format an instant for a page with no zone of its own (staff pages, the account's
    tokens): in UTC, as Flask-Babel's ``datetimeformat`` gives it, and saying so ("14:30 UTC")
    — read bare, a coordinator in Monterrey took it for their own afternoon."""
    return f"{format_datetime(value, format)} UTC"


def local_date(value, zone: str, format: str = "medium") -> str:
    """Format an instant's day as a reader in ``zone`` (an IANA id) names it: the day it is
    there — at 02:00 UTC it is still the day before in Texas, as the notifications say."""
    return format_date(value.astimezone(ZoneInfo(zone)).date(), format)


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with Puente's locale selector."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(  # Flask-Babel's, with the translations kept
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True)
    app.jinja_env.globals["_"] = template_gettext
    app.jinja_env.filters["utc_datetime"] = utc_datetime
    app.jinja_env.filters["local_date"] = local_date
    app.jinja_env.globals.update(get_locale=get_locale, current_locale=current_locale,
                                 locale_names=LOCALE_NAMES, path_without_lang=path_without_lang)
