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


@pytest.fixture
def sme_with_mentor(signed_in, make_user):
    """Sign in an SME with a profile; create a mentor and a buyer to match; return them."""
    from tests.ui.test_profiles import make_profile

    sme = signed_in("sme")
    own = make_profile(sme, "sme")
    mentor = make_profile(make_user("mentor"), "mentor")
    buyer = make_profile(make_user("buyer"), "buyer")
    return own, mentor, buyer
