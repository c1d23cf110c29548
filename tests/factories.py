"""Valid payloads and small helpers shared by the tests."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime

from sqlalchemy import func

from models import db

# Logs written by reads too: a refused write must leave every other table as it was, but
# logging the rankings a page showed is not a write.
LOG_TABLES = ("match_impressions",)


def row_counts() -> dict[str, int]:
    """Return the number of rows of every table but the logs."""
    return {t.name: db.session.scalar(db.select(func.count()).select_from(t))
            for t in db.metadata.sorted_tables if t.name not in LOG_TABLES}


SME_PAYLOAD = {
    "name": "Autopartes del Norte", "country": "MX", "subdivision": "MX-CHH",
    "city": "Ciudad Juárez", "sectors": ["336390"], "languages": ["es"],
    "markets": ["US"], "description": "Estampado y maquinado de piezas automotrices.",
    "contact_email": "ventas@autopartes.example", "contact_phone": "+52 656 555 0100",
    "needs": ["certification", "rules_of_origin"],
    "needs_text": "Necesitamos la certificación IATF 16949 para vender en Texas.",
    "products_text": "Soportes metálicos estampados", "employees": "10-49",
    "export_stage": "exploring", "certifications": ["ISO 9001"], "ownership": ["women"],
}
MENTOR_PAYLOAD = {
    "name": "Rosa Delgado", "country": "US", "subdivision": "US-TX", "city": "El Paso",
    "sectors": ["3363"], "languages": ["en", "es"], "markets": ["MX"],
    "contact_email": "rosa@mentor.example", "expertise": ["certification", "rules_of_origin"],
    "bio": "Twenty years in automotive quality (IATF 16949) and USMCA rules of origin.",
    "capacity": 3, "mode": "both",
}
BUYER_PAYLOAD = {
    "name": "Lone Star Fresh", "country": "US", "subdivision": "US-TX", "city": "Laredo",
    "sectors": ["424480"], "languages": ["en", "es"], "markets": ["US"],
    "contact_email": "buying@lonestar.example", "products_text": "Fresh tomatoes, peppers",
    "required_certifications": ["PrimusGFS"], "sourcing_countries": ["MX"], "volume": "large",
}
PAYLOADS = {"sme": SME_PAYLOAD, "mentor": MENTOR_PAYLOAD, "buyer": BUYER_PAYLOAD}
COLLECTION = {"sme": "smes", "mentor": "mentors", "buyer": "buyers"}


def payload(kind: str, **changes) -> dict:
    """Return a valid profile payload of a kind with some fields changed."""
    return {**PAYLOADS[kind], **changes}


def csrf_token(client, path: str = "/login") -> str:
    """Return the CSRF token of a page's form."""
    import re

    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def login(client, email: str, password: str = "correct horse battery"):
    """Sign in through the web login form."""
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": csrf_token(client)})


def database_url_for_tests() -> str:
    """Return the database of this test process: TEST_DATABASE_URL, else a SQLite file."""
    return os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite:///{tempfile.gettempdir()}/puente-test-{os.getpid()}.db")


def app_config(url: str) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret",
        "RATELIMIT_ENABLED": False,  # tests/security/test_rate_limits.py switches it on
        # this test process's own counters (never those of `make run` or another run)
        "PUENTE_RATELIMIT_STORAGE":
            f"puente-sqlite://{tempfile.gettempdir()}/puente-test-limits-{os.getpid()}.sqlite3",
        "PUENTE_ARGON2_TIME_COST": 1,
        "PUENTE_ARGON2_MEMORY_KIB": 8192,
        # what a request wrote or logged is read back by the same test at once
        "PUENTE_IMPRESSION_FLUSH_MS": 0,
        "PUENTE_MATCHING_REFRESH_MS": 0,
        # no matching snapshots unless a test asks for them (never the instance folder's)
        "PUENTE_SNAPSHOT_DIR": "",
        # a full collection per state built would cost the suite minutes (tests/webapp/test_heap.py)
        "PUENTE_FREEZE_HEAP": False,
    }


def today() -> str:
    """Return today's UTC date (ISO), read when called: a module-level constant goes stale
    when a run crosses midnight (a step dated the day before its introduction is refused)."""
    return datetime.now(UTC).date().isoformat()
