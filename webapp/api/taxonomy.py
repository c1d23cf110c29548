"""``/api/v1/taxonomy/*``: reference data for forms and clients (no sign-in needed)."""

import marshmallow as ma
from flask.views import MethodView
from marshmallow import RAISE

from matcher import taxonomy as tx
from webapp.api.base import Blueprint, ErrorSchema
from webapp.errors import NotFound
from webapp.schemas.base import Schema
from webapp.schemas.fields import Lang
from webapp.schemas.validators import Length, Range

PUBLIC = {"security": []}  # reference data needs no sign-in

blp = Blueprint("taxonomy", __name__, url_prefix="/api/v1/taxonomy",
                description="NAICS codes, needs, languages, countries and subdivisions")


class LangQuery(Schema):
    lang = Lang(load_default="en")


class SearchQuery(LangQuery):
    q = ma.fields.String(load_default="", validate=Length(max=100))
    limit = ma.fields.Integer(load_default=20, validate=Range(1, 100),
                              metadata={"description": "Rows at most (default 20)"})


SEARCH_LIMIT = 20  # rows of a search when the client names no limit


class LanguageQuery(SearchQuery):
    regional = ma.fields.Boolean(load_default=False)
    limit = ma.fields.Integer(load_default=None, validate=Range(1, 100), metadata={
        "description": "Rows at most (default 20; the region's list, regional=true without q, "
                       "is given whole unless a limit is named)"})


class Entry(Schema):
    code = ma.fields.String()
    title = ma.fields.String(metadata={"description": "NAICS only"})
    title_lang = ma.fields.String(metadata={
        "description": "NAICS only: the title's language (en where no translation exists)"})
    group = ma.fields.String(allow_none=True, metadata={
        "description": "NAICS only: the translated subsector, when the title is not translated"})
    label = ma.fields.String(metadata={"description": "needs only"})
    name = ma.fields.String(metadata={"description": "languages, countries, subdivisions"})


class Entries(Schema):
    items = ma.fields.List(ma.fields.Nested(Entry))


class CertificationList(Schema):
    items = ma.fields.List(ma.fields.String())


@blp.route("/naics")
class Naics(MethodView):
    @blp.arguments(SearchQuery, location="query", unknown=RAISE)
    @blp.doc(**PUBLIC)
    @blp.response(200, Entries)
    def get(self, args):
        """Search NAICS 2022 codes by code prefix, title words (in the language asked, and
        English) or everyday words ("salsa", "tequila") in English, Spanish or French."""
        return {"items": tx.search_naics(args["q"], args["lang"], args["limit"])}


@blp.route("/needs")
class Needs(MethodView):
    @blp.arguments(LangQuery, location="query", unknown=RAISE)
    @blp.doc(**PUBLIC)
    @blp.response(200, Entries)
    def get(self, args):
        """List the needs vocabulary with labels in one language."""
        return {"items": tx.needs(args["lang"])}


@blp.route("/languages")
class Languages(MethodView):
    @blp.arguments(LanguageQuery, location="query", unknown=RAISE)
    @blp.doc(**PUBLIC)
    @blp.response(200, Entries)
    def get(self, args):
        """Search ISO 639 languages (``regional=true``: the region's usual ones)."""
        whole = args["regional"] and not args["q"]  # a short list a form offers entire
        limit = args["limit"] or (None if whole else SEARCH_LIMIT)
        items = tx.languages(args["lang"], q=args["q"] or None, regional=args["regional"],
                             limit=limit)
        return {"items": items}


@blp.route("/countries")
class Countries(MethodView):
    @blp.arguments(LangQuery, location="query", unknown=RAISE)
    @blp.doc(**PUBLIC)
    @blp.response(200, Entries)
    def get(self, args):
        """List ISO 3166-1 countries (for markets and sourcing countries)."""
        return {"items": tx.countries(args["lang"])}


@blp.route("/countries/<string:country>/subdivisions")
class Subdivisions(MethodView):
    @blp.arguments(LangQuery, location="query", unknown=RAISE)
    @blp.doc(**PUBLIC)
    @blp.response(200, Entries)
    @blp.alt_response(404, schema=ErrorSchema, description="Not a program country")
    def get(self, args, country):
        """List the ISO 3166-2 subdivisions of US, MX or CA."""
        if country not in tx.PROGRAM_COUNTRIES:
            raise NotFound("subdivisions_not_kept", country=country)
        return {"items": tx.subdivisions(country, args["lang"])}


@blp.route("/certifications")
class Certifications(MethodView):
    @blp.doc(**PUBLIC)
    @blp.response(200, CertificationList)
    def get(self):
        """List common certification names, for autocomplete."""
        return {"items": list(tx.COMMON_CERTIFICATIONS)}
