"""Declarative base, the unbound Flask-SQLAlchemy object and column helpers."""

import json
from datetime import UTC, datetime
from typing import Any

import orjson
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

# Stable constraint names so that Alembic migrations are identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Table option of the tables whose ids outlive their rows, named by the audit log (its
# object_id, or an id in its details), links and exports: on SQLite an id is then never handed
# out twice (AUTOINCREMENT; without it, a deleted row's id goes to the next row when it was the
# largest). PostgreSQL's sequences never hand one out twice either way.
IDS_NEVER_REUSED = {"sqlite_autoincrement": True}


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def json_column_loads(data: bytes | str) -> Any:
    """Read a JSON column's value (the engines' ``json_deserializer``): by orjson, a tenth of
    ``json.loads``' time for the short lists a profile holds (a page of 20 profiles reads 80);
    a value orjson refuses, as ``NaN`` that ``json.dumps`` writes on SQLite, by ``json``."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite forgets the zone):
    a naive value is taken as UTC, an aware one converted to it (SQLite would keep its wall
    time and drop its offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime, list: JSON, dict: JSON},
    )


db = SQLAlchemy(model_class=Base)
