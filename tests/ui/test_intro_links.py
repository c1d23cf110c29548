"""Every link to one introduction reaches it, past the first page of its list too: the
e-mail asking to confirm a step, the dashboard's waiting requests, a confirmed cohort's
introductions and the conversation's way back (``/introductions/<id>`` opens the page
that holds it; ``/introductions?report=<id>`` the inbox page that holds it)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest

from models import Introduction, db, utcnow
from tests.factories import login
from tests.intro_factories import outbox
from tests.ui.test_cohorts_page import allocation, page, post_form, run
from tests.ui.test_introductions_page import declined_by_mentors, pair  # noqa: F401 - fixtures
from tests.ui.test_profiles import make_profile
from webapp.services import introduction_states as states
from webapp.services import introductions as service
from webapp.services import outcome_steps
from webapp.ui import dashboard
from webapp.ui import introductions as inbox

EN = {"Accept-Language": "en"}


def href(html: str, text: str) -> str:
    """Return the address of the first link whose text is ``text``."""
    return re.search(rf'<a href="([^"]+)">{re.escape(text)}</a>', html)[1]


def followed(client, address: str) -> tuple[str, str]:
    """Open an address as a reader would (following redirects); return the path it ended on,
    with its anchor, and the page."""
    response = client.get(address, headers=EN)
    while response.status_code in (301, 302, 303):
        address = response.location
        response = client.get(address, headers=EN)
    assert response.status_code == 200
    return address, response.get_data(True)


@pytest.fixture
def past_on_page_two(pair, declined_by_mentors, monkeypatch):  # noqa: F811 - fixtures
    """The SME's introduction with the mentor, completed, on page 2 of its past ones (one a
    page, a newer one declined)."""
    monkeypatch.setattr(inbox, "PAST_PAGE", 1)
    sme, mentor, intro_id = pair
    states.accept(mentor, intro_id)
    states.complete(mentor, intro_id)
    declined_by_mentors(sme, 1, start=utcnow() + timedelta(minutes=1))
    return sme, mentor, intro_id


def test_the_email_asking_to_confirm_a_step_opens_the_step_on_its_page(client,
                                                                      past_on_page_two):
    sme, mentor, intro_id = past_on_page_two
    step = outcome_steps.report_step(mentor, intro_id, {"stage": "session", "minutes": 30,
                                                        "occurred_on": date.today()})
    [asked] = [m for m in outbox(sme.id) if m.template == "outcome_confirm_request"]
    link = urlsplit(re.search(r"https?://\S+", asked.body)[0])
    assert link.fragment == f"outcome-step-{step.id}"
    login(client, sme.email)
    html = client.get(f"{link.path}?{link.query}", headers=EN).get_data(True)
    assert f'id="outcome-step-{step.id}"' in html  # on page 2, not the first
    assert f'action="/introductions/{intro_id}/outcomes/{step.id}/confirm' in html


def test_the_conversation_leads_back_to_the_page_that_holds_its_introduction(
        client, past_on_page_two):
    sme, _, intro_id = past_on_page_two
    login(client, sme.email)
    html = client.get(f"/introductions/{intro_id}/conversation", headers=EN).get_data(True)
    back = href(html, "Back to your introductions")
    assert back == f"/introductions/{intro_id}"
    landed, shown = followed(client, back)
    assert landed == f"/introductions?page=2#introduction-{intro_id}"
    assert f'id="introduction-{intro_id}"' in shown


def test_a_waiting_request_on_the_dashboard_links_to_its_page(client, make_user, monkeypatch):
    monkeypatch.setattr(dashboard, "DASHBOARD_SIZE", 1)
    mentor = make_user("mentor")
    make_profile(mentor, "mentor")
    ids = [service.create_introduction(make_profile(make_user("sme"), "sme").user,
                                       {"target_id": mentor.profile.id}).id for _ in range(2)]
    waiting = db.session.get(Introduction, ids[0])
    waiting.created_at -= timedelta(days=10)  # the oldest: on page 2
    db.session.commit()
    login(client, make_user("coordinator").email)
    html = client.get("/dashboard", headers=EN).get_data(True)
    stale = html.split('id="stale"')[1].split("</ul>")[0]
    assert href(stale, f"#{ids[0]}") == f"/introductions/{ids[0]}"
    landed, shown = followed(client, f"/introductions/{ids[0]}")
    assert landed == f"/dashboard?page=2#introduction-{ids[0]}"
    assert f'id="introduction-{ids[0]}"' in shown


@pytest.fixture
def no_queue(app):
    """The app without Redis: a queued allocation waits for the runner."""
    app.config.update(REDIS_URL=None, PUENTE_JOBS_REDIS_URL=None)


def test_a_confirmed_cohorts_introductions_link_to_their_page(client, make_user, no_queue,
                                                              monkeypatch):
    monkeypatch.setattr(dashboard, "DASHBOARD_SIZE", 1)
    smes = [make_profile(make_user("sme"), "sme", name=f"Taller {i}") for i in range(2)]
    mentor = make_profile(make_user("mentor"), "mentor", name="Rosa Mentora", capacity=2)
    login(client, make_user("coordinator").email)
    proposal = run(client, allocation(client, smes, [mentor]))
    assert post_form(client, proposal, "confirm").status_code == 302
    created = page(client, proposal).split('id="created"')[1].split("</ul>")[0]
    ids = sorted(int(i) for i in re.findall(r">#(\d+)</a>", created))
    assert len(ids) == 2
    for intro_id in ids:
        assert href(created, f"#{intro_id}") == f"/introductions/{intro_id}"
        landed, shown = followed(client, f"/introductions/{intro_id}")
        assert landed.endswith(f"#introduction-{intro_id}")
        assert f'id="introduction-{intro_id}"' in shown  # whichever dashboard page holds it
