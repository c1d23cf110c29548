"""Who reads a profile with its owner in the same statement: staff, not participants."""

import pytest

from webapp.services.profile_reads import reads_owner_with_profile


@pytest.mark.parametrize("role, with_owner", [("coordinator", True), ("admin", True),
                                               ("sme", False), ("mentor", False),
                                               ("buyer", False)])
def test_staff_read_profiles_with_their_owner(make_user, role, with_owner):
    assert reads_owner_with_profile(make_user(role)) is with_owner


def test_no_reader_reads_the_plain_profile():
    assert reads_owner_with_profile(None) is False
