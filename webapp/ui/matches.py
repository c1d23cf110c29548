"""My matches: the signed-in user's ranked candidates, filters, and introduction requests."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from babel.numbers import format_percent
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    HiddenField,
    SearchField,
    SelectChoice,
    TextAreaField,
)
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, Length

from models import Profile, db
from webapp import policy
from webapp.app_memo import app_memo
from webapp.catalogue import render_reason
from webapp.catalogue.text import formatting_locale
from webapp.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyRequests,
    record_access_denied,
)
from webapp.i18n import current_locale
from webapp.schemas.introductions import MESSAGE_MAX, IntroductionRequestSchema
from webapp.schemas.matches import MAX_DEPTH, MAX_QUERY
from webapp.services import introductions as intro_service
from webapp.services.match_cards import OwnerCards, profile_with_cards
from webapp.services.matching import CANDIDATE_KINDS, DEFAULT_CANDIDATE_KIND, rank_page_for
from webapp.ui.forms import FilterForm, StorableForm
from webapp.ui.helpers import (
    PROGRAM_COUNTRIES,
    country_name,
    page_number,
    page_refusal,
    problem_text,
    refusal_text,
    subdivision_name,
)
from webapp.ui.homes import made_by_program, own_profile
from webapp.ui.id_urls import IdUrl
from webapp.ui.labels import KIND_PLURALS
from webapp.ui.repeated_args import reads_args
from webapp.ui.views import bp
from webapp.ui.widgets import SelectField

MATCHES_SHOWN = 20  # per page
LAST_PAGE = MAX_DEPTH // MATCHES_SHOWN
FILTER_KEYS = ("kind", "country", "cross_border", "q", "page", "lang")  # and the language
BAR_STEP = 5  # the stylesheet has one width class per step: .w-0, .w-5, … .w-100


class MatchFilterForm(FilterForm):
    """The GET filters of the list (no CSRF: they change nothing)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search by name or keyword"), validators=[Length(max=MAX_QUERY)])
    kind = SelectField(_l("Looking for"))
    cross_border = BooleanField(_l("Across the border only"))
    country = SelectField(_l("Country"))


class RequestIntroductionForm(StorableForm):
    target_id = HiddenField(validators=[DataRequired(_l("This field is required."))])
    message = TextAreaField(_l("Message"), validators=[Length(max=MESSAGE_MAX, message=_l(
        "Use at most %(max)d characters."))])

    def asked_id(self) -> int | None:
        """Return the profile id the request names, read as the request reads it (None when
        it names none): the card it belongs to shows its errors."""
        try:
            return int(self.target_id.data)
        except (TypeError, ValueError):
            return None


def bar_width(score: float) -> int:
    """Return the score bar's width in percent, rounded to the stylesheet's step."""
    percent = max(0.0, min(1.0, score)) * 100
    return int(round(percent / BAR_STEP) * BAR_STEP)


@lru_cache(maxsize=4096)
def fit_percent(score, locale: str) -> str:
    """Return the score as the page prints it ("83 %" in French), worded once per score: the
    same matches come back with the same scores on every visit."""
    return format_percent(score, locale=formatting_locale(locale))


@dataclass(frozen=True, slots=True)
class CardLinks:
    """Where a match card's title, mark buttons and introduction link go."""

    detail: str
    save: str  # "unsave" when the card is saved
    hide: str
    introduction: str | None = None  # /introductions/<id>: the inbox page that holds it


@dataclass(frozen=True, slots=True)
class MatchRow:
    """What the page shows of one match (attributes, not dict keys: a template reads a dict's
    key only after looking for an attribute of that name and catching the error)."""

    profile: Any
    fit: str
    place: str
    bar: str
    reasons: list[str]
    saved: bool
    intro: Any
    urls: CardLinks
    by_program: bool = False  # the introduction is the program's (a cohort), not a request


def match_rows(ranked, locale: str, cards: OwnerCards, here=None) -> list[MatchRow]:
    """Return what the page shows of each match: profile, where it is, score, bar width,
    reasons, the card's state (saved, the latest introduction between the two) and its links
    (``here``: the query-string arguments the card's forms keep); ``cards``: the owner's
    marks and introductions, read with its profile. Worded here rather than in the template, where
    each helper call costs several times its own work, twenty cards a page."""
    states = cards.states([r.profile.id for r in ranked])
    here = here or {}
    detail = IdUrl("ui.profile_detail", "profile_id")
    marking = {verb: IdUrl("ui.mark_match", "candidate_id", verb=verb, **here)
               for verb in ("save", "unsave", "hide")}
    introduction = IdUrl("ui.introduction_link", "intro_id")
    # Whether the program made a waiting (or turned-down) introduction changes what its card
    # says (read with the owner's profile on a GET; the cards' own columns carry no origin).
    program = made_by_program([s.introduction.id for s in states.values() if s.introduction
                               and s.introduction.state in ("requested", "withdrawn")])
    rows = []
    for r in ranked:
        p, score = r.profile, r.match.score
        saved = states[p.id].mark == "saved"
        intro = states[p.id].introduction
        rows.append(MatchRow(
            profile=p, fit=fit_percent(score, locale),
            place=", ".join([p.city, subdivision_name(p.subdivision, locale) or p.subdivision,
                             country_name(p.country, locale)]),
            bar=f"w-{bar_width(score)}",
            reasons=[render_reason(reason, locale) for reason in r.match.reasons],
            saved=saved, intro=intro,
            urls=CardLinks(detail(p.id), marking["unsave" if saved else "save"](p.id),
                           marking["hide"](p.id), introduction(intro.id) if intro else None),
            by_program=intro is not None and intro.id in program))
    return rows


def filter_args() -> dict[str, str]:
    """Return the list's query-string arguments worth keeping across a form post."""
    return {key: request.args[key] for key in FILTER_KEYS if request.args.get(key)}


FILTER_FIELDS = tuple(sorted(name for name, value in vars(MatchFilterForm).items()
                             if isinstance(value, UnboundField)))
FILTERS_KEPT = 512  # read filters a worker keeps: distinct query strings, languages, kinds


@dataclass(frozen=True, slots=True)
class ListFilters:
    """The list's filters as read from the query string, and their form as rendered."""

    kind: str
    country: str | None
    cross_border: bool
    q: str | None
    form: Markup
    refused: frozenset[str] = frozenset()  # fields whose value was refused (the form says
    # why next to each; the list and its links go on without them)


def list_filters(owner_kind: str) -> ListFilters:
    """Return the list's filters read from the query string (a bad value falls back to its
    default, its error next to its field) and their form, rendered in the reader's language.

    Both follow from the filter fields' values, the owner's kind, the language and the
    site's root alone, so each worker keeps the last few hundred it read: a list's next
    visit or page reads and renders no form (a third of a millisecond of the page).
    """
    asked = tuple(tuple(request.args.getlist(name)) for name in FILTER_FIELDS)
    return app_memo("puente.match_filters", FILTERS_KEPT, _read_filters)(
        owner_kind, asked, current_locale(), request.script_root)


def _read_filters(owner_kind: str, asked: tuple[tuple[str, ...], ...], locale: str,
                  script_root: str) -> ListFilters:
    """Read and render the filters of :func:`list_filters` (``locale`` and ``script_root``
    key the kept copies: the request's own are the ones rendered)."""
    form = filter_form(owner_kind, MultiDict(
        [(name, value) for name, values in zip(FILTER_FIELDS, asked, strict=True)
         for value in values]))
    return ListFilters(kind=form.kind.data, country=form.country.data or None,
                       cross_border=bool(form.cross_border.data),
                       q=(form.q.data or "").strip() or None,
                       form=Markup(render_template("_match_filters.html", filters=form)),
                       refused=frozenset(form.errors))


def filter_form(owner_kind: str, args: MultiDict) -> MatchFilterForm:
    """Return the filter form read from query-string arguments; a bad value falls back to
    its default, its error kept for the form to show."""
    form = MatchFilterForm(args)
    form.kind.choices = [SelectChoice(k, KIND_PLURALS[k]) for k in CANDIDATE_KINDS[owner_kind]]
    form.country.choices = [SelectChoice("", _("All"))] + [
        SelectChoice(cc, country_name(cc, current_locale())) for cc in PROGRAM_COUNTRIES]
    if not form.validate():
        for field in (form.kind, form.country, form.q, form.cross_border):
            if field.errors:
                field.data = None
            if not args.get(field.name):  # nothing asked, nothing refused: the default
                field.errors = []
    form.kind.data = form.kind.data or DEFAULT_CANDIDATE_KIND[owner_kind]
    return form


@bp.route("/matches", methods=["GET", "POST"])
@reads_args(*FILTER_FIELDS, "page")
@login_required
def matches():
    """Show the ranked matches of the user's own profile; POST requests an introduction."""
    if not policy.has_own_profile(current_user):
        return redirect(url_for("ui.profiles"))
    profile, cards = own_profile()
    if profile is None:
        flash(_("Create your profile first: your matches are computed from it."))
        return redirect(url_for("ui.my_profile"))
    request_form, status, headers = None, 200, {}  # a GET's cards show no request's errors
    if request.method == "POST":
        request_form = RequestIntroductionForm()
        refused = request_intro(request_form)
        if refused is None:
            return redirect(url_for("ui.matches", **filter_args()))
        status, headers = refused
    filters = list_filters(profile.kind)
    # the first page is shown, and why: no page, or one past the ranking's depth (the API's)
    page_error = page_refusal(last=LAST_PAGE)
    if (filters.refused or page_error) and status == 200:
        status = 422  # the list is shown without the refused filter, which the form names
    page = 1 if page_error else page_number()
    if cards is None:  # a POST: read after its writes
        cards = profile_with_cards(profile.id)[1]
    ranked, more, version = rank_page_for(
        # The user itself, not the proxy: each card's policy checks read it several times.
        current_user._get_current_object(), profile, filters.kind, MATCHES_SHOWN,
        cross_border="only" if filters.cross_border else "any", country=filters.country,
        offset=(page - 1) * MATCHES_SHOWN, q=filters.q, marks=cards.marks,
        seen=cards.seen)
    # The cards' forms keep the list's own arguments only: any other (``_scheme``,
    # ``_external``, a route's ``verb``) would be a keyword of url_for, not a filter.
    here = {k: v for k, v in filter_args().items()
            if k not in filters.refused and not (k == "page" and page_error)}
    args = {k: v for k, v in here.items() if k != "page"}
    pages = {"number": page,
             "previous": url_for("ui.matches", **args, page=page - 1) if page > 1 else None,
             "next": (url_for("ui.matches", **args, page=page + 1)
                      if more and page < LAST_PAGE else None)}
    return render_template("matches.html", profile=profile, filters=filters, pages=pages,
                           rows=match_rows(ranked, current_locale(), cards, here),
                           here=here, page_error=page_error,
                           model_version=version, request_form=request_form,
                           view="all", undo=hidden_now(cards)), status, headers


def hidden_now(cards: OwnerCards):
    """Return the profile just hidden (``?hidden=<id>``, to offer an undo), if the owner's
    ``cards`` say it is."""
    raw = request.args.get("hidden", "")
    if not raw.isdecimal() or len(raw) > 12:  # not isdigit: int() reads no "²"
        return None
    if cards.marks.get(int(raw)) != "hidden":
        return None
    return db.session.get(Profile, int(raw))


def request_intro(form: RequestIntroductionForm) -> tuple[int, dict[str, str]] | None:
    """Request an introduction from the form; None when done, else the refusal's status and
    headers (the errors are on the form; a spent budget says when to try again, as the API's
    ``Retry-After`` does)."""
    if not form.validate_on_submit():
        return 422, {}
    try:
        # The API's rules for what is asked (an id in range), before the use case reads it.
        data = IntroductionRequestSchema().load({"target_id": form.asked_id(),
                                                 "message": form.message.data or ""})
        intro_service.request_introduction(current_user, data)
    except TooManyRequests as err:
        form.target_id.errors = [_("You have asked for many introductions in a short time; "
                                   "please try again later.")]
        return 429, dict(err.headers)
    except (InvalidInput, ValidationError, NotFound) as err:
        problems = err.fields.get("target_id", ()) if isinstance(err, InvalidInput) else ()
        ruled_out = [p for p in problems if p.code == "excluded_by_program_rules"]
        form.target_id.errors = ([problem_text(ruled_out[0])] if ruled_out else
                                 [_("This profile cannot be asked for an introduction.")])
        return 422, {}
    except (Conflict, Forbidden) as err:
        if isinstance(err, Forbidden):
            record_access_denied()
        form.target_id.errors = [conflict_message(err)]
        return 422, {}
    flash(_("Introduction requested. You will be told when they answer."))
    return None


# Refusals of a request worded for the page's reader ("you"); other codes: the catalogue's.
REQUEST_REFUSALS = {
    "introduction_open": _l("You already have an open introduction with this profile."),
    "introduction_open_now": _l("You already have an open introduction with this profile."),
    "too_many_open_requests": _l(
        "You have too many unanswered requests; wait for an answer or withdraw one."),
    "requester_inactive": _l("Your profile is hidden; make it visible first."),
    "target_unavailable": _l("This profile is not taking new introductions at the moment."),
    "mentor_full": _l("This profile is not taking new introductions at the moment."),
}


def conflict_message(err: Conflict | Forbidden) -> str:
    """Return the reader's-language message of an introduction request refusal."""
    page_text = REQUEST_REFUSALS.get(err.code)
    return str(page_text) if page_text is not None else refusal_text(err)
