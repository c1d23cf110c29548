"""The navigation bar (webapp/ui/navigation.py)."""

from __future__ import annotations

import re

import pytest


def nav_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)
    return re.findall(r'<a href="([^"]+)"', nav)


@pytest.mark.parametrize("role, links", [
    ("sme", ["/profile", "/matches", "/introductions", "/account", "/notifications"]),
    ("mentor", ["/profile", "/matches", "/introductions", "/account", "/notifications"]),
    ("coordinator", ["/dashboard", "/cohorts", "/dashboard/metrics", "/impact", "/model",
                     "/profiles", "/program/rules", "/account", "/notifications"]),
    ("admin", ["/dashboard", "/cohorts", "/dashboard/metrics", "/impact", "/model",
               "/profiles", "/program/rules", "/users", "/account", "/notifications"]),
])
def test_each_role_sees_its_pages(client, signed_in, role, links):
    signed_in(role)
    assert nav_links(client.get("/").get_data(as_text=True)) == links


def test_visitors_see_sign_up_and_log_in(client):
    assert nav_links(client.get("/").get_data(as_text=True)) == ["/signup", "/login"]


def test_entries_without_a_registered_view_stay_out(client, signed_in, monkeypatch):
    from webapp.ui import navigation

    extra = navigation.NavItem("ui.not_yet", "Soon", navigation.PROFILE_OWNERS)
    monkeypatch.setattr(navigation, "NAV_ITEMS", (*navigation.NAV_ITEMS, extra))
    signed_in("sme")
    assert nav_links(client.get("/").get_data(as_text=True)) == [
        "/profile", "/matches", "/introductions", "/account", "/notifications"]
