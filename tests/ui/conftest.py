"""Fixtures of the page tests."""

from __future__ import annotations

import pytest

from tests.factories import login


@pytest.fixture
def signed_in(client, make_user):
    """Create a user of a role (and locale), sign the test client in; return the user."""

    def sign_in(role: str = "sme", **kw):
        user = make_user(role, **kw)
        assert login(client, user.email).status_code == 302
        return user

    return sign_in
