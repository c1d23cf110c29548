"""Use cases for profiles: list, read, create, update, delete — with permissions and audit."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from functools import lru_cache
from typing import Any

from marshmallow import Schema
from sqlalchemy import Integer, Select, bindparam, exists, func, literal, or_
from sqlalchemy.orm import load_only

from matcher import taxonomy as tx
from models import (
    CONTACT_FIELDS,
    PROFILE_CLASSES,
    Introduction,
    Profile,
    ProfileFacet,
    User,
    columns_for,
    db,
    utcnow,
)
from webapp import policy
from webapp.errors import Conflict, Forbidden, InvalidInput, NotFound, Problem, invalid_fields
from webapp.input_guard import check_storable
from webapp.services.audit import record
from webapp.services.change_feed import NEWEST_SEQ, latest_seq
from webapp.services.introduction_states import decline_for_no_capacity
from webapp.services.paging import Page, cached_count
from webapp.services.privacy import retire_profile
from webapp.services.profile_merge import merged_profile
from webapp.services.profile_reads import WITH_OWNER, reads_owner_with_profile
from webapp.services.transactions import check_version, lock_row, write_transaction
from webapp.text_search import found_by_values, search_values

PLAIN_FILTERS = ("country", "subdivision", "active")
FACET_FILTERS = ("sector", "language", "need", "expertise")


def list_profiles(user: User, kind: str, filters: dict[str, Any], page: int,
                  per_page: int, after: int | None = None,
                  shown: Collection[str] | None = None) -> Page:
    """Return one page of the profiles of a kind that the user may see, filtered, by id;
    ``after``: only those with a higher id (a keyset page: no rows skipped by OFFSET);
    ``shown``: the only fields the caller reads (the other columns are not loaded)."""
    check_storable(filters)
    values = _filter_values(filters)
    statement = _page_statement(kind, policy.may_see_hidden_profiles(user), tuple(values),
                                after is not None, None if shown is None else tuple(shown))
    rows = db.session.execute(statement, {
        **values, "reader_id": user.id, "after": after, "limit": per_page,
        "offset": (page - 1) * per_page}).all()
    items = [row[0] for row in rows]
    if after is None and page == 1 and len(items) < per_page:
        return Page(items, page, per_page, len(items))  # the whole list: no count
    newest = rows[0][1] if rows else latest_seq()  # past the end: asked on its own
    return Page(items, page, per_page, _total(user, kind, values, newest))


# A list's statements are built once per shape (kind, who reads, which filters, keyset or
# not) with bound parameters, and reused: building one cost a tenth of a list request.

@lru_cache(maxsize=256)
def _page_statement(kind: str, everyone: bool, filters: tuple[str, ...], keyset: bool,
                    shown: tuple[str, ...] | None) -> Select:
    """Return the statement of a page: parameters ``reader_id``, ``after`` (``keyset``),
    ``limit``, ``offset`` and one per filter (see :func:`_filter_values`)."""
    # The kind as a literal: a kind's own index of ids (partial) serves only its literal.
    query = _filtered(db.select(Profile, NEWEST_SEQ).where(
        Profile.kind == literal(kind, literal_execute=True)), filters)
    if not everyone:
        query = query.where(or_(policy.listed_profiles(),
                                Profile.user_id == bindparam("reader_id")))
    if keyset:
        query = query.where(Profile.id > bindparam("after"))
    if shown is not None:
        query = query.options(load_only(*columns_for(shown)))
    return (query.order_by(Profile.id).limit(bindparam("limit", type_=Integer))
            .offset(bindparam("offset", type_=Integer)))


@lru_cache(maxsize=256)
def _count_statement(kind: str, rows: str, filters: tuple[str, ...]) -> Select:
    """Return the count of a list's ``rows``: ``all``, ``listed``, or the reader's own
    (parameter ``reader_id``) when it is not listed."""
    query = db.select(func.count()).select_from(Profile).where(Profile.kind == kind)
    if rows == "listed":
        query = query.where(policy.listed_profiles())
    elif rows == "own_unlisted":
        query = query.where(Profile.user_id == bindparam("reader_id"),
                            ~policy.listed_profiles())
    return _filtered(query, filters)


def _total(user: User, kind: str, values: dict[str, Any], newest_change: int | None) -> int:
    """Return how many profiles of the kind the user may see match the filters' ``values``.

    Staff see every profile. A participant sees the listed ones, counted once for all
    participants, and its own profile when that is not listed, counted for it alone (one row,
    found by its owner). ``count(*)`` lets PostgreSQL answer from the (kind, active) index.
    """
    names = tuple(values)

    def count(rows: str) -> Callable[[], int]:
        return lambda: db.session.scalar(_count_statement(kind, rows, names),
                                         {**values, "reader_id": user.id})

    same = tuple((k, str(v)) for k, v in values.items())
    if policy.may_see_hidden_profiles(user):
        return cached_count((kind, "all", same), count("all"), newest_change)
    return (cached_count((kind, "listed", same), count("listed"), newest_change)
            + cached_count((kind, user.id, same), count("own_unlisted"), newest_change))


def _filter_values(filters: dict[str, Any]) -> dict[str, Any]:
    """Return the bound values of the filters given, by filter name, in a fixed order (``q``
    as its ``LIKE`` pattern; an empty ``q`` filters nothing)."""
    values = {name: filters[name] for name in (*PLAIN_FILTERS, *FACET_FILTERS)
              if name in filters}
    if filters.get("q"):
        values.update(search_values(filters["q"]))
    return values


def _filtered(query: Select, filters: tuple[str, ...]) -> Select:
    """Return the query keeping the rows that pass ``filters``, each a bound parameter of
    its name (:func:`_filter_values`)."""
    for column in PLAIN_FILTERS:
        if column in filters:
            query = query.where(getattr(Profile, column) == bindparam(column))
    for facet in FACET_FILTERS:
        if facet in filters:
            query = query.where(exists().where(
                ProfileFacet.profile_id == Profile.id, ProfileFacet.facet == facet,
                ProfileFacet.value == bindparam(facet),
            ))
    if "q" in filters:
        query = query.where(found_by_values("q"))
    return query


def get_profile(user: User, kind: str, profile_id: int, *, lock: bool = False) -> Profile:
    """Return a profile of this kind the user may see, or raise NotFound.

    With ``lock``, the row is re-read and locked for the caller's write transaction; else it
    is read with its owner when :func:`reads_owner_with_profile` says so.
    """
    if lock:
        profile = lock_row(Profile, profile_id)
    else:
        owner = (WITH_OWNER,) if reads_owner_with_profile(user) else ()
        profile = db.session.get(Profile, profile_id, options=owner)
    return visible_profile(user, kind, profile_id, profile)


def visible_profile(user: User, kind: str, profile_id: int, profile: Profile | None) -> Profile:
    """Return ``profile``, read for ``profile_id``, when it is one of this kind the user may
    see, else raise NotFound (as :func:`get_profile`)."""
    if profile is None or profile.kind != kind or not policy.may_see_profile(user, profile):
        raise NotFound("profile_not_found", kind=kind, id=profile_id)
    return profile


def create_profile(user: User, kind: str, data: dict[str, Any]) -> Profile:
    """Create a profile owned by the user (staff create unowned ones) and commit."""
    if not policy.is_staff(user):
        if not policy.may_create_profile_of(user, kind):
            raise Forbidden("profile_kind_forbidden", role=user.role, kind=kind)
        if user.profile is not None:
            raise Conflict("profile_exists")
    check_storable(data)
    profile = PROFILE_CLASSES[kind](**_located(data))
    profile.user_id = None if policy.is_staff(user) else user.id
    # A second profile for the account (a concurrent create) breaks the unique user_id.
    with write_transaction("profile_exists"):
        db.session.add(profile)
        db.session.flush()
        record("profile.create", kind, profile.id, actor=user)
    return profile


def update_profile(user: User, kind: str, profile_id: int, changes: Mapping[str, Any],
                   schema: Schema, *, replaced: Collection[str] = (),
                   if_match: Collection[int] | None = None) -> Profile:
    """Apply changes to a profile and commit: the stored row plus the changes, validated whole.

    ``changes`` are input values as a client sends them; ``replaced`` and the merge are those
    of :func:`merged_profile`. The row is locked first, so the profile validated is the one
    stored, whatever runs at the same time; with ``if_match`` (the versions the client
    accepts), a profile changed since is refused with PreconditionFailed. A mentor's capacity
    cannot go below its accepted introductions in progress; a mentor left without capacity
    has its waiting requests declined (``no_capacity``), the requesters told. Pausing
    declines nothing: waiting requests stay to be answered.
    """
    check_storable(changes)
    # The CHECK constraint catches an acceptance that slipped in after the check below.
    with write_transaction(_capacity_error()):
        profile = get_profile(user, kind, profile_id, lock=True)
        _require_manage(user, profile)
        _require_not_retired(profile)
        _require_contacts_owner(user, profile, changes)
        if not changes:
            raise invalid_fields({"body": Problem("give_a_field")})
        check_version(profile, if_match)
        data = merged_profile(schema, profile, changes, replaced=replaced)
        located = _located(data)
        _check_capacity(profile, located.get("capacity"))
        changed = sorted(name for name, value in located.items()
                         if getattr(profile, name) != value)
        for name, value in located.items():
            setattr(profile, name, value)
        if changed and policy.is_owner(user, profile):  # an edit that changes nothing
            profile.last_active_at = utcnow()             # keeps the version (ETag)
        # The names of the fields whose values changed, and no more: an entry tells what an
        # edit did, and names no field (a contact) that it left alone.
        record("profile.update", profile.kind, profile.id, actor=user, fields=changed)
        db.session.flush()
        if profile.kind == "mentor" and profile.capacity_left == 0:
            decline_for_no_capacity(profile.id, utcnow())
    return profile


def _check_capacity(profile: Profile, capacity: int | None) -> None:
    if profile.kind == "mentor" and capacity is not None and capacity < profile.active_count:
        raise _capacity_error(load=profile.active_count)


def _require_contacts_owner(user: User, profile: Profile, changes: dict[str, Any]) -> None:
    """Refuse (403, naming them) contact fields sent by anyone but the profile's owner."""
    carried = [name for name in CONTACT_FIELDS if name in changes]
    if carried and not policy.may_set_contacts(user, profile):
        raise Forbidden("contacts_owner_only",
                        {name: [Problem("contact_owner_only")] for name in carried},
                        names=carried)


def _capacity_error(**params) -> InvalidInput:
    return invalid_fields({"capacity": Problem("capacity_below_load", **params)},
                          "capacity_below_load")


def delete_profile(user: User, kind: str, profile_id: int, *,
                   if_match: Collection[int] | None = None) -> None:
    """Delete the profile and commit. One with introductions is retired instead (see
    :func:`webapp.services.privacy.retire_profile`): its counterparts keep their history, shown
    as a deleted profile, and the program metrics stay whole; one without is removed. With
    ``if_match``, a profile changed since the client read it is refused (PreconditionFailed)."""
    with write_transaction():
        profile = get_profile(user, kind, profile_id, lock=True)
        _require_manage(user, profile)
        _require_not_retired(profile)
        check_version(profile, if_match)
        record("profile.delete", profile.kind, profile.id, actor=user)
        if db.session.scalar(db.select(Introduction.id).where(or_(
                Introduction.requester_id == profile.id,
                Introduction.target_id == profile.id)).limit(1)) is None:
            db.session.delete(profile)
        else:
            retire_profile(profile)


def _require_not_retired(profile: Profile) -> None:
    """Refuse (409) any change to a retired profile: it stays, anonymised, as its
    counterparts' history names it; bringing it back would rename their past."""
    if profile.retired:
        raise Conflict("profile_retired", id=profile.id)


def _require_manage(user: User, profile: Profile) -> None:
    if not policy.can_manage(user, profile):
        raise Forbidden("profile_edit_forbidden")


def _located(data: dict[str, Any]) -> dict[str, Any]:
    """Return the data with latitude/longitude resolved from the city when not given."""
    if data.get("latitude") is not None:
        return data
    city = tx.find_city(data["country"], data["subdivision"], data["city"])
    if city is None:
        raise invalid_fields({"city": Problem("unknown_city", city=data["city"],
                                              place=data["subdivision"])})
    return {**data, "latitude": city.latitude, "longitude": city.longitude}
