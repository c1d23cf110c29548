"""In-app notifications through the API (webapp/api/notices.py, webapp/services/inbox.py):
written with the events they tell about, in the reader's language, marked read."""

from __future__ import annotations

from datetime import date

import pytest

from models import Notice, db
from tests.intro_factories import act, make_party, outbox, request_intro
from webapp.services import inbox


def notices(client, party, query: str = "", lang: str = "en") -> dict:
    response = client.get(f"/api/v1/notifications?lang={lang}&{query}", headers=party.headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def sme_and_mentor(client, as_role):
    return make_party(client, as_role, "sme"), make_party(client, as_role, "mentor")


def test_a_request_tells_the_target_in_the_app_and_by_mail(client, sme_and_mentor):
    sme, mentor = sme_and_mentor
    intro = request_intro(client, sme, mentor)
    body = notices(client, mentor)
    assert body["unread"] == 1 and body["total"] == 1
    notice = body["items"][0]
    assert notice["kind"] == "requested" and notice["introduction_id"] == intro["id"]
    assert notice["message"] == "Autopartes del Norte asks to be introduced to Rosa Delgado."
    assert notice["read_at"] is None
    assert [m.template for m in outbox(mentor.user_id)] == ["requested"]  # e-mail too
    assert notices(client, sme)["total"] == 0


def test_the_message_is_in_the_readers_language(client, sme_and_mentor):
    sme, mentor = sme_and_mentor
    request_intro(client, sme, mentor)
    assert notices(client, mentor, lang="es")["items"][0]["message"] == (
        "Autopartes del Norte pide que le presenten a Rosa Delgado.")
    assert notices(client, mentor, lang="fr")["items"][0]["message"] == (
        "Autopartes del Norte demande à être présenté à Rosa Delgado.")


def test_answers_and_steps_to_confirm_are_told(client, sme_and_mentor):
    sme, mentor = sme_and_mentor
    intro = request_intro(client, sme, mentor)
    assert act(client, mentor, intro["id"], "accept").status_code == 200
    response = client.post(f"/api/v1/introductions/{intro['id']}/outcomes",
                           headers=mentor.headers,
                           json={"stage": "session", "occurred_on": date.today().isoformat(),
                                 "minutes": 45})
    assert response.status_code == 201, response.get_json()
    kinds = [n["kind"] for n in notices(client, sme)["items"]]
    assert kinds == ["step_to_confirm", "accepted"]  # newest first
    assert notices(client, sme)["items"][0]["message"] == (
        "Rosa Delgado reported a step for you to confirm: mentoring session.")


def test_a_decline_names_its_reason(client, sme_and_mentor):
    sme, mentor = sme_and_mentor
    intro = request_intro(client, sme, mentor)
    assert act(client, mentor, intro["id"], "decline", reason_code="timing").status_code == 200
    assert notices(client, sme, lang="es")["items"][0]["message"] == (
        "Rosa Delgado rechazó su solicitud de presentación (no es el momento adecuado).")


def test_a_refused_event_writes_no_notice(client, sme_and_mentor):
    sme, mentor = sme_and_mentor
    intro = request_intro(client, sme, mentor)
    assert act(client, sme, intro["id"], "accept").status_code == 403  # not the target
    assert db.session.scalar(db.select(db.func.count(Notice.id))) == 1  # the request's only


def test_marking_some_or_all_read(client, as_role, sme_and_mentor):
    sme, mentor = sme_and_mentor
    other = make_party(client, as_role, "sme", name="Otra Empresa", needs=["financing"])
    first = request_intro(client, sme, mentor)
    request_intro(client, other, mentor)
    ids = [n["id"] for n in notices(client, mentor)["items"]]
    response = client.post("/api/v1/notifications/read", headers=mentor.headers,
                           json={"ids": [ids[-1]]})
    assert response.status_code == 200 and response.get_json() == {"marked": 1, "unread": 1}
    unread = notices(client, mentor, "unread=true")["items"]
    assert [n["introduction_id"] for n in unread] != [first["id"]] and len(unread) == 1
    response = client.post("/api/v1/notifications/read", headers=mentor.headers, json={})
    assert response.get_json() == {"marked": 1, "unread": 0}


def test_another_users_notices_are_neither_listed_nor_marked(client, sme_and_mentor):
    sme, mentor = sme_and_mentor
    request_intro(client, sme, mentor)
    notice_id = notices(client, mentor)["items"][0]["id"]
    response = client.post("/api/v1/notifications/read", headers=sme.headers,
                           json={"ids": [notice_id]})
    assert response.get_json() == {"marked": 0, "unread": 0}
    assert notices(client, mentor)["unread"] == 1


@pytest.mark.parametrize("body", [{"ids": []}, {"ids": ["x"]}, {"ids": [0]}, {"all": True},
                                  {"ids": 5}])
def test_bad_input_is_refused_naming_the_field(client, sme_and_mentor, body):
    sme, _ = sme_and_mentor
    response = client.post("/api/v1/notifications/read", headers=sme.headers, json=body)
    assert response.status_code in (400, 422)
    assert set(response.get_json()["error"]["fields"]) <= {"ids", "all"}
    assert response.get_json()["error"]["fields"]


def test_notices_need_a_signed_in_user(client):
    assert client.get("/api/v1/notifications").status_code == 401
    assert client.post("/api/v1/notifications/read", json={}).status_code == 401


def test_an_unknown_kind_is_refused_before_anything_is_written(app):
    with pytest.raises(ValueError):
        inbox.notify_in_app([1], "no_such_kind")


def test_a_notice_names_the_parties_as_they_are_when_read(client, sme_and_mentor):
    sme, mentor = sme_and_mentor
    request_intro(client, sme, mentor)
    response = client.patch(f"/api/v1/smes/{sme.id}", headers=sme.headers,
                            json={"name": "Autopartes Norte SA"})
    assert response.status_code == 200
    assert notices(client, mentor)["items"][0]["message"] == (
        "Autopartes Norte SA asks to be introduced to Rosa Delgado.")


def test_a_deleted_account_is_not_named_in_the_others_notices(client, sme_and_mentor):
    sme, mentor = sme_and_mentor
    request_intro(client, sme, mentor)
    assert client.delete("/api/v1/me", headers=sme.headers,
                         json={"password": "correct horse battery"}).status_code == 204
    messages = [n["message"] for n in notices(client, mentor)["items"]]
    assert messages and not any("Autopartes" in m for m in messages)


def test_my_notices_are_in_my_data_export(client, sme_and_mentor):
    sme, mentor = sme_and_mentor
    intro = request_intro(client, sme, mentor)
    data = client.get("/api/v1/me/export", headers=mentor.headers).get_json()
    assert [(n["kind"], n["introduction_id"]) for n in data["notifications"]] == [
        ("requested", intro["id"])]
