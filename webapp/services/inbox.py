"""In-app notices: written with the event they tell about, counted, listed, marked read.

``notify_in_app`` adds notices to the caller's write transaction (the same commit as the event
and its e-mail), so a notice exists exactly when its event does. A notice holds a kind (a code
of :mod:`webapp.catalogue.notices`) and parameters; it is worded in the reader's language when
read, with the parties' names as the introduction has them then, a retired profile's fixed
name in the reader's language (:func:`notice_params`, :func:`shown_name`). The
navigation bar's count is one indexed count per request (``ix_notices_user_id_read_at``).
Where a notice leads, the introduction's place in the reader's lists (:func:`listed_before`)
tells which page holds it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import String, and_, bindparam, cast, func, or_, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from models import Introduction, Notice, Profile, User, db, utcnow
from models.introductions import PROGRAM, REQUESTED, WITHDRAWN
from models.storable import valid_id
from webapp import policy
from webapp.catalogue import word
from webapp.catalogue.notices import NOTICE_KINDS
from webapp.catalogue.words import RETIRED_NAME
from webapp.errors import NotFound
from webapp.i18n import current_locale
from webapp.services import capacity
from webapp.services.match_cards import CARD_COLUMNS, OwnerCards
from webapp.services.paging import Page
from webapp.services.transactions import write_transaction


def notify_in_app(user_ids: Iterable[int | None], kind: str, *,
                  introduction_id: int | None = None, **params: Any) -> list[Notice]:
    """Add a notice of ``kind`` for each user to the current transaction (none for None).

    Call it inside the use case's ``write_transaction``: the notice commits with the event.
    ``params`` are JSON values (codes, ids, numbers), worded when the notice is read; the
    introduction's parties are named from it then (``requester``, ``target``, and ``party``
    for a ``party_id``), so a notice never keeps a name its owner changed or erased.
    """
    if kind not in NOTICE_KINDS:
        raise ValueError(f"no wording for notice kind {kind!r}")
    now = utcnow()
    notices = [Notice(user_id=user_id, kind=kind, introduction_id=introduction_id,
                      params=dict(params), created_at=now)
               for user_id in dict.fromkeys(user_ids) if user_id is not None]
    db.session.add_all(notices)
    return notices


def has_unread(user_id: int, kind: str, introduction_id: int) -> bool:
    """Tell whether the user has an unread notice of this kind about the introduction."""
    return db.session.scalar(db.select(Notice.id).where(
        Notice.user_id == user_id, Notice.kind == kind, Notice.read_at.is_(None),
        Notice.introduction_id == introduction_id).limit(1)) is not None


# Composed once, with a parameter (counted on every page a signed-in user opens).
_UNREAD = select(func.count(Notice.id)).where(Notice.user_id == bindparam("user"),
                                              Notice.read_at.is_(None))


def unread_count(user: User) -> int:
    """Return how many of the user's notices are unread (one indexed count).

    A Core statement on the session's connection: the ORM's execution and result handling
    cost half again the count itself, on every page a signed-in user opens. Notices this
    session holds unwritten are flushed first, as the ORM's autoflush would."""
    session = db.session()
    if session.new or session.dirty or session.deleted:
        session.flush()
    return session.connection().execute(_UNREAD, {"user": user.id}).scalar() or 0


PROGRAM_WAITING = (
    select(func.aggregate_strings(cast(Introduction.id, String), ","))
    .where(or_(Introduction.requester_id == Profile.id, Introduction.target_id == Profile.id),
           Introduction.origin == PROGRAM, Introduction.state.in_((REQUESTED, WITHDRAWN)))
    .scalar_subquery())
"""The ids of a profile's introductions that the program made and that wait for an answer (or
that the SME turned down), as one text, to select beside the profile: its match cards say so
(:data:`CARD_COLUMNS` carry no origin)."""

# Composed once, with parameters (as _UNREAD): composing it per request costs more than its
# execution's own Python.
_OWN_PROFILE_UNREAD_AND_CARDS = select(Profile, _UNREAD.scalar_subquery(), *CARD_COLUMNS,
                                       PROGRAM_WAITING).where(Profile.user_id == bindparam("user"))


class OwnProfile(NamedTuple):
    """The user's own profile (None without one), how many of its notices are unread, its
    match cards and which of its waiting introductions the program made (None, not read,
    without a profile)."""

    profile: Profile | None
    unread: int | None
    cards: OwnerCards | None
    program: frozenset[int] | None = None


def own_profile_unread_and_cards(user: User) -> OwnProfile:
    """Return the user's own profile, how many of its notices are unread and its match cards
    (its marks and introductions, :mod:`webapp.services.match_cards`), read in one statement:
    the matches page shows the count in its header and the cards beside the ranking, and each
    round trip costs more than its columns. The profile becomes the user's (``user.profile``
    reads no more)."""
    row = db.session.execute(_OWN_PROFILE_UNREAD_AND_CARDS, {"user": user.id}).first()
    if row is None:
        set_committed_value(user, "profile", None)
        return OwnProfile(None, None, None)
    profile, count, marks, introductions, program = row
    set_committed_value(user, "profile", profile)
    return OwnProfile(profile, count, OwnerCards.parse(profile.id, marks, introductions),
                      frozenset(int(i) for i in program.split(",")) if program else frozenset())


def made_by_program(introduction_ids: Collection[int]) -> set[int]:
    """Return which of the introductions the program made (cohorts), not one party's
    request: the match cards tell them apart (their columns carry no origin; a GET reads
    them with the owner's profile, :data:`PROGRAM_WAITING`)."""
    if not introduction_ids:
        return set()
    return set(db.session.scalars(select(Introduction.id).where(
        Introduction.id.in_(introduction_ids), Introduction.origin == PROGRAM)))


def listed_before(user: User, intro: Introduction,
                  states: Collection[str] | None = None) -> int:
    """Return how many introductions come before ``intro`` in the user's list of those in
    ``states`` (all without): its own as a party, every one for staff, newest first as
    :func:`webapp.services.introductions.list_introductions` orders them. Its page follows:
    ``listed_before // per_page + 1``."""
    created = select(Introduction.created_at).where(
        Introduction.id == intro.id).scalar_subquery()
    query = select(func.count(Introduction.id)).where(or_(
        Introduction.created_at > created,
        and_(Introduction.created_at == created, Introduction.id > intro.id)))
    if states is not None:  # as each reads now: a request past its expiry is expired
        query = query.where(capacity.state_in(states, utcnow()))
    if not policy.may_see_program(user):
        own = user.profile.id if user.profile is not None else -1
        query = query.where(or_(Introduction.requester_id == own,
                                Introduction.target_id == own))
    return db.session.scalar(query) or 0


def list_notices(user: User, page: int, per_page: int, unread_only: bool = False) -> Page:
    """Return one page of the user's notices, newest first."""
    query = db.select(Notice).where(Notice.user_id == user.id)
    if unread_only:
        query = query.where(Notice.read_at.is_(None))
    total = db.session.scalar(query.with_only_columns(func.count(Notice.id)))
    items = db.session.scalars(
        query.order_by(Notice.created_at.desc(), Notice.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
        .options(selectinload(Notice.introduction).selectinload(Introduction.requester),
                 selectinload(Notice.introduction).selectinload(Introduction.target))).all()
    return Page(list(items), page, per_page, total or 0)


def shown_name(profile: Profile, locale: str | None) -> str:
    """Return the profile's name as a reader in ``locale`` reads it: a retired profile's is
    stored under one fixed name (the same in every language) and said in the reader's."""
    return word(RETIRED_NAME, locale) if profile.retired else profile.name


def party_names(intro: Introduction, locale: str | None) -> dict[str, str]:
    """Return the introduction's parties' names (``requester``, ``target``) as a reader in
    ``locale`` reads them."""
    return {"requester": shown_name(intro.requester, locale),
            "target": shown_name(intro.target, locale)}


def notice_params(notice: Notice, locale: str | None = None) -> dict[str, Any]:
    """Return a notice's parameters with its introduction's parties named as they are now, as
    a reader in ``locale`` (the request's by default) reads them."""
    locale = locale or current_locale()
    values = dict(notice.params)
    intro = notice.introduction
    if intro is not None:
        values.update(party_names(intro, locale))
        parties = {intro.requester_id: intro.requester, intro.target_id: intro.target}
        for key, name in (("party_id", "party"), ("sender_id", "sender")):
            if key in values:
                party = parties.get(values.pop(key))
                values[name] = shown_name(party, locale) if party is not None else ""
    return values


def open_notice(user: User, notice_id: int, now: datetime | None = None) -> Notice:
    """Mark one of the user's notices read (it is being opened) and commit; 404 if not theirs."""
    with write_transaction():
        notice = db.session.get(Notice, notice_id) if valid_id(notice_id) else None
        if notice is None or notice.user_id != user.id:
            raise NotFound("notice_not_found", id=notice_id)
        if notice.read_at is None:
            notice.read_at = now or utcnow()
    return notice


# Notices about the thread of messages and meetings: its page opens them, not the introduction's.
CONVERSATION_KINDS = ("message", "meeting_proposed", "meeting_picked")


def read_about(user: User, introduction_id: int, *, conversation: bool = False,
               now: datetime | None = None) -> int:
    """Mark read the user's notices about an introduction it is opening (by an e-mail's link,
    say, not through the notice): those about the thread with ``conversation``, else the
    others. Commit; return how many. Nothing is written when none is unread."""
    kinds = Notice.kind.in_(CONVERSATION_KINDS)
    about = [Notice.introduction_id == introduction_id, kinds if conversation else ~kinds]
    if db.session.scalar(db.select(Notice.id).where(
            Notice.user_id == user.id, Notice.read_at.is_(None), *about).limit(1)) is None:
        return 0  # the usual case: a read, not a write
    return _mark_read(user, about, now)


def mark_read(user: User, ids: Iterable[int] | None = None, now: datetime | None = None) -> int:
    """Mark the user's notices read (those of ``ids``, or all), commit; return how many."""
    chosen = [] if ids is None else [Notice.id.in_([i for i in ids if valid_id(i)])]
    return _mark_read(user, chosen, now)


def _mark_read(user: User, conditions: list, now: datetime | None) -> int:
    """Mark the user's unread notices that meet ``conditions`` read; commit; return how many."""
    table = Notice.__table__
    with write_transaction():
        return db.session.execute(
            update(table).where(table.c.user_id == user.id, table.c.read_at.is_(None),
                                *conditions).values(read_at=now or utcnow())).rowcount
