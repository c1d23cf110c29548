"""Password policy: length, common passwords, e-mail address; no composition rules."""

import pytest

from tests.factories import row_counts
from webapp.services.passwords import password_problem


@pytest.mark.parametrize("password", ["short", "password", "PASSWORD1", "12345678",
                                      "iloveyou", "qwertyuiop", "ana.garcia"])
def test_weak_passwords_are_refused(password):
    assert password_problem(password, "ana.garcia@example.test")


@pytest.mark.parametrize("password", ["tortillas de harina 2026", "aaaaaaaaaaaaaaaaaaaaaa1",
                                      "maple-syrup-and-poutine"])
def test_long_uncommon_passwords_need_no_symbols(password):
    assert password_problem(password, "ana@example.test") is None


def test_account_creation_refuses_a_common_password(runner, app):
    before = row_counts()
    result = runner.invoke(args=["create-user", "a@example.test", "--role", "sme",
                                 "--password", "password123"])
    assert result.exit_code != 0 and "most common" in result.output
    assert row_counts() == before
