"""The navigation bar (webapp/ui/navigation.py)."""

from __future__ import annotations

import re

import pytest

from models import db
from webapp import create_app


def nav_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)
    return re.findall(r'<a href="([^"]+)"', nav)


@pytest.mark.parametrize("role, links", [
    ("sme", ["/profile", "/account"]),
    ("mentor", ["/profile", "/account"]),
    ("coordinator", ["/profiles", "/account"]),
    ("admin", ["/profiles", "/account"]),
])
def test_each_role_sees_its_pages(client, signed_in, role, links):
    signed_in(role)
    assert nav_links(client.get("/").get_data(as_text=True)) == links


def test_visitors_see_sign_up_and_log_in(client):
    assert nav_links(client.get("/").get_data(as_text=True)) == ["/signup", "/login"]


def test_pages_still_to_come_join_the_bar_once_registered(database_url, tmp_path, make_user):
    from tests.factories import login

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "SECRET_KEY": "test", "PUENTE_MODEL_DIR": str(tmp_path),
                      "PUENTE_ARGON2_TIME_COST": 1, "PUENTE_ARGON2_MEMORY_KIB": 8192})
    app.add_url_rule("/matches", "ui.matches", lambda: "matches")
    user = make_user("sme")
    client = app.test_client()
    try:
        login(client, user.email)
        links = nav_links(client.get("/").get_data(as_text=True))
    finally:
        with app.app_context():
            db.engine.dispose()  # close its connections (PostgreSQL warns otherwise)
    assert links == ["/profile", "/matches", "/account"]
