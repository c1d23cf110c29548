"""The select widget writes the markup WTForms' own writes, for every kind of choice."""

from __future__ import annotations

import pytest
from flask_babel import lazy_gettext
from markupsafe import Markup
from wtforms import Form, SelectChoice
from wtforms import SelectField as WTFormsSelectField
from wtforms.validators import InputRequired

from webapp.ui.widgets import SelectField

CHOICES = {
    "text": [SelectChoice("US", "United States"), SelectChoice("MX", "México"),
             SelectChoice("CA", "Canada")],
    "empty value and no label": [SelectChoice("", "All"), SelectChoice("fr", None)],
    "markup in values and labels": [SelectChoice('a"b<c>&', "R&D <b>tools</b>"),
                                    SelectChoice("x", Markup("<em>kept</em>"))],
    "integers": [SelectChoice(1, "one"), SelectChoice(2, "two")],
    "booleans": [SelectChoice(True, "yes"), SelectChoice(False, "no")],
    "an option's own attributes": [SelectChoice("a", "A", render_kw={"disabled": True}),
                                   SelectChoice("b", "B")],
    "groups": [SelectChoice("a", "A", optgroup="First"), SelectChoice("b", "B", optgroup="Second")],
}


def _forms(choices, data, coerce=str, **field_args):
    class Ours(Form):
        field = SelectField("Field", choices=choices, coerce=coerce, **field_args)

    class Theirs(Form):
        field = WTFormsSelectField("Field", choices=choices, coerce=coerce, **field_args)

    return Ours(data={"field": data}), Theirs(data={"field": data})


@pytest.mark.parametrize("kind", CHOICES)
def test_the_select_is_written_as_wtforms_writes_it(kind):
    choices = CHOICES[kind]
    values = [c.value for c in choices]
    coerce = type(values[0]) if kind in ("integers", "booleans") else str
    for data in (*values, None):
        ours, theirs = _forms(choices, data, coerce)
        assert str(ours.field()) == str(theirs.field())
        assert str(ours.field(class_="wide", aria_describedby="help")) == str(
            theirs.field(class_="wide", aria_describedby="help"))


def test_a_selected_option_is_marked_and_text_escaped():
    ours, _ = _forms(CHOICES["markup in values and labels"], 'a"b<c>&')
    html = str(ours.field())
    assert ('<option selected value="a&#34;b&lt;c&gt;&amp;">'
            "R&amp;D &lt;b&gt;tools&lt;/b&gt;</option>") in html
    assert '<option value="x"><em>kept</em></option>' in html


def test_required_fields_keep_their_attribute():
    ours, theirs = _forms(CHOICES["text"], "MX", validators=[InputRequired()])
    assert str(ours.field()) == str(theirs.field())
    assert " required" in str(ours.field())


def test_labels_in_the_readers_language(app):
    label = lazy_gettext("All")
    with app.test_request_context("/?lang=es"):
        ours, theirs = _forms([SelectChoice("", label), SelectChoice("US", "US")], "")
        assert str(ours.field()) == str(theirs.field())
        assert ">Todos<" in str(ours.field()) or ">Todas<" in str(ours.field())


@pytest.mark.parametrize(("lang", "message"), [("en", "Not a valid choice."),
                                               ("es", "Opción inválida."),
                                               ("fr", "N'est pas un choix valide.")])
def test_wtforms_own_messages_speak_the_readers_language(app, lang, message):
    from werkzeug.datastructures import MultiDict

    from webapp.ui.forms import StorableForm

    class CountryForm(StorableForm):
        class Meta:
            csrf = False

        country = SelectField("Country", choices=[SelectChoice("US", "US")])

    for _ in range(2):  # the catalogue read once, then kept: the same words
        with app.test_request_context(f"/matches?lang={lang}"):
            form = CountryForm(MultiDict({"country": "ZZ"}))
            assert not form.validate()
            assert form.country.errors == [message]


def test_a_form_is_built_outside_a_request_too(app):
    from webapp.ui.forms import LoginForm

    with app.app_context():
        form = LoginForm(meta={"csrf": False})
        assert form.email.name == "email"
