"""Take the README's screenshots of the main pages, with demo data, in headless Chromium.

    python scripts/screenshots.py [--out docs/screenshots]

Builds a throw-away SQLite database with demo data, serves the app on a free local port,
creates one introduction request and one acceptance so the inbox and dashboard have content,
and saves desktop and phone PNGs. Uses Debian's /usr/bin/chromium (never downloads a browser).
"""

from __future__ import annotations

import argparse
import tempfile
import threading
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from models import Profile, db, utcnow
from webapp import create_app
from webapp.services import (
    accounts,
    conversations,
    demo_history,
    demo_seed,
    introduction_states,
    introductions,
    match_marks,
    matching,
    meetings,
    sweep,
)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "puente-demo-2026"
SHOTS = [  # (file, login role, path, locale, width, height)
    ("home-en.png", None, "/", "en-US", 1280, 900),
    ("matches-es.png", "sme", "/matches", "es-MX", 1280, 900),
    ("introductions-en.png", "sme", "/introductions", "en-US", 1280, 900),
    ("profile-fr.png", "sme", "/profile", "fr-CA", 1280, 900),
    ("dashboard-en.png", "coordinator", "/dashboard", "en-US", 1280, 900),
    ("metrics-en.png", "coordinator", "/dashboard/metrics", "en-US", 1280, 1600),
    ("cohort-es.png", "coordinator", "/cohorts/2", "es-MX", 1280, 1200),
    ("matches-phone-es.png", "sme", "/matches", "es-MX", 390, 900),
    ("matches-saved-en.png", "sme", "/matches/saved", "en-US", 1280, 700),
    ("cohorts-es.png", "coordinator", "/cohorts", "es-MX", 1280, 1900),
    ("conversation-es.png", "sme", "/introductions/{accepted}/conversation", "es-MX", 1280,
     1100),
    ("home-sme-es.png", "sme", "/", "es-MX", 1280, 1100),
    ("home-sme-phone-es.png", "sme", "/", "es-MX", 390, 900),
    ("home-mentor-fr.png", "mentor", "/", "fr-CA", 1280, 1000),
    ("home-coordinator-en.png", "coordinator", "/", "en-US", 1280, 1000),
    ("notifications-en.png", "sme", "/notifications", "en-US", 1280, 700),
    ("review-queue-en.png", "coordinator", "/review-queue", "en-US", 1280, 1000),
    ("impact-en.png", "coordinator", "/impact", "en-US", 1280, 1400),
    ("model-en.png", "admin", "/model", "en-US", 1280, 800),
]


def prepare(app) -> dict[str, int]:
    """Load demo data, one accepted introduction from the demo SME to its best mentor (with a
    message and a meeting proposal), one request waiting for its second best, and its third
    best saved, then the introductions sweep as `make run` starts it; return the ids the shots'
    paths name."""
    demo_seed.seed_profiles(smes=300, mentors=80, buyers=60, seed=2026)
    logins = {role: email for email, role, _ in demo_seed.ensure_demo_users(PASSWORD)}
    sme_user = accounts.find_user_by_email(logins["sme"])
    ranked, _ = matching.rank_for(sme_user, sme_user.profile, "mentor", 3)
    match_marks.set_mark(sme_user, sme_user.profile, ranked[2].profile.id, "saved")
    for match in ranked[:2]:
        intro = introductions.create_introduction(sme_user, {
            "requester_id": sme_user.profile.id, "target_id": match.profile.id,
            "message": "Buscamos apoyo para financiar nuestras exportaciones."})
        if match is ranked[0]:
            coordinator = accounts.find_user_by_email(logins["coordinator"])
            target = db.session.get(Profile, match.profile.id)
            if target.user_id is None:  # staff answer for profiles no account owns
                introduction_states.accept(coordinator, intro.id)
            accepted = intro.id
    conversations.post_message(sme_user, accepted, "Hola, ¿podemos hablar la próxima semana "
                                                   "sobre el financiamiento?")
    soon = utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(days=7)
    meetings.propose(sme_user, accepted, {"times": [soon, soon + timedelta(hours=3)],
                                          "minutes": 45, "note": "Videollamada"})
    demo_history.seed_program_history(accounts.find_user_by_email(logins["coordinator"]))
    # What `make run` shows: its job runner sweeps at start (expiries, reminders, prompts).
    sweep.sweep_introductions(deliver=False)
    return {"accepted": accepted}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/screenshots")
    out = Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/shots.db",
                          "SECRET_KEY": "screenshots", "RATELIMIT_ENABLED": False,
                          "PUENTE_DEMO_PASSWORD": PASSWORD})
        with app.app_context():
            app.test_cli_runner().invoke(args=["init-db"])
            ids = prepare(app)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            _shoot(f"http://127.0.0.1:{server.server_port}", out, ids)
        finally:
            server.shutdown()


def _shoot(base: str, out: Path, ids: dict[str, int]) -> None:
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for name, role, path, locale, width, height in SHOTS:
            page = browser.new_page(base_url=base, locale=locale,
                                    viewport={"width": width, "height": height})
            if role:
                page.goto("/login")
                page.fill("#email", f"{role}@demo.puente.test")
                page.fill("#password", PASSWORD)
                page.locator("form.card button[type=submit]").click()
                page.wait_for_load_state("load")
            path = path.format(**ids)
            page.goto(path + ("&" if "?" in path else "?") + "lang=" + locale[:2])
            page.screenshot(path=str(out / name), full_page=width < 500)
            page.close()
            print(out / name)
        browser.close()


if __name__ == "__main__":
    main()
