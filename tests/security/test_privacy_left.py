"""A deleted account's open requests are closed both ways: the requests it made as a withdrawal
(tests/security/test_privacy_retired.py), and the requests made TO it as the other party's
leaving — the requester is told so, and its lists never say that it withdrew the request."""

from __future__ import annotations

from models import Profile, User, db
from tests.factories import login
from tests.intro_factories import act, audit_actions, make_party, outbox, request_intro
from tests.ui.helpers import text_of
from webapp.services.notifications import deliver_pending

PASSWORD = "correct horse battery"


def delete_account(client, party) -> None:
    assert client.delete("/api/v1/me", headers=party.headers,
                         json={"password": PASSWORD}).status_code == 204
    db.session.expire_all()


def notices(client, party, lang: str = "en") -> list[dict]:
    response = client.get(f"/api/v1/notifications?lang={lang}", headers=party.headers)
    assert response.status_code == 200
    return response.get_json()["items"]


def test_the_requester_is_told_that_the_target_left_not_that_it_withdrew(client, as_role):
    sme, mentor = make_party(client, as_role, "sme"), make_party(client, as_role, "mentor")
    intro_id = request_intro(client, sme, mentor)["id"]
    delete_account(client, mentor)
    told = notices(client, sme)
    assert [(n["kind"], n["introduction_id"]) for n in told] == [("party_left", intro_id)]
    assert told[0]["message"] == ("(deleted profile) left Puente: your introduction request "
                                  "was closed.")
    body = client.get(f"/api/v1/introductions/{intro_id}", headers=sme.headers).get_json()
    # stored as withdrawn (no one's "no": neutral in the acceptance and response rates), with
    # why it was closed
    assert (body["state"], body["decline_reason_code"]) == ("withdrawn", "party_left")
    assert outbox(sme.user_id) == []  # the request's own mail had not gone out


def test_the_requesters_inbox_says_the_other_party_left(app, client, as_role):
    sme, mentor = make_party(client, as_role, "sme"), make_party(client, as_role, "mentor")
    own = make_party(client, as_role, "mentor")
    left = request_intro(client, sme, mentor)["id"]
    withdrawn = request_intro(client, sme, own)["id"]
    assert act(client, sme, withdrawn, "withdraw").status_code == 200
    delete_account(client, mentor)
    page = app.test_client()
    login(page, db.session.get(User, sme.user_id).email)
    html = page.get("/introductions").get_data(as_text=True)
    entry = text_of(html.split(f'id="introduction-{left}"')[1].split("</article>")[0])
    assert "Closed: the other party left Puente" in entry and "Withdrawn" not in entry
    mine = text_of(html.split(f'id="introduction-{withdrawn}"')[1].split("</article>")[0])
    assert "Withdrawn" in mine  # a request it did withdraw still says so


def test_the_requester_is_mailed_in_its_language_when_the_request_was_mailed(client,
                                                                             as_role):
    sme = make_party(client, as_role, "sme", locale="es")
    mentor = make_party(client, as_role, "mentor", name="Mentora Secreta")
    intro_id = request_intro(client, sme, mentor)["id"]
    assert deliver_pending().delivered == 1  # the mentor read the request
    delete_account(client, mentor)
    mail = outbox(sme.user_id)
    assert [(m.template, m.introduction_id, m.locale) for m in mail] == [
        ("party_left", intro_id, "es")]
    assert "(perfil eliminado)" in mail[0].subject + mail[0].body
    assert "Secreta" not in mail[0].subject + mail[0].body
    assert "(perfil eliminado)" in notices(client, sme, "es")[0]["message"]


def test_closing_for_a_party_that_left_leaves_the_rates_and_figures_as_a_withdrawal_does(
        client, as_role):
    sme, mentor = make_party(client, as_role, "sme"), make_party(client, as_role, "mentor")
    other = make_party(client, as_role, "mentor")
    _, staff = as_role("coordinator")
    request_intro(client, sme, mentor)
    accepted = request_intro(client, sme, other)["id"]
    assert act(client, other, accepted, "accept").status_code == 200
    before = client.get("/api/v1/metrics", headers=staff).get_json()
    delete_account(client, mentor)
    after = client.get("/api/v1/metrics", headers=staff).get_json()
    assert after["acceptance_rate"] == before["acceptance_rate"] == 1.0
    assert after["by_state"]["withdrawn"] == before["by_state"]["withdrawn"] + 1
    assert after["by_state"]["declined"] == before["by_state"]["declined"] == 0
    retired = db.session.get(Profile, mentor.id)
    assert (retired.requests_answered, retired.requests_expired) == (0, 0)


def test_the_requests_closed_with_a_deleted_account_are_in_the_audit_log(client, as_role):
    """Every state change is audited (issue 4): those of a deletion too, by no one."""
    sme, mentor = make_party(client, as_role, "sme"), make_party(client, as_role, "mentor")
    other = make_party(client, as_role, "mentor")
    to_it = request_intro(client, sme, mentor)["id"]
    from_it = request_intro(client, mentor, make_party(client, as_role, "sme"))["id"]
    accepted = request_intro(client, other, sme)["id"]
    assert act(client, sme, accepted, "accept").status_code == 200
    ended = request_intro(client, make_party(client, as_role, "sme"), mentor)["id"]
    assert act(client, mentor, ended, "accept").status_code == 200
    delete_account(client, mentor)
    assert audit_actions(ended)[-1] == "introduction.complete"
    assert audit_actions(to_it)[-1] == audit_actions(from_it)[-1] == "introduction.withdraw"
    assert "introduction.complete" not in audit_actions(accepted)  # not the leaver's
