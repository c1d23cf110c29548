"""Messages and meeting proposals inside an accepted introduction (the API)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from models import MeetingProposal, db, utcnow
from tests.conftest import FreshContextClient
from tests.factories import app_config
from tests.intro_factories import act, make_party, outbox, request_intro
from webapp import create_app

GDL = ZoneInfo("America/Mexico_City")  # MX-JAL
LA = ZoneInfo("America/Los_Angeles")  # US-CA


@pytest.fixture
def pair(client, as_role):
    """An SME in Guadalajara (es) and a mentor in Los Angeles (fr), introduction accepted."""
    sme = make_party(client, as_role, "sme", "es", subdivision="MX-JAL", city="Guadalajara")
    mentor = make_party(client, as_role, "mentor", "fr", subdivision="US-CA",
                        country="US", city="Los Angeles")
    intro = request_intro(client, sme, mentor)
    assert act(client, mentor, intro["id"], "accept").status_code == 200
    return sme, mentor, intro["id"]


def url(intro_id: int, rest: str = "messages") -> str:
    return f"/api/v1/introductions/{intro_id}/{rest}"


def tomorrow_at(hour: int, zone: ZoneInfo) -> datetime:
    day = (utcnow() + timedelta(days=2)).astimezone(zone).date()
    return datetime(day.year, day.month, day.day, hour, tzinfo=zone)


# -- messages --------------------------------------------------------------------------------

def test_the_two_parties_write_to_each_other(client, pair):
    sme, mentor, intro_id = pair
    sent = client.post(url(intro_id), json={"body": "  ¿Nos vemos el martes?  "},
                       headers=sme.headers)
    assert sent.status_code == 201, sent.get_json()
    assert sent.get_json()["body"] == "¿Nos vemos el martes?"
    client.post(url(intro_id), json={"body": "Oui, mardi."}, headers=mentor.headers)
    thread = client.get(url(intro_id), headers=mentor.headers).get_json()["items"]
    assert [(m["profile_id"], m["body"]) for m in thread] == [
        (sme.id, "¿Nos vemos el martes?"), (mentor.id, "Oui, mardi.")]


def test_staff_and_outsiders_do_not_read_the_thread(client, pair, as_role):
    sme, _, intro_id = pair
    client.post(url(intro_id), json={"body": "private"}, headers=sme.headers)
    _, coordinator = as_role("coordinator")
    _, admin = as_role("admin")
    _, stranger = as_role("sme")
    for headers in (coordinator, admin):
        response = client.get(url(intro_id), headers=headers)
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "conversation_parties_only"
        assert client.post(url(intro_id), json={"body": "x"}, headers=headers).status_code == 403
    assert client.get(url(intro_id), headers=stranger).status_code == 404


def test_no_messages_before_acceptance(client, as_role):
    sme = make_party(client, as_role, "sme")
    mentor = make_party(client, as_role, "mentor")
    intro = request_intro(client, sme, mentor)
    response = client.post(url(intro["id"]), json={"body": "hola"}, headers=sme.headers)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "conversation_not_open"


@pytest.mark.parametrize("body, code", [("", "required"), ("   ", "required"),
                                         ("x" * 2001, "too_long"), (7, "invalid_value")])
def test_a_bad_message_is_refused_naming_the_field(client, pair, body, code):
    sme, _, intro_id = pair
    response = client.post(url(intro_id), json={"body": body}, headers=sme.headers)
    assert response.status_code == 422
    [problem] = response.get_json()["error"]["fields"]["body"]
    assert problem["code"] == code
    assert client.get(url(intro_id), headers=sme.headers).get_json()["items"] == []


def test_the_other_party_gets_one_notice_per_quiet_period(client, app, pair):
    sme, mentor, intro_id = pair
    for text in ("uno", "dos", "tres"):
        assert client.post(url(intro_id), json={"body": text},
                           headers=sme.headers).status_code == 201
    notices = [m for m in outbox(mentor.user_id) if m.template == "message_received"]
    assert len(notices) == 1
    assert notices[0].locale == "fr" and "Nouveau message" in notices[0].subject
    assert "uno" not in notices[0].body  # the text stays in Puente
    assert f"/introductions/{intro_id}/conversation" in notices[0].body
    db.session.execute(db.update(type(notices[0])).values(
        created_at=utcnow() - timedelta(minutes=app.config["PUENTE_MESSAGE_NOTICE_MINUTES"] + 1)))
    db.session.commit()
    client.post(url(intro_id), json={"body": "cuatro"}, headers=sme.headers)
    assert len([m for m in outbox(mentor.user_id) if m.template == "message_received"]) == 2
    assert not [m for m in outbox(sme.user_id) if m.template == "message_received"]


def test_messages_and_proposals_are_rate_limited(app, database_url, pair):
    sme, _, intro_id = pair
    limited = create_app({**app_config(database_url), "RATELIMIT_ENABLED": True,
                          "PUENTE_MESSAGE_LIMIT": "2 per hour",
                          "PUENTE_MEETING_LIMIT": "1 per hour"})
    limited.test_client_class = FreshContextClient
    with limited.app_context():
        limited.extensions["puente.limiter"].reset()
        client = limited.test_client()
        codes = [client.post(url(intro_id), json={"body": f"m{i}"},
                             headers=sme.headers).status_code for i in range(3)]
        assert codes == [201, 201, 429]
        times = {"times": ["2099-01-01T10:00:00Z"]}
        assert [client.post(url(intro_id, "meetings"), json=times,
                            headers=sme.headers).status_code for _ in range(2)] == [201, 429]
        db.session.remove()
        db.engine.dispose()


# -- meetings --------------------------------------------------------------------------------

def propose(client, party, intro_id, times, **extra):
    return client.post(url(intro_id, "meetings"), headers=party.headers,
                       json={"times": times, **extra})


def test_times_without_offset_are_read_in_the_proposers_zone(client, pair):
    sme, mentor, intro_id = pair
    local = tomorrow_at(10, GDL)
    response = propose(client, sme, intro_id, [local.replace(tzinfo=None).isoformat()],
                       minutes=45, note="Primera llamada")
    assert response.status_code == 201, response.get_json()
    stored = db.session.get(MeetingProposal, response.get_json()["id"])
    assert datetime.fromisoformat(stored.times[0]) == local.astimezone(UTC)
    assert stored.zone == "America/Mexico_City"
    seen = client.get(url(intro_id, "meetings"), headers=mentor.headers).get_json()["items"]
    assert seen[0]["zone"] == "America/Los_Angeles"
    assert datetime.fromisoformat(seen[0]["times"][0]) == local
    assert datetime.fromisoformat(seen[0]["times"][0]).utcoffset() == \
        local.astimezone(LA).utcoffset()
    [notice] = [m for m in outbox(mentor.user_id) if m.template == "meeting_proposed"]
    assert notice.locale == "fr" and "(heure du Pacifique)" in notice.body
    assert "America/" not in notice.body  # the zone in the reader's words, not its id
    assert local.astimezone(LA).strftime("%H h %M") in notice.body  # as Canada writes French


@pytest.mark.parametrize("times, code", [
    ([], "choose_one"), (["2020-01-01T10:00:00Z"], "time_in_past"),
    (["2099-01-01T10:00:00Z"] * 2, "times_repeated"),
    ([f"209{i}-01-01T10:00:00Z" for i in range(4)], "too_many_items"),
    (["next tuesday"], None),
    # The last hour a date can hold: in the proposer's zone, or its meeting's end, overflowed.
    (["9999-12-31T23:30:00"], None), (["9999-12-31T23:30:00Z"], None)])
def test_bad_times_are_refused_naming_the_field(client, pair, times, code):
    sme, _, intro_id = pair
    response = propose(client, sme, intro_id, times)
    assert response.status_code == 422, response.get_json()
    assert "times" in response.get_json()["error"]["fields"]
    if code:
        assert response.get_json()["error"]["fields"]["times"][0]["code"] == code
    assert db.session.scalars(db.select(MeetingProposal)).all() == []


def test_meetings_only_while_accepted(client, as_role, pair):
    sme, mentor, intro_id = pair
    assert act(client, sme, intro_id, "complete").status_code == 200
    response = propose(client, sme, intro_id, ["2099-01-01T10:00:00Z"])
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "meeting_needs_accepted"


def test_the_other_party_picks_and_both_get_an_invitation_in_their_zone(client, pair):
    sme, mentor, intro_id = pair
    first, second = tomorrow_at(9, GDL), tomorrow_at(16, GDL)
    meeting = propose(client, sme, intro_id, [first.isoformat(), second.isoformat()],
                      minutes=30).get_json()
    pick_url = url(intro_id, f"meetings/{meeting['id']}/pick")
    own = client.post(pick_url, json={"time": second.isoformat()}, headers=sme.headers)
    assert own.status_code == 403
    assert own.get_json()["error"]["code"] == "own_meeting_proposal"
    other = client.post(pick_url, json={"time": "2099-05-05T10:00:00Z"}, headers=mentor.headers)
    assert other.status_code == 422 and "time" in other.get_json()["error"]["fields"]
    ics_url = url(intro_id, f"meetings/{meeting['id']}.ics")
    assert client.get(ics_url, headers=mentor.headers).status_code == 409
    picked = client.post(pick_url, json={"time": second.astimezone(LA).isoformat()},
                         headers=mentor.headers)
    assert picked.status_code == 200, picked.get_json()
    assert datetime.fromisoformat(picked.get_json()["picked_time"]) == second
    again = client.post(pick_url, json={"time": first.isoformat()}, headers=mentor.headers)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "meeting_picked"

    for party, zone, lang, said in ((sme, GDL, "es", "(hora central)"),
                                    (mentor, LA, "fr", "(heure du Pacifique)")):
        response = client.get(ics_url, headers=party.headers)
        assert response.status_code == 200 and response.mimetype == "text/calendar"
        event = next(iter(Calendar.from_ical(response.data).walk("VEVENT")))
        start = event.decoded("dtstart")
        assert start == second and str(start.tzinfo) == zone.key
        assert start.astimezone(zone).hour == second.astimezone(zone).hour
        assert event.decoded("dtend") - start == timedelta(minutes=30)
        [mail] = [m for m in outbox(party.user_id) if m.template == "meeting_confirmed"]
        assert mail.locale == lang and mail.attachment_type == "text/calendar"
        assert said in mail.body and "America/" not in mail.body
        emailed = next(iter(Calendar.from_ical(mail.attachment).walk("VEVENT")))
        assert emailed.decoded("dtstart") == second
    sme_event = Calendar.from_ical(client.get(ics_url, headers=sme.headers).data)
    assert "Reunión" in str(next(iter(sme_event.walk("VEVENT")))["summary"]) or \
        "reunión" in str(next(iter(sme_event.walk("VEVENT")))["summary"])


def test_the_invitation_is_attached_to_the_delivered_email(client, pair, caplog):
    from webapp.services.notifications import _email

    sme, mentor, intro_id = pair
    when = tomorrow_at(11, GDL)
    meeting = propose(client, sme, intro_id, [when.isoformat()]).get_json()
    client.post(url(intro_id, f"meetings/{meeting['id']}/pick"), json={"time": when.isoformat()},
                headers=mentor.headers)
    [mail] = [m for m in outbox(sme.user_id) if m.template == "meeting_confirmed"]
    email = _email(mail)
    [attached] = list(email.iter_attachments())
    assert attached.get_content_type() == "text/calendar"
    assert attached.get_filename() == f"puente-meeting-{meeting['id']}.ics"
    assert "BEGIN:VCALENDAR" in attached.get_content()
    assert email["Content-Language"] == "es"


def test_messages_are_exported_and_emptied_with_the_account(client, pair):
    sme, mentor, intro_id = pair
    client.post(url(intro_id), json={"body": "Mi número es 656 000 0000"}, headers=sme.headers)
    client.post(url(intro_id), json={"body": "Gracias"}, headers=mentor.headers)
    export = client.get("/api/v1/me/export", headers=sme.headers).get_json()
    assert [m["body"] for m in export["messages"]] == ["Mi número es 656 000 0000"]
    assert client.delete("/api/v1/me", json={"password": "correct horse battery"},
                         headers=sme.headers).status_code == 204
    thread = client.get(url(intro_id), headers=mentor.headers).get_json()["items"]
    assert [m["body"] for m in thread] == ["", "Gracias"]


# -- in-app notices ---------------------------------------------------------------------------

def notice_kinds(client, party) -> list[tuple[str, str]]:
    body = client.get("/api/v1/notifications?lang=en", headers=party.headers).get_json()
    return [(n["kind"], n["message"]) for n in body["items"]]


def test_a_message_tells_the_reader_in_the_app_once_until_read(client, pair):
    sme, mentor, intro_id = pair
    before = notice_kinds(client, mentor)
    client.post(url(intro_id), json={"body": "¿Nos vemos el martes?"}, headers=sme.headers)
    client.post(url(intro_id), json={"body": "¿O el miércoles?"}, headers=sme.headers)
    new = notice_kinds(client, mentor)[:len(notice_kinds(client, mentor)) - len(before)]
    assert [kind for kind, _ in new] == ["message"]  # one unread notice per thread
    assert new[0][1].startswith("Autopartes del Norte sent you a message")
    assert client.post("/api/v1/notifications/read", json={},
                       headers=mentor.headers).status_code == 200
    client.post(url(intro_id), json={"body": "¿Y el jueves?"}, headers=sme.headers)
    assert notice_kinds(client, mentor)[0][0] == "message"
    assert all(kind != "message" for kind, _ in notice_kinds(client, sme))


def test_a_proposal_and_its_pick_tell_the_other_party_in_the_app(client, pair):
    sme, mentor, intro_id = pair
    first = tomorrow_at(9, GDL)
    meeting = propose(client, sme, intro_id, [first.isoformat()], minutes=30).get_json()
    assert notice_kinds(client, mentor)[0] == (
        "meeting_proposed", "Autopartes del Norte proposed times to meet.")
    picked = client.post(url(intro_id, f"meetings/{meeting['id']}/pick"),
                         json={"time": first.isoformat()}, headers=mentor.headers)
    assert picked.status_code == 200, picked.get_json()
    kind, message = notice_kinds(client, sme)[0]
    assert kind == "meeting_picked" and message.endswith("picked a time to meet.")
