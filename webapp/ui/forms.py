"""Flask-WTF forms of the account pages (CSRF-protected, labels and messages translated)."""

from functools import lru_cache

from babel.support import Translations
from flask import has_request_context
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    FloatField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
)
from wtforms.i18n import messages_path
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    Regexp,
    StopValidation,
)

from matcher.taxonomy import LOCALES
from models.storable import has_unstorable
from webapp.auth import kept_csrf_token
from webapp.errors import Problem
from webapp.i18n import LOCALE_NAMES, current_locale
from webapp.services import accounts
from webapp.ui.helpers import decimal_as_typed, problem_text
from webapp.ui.labels import ROLE_LABELS, SIGNUP_ROLE_LABELS
from webapp.ui.widgets import SelectField

REQUIRED = _l("This field is required.")
MIN_PASSWORD = 8
# The shape of an address only; whether it receives mail is not checked here.
EMAIL_SHAPE = Regexp(rf"^{accounts.EMAIL_SHAPE.pattern}$",  # sign-up's rule, in one place
                     message=_l("Enter a valid e-mail address."))


NOT_TEXT = _l("This value is not valid.")


class _TypedNumber:
    """A number field whose unreadable value is told in the site's words ("Enter a number."),
    not WTForms' ("Not a valid float value."), and told once: the range and the other
    validators are not run on a value that is no number."""

    UNREADABLE = _l("Enter a number.")

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(self.UNREADABLE)) from None

    def pre_validate(self, form):
        typed = bool(self.raw_data and self.raw_data[0].strip())
        if self.process_errors and typed:  # nothing typed: "This field is required."
            raise StopValidation()


class LocaleFloatField(_TypedNumber, FloatField):
    """A number as the reader's language writes it: "0,5" in French is one half (see
    :func:`webapp.ui.helpers.decimal_as_typed`); anything else as WTForms' own field reads it."""

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [decimal_as_typed(valuelist[0].strip())]
        super().process_formdata(valuelist)


class WholeNumberField(_TypedNumber, IntegerField):
    """A whole number; "1,5" or "two" is told "Enter a whole number."."""

    UNREADABLE = _l("Enter a whole number.")


class YearField(WholeNumberField):
    """A year such as 2025 ("twenty" is told so, once)."""

    UNREADABLE = _l("Enter a year such as 2025.")


class StorableForm(FlaskForm):
    """A page form that refuses, next to the field, text the database cannot store.

    The one text rule (``models.storable``: no NUL, no lone surrogate) is applied to every
    submitted value of every field, whatever validators a field declares, so no form of the
    site can forget it (``tests/security/test_nul_characters.py`` checks that every page form
    is one of these).
    """

    def __init__(self, *args, **kwargs):
        if has_request_context():
            kept_csrf_token()  # the form's CSRF field reads it, signed once per session
        super().__init__(*args, **kwargs)
        if "csrf_token" in self._fields:
            # Rendered without an id: a page holding several forms would repeat it.
            self.csrf_token.render_kw = {**(self.csrf_token.render_kw or {}), "id": False}

    class Meta:
        def get_translations(self, form):
            """WTForms' own messages in the reader's language, read once per locale (Flask-WTF
            reads and parses the catalogue file again on every request that builds a form);
            outside a request, Flask-WTF's (none)."""
            if not has_request_context():
                return super().get_translations(form)
            return wtforms_translations(current_locale())

    def validate(self, extra_validators=None) -> bool:
        """Validate the fields, then refuse any field whose submitted text is not storable."""
        valid = super().validate(extra_validators)
        for field in self:
            if any(has_unstorable(value) for value in field.raw_data or ()):
                field.errors = [*field.errors, NOT_TEXT]  # a tuple when no validator ran
                valid = False
        return valid


class FilterForm(StorableForm):
    """The GET filters of a page (no CSRF: they change nothing). A filter given more than
    once where its field reads one value is refused next to it — it was read as the first
    value, the others dropped without a word; a multi-select takes every value."""

    class Meta:
        csrf = False

    def validate(self, extra_validators=None) -> bool:
        """Validate the filters, then refuse any single-valued one given more than once."""
        valid = super().validate(extra_validators)
        for field in self:
            if len(field.raw_data or ()) > 1 and not isinstance(field, SelectMultipleField):
                field.errors = [problem_text(Problem("repeated_parameter"))]
                valid = False
        return valid


@lru_cache(maxsize=len(LOCALES))
def wtforms_translations(locale: str) -> Translations:
    """Return WTForms' own catalogue ("Not a valid choice.", …) of a locale."""
    return Translations.load(messages_path(), [locale], domain="wtforms")


def locale_choices() -> list[SelectChoice]:
    """Return the locales, each named in its own language."""
    return [SelectChoice(code, LOCALE_NAMES[code]) for code in LOCALES]


class LoginForm(StorableForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(_l("Password"),
                             validators=[DataRequired(REQUIRED), Length(max=200)])


class SignupForm(StorableForm):
    role = RadioField(_l("I am"), choices=[SelectChoice(role, label)
                                                 for role, label in SIGNUP_ROLE_LABELS.items()],
                      validators=[InputRequired(_l("Choose what kind of account you need."))])
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(REQUIRED), Length(max=254, message=_l("Use at most 254 characters.")),
        EMAIL_SHAPE])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(REQUIRED),
        Length(min=MIN_PASSWORD, max=200, message=_l("Use 8 to 200 characters."))],
        description=_l("At least 8 characters."))
    locale = SelectField(_l("Language"), choices=locale_choices(),
                         description=_l("Puente will speak to you in this language."))


class LanguageForm(StorableForm):
    """The language switcher on every page and the preference on the account page."""

    lang = SelectField(_l("Language"), choices=locale_choices())
    next = HiddenField()


class TokenForm(StorableForm):
    name = StringField(_l("Token name"), validators=[
        DataRequired(_l("Give the token a name, e.g. the program that will use it.")),
        Length(max=100, message=_l("Use at most 100 characters."))])


class ConfirmForm(StorableForm):
    """A button that only needs the CSRF token (log out, revoke a token)."""


class NewPasswordForm(StorableForm):
    """Choose a password through an e-mailed link (a reset, or an invitation)."""

    new_password = PasswordField(_l("New password"), validators=[
        DataRequired(REQUIRED),
        Length(min=MIN_PASSWORD, max=200, message=_l("Use 8 to 200 characters."))],
        description=_l("At least 8 characters."))
    new_password_again = PasswordField(_l("New password, again"), validators=[
        DataRequired(REQUIRED),
        EqualTo("new_password", message=_l("The two new passwords differ."))])


class PasswordChangeForm(NewPasswordForm):
    """Change one's password: the current one, then the new one twice."""

    current_password = PasswordField(_l("Current password"), validators=[
        DataRequired(REQUIRED), Length(max=200, message=_l("Use at most 200 characters."))])


class ForgotPasswordForm(StorableForm):
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(REQUIRED), Length(max=254, message=_l("Use at most 254 characters.")),
        EMAIL_SHAPE], description=_l("The address of your Puente account."))


class InviteForm(StorableForm):
    """An admin invites a coordinator or an admin by e-mail."""

    email = EmailField(_l("E-mail"), validators=[
        DataRequired(REQUIRED), Length(max=254, message=_l("Use at most 254 characters.")),
        EMAIL_SHAPE])
    role = SelectField(_l("Role"), choices=[SelectChoice(role, ROLE_LABELS[role])
                                            for role in ("coordinator", "admin")])
    locale = SelectField(_l("Language"), choices=locale_choices(),
                         description=_l("The invitation is written in this language."))


class DeleteAccountForm(StorableForm):
    delete_password = PasswordField(_l("Your password"), validators=[
        DataRequired(REQUIRED), Length(max=200, message=_l("Use at most 200 characters."))])
    delete_confirm = BooleanField(
        _l("I understand that my account is deleted for good."),
        validators=[DataRequired(_l("Tick the box to confirm."))])
