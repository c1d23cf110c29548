"""E-mails of the introduction workflow and the account (``welcome``, ``signup_attempt``):
template name -> (subject msgid, body msgid).

Parameters: ``requester`` and ``target`` (profile display names), ``message`` (the request's
note), ``reason_code`` (a decline reason, named from ``words.DECLINE_REASONS``),
``note`` (the decline text, may be empty), ``expires_on`` (ISO date, written in the
reader's language: "December 21, 2026", "21 de diciembre de 2026"), ``days``, ``weeks``,
``url`` (the page the message is about: the introduction, the reset or verification link),
``forgot_url``, ``role_code`` (an account role, named from ``words.KINDS``), ``stage_code``
(an outcome step, named from ``words.OUTCOME_STAGES``), ``reporter`` (the profile a step was
reported for), ``occurred_on`` (ISO date); for messages and meetings ``author``, ``minutes``,
``zone`` (the reader's time zone, named in its language: ``calendar_invites.zone_words``),
``times`` and ``when`` (worded in the reader's language and zone). Messages carry no contact
details and no message text: the recipient opens the introduction to see them.
``declined_no_capacity`` is Puente's decline of a request waiting for a mentor whose last place
was taken: no reason was given, so none is said. ``party_left`` tells a requester that its
request was closed because the target's account was deleted or deactivated.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from babel.dates import format_date

from webapp.catalogue.text import N_, formatting_locale, locale_of, translate
from webapp.catalogue.words import DECLINE_REASONS, KINDS, OUTCOME_STAGES

SUBJECT_MAX = 200
DATES = ("expires_on", "occurred_on")  # ISO dates in the parameters, worded when rendered

EMAILS: Mapping[str, tuple[str, str]] = {
    "requested": (
        N_('%(requester)s would like an introduction'),
        N_('%(requester)s asks to be introduced to %(target)s on Puente.\n\nTheir message:\n'
           '%(message)s\n\nPlease accept or decline by %(expires_on)s; after that the request '
           'expires.\n%(url)s\n')),
    "reminder": (
        N_('Reminder: %(requester)s is waiting for your answer'),
        N_('%(requester)s asked to be introduced to %(target)s %(days)s days ago and is still '
           'waiting for an answer. The request expires on %(expires_on)s.\n%(url)s\n')),
    "accepted": (
        N_('%(target)s accepted your introduction'),
        N_("Good news: %(target)s accepted your request. You can now see each other's contact "
           'details in the introduction.\n%(url)s\n')),
    "declined": (
        N_('%(target)s declined your introduction'),
        N_('%(target)s declined your request. Reason given: %(reason)s.\n%(note)s\n'
           'Other matches may suit you better; see your matches on Puente.\n%(url)s\n')),
    # Declined by Puente, not by the mentor: its last place was taken (no reason was given).
    "declined_no_capacity": (
        N_('%(target)s has no room for new introductions'),
        N_('%(target)s has no room for new introductions right now, so your request was '
           'closed; you may ask again when they do.\nOther matches may suit you better; see '
           'your matches on Puente.\n%(url)s\n')),
    "withdrawn": (
        N_('%(requester)s withdrew their request'),
        N_('%(requester)s withdrew their request to be introduced to %(target)s. Nothing more '
           'is needed from you.\n%(url)s\n')),
    # Closed by Puente, not by the requester: the target's account was deleted or deactivated.
    "party_left": (
        N_('Your request to %(target)s was closed'),
        N_('%(target)s left Puente, so your request to be introduced to them was closed. '
           'Nothing more is needed from you; you can ask someone else from your matches.\n'
           '%(url)s\n')),
    "completed": (
        N_('Introduction completed: %(requester)s and %(target)s'),
        N_('The introduction between %(requester)s and %(target)s was marked completed. Please '
           'tell us how it went (a rating from 1 to 5).\n%(url)s\n')),
    "expired_requester": (
        N_('Your request to %(target)s expired'),
        N_('%(target)s did not answer your request within %(days)s days, so it expired. You '
           'can ask someone else from your matches.\n%(url)s\n')),
    "expired_target": (
        N_('The request from %(requester)s expired'),
        N_('The request from %(requester)s went unanswered for %(days)s days and expired. '
           'Answering requests promptly keeps your response rate high.\n%(url)s\n')),
    "outcome_prompt": (
        N_('How is it going with %(requester)s and %(target)s?'),
        N_('It is %(weeks)s weeks since %(requester)s and %(target)s were introduced. Did you '
           'meet, send samples or a quote, place an order, hold a mentoring session or reach a '
           'goal? Record each step in the introduction, and confirm the steps the other side '
           'recorded: the program counts confirmed steps only.\n%(url)s\n')),
    "outcome_confirm_request": (
        N_('%(reporter)s recorded a step: %(stage)s'),
        N_('%(reporter)s recorded a step of the introduction between %(requester)s and '
           '%(target)s: %(stage)s, on %(occurred_on)s. Please confirm it, or dispute it with a '
           'note, with the link below: the program counts confirmed steps only.\n%(url)s\n')),
    "outcome_next_step": (
        N_('Step confirmed: %(stage)s. What happened next?'),
        N_('The step %(stage)s of the introduction between %(requester)s and %(target)s is '
           'confirmed. When the next one happens (a meeting, samples, a quote, an order, a '
           'mentoring session or a goal reached), record it with the link below; the other '
           'side will be asked to confirm it.\n%(url)s\n')),
    "program_introduced_requester": (
        N_('The program introduces you to %(target)s'),
        N_('The Puente program coordinators introduced %(requester)s to %(target)s. '
           '%(target)s is asked to accept by %(expires_on)s; you will hear the answer. '
           'If this introduction is not for you, you can decline it.\n%(url)s\n')),
    "program_introduced_target": (
        N_('The program introduces %(requester)s to you'),
        N_('The Puente program coordinators introduced %(requester)s to %(target)s. '
           'Please accept or decline by %(expires_on)s; after that the introduction '
           'expires.\n%(url)s\n')),
    "program_accepted": (
        N_('%(target)s accepted the introduction'),
        N_("Good news: %(target)s accepted the introduction the program made. You can now see "
           "each other's contact details, write to each other and propose a meeting.\n"
           '%(url)s\n')),
    "program_turned_down": (
        N_('%(requester)s declined the introduction'),
        N_('%(requester)s will not take up the introduction to %(target)s that the program '
           'made. Nothing more is needed from you.\n%(url)s\n')),
    "message_received": (
        N_('New message from %(author)s'),
        N_('%(author)s wrote to you in your introduction on Puente. Read and answer it there '
           '(we send at most one notice like this every %(minutes)s minutes per '
           'conversation).\n%(url)s\n')),
    "meeting_proposed": (
        N_('%(author)s proposes a meeting'),
        N_('%(author)s proposes to meet (%(minutes)s minutes), at one of these times, shown in '
           'your time zone (%(zone)s):\n%(times)s\n%(note)s\nPick the one that suits you on '
           'Puente.\n%(url)s\n')),
    "meeting_confirmed": (
        N_('Meeting confirmed: %(when)s'),
        N_('%(requester)s and %(target)s meet on %(when)s (%(zone)s), for %(minutes)s minutes. '
           'The invitation is attached; add it to your calendar.\n%(note)s\n%(url)s\n')),
    "welcome": (
        N_('Welcome to Puente'),
        N_('Your Puente account is ready. Please confirm that this address is yours with the '
           'link below; then log in with it and the password you chose, and tell us about '
           'yourself so that we can suggest matches. Until you confirm, your profile is shown '
           'to nobody else and you cannot request introductions.\n%(url)s\n')),
    "signup_attempt": (
        N_('Someone tried to sign up with your address'),
        N_('Someone tried to open a Puente account with this e-mail address, which already has '
           'one. No account was opened and yours is unchanged. If it was you, log in; if you '
           'forgot your password, reset it from the login page.\n%(url)s\n')),
    "password_reset": (
        N_('Reset your Puente password'),
        N_('Someone asked to reset the password of the Puente account with this address. To '
           'choose a new password, open this link (it works once, for a short time):\n%(url)s\n\n'
           'If it was not you, ignore this message: your password is unchanged. A new link: '
           '%(forgot_url)s\n')),
    "verify_email": (
        N_('Confirm your e-mail address for Puente'),
        N_('Please confirm that this address is yours by opening this link. Until then your '
           'profile is not shown to others and you cannot request introductions.\n%(url)s\n')),
    "invitation": (
        N_('You are invited to Puente as %(role)s'),
        N_('An administrator of Puente invited you to join as %(role)s. Choose your password '
           'with this link (it works once, within %(days)s days):\n%(url)s\n')),
}

# The iCalendar invitation of a picked meeting: summary and description.
CALENDAR: Mapping[str, str] = {
    "summary": N_('Puente meeting: %(requester)s and %(target)s'),
    "description": N_('A first meeting agreed on Puente.\n%(note)s\n%(url)s'),
}


def render_email(name: str, locale: str | None, params: Mapping[str, Any]) -> tuple[str, str, str]:
    """Return ``(locale, subject, body)`` of an e-mail, in English when the locale is unknown."""
    locale = locale_of(locale)
    values = dict(params)
    if "reason_code" in values:
        values["reason"] = translate(DECLINE_REASONS[values["reason_code"]], locale)
    if "role_code" in values:
        values["role"] = translate(KINDS[values["role_code"]], locale)
    if "stage_code" in values:
        values["stage"] = translate(OUTCOME_STAGES[values["stage_code"]], locale)
    for key in DATES:  # stored as ISO dates, written as the reader's region writes them
        if key in values:
            values[key] = format_date(date.fromisoformat(str(values[key])), "long",
                                      locale=formatting_locale(locale))
    subject_id, body_id = EMAILS[name]
    subject = " ".join(translate(subject_id, locale, values).split())  # one header line
    return locale, subject[:SUBJECT_MAX], translate(body_id, locale, values)
