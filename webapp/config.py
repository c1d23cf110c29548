"""Configuration: defaults, then environment variables, then the test configuration.

Every variable is documented in the README's Configuration section.
"""

from __future__ import annotations

import math
import os
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
from flask import Flask

from models.base import json_column_loads

DEFAULTS: dict[str, Any] = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"json_deserializer": json_column_loads},
    "PUENTE_DB_PING_IDLE_MS": 1000,  # webapp.database: check a pooled connection idle this long
    "PUENTE_DB_COMMIT_READS": True,  # webapp.database: a read-only request ends with COMMIT (PG)
    "PUENTE_DB_AUTOCOMMIT_READS": True,  # webapp.database: a request reads in autocommit (PG)
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "BABEL_DEFAULT_LOCALE": "en",
    "WTF_CSRF_TIME_LIMIT": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "API_TITLE": "Puente API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/api/v1/swagger-ui/",
    "PUENTE_ARGON2_TIME_COST": 3,
    "PUENTE_ARGON2_MEMORY_KIB": 65536,
    "PUENTE_DEMO_PASSWORD": "puente-demo-2026",
    "PUENTE_LOGIN_LIMIT": "10 per minute; 50 per hour",
    "PUENTE_TOKEN_LIMIT": "10 per minute",
    "PUENTE_SIGNUP_LIMIT": "10 per hour",
    "PUENTE_RESET_LIMIT": "5 per hour",
    "PUENTE_VERIFY_LIMIT": "3 per hour",
    "PUENTE_RESET_HOURS": 2,
    "PUENTE_VERIFY_DAYS": 7,
    "PUENTE_INVITE_DAYS": 7,
    "PUENTE_PROXY_COUNT": 0,
    "PUENTE_INTRODUCTION_LIMIT": "20 per hour",
    "PUENTE_BASE_URL": "http://127.0.0.1:5000",
    "PUENTE_MAX_OPEN_REQUESTS": 5,
    "PUENTE_MESSAGE_LIMIT": "30 per hour; 200 per day",
    "PUENTE_MEETING_LIMIT": "10 per hour",
    "PUENTE_MESSAGE_NOTICE_MINUTES": 30,  # at most one e-mail notice per thread and reader
    "PUENTE_REMINDER_DAYS": 7,
    "PUENTE_EXPIRY_DAYS": 14,
    "PUENTE_NEAR_EXPIRY_DAYS": 3,
    "PUENTE_MAIL_BATCH": 200,
    "PUENTE_IMPRESSION_FLUSH_MS": 1000,
    "PUENTE_MATCHING_REFRESH_MS": 250,
    "PUENTE_LIST_TOTAL_TTL_MS": 5000,
    "PUENTE_ACCOUNT_CACHE_MS": 250,
    "PUENTE_KEEP_FREED_MEMORY": True,  # webapp.allocator: rankings reuse memory, no page faults
    "PUENTE_FREEZE_HEAP": True,  # webapp.heap: a worker's long-lived objects skip gc's walks
    "PUENTE_MAIL_MAX_ATTEMPTS": 5,
    "PUENTE_MAIL_CLAIM_MINUTES": 15,
    "PUENTE_MAIL_TIMEOUT": 10,
    "PUENTE_SWEEP_SECONDS": 60,
    "PUENTE_MAIL_SECONDS": 30,
    "PUENTE_TRAIN_SECONDS": 86400,
    "PUENTE_SNAPSHOT_SECONDS": 300,
    "PUENTE_JOBS_POLL_SECONDS": 1.0,
    "PUENTE_JOB_RETRIES": 2,
    "PUENTE_JOB_TIMEOUT": 3600,
    "PUENTE_JOB_STALE_MINUTES": 60,
    "PUENTE_EXPORT_KEEP_DAYS": 7,  # days export jobs' files are kept (the sweep deletes them)
    "PUENTE_EXPORT_CHUNK_ROWS": 1000,  # an export job reports progress after each chunk
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_FROM": "Puente <no-reply@puente.invalid>",
}

# Environment variables read besides every PUENTE_* variable.
PLAIN_ENV = ("DATABASE_URL", "SECRET_KEY", "MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS",
             "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_FROM", "REDIS_URL")
# PUENTE_* variables kept as the text given, even when it reads as a number or a switch.
TEXT_ENV = ("PUENTE_DEMO_PASSWORD", "PUENTE_BASE_URL", "PUENTE_SNAPSHOT_DIR",
            "PUENTE_JOBS_PREFIX", "PUENTE_RATELIMIT_PREFIX", "PUENTE_RATELIMIT_STORAGE",
            "PUENTE_JOBS_REDIS_URL")
# The least value of each whole-number setting (the others of DEFAULTS' numbers: 0).
LEAST = {"PUENTE_ARGON2_TIME_COST": 1, "PUENTE_ARGON2_MEMORY_KIB": 32, "PUENTE_RESET_HOURS": 1,
         "PUENTE_VERIFY_DAYS": 1, "PUENTE_INVITE_DAYS": 1, "PUENTE_REMINDER_DAYS": 1,
         "PUENTE_EXPIRY_DAYS": 1, "PUENTE_MAIL_BATCH": 1, "PUENTE_MAIL_MAX_ATTEMPTS": 1,
         "PUENTE_MAIL_CLAIM_MINUTES": 1, "PUENTE_JOB_TIMEOUT": 1, "PUENTE_JOB_STALE_MINUTES": 1,
         "PUENTE_EXPORT_CHUNK_ROWS": 1}
SECONDS = ("PUENTE_JOBS_POLL_SECONDS", "PUENTE_MAIL_TIMEOUT")  # numbers above 0, fractions too
SWITCH_WORDS = {"1": True, "true": True, "yes": True, "on": True,
                "0": False, "false": False, "no": False, "off": False}  # MAIL_USE_TLS
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


class ConfigError(click.ClickException, ValueError):
    """A setting with a value the app cannot use: raised when the app is created, naming the
    setting, its value and what it takes (the ``flask`` commands print it as one line)."""


def database_uri(url: str) -> str:
    """Return a SQLAlchemy URL, choosing psycopg 3 for plain ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill ``app.config`` from the defaults, the environment and the test configuration."""
    app.config.from_mapping(DEFAULTS)
    for name, value in os.environ.items():
        if (name.startswith("PUENTE_") or name in PLAIN_ENV) and value:
            typed = name.startswith("PUENTE_") and name not in TEXT_ENV
            app.config[name] = env_value(value) if typed else value
    if test_config:
        app.config.from_mapping(test_config)
    check_config(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    default_db = "sqlite:///" + str(Path(app.instance_path) / "puente.db")
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or app.config.get("DATABASE_URL") or default_db
    app.config["SQLALCHEMY_DATABASE_URI"] = _checked_database_uri(database_uri(url))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path) / "secret_key")


def check_config(config: Mapping[str, Any]) -> None:
    """Raise ``ConfigError`` for the first setting whose value the app cannot use."""
    for name, default in DEFAULTS.items():
        if name.startswith("PUENTE_") and name not in SECONDS:
            if isinstance(default, bool):
                _check_switch(config, name)
            elif isinstance(default, int):
                _check_whole(config, name, LEAST.get(name, 0))
    for name in SECONDS:
        value = config[name]
        if not _is_number(value) or not value > 0:
            raise refused(name, value, "a number of seconds above 0")
    if config.get("PUENTE_SECURE_COOKIES") is not None:
        _check_switch(config, "PUENTE_SECURE_COOKIES")
    _check_mail(config)
    _check_urls(config)
    snapshots = config.get("PUENTE_SNAPSHOT_DIR")
    if snapshots and Path(snapshots).exists() and not Path(snapshots).is_dir():
        raise refused("PUENTE_SNAPSHOT_DIR", snapshots, "a directory (this is a file)")


def _checked_database_uri(url: str) -> str:
    """Return the URL when SQLAlchemy can read it and has its driver; else ConfigError."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        parsed = make_url(url)
        parsed.get_dialect().import_dbapi()  # its driver installed
    except (ArgumentError, NoSuchModuleError, ImportError) as err:
        shown = (_without_secret(url) if isinstance(err, ArgumentError)  # not parsed
                 else parsed.render_as_string(hide_password=True))
        raise refused("DATABASE_URL", shown, "a database URL this installation can use: "
                       "sqlite:///path or postgresql://user@host/database") from err
    return url


def _without_secret(text: str) -> str:
    """Return a URL-like text with what precedes an ``@`` (a user and password) hidden."""
    return "***@" + text.rsplit("@", 1)[1] if "@" in text else text


def _check_switch(config: Mapping[str, Any], name: str) -> None:
    if not isinstance(config[name], bool):
        raise refused(name, config[name], "true or false")


def _check_whole(config: Mapping[str, Any], name: str, least: int) -> None:
    value = config[name]
    if isinstance(value, bool) or not isinstance(value, int):
        raise refused(name, value, f"a whole number, {least} or more")
    if value < least:
        raise refused(name, value, f"{least} or more")


def _check_mail(config: Mapping[str, Any]) -> None:
    port = config["MAIL_PORT"]
    if isinstance(port, bool) or not str(port).isdecimal() or not 0 < int(port) < 65536:
        raise refused("MAIL_PORT", port, "a port number from 1 to 65535")
    tls = config["MAIL_USE_TLS"]
    if not isinstance(tls, bool) and str(tls).strip().lower() not in SWITCH_WORDS:
        raise refused("MAIL_USE_TLS", tls, "true or false")


def _check_urls(config: Mapping[str, Any]) -> None:
    base = config["PUENTE_BASE_URL"]
    if not str(base).startswith(("http://", "https://")):
        raise refused("PUENTE_BASE_URL", base, "an address starting with http:// or https://")
    for name in ("REDIS_URL", "PUENTE_JOBS_REDIS_URL"):
        url = config.get(name)
        if url and not str(url).startswith(REDIS_SCHEMES):
            raise refused(name, _without_secret(str(url)),
                           "a Redis URL: redis://, rediss:// or unix://")


def _is_number(value: Any) -> bool:
    return (not isinstance(value, bool) and isinstance(value, int | float)
            and math.isfinite(value))


def refused(name: str, value: Any, expected: str) -> ConfigError:
    """Return the error of a setting the app cannot use, naming it, its value and what it
    takes (for settings other modules check, too)."""
    shown = value if isinstance(value, str) else repr(value)
    return ConfigError(f"{name}={shown} cannot be used: give {expected}.")


def env_value(value: str) -> Any:
    """Read numbers and booleans from the environment as such, everything else as text."""
    import json

    try:
        return json.loads(value)
    except ValueError:
        return value


def _instance_secret(path: Path) -> str:
    """Return a secret kept in the instance folder, shared by all worker processes.

    The first process to start writes it whole to a file of its own, then links that file
    to ``path``, which fails if another got there first: ``path`` never exists half written
    (a process reading it while the first was still writing got an empty key)."""
    if not path.exists():
        fd, draft = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
            os.link(draft, path)
        except FileExistsError:
            pass  # another process's secret is there: it is the one
        finally:
            os.unlink(draft)
    return path.read_text().strip()
