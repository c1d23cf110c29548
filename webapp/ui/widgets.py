"""Form widgets: WTForms' own, with the select's options written directly.

WTForms 3.3's select looks up its ``render_option``'s signature with ``inspect`` on every
render and writes each option through ``html_params`` and ``Markup.format``: 100 µs for the
matches page's two short filter selects, on every visit. :class:`Select` writes the same
markup (``tests/ui/test_widgets.py`` compares it with WTForms' for every kind of choice) and
leaves to WTForms any option that carries its own attributes.
"""

from __future__ import annotations

from markupsafe import Markup, escape
from wtforms import SelectField as _SelectField
from wtforms import widgets


class Select(widgets.Select):
    """WTForms' select widget, each plain option written as one string."""

    @classmethod
    def render_option(cls, choice, **kwargs) -> Markup:
        value = choice.value
        if kwargs or choice.render_kw or not isinstance(value, str | int | bool):
            return super().render_option(choice, **kwargs)
        selected = " selected" if choice.selected else ""
        label = escape(choice.label or value)
        return Markup(f'<option{selected} value="{escape(str(value))}">{label}</option>')

    @classmethod
    def _dispatch_render_option(cls):
        return cls.render_option  # its signature is WTForms' own: nothing to look up


class SelectField(_SelectField):
    """WTForms' select field with :class:`Select` as its widget."""

    widget = Select()
