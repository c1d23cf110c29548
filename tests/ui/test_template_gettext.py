"""The templates' ``_`` reads as Jinja's new-style gettext: translated, variables escaped,
``%%`` formatted, plain text where a template does not escape."""

from __future__ import annotations

import pytest
from flask import render_template_string
from markupsafe import Markup


def rendered(app, source: str, lang: str = "en", **context) -> str:
    # An app context of its own, as each request has (its g keeps the request's language).
    with app.app_context(), app.test_request_context(f"/?lang={lang}"):
        return render_template_string(source, **context)


def test_a_message_is_translated_into_the_readers_language(app):
    assert rendered(app, "{{ _('Log out') }}", "fr") == "Se déconnecter"
    assert rendered(app, "{{ _('Log out') }}", "es") == "Cerrar sesión"
    assert rendered(app, "{{ _('Log out') }}") == "Log out"


def test_a_variable_is_escaped_and_the_message_is_not(app):
    page = rendered(app, "{{ _('Signed in as %(email)s', email=who) }}", who="<b>a&b</b>@x.org")
    assert page == "Signed in as &lt;b&gt;a&amp;b&lt;/b&gt;@x.org"


def test_a_percent_sign_is_written_once_even_without_variables(app):
    source = ("{{ _('A calibrated score has its bars on the line: introductions scored "
              "around 0.8 are accepted about 80%% of the time.') }}")
    assert "about 80% of the time" in rendered(app, source)
    assert "%%" not in rendered(app, source, "fr")


def test_where_a_template_does_not_escape_the_variable_is_written_as_it_is(app):
    source = ("{% autoescape false %}{{ _('Signed in as %(email)s', email=who) }}"
              "{% endautoescape %}")
    assert rendered(app, source, who="<b>") == "Signed in as <b>"


def test_a_missing_variable_is_an_error_as_in_jinja(app):
    with pytest.raises(KeyError):
        rendered(app, "{{ _('Signed in as %(email)s') }}")


def test_a_variable_already_marked_safe_stays_markup(app):
    page = rendered(app, "{{ _('Signed in as %(email)s', email=who) }}",
                    who=Markup("<b>x</b>"))
    assert page == "Signed in as <b>x</b>"
