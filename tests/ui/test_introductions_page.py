"""Introductions inbox (webapp/ui/introductions.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from models import Introduction, Notice, User, db, utcnow
from tests.factories import csrf_token, login, row_counts
from tests.ui.helpers import field_errors, text_of
from tests.ui.test_outcomes_page import control, shown_value
from tests.ui.test_profiles import make_profile
from webapp.services import introduction_states as states
from webapp.services import introductions as service

SME_EMAIL = "ventas@autopartes.example"
MENTOR_EMAIL = "rosa@mentor.example"


@pytest.fixture
def pair(make_user):
    """An SME and a mentor with profiles, and an introduction the SME asked for."""
    sme, mentor = make_user("sme"), make_user("mentor")
    make_profile(sme, "sme")
    make_profile(mentor, "mentor")
    target = mentor.profile
    intro = service.create_introduction(sme, {"target_id": target.id, "message": "Hola Rosa"})
    return sme, mentor, intro.id


def act(client, intro_id, action, **data):
    data["csrf_token"] = csrf_token(client, "/introductions")
    return client.post(f"/introductions/{intro_id}/{action}", data=data,
                       headers={"Accept-Language": "en"})


def page(client) -> str:
    return client.get("/introductions", headers={"Accept-Language": "en"}).get_data(True)


def state_of(intro_id) -> str:
    db.session.expire_all()
    return db.session.get(Introduction, intro_id).state


def test_target_sees_the_request_without_contacts(client, pair):
    _, mentor, intro_id = pair
    login(client, mentor.email)
    html = page(client)
    assert "Hola Rosa" in html and f"introduction-{intro_id}" in html
    assert f'action="/introductions/{intro_id}/accept"' in html
    assert SME_EMAIL not in html and MENTOR_EMAIL not in html


def test_requester_sees_a_withdraw_button_and_no_contacts(client, pair):
    sme, _, intro_id = pair
    login(client, sme.email)
    html = page(client)
    assert f"/introductions/{intro_id}/withdraw" in html
    assert f"/introductions/{intro_id}/accept" not in html
    assert MENTOR_EMAIL not in html


def test_accept_reveals_contacts_to_both_parties_only(client, pair, make_user):
    sme, mentor, intro_id = pair
    login(client, mentor.email)
    response = act(client, intro_id, "accept")
    assert response.status_code == 302 and state_of(intro_id) == "accepted"
    assert SME_EMAIL in page(client)
    client.get("/logout")
    login(client, sme.email)
    assert MENTOR_EMAIL in page(client)
    third = make_user("sme")
    make_profile(third, "sme", contact_email="third@x.example")
    client.get("/logout")
    login(client, third.email)
    html = page(client)
    assert MENTOR_EMAIL not in html and SME_EMAIL not in html
    assert act(client, intro_id, "complete").status_code == 404
    assert state_of(intro_id) == "accepted"


def test_decline_with_reason(client, pair):
    sme, mentor, intro_id = pair
    login(client, mentor.email)
    response = act(client, intro_id, "decline", reason_code="timing", reason_text="En enero")
    assert response.status_code == 302 and state_of(intro_id) == "declined"
    client.get("/logout")
    login(client, sme.email)
    text = text_of(page(client))
    assert "Not the right time" in text and "En enero" in text


@pytest.mark.parametrize("reason", ["", "bogus"])
def test_bad_decline_reason_is_shown_by_the_field_and_writes_nothing(client, pair, reason):
    _, mentor, intro_id = pair
    login(client, mentor.email)
    before = row_counts()
    response = act(client, intro_id, "decline", reason_code=reason)
    assert response.status_code == 422
    assert f'id="reason_code-{intro_id}-error"' in response.get_data(True)
    assert row_counts() == before and state_of(intro_id) == "requested"


def test_requester_cannot_accept_its_own_request(client, pair):
    sme, _, intro_id = pair
    login(client, sme.email)
    response = act(client, intro_id, "accept")
    assert response.status_code == 302 and state_of(intro_id) == "requested"
    assert "You cannot do this" in page(client)


def test_withdraw_then_a_second_move_is_a_flash_not_an_error(client, pair):
    sme, _, intro_id = pair
    login(client, sme.email)
    assert act(client, intro_id, "withdraw").status_code == 302
    assert state_of(intro_id) == "withdrawn"
    response = act(client, intro_id, "withdraw")
    assert response.status_code == 302
    assert "no longer possible" in page(client)


def test_complete_and_feedback(client, pair):
    sme, mentor, intro_id = pair
    login(client, mentor.email)
    act(client, intro_id, "accept")
    assert act(client, intro_id, "complete").status_code == 302
    assert state_of(intro_id) == "completed"
    before = row_counts()
    bad = act(client, intro_id, "feedback", rating="9")
    assert bad.status_code == 422 and f'id="rating-{intro_id}-error"' in bad.get_data(True)
    assert row_counts() == before
    assert act(client, intro_id, "feedback", rating="5", comment="Muy útil").status_code == 302
    intro = db.session.get(Introduction, intro_id)
    assert [(f.rating, f.comment) for f in intro.feedback] == [(5, "Muy útil")]
    assert f"/introductions/{intro_id}/feedback" not in page(client)


def test_missing_csrf_writes_nothing(client, pair):
    _, mentor, intro_id = pair
    login(client, mentor.email)
    response = client.post(f"/introductions/{intro_id}/accept")
    assert response.status_code in (400, 422) and state_of(intro_id) == "requested"


def test_unknown_action_and_introduction_are_404(client, pair):
    _, mentor, intro_id = pair
    login(client, mentor.email)
    assert act(client, intro_id, "explode").status_code == 404
    assert act(client, 99999, "accept").status_code == 404


def test_user_without_profile_is_sent_to_the_editor(client, signed_in):
    signed_in("mentor")
    response = client.get("/introductions")
    assert response.status_code == 302 and response.location.endswith("/profile")


def test_spanish_inbox(client, pair):
    _, mentor, _ = pair
    login(client, mentor.email)
    html = client.get("/introductions?lang=es").get_data(True)
    assert "Aceptar" in html


def test_past_introductions_are_paged_while_open_ones_all_show(client, pair, make_user,
                                                             monkeypatch):
    from webapp.ui import introductions as inbox

    monkeypatch.setattr(inbox, "PAST_PAGE", 1)
    sme, mentor, open_id = pair
    closed = []
    for name in ("Otra A", "Otra B"):  # two other SMEs whose requests the mentor declined
        other = make_user("sme")
        make_profile(other, "sme", name=name)
        intro = service.create_introduction(other, {"target_id": mentor.profile.id})
        states.decline(mentor, intro.id, "timing")
        closed.append(intro.id)
    login(client, mentor.email)
    first = page(client)
    second = client.get("/introductions?page=2", headers={"Accept-Language": "en"}).get_data(True)
    for html in (first, second):  # the open request is on every page
        assert f'id="introduction-{open_id}"' in html.split('id="past"')[0]
    newest, older = closed[1], closed[0]
    assert f'id="introduction-{newest}"' in first and f'id="introduction-{older}"' not in first
    assert f'id="introduction-{older}"' in second and "Page 2 of 2" in text_of(second)
    assert 'href="/introductions?page=2#past"' in first
    assert f'id="introduction-{newest}"' in page_of(client, "abc")  # a bad page reads as 1


def make_overdue(intro_id: int, days: int = 15) -> None:
    """Move a request's creation back past its expiry (14 days), the sweep not run yet."""
    intro = db.session.get(Introduction, intro_id)
    intro.created_at -= timedelta(days=days)
    db.session.commit()


@pytest.mark.parametrize("who", ["mentor", "sme"])
def test_a_request_past_its_expiry_shows_as_expired_with_nothing_to_answer(client, pair, who):
    sme, mentor, intro_id = pair
    make_overdue(intro_id)
    login(client, {"sme": sme, "mentor": mentor}[who].email)
    html = page(client)
    entry = html.split(f'id="introduction-{intro_id}"')[1].split("</article>")[0]
    assert f'id="introduction-{intro_id}"' in html.split('id="past"')[1]
    assert "Expired" in text_of(entry) and "Requested" not in text_of(entry)
    assert "Expires on" not in text_of(entry)
    for action in ("accept", "decline", "withdraw"):
        assert f"/introductions/{intro_id}/{action}" not in html
    assert state_of(intro_id) == "requested"  # shown as it is; the sweep writes it


def page_of(client, number: str) -> str:
    return client.get(f"/introductions?page={number}").get_data(True)


@pytest.mark.parametrize(("locale", "said"), [
    ("en", "This mentor has no capacity left right now."),
    ("es", "Este mentor no tiene cupo por ahora."),
    ("fr", "Ce mentor n’a plus de place pour le moment."),
])
def test_accepting_the_offer_of_a_full_mentor_says_the_mentor_is_full(
        client, make_user, locale, said):
    mentor, first, second = make_user("mentor"), make_user("sme"), make_user("sme")
    make_profile(mentor, "mentor", capacity=1)
    make_profile(first, "sme")
    make_profile(second, "sme", name="Otra Empresa")
    taken, refused = (service.create_introduction(mentor, {"target_id": sme.profile.id}).id
                      for sme in (first, second))
    states.accept(first, taken)
    db.session.get(User, second.id).locale = locale
    db.session.commit()
    login(client, second.email)
    response = client.post(f"/introductions/{refused}/accept",
                           data={"csrf_token": csrf_token(client, "/introductions")})
    assert response.status_code == 302 and state_of(refused) == "requested"
    text = text_of(client.get("/introductions").get_data(True))
    assert said in text
    assert "raise your capacity" not in text


# -- a refused form comes back as it was typed, its error next to its field --------------------

TOO_LONG = {"en": "Use at most 2000 characters.", "es": "Use como máximo 2000 caracteres.",
            "fr": "Utilisez au plus 2000 caractères."}


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_a_refused_decline_keeps_the_reason_and_the_note(client, pair, lang):
    _, mentor, intro_id = pair
    login(client, mentor.email)
    note = "No podemos atenderle antes de marzo. " * 55  # 2,035 characters
    response = act(client, intro_id, f"decline?lang={lang}", reason_code="timing",
                   reason_text=note)
    assert response.status_code == 422
    html = response.get_data(True)
    assert field_errors(html, f"reason_text-{intro_id}") == [TOO_LONG[lang]]
    assert 'aria-invalid="true"' in control(html, f"reason_text-{intro_id}")
    assert shown_value(html, f"reason_text-{intro_id}") == note
    assert shown_value(html, f"reason_code-{intro_id}") == ["timing"]
    assert state_of(intro_id) == "requested"


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_a_refused_feedback_keeps_the_rating_and_the_comment(client, pair, lang):
    sme, mentor, intro_id = pair
    states.accept(mentor, intro_id)
    states.complete(mentor, intro_id)
    login(client, sme.email)
    comment = "Muy útil " * 223  # 2,007 characters
    before = row_counts()
    response = act(client, intro_id, f"feedback?lang={lang}", rating="4", comment=comment)
    assert response.status_code == 422
    html = response.get_data(True)
    assert field_errors(html, f"comment-{intro_id}") == [TOO_LONG[lang]]
    assert shown_value(html, f"comment-{intro_id}") == comment
    assert shown_value(html, f"rating-{intro_id}") == ["4"]
    assert row_counts() == before


@pytest.fixture
def declined_by_mentors(make_user):
    """Make ``count`` new mentors each decline a request of an SME, a minute apart (the
    oldest first); return the introductions' ids, the newest first, as the inbox lists them."""

    def decline(sme, count: int, start: datetime | None = None) -> list[int]:
        start = start or utcnow() - timedelta(days=1)
        ids = []
        for n in range(count):
            mentor = make_user("mentor")
            make_profile(mentor, "mentor", name=f"Mentora {n:02d}")
            intro = service.create_introduction(sme, {"target_id": mentor.profile.id},
                                                now=start + timedelta(minutes=n))
            states.decline(mentor, intro.id, "timing")
            ids.append(intro.id)
        return ids[::-1]

    return decline


def test_a_refused_form_of_an_older_introduction_comes_back_on_its_page(
        client, pair, declined_by_mentors, monkeypatch):
    """The past introductions come 20 a page: a refused form is shown on the page that holds
    its introduction, not on the first one."""
    from webapp.ui import introductions as inbox

    monkeypatch.setattr(inbox, "PAST_PAGE", 1)
    sme, mentor, intro_id = pair
    states.accept(mentor, intro_id)
    states.complete(mentor, intro_id)
    newer = declined_by_mentors(sme, 1, start=utcnow() + timedelta(minutes=1))
    login(client, sme.email)
    assert f'id="introduction-{intro_id}"' not in page(client)  # on page 2
    response = act(client, intro_id, "feedback", rating="4", comment="x" * 2001)
    assert response.status_code == 422
    html = response.get_data(True)
    assert f'id="introduction-{intro_id}"' in html and f'id="introduction-{newer[0]}"' not in html
    assert field_errors(html, f"comment-{intro_id}") == [TOO_LONG["en"]]
    assert shown_value(html, f"comment-{intro_id}") == "x" * 2001


# -- /introductions/<id> opens the page that holds it ------------------------------------------

def test_a_notice_of_an_older_introduction_opens_the_page_that_holds_it(
        client, pair, declined_by_mentors):
    sme, _, open_id = pair
    closed = declined_by_mentors(sme, 21)  # 21 past introductions: the oldest is on page 2
    oldest = closed[-1]
    notice = db.session.scalar(db.select(Notice).where(
        Notice.user_id == sme.id, Notice.introduction_id == oldest))
    login(client, sme.email)
    opened = client.get(f"/notifications/{notice.id}")
    assert opened.location == f"/introductions/{oldest}"
    shown = client.get(opened.location)
    assert shown.location == f"/introductions?page=2#introduction-{oldest}"
    assert f'id="introduction-{oldest}"' in page_of(client, "2")
    assert f'id="introduction-{oldest}"' not in page(client)
    newest = client.get(f"/introductions/{closed[0]}").location
    assert newest == f"/introductions#introduction-{closed[0]}"
    assert client.get(f"/introductions/{open_id}").location == (
        f"/introductions#introduction-{open_id}")  # open ones are on every page


def test_the_prompts_link_opens_the_page_of_an_older_introduction(client, pair,
                                                                 declined_by_mentors):
    """The outcome prompts link to ``/introductions?report=<id>``: a completed introduction
    past the first page opens its page, its "Report a step" form open."""
    sme, mentor, intro_id = pair
    states.accept(mentor, intro_id)
    states.complete(mentor, intro_id)
    declined_by_mentors(sme, 20, start=utcnow() + timedelta(minutes=1))
    login(client, sme.email)
    html = client.get(f"/introductions?report={intro_id}").get_data(True)
    assert f'<details id="report-step-{intro_id}" open>' in html
    assert "Page 2 of 2" in text_of(html)


def test_staff_open_an_older_introduction_on_its_dashboard_page(client, pair, make_user,
                                                              declined_by_mentors, monkeypatch):
    from webapp.ui import dashboard

    monkeypatch.setattr(dashboard, "DASHBOARD_SIZE", 2)
    sme, _, _ = pair
    closed = declined_by_mentors(sme, 3)
    login(client, make_user("coordinator").email)
    assert client.get(f"/introductions/{closed[-1]}").location == (
        f"/dashboard?page=2#introduction-{closed[-1]}")
    assert client.get(f"/introductions/{closed[0]}").location == (
        f"/dashboard#introduction-{closed[0]}")


def test_the_inbox_dates_an_introduction_in_the_readers_zone(client, pair):
    """At 02:00 UTC it is still the day before in Texas: the inbox said the next day, while the
    notifications (in the reader's zone) said this one — and "Expires on" a day too late."""
    from datetime import UTC

    from babel.dates import format_date

    _, mentor, intro_id = pair  # both in US-TX: America/Chicago, hours behind UTC
    utc_day = utcnow().date() - timedelta(days=1)
    intro = db.session.get(Introduction, intro_id)
    intro.created_at = datetime(utc_day.year, utc_day.month, utc_day.day, 2, tzinfo=UTC)
    db.session.commit()
    expiry = service.expires_at(intro)
    login(client, mentor.email)
    entry = text_of(page(client).split(f'id="introduction-{intro_id}"')[1].split("</article>")[0])
    local_day = utc_day - timedelta(days=1)
    assert f" · {format_date(local_day, 'medium', locale='en')}" in entry
    expires_on = format_date(expiry.date() - timedelta(days=1), "medium", locale="en")
    assert f"Expires on {expires_on}" in entry
