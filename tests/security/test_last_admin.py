"""The service always keeps an administrator: the last one cannot delete its own account
(admins are invited by an admin; with none left, nobody could manage accounts again)."""

from __future__ import annotations

from collections import Counter

from models import User, db
from tests.db.test_capacity_concurrency import run_at_once
from tests.factories import csrf_token, login, row_counts

PASSWORD = {"password": "correct horse battery"}


def test_the_only_admin_cannot_delete_its_account_and_nothing_changes(client, as_role):
    admin, headers = as_role("admin")
    as_role("coordinator")  # staff of another role does not manage accounts
    before = row_counts()
    response = client.delete("/api/v1/me", headers=headers, json=PASSWORD)
    assert response.status_code == 409, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "last_admin"
    assert "administrator" in error["message"]
    assert row_counts() == before
    assert client.get("/api/v1/me", headers=headers).status_code == 200


def test_an_admin_may_delete_its_account_while_another_active_admin_remains(client, as_role):
    _, headers = as_role("admin")
    as_role("admin")
    assert client.delete("/api/v1/me", headers=headers, json=PASSWORD).status_code == 204
    assert db.session.scalar(db.select(db.func.count(User.id))
                             .where(User.role == "admin")) == 1


def test_a_deactivated_admin_does_not_count_as_the_one_remaining(client, as_role, make_user):
    _, headers = as_role("admin")
    _inactive_admin(make_user)
    response = client.delete("/api/v1/me", headers=headers, json=PASSWORD)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "last_admin"


def test_the_account_page_tells_the_only_admin_why_in_its_language(app, make_user):
    admin = make_user("admin", locale="es")
    browser = app.test_client()
    login(browser, admin.email)
    response = browser.post("/account/delete?lang=es", data={
        "csrf_token": csrf_token(browser, "/account"), "delete_password": PASSWORD["password"],
        "delete_confirm": "y"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "administrador" in page
    assert browser.get("/account").status_code == 200  # still signed in, still there


def test_two_admins_deleting_themselves_at_once_leave_one(app, client, as_role):
    """Each deletion counts the others under lock: one of the two goes, the other is 409."""
    admins = [as_role("admin") for _ in range(2)]

    def delete(headers):
        return lambda c: c.delete("/api/v1/me", headers=headers, json=PASSWORD)

    responses = run_at_once(app, [delete(headers) for _, headers in admins])
    statuses = Counter(getattr(r, "status_code", repr(r)) for r in responses)
    assert statuses == {204: 1, 409: 1}, statuses
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(User.id)).where(User.role == "admin")) == 1


def _inactive_admin(make_user) -> User:
    user = make_user("admin")
    user.active = False
    db.session.commit()
    return user
