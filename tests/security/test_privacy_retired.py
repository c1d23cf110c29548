"""A deleted account's open request is withdrawn as a withdrawal would be, and the retired
profile is named "deleted profile" in the reader's language (services/privacy.py)."""

from __future__ import annotations

import pytest

from models import Profile, db
from tests.factories import login
from tests.intro_factories import act, make_party, outbox, request_intro
from tests.ui.helpers import text_of
from webapp.services.notifications import deliver_pending

PASSWORD = "correct horse battery"


def notices(client, party) -> dict:
    response = client.get("/api/v1/notifications", headers=party.headers)
    assert response.status_code == 200
    return response.get_json()


def delete_account(client, party) -> None:
    assert client.delete("/api/v1/me", headers=party.headers,
                         json={"password": PASSWORD}).status_code == 204
    db.session.expire_all()


@pytest.fixture
def request_to_mentor(client, as_role):
    sme, mentor = make_party(client, as_role, "sme"), make_party(client, as_role, "mentor")
    return sme, mentor, request_intro(client, sme, mentor)["id"]


def test_deleting_the_account_tells_the_target_as_a_withdrawal_does(client, as_role,
                                                                     request_to_mentor):
    sme, mentor, intro_id = request_to_mentor
    other, other_mentor = make_party(client, as_role, "sme"), make_party(client, as_role,
                                                                         "mentor")
    withdrawn = request_intro(client, other, other_mentor)["id"]
    assert act(client, other, withdrawn, "withdraw").status_code == 200
    delete_account(client, sme)
    told, by_withdrawal = notices(client, mentor), notices(client, other_mentor)
    assert [n["kind"] for n in told["items"]] == [n["kind"] for n in by_withdrawal["items"]] == [
        "withdrawn", "requested"]
    assert told["unread"] == by_withdrawal["unread"]
    assert told["items"][0]["introduction_id"] == intro_id
    assert told["items"][0]["message"] == "(deleted profile) withdrew the introduction request."
    assert client.get(f"/api/v1/introductions/{intro_id}",
                      headers=mentor.headers).get_json()["state"] == "withdrawn"


def test_a_request_mailed_already_is_withdrawn_by_mail_naming_no_one(client,
                                                                      request_to_mentor):
    sme, mentor, intro_id = request_to_mentor
    assert deliver_pending().delivered == 1  # the mentor has read "Autopartes del Norte asks…"
    delete_account(client, sme)
    mail = [m for m in outbox(mentor.user_id) if m.template == "withdrawn"]
    assert len(mail) == 1 and mail[0].status == "pending"
    assert mail[0].subject == "(deleted profile) withdrew their request"
    assert "Autopartes" not in mail[0].subject + mail[0].body


@pytest.mark.parametrize("delete", ["account", "profile"])
def test_a_retired_profile_is_marked_retired(client, request_to_mentor, delete):
    sme, _, _ = request_to_mentor
    if delete == "account":
        delete_account(client, sme)
    else:
        assert client.delete(f"/api/v1/smes/{sme.id}", headers=sme.headers).status_code == 204
        db.session.expire_all()
    profile = db.session.get(Profile, sme.id)
    assert profile.retired and profile.name == "(deleted profile)"  # the API's stable name


@pytest.mark.parametrize(("lang", "name"), [("en", "(deleted profile)"),
                                            ("es", "(perfil eliminado)"),
                                            ("fr", "(profil supprimé)")])
def test_the_profile_page_names_a_retired_profile_in_the_readers_language(
        client, make_user, request_to_mentor, lang, name):
    """Needs the es/fr catalogues to hold the new msgid "(deleted profile)"."""
    sme, _, _ = request_to_mentor
    delete_account(client, sme)
    coordinator = make_user("coordinator")
    assert login(client, coordinator.email).status_code == 302
    html = client.get(f"/profiles/{sme.id}?lang={lang}").get_data(as_text=True)
    assert f"<h1>{name}</h1>" in html
    assert text_of(html.split("<title>")[1].split("</title>")[0]) == f"{name} · Puente"


def test_a_retired_party_of_an_introduction_has_no_city_as_its_profile_says(
        client, request_to_mentor):
    """README: a retired profile shows ``city: null`` — in an introduction's parties too."""
    sme, mentor, intro_id = request_to_mentor
    delete_account(client, sme)
    body = client.get(f"/api/v1/introductions/{intro_id}", headers=mentor.headers).get_json()
    retired = body["requester"] if body["requester"]["id"] == sme.id else body["target"]
    assert retired["city"] is None
    assert body["target" if retired is body["requester"] else "requester"]["city"]


def test_a_retired_profile_cannot_be_edited_back_nor_deleted_again(client, as_role,
                                                                   request_to_mentor):
    """Staff could PATCH a retired profile back to life under a new name, renaming the
    counterparts' history; now every change is 409 ``profile_retired`` and writes nothing."""
    from tests.factories import row_counts

    sme, mentor, intro_id = request_to_mentor
    _, staff = as_role("coordinator")
    assert client.delete(f"/api/v1/smes/{sme.id}", headers=staff).status_code == 204
    before = client.get(f"/api/v1/smes/{sme.id}", headers=staff).get_json()
    counts = row_counts()
    for method, body in (("patch", {"name": "revive", "active": True, "city": "Mexicali"}),
                         ("patch", {"description": "x"}), ("delete", None)):
        response = getattr(client, method)(f"/api/v1/smes/{sme.id}?lang=es", json=body,
                                           headers=staff)
        assert response.status_code == 409, (method, body)
        error = response.get_json()["error"]
        assert error["code"] == "profile_retired" and "eliminado" in error["message"]
    assert client.get(f"/api/v1/smes/{sme.id}", headers=staff).get_json() == before
    assert row_counts() == counts
    shown = client.get(f"/api/v1/introductions/{intro_id}", headers=mentor.headers).get_json()
    assert shown["requester"]["name"] == "(deleted profile)"


def test_the_staff_editor_says_a_retired_profile_cannot_be_changed(client, as_role,
                                                                   request_to_mentor):
    from tests.factories import csrf_token

    sme, _, _ = request_to_mentor
    coordinator, staff = as_role("coordinator")
    assert client.delete(f"/api/v1/smes/{sme.id}", headers=staff).status_code == 204
    assert login(client, coordinator.email).status_code == 302
    page = f"/profiles/{sme.id}/edit"
    response = client.post(page, data={"csrf_token": csrf_token(client, page),
                                       "name": "revive", "city": "Mexicali"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "cannot be changed" in text_of(response.get_data(as_text=True))
    assert db.session.get(Profile, sme.id).name != "revive"
