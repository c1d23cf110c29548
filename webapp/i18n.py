"""Locale selection: the user's preference, then the browser's Accept-Language."""

from flask import Flask, request
from flask_babel import get_locale
from flask_login import current_user

from matcher.taxonomy import LOCALES
from webapp.extensions import babel


def select_locale() -> str:
    """Return the locale for this request."""
    chosen = request.args.get("lang")
    if chosen in LOCALES:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    return request.accept_languages.best_match(LOCALES) or "en"


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with Puente's locale selector."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
