"""URL converters: ids in URLs are bounded to what the database's integer columns hold."""

from flask import Flask
from werkzeug.routing import IntegerConverter

from models.storable import MAX_ID


class DatabaseIdConverter(IntegerConverter):
    """``<int:…>`` that matches only 0…2³¹−1, so a huge id is a 404, not a database error."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Replace the ``int`` converter (before any route is added)."""
    app.url_map.converters["int"] = DatabaseIdConverter
