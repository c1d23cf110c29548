"""``flask create-user`` takes an e-mail address as sign-up does (webapp/cli.py, the rule in
``accounts.create_user``)."""

from __future__ import annotations

import pytest

from models import User, db
from webapp.errors import InvalidInput
from webapp.services import accounts, staff


@pytest.mark.parametrize(("email", "said"), [
    *((bad, "Enter a valid e-mail address.") for bad in (
        "notanemail", "ana@", "@example.test", "ana@example", "ana maria@example.test",
        "ana@@example.test", "ana@example.test\nroot@example.test")),
    ("a" * 250 + "@example.test", "Use at most 254 characters."),
])
def test_an_address_that_is_not_one_is_refused_and_nothing_created(runner, email, said):
    result = runner.invoke(args=["create-user", email, "--role", "sme",
                                 "--password", "long enough pw"])
    assert result.exit_code != 0
    assert f"email: {said}" in result.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_a_good_address_with_spaces_around_is_taken_trimmed(runner):
    result = runner.invoke(args=["create-user", " Ana@Example.test ", "--role", "sme",
                                 "--password", "long enough pw"])
    assert result.exit_code == 0, result.output
    assert db.session.scalars(db.select(User.email)).all() == ["ana@example.test"]


def test_an_invitation_to_a_non_address_is_refused_by_its_field(make_user):
    with pytest.raises(InvalidInput) as refused:
        staff.invite(make_user("admin"), "root", "coordinator")
    assert [p.code for p in refused.value.fields["email"]] == ["invalid_email"]


def test_sign_up_refuses_a_non_address_by_its_field(app):
    with pytest.raises(InvalidInput) as refused:
        accounts.sign_up("nobody", "a long passphrase", "sme")
    assert [p.code for p in refused.value.fields["email"]] == ["invalid_email"]
