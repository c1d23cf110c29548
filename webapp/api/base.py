"""The flask-smorest ``Api`` with Puente's error envelope and security schemes."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import marshmallow as ma
from apispec import BasePlugin
from flask import current_app, request
from flask_login import current_user
from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import MultiDict

from matcher import taxonomy as tx
from models import User
from webapp.catalogue.text import language_of_tag
from webapp.errors import (
    Forbidden,
    NotAuthenticated,
    Problem,
    handle_http_exception,
    invalid_fields,
)
from webapp.schemas.fields import Lang

LANG_DESCRIPTION = ("Language of the answer's messages (else Accept-Language): a language tag "
                    "of en, es or fr, in any case and with any region (ES, fr-CA)")


class ProblemSchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"example": "too_long"})
    message = ma.fields.String(required=True, metadata={
        "description": "The problem in the caller's language (?lang= or Accept-Language)",
        "example": "Use at most 200 characters."})
    params = ma.fields.Dict(required=True, metadata={"example": {"num": 200}})


class ErrorBodySchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={
        "description": "What was refused, for programs: one code of the catalogue",
        "example": "invalid_fields"})
    message = ma.fields.String(required=True, metadata={
        "description": "The code's message in the caller's language (English by default; "
                       "?lang=es|fr or Accept-Language)"})
    params = ma.fields.Dict(required=True, metadata={
        "description": "The values the message is made from", "example": {"names": ["name"]}})
    fields = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.List(ma.fields.Nested(ProblemSchema)),
        required=True, metadata={"description": "Problems by offending field"},
    )


class ErrorSchema(ma.Schema):
    error = ma.fields.Nested(ErrorBodySchema, required=True)


class PuenteApi(Api):
    """Api whose error payload is the one envelope built in ``webapp.errors``."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        return handle_http_exception(error)

    def _register_error_handlers(self):
        # webapp.errors.register_error_handlers registers the app-wide handlers.
        pass

    def init_app(self, app, *, spec_kwargs=None):
        spec_kwargs = {
            "components": {"securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session"},
            }},
            "security": [{"bearerAuth": []}, {"cookieAuth": []}],
            "extra_plugins": [LangParameterPlugin()],
            **(spec_kwargs or {}),
        }
        super().init_app(app, spec_kwargs=spec_kwargs)


def _error_response(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


class LangParameterPlugin(BasePlugin):
    """Document ``lang`` on every operation, as :func:`refuse_unknown_lang` checks it on
    every one (operations whose query schema declares it already keep their own), with the
    422 it answers for a bad one; and on every write the 415 and 400 that
    :mod:`webapp.api.json_body` answers for a body that is not JSON or is malformed."""

    PARAMETER = {"in": "query", "name": "lang", "required": False,
                 "description": LANG_DESCRIPTION,
                 "schema": {"type": "string", "enum": list(tx.LOCALES)}}
    RESPONSES = {"422": "Invalid fields or query parameters (a bad lang included)"}
    WRITE_RESPONSES = {"415": "The body is not JSON", "400": "The body is malformed JSON"}

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        for method, operation in (operations or {}).items():
            if method == "parameters" or not isinstance(operation, dict):
                continue
            parameters = operation.setdefault("parameters", [])
            if not any(isinstance(p, dict) and p.get("in") == "query"
                       and p.get("name") == "lang" for p in parameters):
                parameters.append(copy.deepcopy(self.PARAMETER))
            responses = operation.setdefault("responses", {})
            added = {**self.RESPONSES, **(self.WRITE_RESPONSES if method in (
                "post", "put", "patch", "delete") else {})}
            for status, description in added.items():
                if status not in responses and int(status) not in responses:
                    responses[status] = _error_response(description)


@dataclass(frozen=True)
class Permission:
    """Who may call an operation beyond being signed in: the policy question the caller must
    pass (``webapp.policy``), and the refusal's code when it does not (a 403)."""

    question: Callable[[User], bool]
    refusal: str
    params: Callable[[User], dict[str, Any]] | None = None  # the refusal's parameters


def current_operation() -> Callable[..., Any] | None:
    """Return the view function serving the request: a resource's method (``get``,
    ``post``…; ``get`` for a HEAD), which carries the operation's documentation and
    declarations; None when no view serves it (404, 405)."""
    view = current_app.view_functions.get(request.endpoint)
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return view
    method = request.method.lower()
    if method == "head" and not hasattr(view_class, "head"):
        method = "get"
    return getattr(view_class, method, None)


def is_public(operation: Callable[..., Any] | None) -> bool:
    """Tell whether anyone may call the operation: its document says it takes no credentials
    (``security: []``); every other operation needs a signed-in caller."""
    doc = getattr(operation, "_apidoc", {}).get("manual_doc", {})
    return doc.get("security") == []


def refuse_anonymous_caller(operation: Callable[..., Any] | None) -> None:
    """Refuse (401) an anonymous call of an operation that is not public."""
    if not is_public(operation) and not current_user.is_authenticated:
        raise NotAuthenticated("unauthorized")


def refuse_unauthorised_caller(operation: Callable[..., Any] | None) -> None:
    """Refuse (403, with the operation's own code) a caller its declared permission
    (:meth:`Blueprint.requires`) does not allow."""
    permission = getattr(operation, "permission", None)
    if permission is not None and not permission.question(current_user):
        params = permission.params(current_user) if permission.params is not None else {}
        raise Forbidden(permission.refusal, **params)


def refuse_unknown_lang() -> None:
    """Refuse an API request whose ``lang`` is not a tag of en, es or fr (any case, any region:
    "ES", "fr-CA") — 422 naming ``lang``, before the view runs, so nothing is written —
    whether or not the operation's own arguments declare it (most have no query arguments
    at all)."""
    if any(language_of_tag(value) is None for value in request.args.getlist("lang")):
        raise invalid_fields({"lang": Problem("not_one_of", choices=list(tx.LOCALES))})


# Operations that read their JSON body themselves (their schema is applied in the service).
BODY_READ_BY_VIEW = frozenset({"program_rules.Rules", "program_rules.Preview"})


def refuse_undeclared_inputs() -> None:
    """Refuse, before the view runs (nothing written), a query parameter or a body that the
    operation does not take: 422 naming each as an ``unknown_field``, as an operation's own
    schema does. Operations with a query or body schema are left to it (it refuses unknown
    fields itself); ``lang`` is every operation's."""
    declared = {parameter.get("in") for parameter in getattr(
        current_operation(), "_apidoc", {}).get("arguments", {}).get("parameters", [])}
    unknown: list[str] = []
    if "query" not in declared:
        unknown += sorted(set(request.args) - {"lang"})
    if (request.method in ("POST", "PUT", "PATCH", "DELETE") and "json" not in declared
            and request.endpoint not in BODY_READ_BY_VIEW):
        body = request.get_json(silent=True)  # a body that is not JSON was refused (415)
        if isinstance(body, dict):
            unknown += sorted(body)
        elif body not in (None, []):
            unknown.append("body")
    if unknown:
        raise invalid_fields({name: Problem("unknown_field") for name in unknown})


def refuse_repeated_inputs() -> None:
    """Refuse, before the view runs (nothing written), a query parameter given more than
    once that the operation reads once: 422 naming each as ``repeated_parameter`` — it was
    read as its first value, the others dropped without a word. Which are read once follows
    from the operation's query schema (:func:`repeated_single_values`)."""
    if not any(len(values) > 1 for values in request.args.listvalues()):
        return
    schemas = [parameter["schema"] for parameter in getattr(
        current_operation(), "_apidoc", {}).get("arguments", {}).get("parameters", [])
        if parameter.get("in") == "query"]
    repeated = repeated_single_values(request.args, schemas[0] if schemas else None)
    if repeated:
        raise invalid_fields({name: Problem("repeated_parameter") for name in repeated})


def repeated_single_values(args: MultiDict, schema: ma.Schema | None) -> list[str]:
    """Return the names, sorted, of the query parameters given more than once that ``schema``
    reads once: each of its fields but those webargs reads as lists (a ``fields.List``; not a
    ``DelimitedList``, one value of comma-separated items), and ``lang``, every operation's.
    A parameter the schema does not take is left to it (``unknown_field``)."""
    taken, lists = {"lang"}, set()
    if schema is not None:
        taken |= {field.data_key or name for name, field in schema.load_fields.items()}
        lists = MultiDictProxy(args, schema).multiple_keys
    return sorted(name for name, values in args.lists()
                  if len(values) > 1 and name in taken and name not in lists)


def _with_lang(schema_cls: type[ma.Schema]) -> type[ma.Schema]:
    """Return the query schema accepting ``lang``, the language of the answer's messages
    (read by :func:`webapp.i18n.request_language`), on every endpoint: one that does not use
    it itself gets it checked (en, es or fr, else a 422 naming it) and left out of its
    arguments."""
    if "lang" in schema_cls._declared_fields:
        return schema_cls

    @ma.post_load
    def drop_lang(self, data, **_kwargs):
        data.pop("lang", None)
        return data

    return type(schema_cls.__name__, (schema_cls,), {
        "lang": Lang(metadata={"description": LANG_DESCRIPTION}),
        "_drop_lang": drop_lang, "__module__": schema_cls.__module__})


class ArgumentsParser(FlaskParser):
    """webargs' parser, reading the body as Flask parsed it for the body's check
    (:mod:`webapp.api.json_body`) — one reading of it: webargs' own decoded UTF-8 only, so a
    body with a byte-order mark or in UTF-16, which JSON allows and the check accepted, came
    back 400 ``invalid_fields`` — and answering over-deep JSON as invalid JSON."""

    def _raw_load_json(self, req):
        if not req.get_data(cache=True):
            return super()._raw_load_json(req)  # no body: webargs' "missing"
        try:
            return req.get_json()
        except RecursionError as err:
            raise json.JSONDecodeError("JSON nested too deeply", "", 0) from err


class Blueprint(SmorestBlueprint):
    """A flask-smorest blueprint whose views document the error responses they can give."""

    ARGUMENTS_PARSER = ArgumentsParser()

    def arguments(self, schema, *, location="json", **kwargs):
        """Parse the view's arguments; a JSON body also documents its 415 (body not JSON)
        and 400 (malformed JSON).

        A schema class is instantiated here, once: webargs would build one per request (a
        tenth of a millisecond for the profile list's query). Loading keeps no state in it.
        """
        if isinstance(schema, type):
            schema = (_with_lang(schema) if location == "query" else schema)()
        parse = super().arguments(schema, location=location, **kwargs)
        if location != "json":
            return parse
        not_json = self.alt_response(415, schema=ErrorSchema,
                                     description="The body is not JSON")
        malformed = self.alt_response(400, schema=ErrorSchema,
                                      description="The body is malformed JSON")
        return lambda func: malformed(not_json(parse(func)))

    def auth_required(self, func):
        """Document 401 and 403 on a view that needs a signed-in user (every operation but
        the public ones, see :func:`is_public`)."""
        func = self.alt_response(401, schema=ErrorSchema, description="Not signed in")(func)
        return self.alt_response(403, schema=ErrorSchema, description="Not allowed")(func)

    def requires(self, question: Callable[[User], bool], refusal: str,
                 params: Callable[[User], dict[str, Any]] | None = None):
        """Declare who may call the view: a signed-in user the policy question allows, else
        403 with the code ``refusal`` — asked before any of the request's inputs is checked
        or parsed (:func:`refuse_unauthorised_caller`), so that a caller who may not use
        the operation learns nothing of them. Documents 401 and 403.

        For a permission that depends on the operation's row (a profile's owner), the view
        asks the policy itself, once it has the row. ``params``: the refusal's parameters,
        from the caller.
        """
        def declare(func):
            func.permission = Permission(question, refusal, params)
            return self.auth_required(func)

        return declare
