"""My matches page (webapp/ui/matches.py)."""

from __future__ import annotations

import re

import pytest

from models import Introduction, db
from tests.factories import csrf_token, row_counts
from tests.ui.helpers import text_of
from tests.ui.test_profiles import make_profile
from webapp.ui.matches import bar_width


def ask(client, target_id, message="Hola, ¿nos ayuda con IATF 16949?", path="/matches"):
    return client.post(path, data={"target_id": str(target_id), "message": message,
                                   "csrf_token": csrf_token(client, "/matches")},
                       headers={"Accept-Language": "en"})


@pytest.mark.parametrize(("score", "width"), [(0.0, 0), (0.42, 40), (0.43, 45), (1.0, 100),
                                               (1.3, 100), (-0.1, 0)])
def test_bar_width_is_the_score_in_steps_of_five(score, width):
    assert bar_width(score) == width


def test_user_without_profile_is_sent_to_the_editor(client, signed_in):
    signed_in("sme")
    response = client.get("/matches")
    assert response.status_code == 302 and response.location.endswith("/profile")


def test_visitors_are_sent_to_log_in(client):
    assert client.get("/matches").status_code == 302


def test_sme_sees_ranked_mentors_with_bar_and_reasons(client, sme_with_mentor):
    _, mentor, buyer = sme_with_mentor
    response = client.get("/matches", headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert mentor.name in html and buyer.name not in html
    assert 'class="w-' in html and "style=" not in html.split("<main", 1)[-1]
    assert 'class="reasons"' in html and "<li>" in html.split('class="reasons"')[1]
    assert "rosa@mentor.example" not in html  # no contact details before acceptance


def test_kind_filter_shows_buyers(client, sme_with_mentor):
    _, mentor, buyer = sme_with_mentor
    html = client.get("/matches?kind=buyer").get_data(as_text=True)
    assert buyer.name in html and mentor.name not in html


def test_bad_filter_values_are_said_and_fall_back_to_defaults(client, sme_with_mentor):
    _, mentor, _ = sme_with_mentor
    response = client.get("/matches?kind=sme&country=ZZ&cross_border=")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and mentor.name in html
    for name in ("kind", "country"):
        assert f'id="{name}-error"' in html and f'aria-describedby="{name}-error"' in html
    # the cards' forms and links go on without the refused values
    assert re.search(r'(action|href)="/matches\?[^"]*(kind=sme|country=ZZ)', html) is None
    assert 'action="/matches"' in html


def test_country_and_cross_border_filters(client, sme_with_mentor):
    _, mentor, _ = sme_with_mentor
    assert mentor.name in client.get("/matches?cross_border=y").get_data(as_text=True)
    html = client.get("/matches?country=CA").get_data(as_text=True)
    assert mentor.name not in html and "No matches with these filters" in text_of(html)


def test_reasons_are_in_the_users_language(client, sme_with_mentor):
    en = text_of(client.get("/matches", headers={"Accept-Language": "en"}).get_data(True))
    es = text_of(client.get("/matches?lang=es").get_data(True))
    assert "Mis coincidencias" in es and "Solicitar presentación" in es
    assert "Request introduction" in en and en != es


def test_request_introduction_creates_it_and_flashes(client, sme_with_mentor):
    own, mentor, _ = sme_with_mentor
    response = ask(client, mentor.id)
    assert response.status_code == 302
    intro = db.session.scalars(db.select(Introduction)).one()
    assert (intro.requester_id, intro.target_id, intro.state) == (own.id, mentor.id, "requested")
    html = client.get(response.location).get_data(as_text=True)
    assert "Introduction requested" in html


def test_second_request_shows_a_conflict_by_the_message_box(client, sme_with_mentor):
    _, mentor, _ = sme_with_mentor
    ask(client, mentor.id)
    before = row_counts()
    response = ask(client, mentor.id, message="again")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="message-{mentor.id}-error"' in html
    assert "open introduction with this profile" in html
    assert row_counts() == before


@pytest.mark.parametrize("written", ["0{}", " {} "])
def test_a_refusal_for_a_card_asked_by_another_spelling_of_its_id_is_said(client, sme_with_mentor,
                                                                          written):
    # The id read as the request reads it: a card's own, so its message box says why.
    _, mentor, _ = sme_with_mentor
    ask(client, mentor.id)
    response = ask(client, written.format(mentor.id), message="again")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="message-{mentor.id}-error"' in html
    assert "open introduction with this profile" in html


@pytest.mark.parametrize("target", ["999999", "abc", "", "99999999999999999999", "0", "-3"])
def test_bad_target_is_a_form_error_and_writes_nothing(client, sme_with_mentor, target):
    before = row_counts()
    response = ask(client, target)
    assert response.status_code == 422
    assert row_counts() == before
    # No card is that profile's: the error heads the list instead of going unsaid.
    html = response.get_data(as_text=True)
    said = "This field is required." if not target else "cannot be asked for an introduction"
    assert 'role="alert"' in html and said in html


def test_too_long_message_is_refused(client, sme_with_mentor):
    _, mentor, _ = sme_with_mentor
    before = row_counts()
    response = ask(client, mentor.id, message="x" * 2001)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and f'id="message-{mentor.id}-error"' in html
    assert "x" * 2001 in html  # the text is kept for correction
    assert "Use at most 2000 characters." in html
    assert row_counts() == before


def test_missing_csrf_token_writes_nothing(client, sme_with_mentor):
    _, mentor, _ = sme_with_mentor
    before = row_counts()
    response = client.post("/matches", data={"target_id": str(mentor.id), "message": "hi"})
    assert response.status_code in (400, 422)
    assert row_counts() == before


def test_staff_are_sent_to_the_profile_list(client, signed_in):
    signed_in("coordinator")
    response = client.get("/matches")
    assert response.status_code == 302 and "/profiles" in response.location


def test_matches_entry_appears_in_the_navigation(client, sme_with_mentor):
    assert 'href="/matches"' in client.get("/profile").get_data(as_text=True)


# -- card state, message box on demand, paging, search, save and hide ------------------------

def card_of(html: str, profile_id: int) -> str:
    """Return the HTML of one match card."""
    return re.split(r'<li class="match"|</ol>', html.split(f'id="match-{profile_id}"')[1])[0]


def post_mark(client, candidate_id, verb, query="", view="all"):
    return client.post(f"/matches/{candidate_id}/{verb}{query}",
                       data={"csrf_token": csrf_token(client, "/matches"), "view": view},
                       headers={"Accept-Language": "en"})


@pytest.fixture
def many_mentors(signed_in, make_user):
    """An SME signed in with a profile, and 23 distinct mentors to page through."""
    own = make_profile(signed_in("sme"), "sme")
    mentors = [make_profile(make_user("mentor"), "mentor", name=f"Mentor {i:02d}",
                            bio=f"Topic{i} quality and customs coaching, case {i}.")
               for i in range(23)]
    return own, mentors


def test_the_message_box_opens_on_demand(client, sme_with_mentor):
    _, mentor, _ = sme_with_mentor
    html = client.get("/matches", headers={"Accept-Language": "en"}).get_data(as_text=True)
    card = card_of(html, mentor.id)
    assert '<details class="request">' in card and "<summary>Request introduction</summary>" in card
    assert f'id="message-{mentor.id}"' in card  # inside the closed box, reachable without JS


def test_a_refused_request_reopens_its_box_with_the_error(client, sme_with_mentor):
    _, mentor, _ = sme_with_mentor
    html = ask(client, mentor.id, message="x" * 2001).get_data(as_text=True)
    card = card_of(html, mentor.id)
    assert '<details class="request" open>' in card


def test_after_a_request_the_card_shows_it_is_pending_not_the_button(client, sme_with_mentor):
    _, mentor, _ = sme_with_mentor
    ask(client, mentor.id)
    html = client.get("/matches", headers={"Accept-Language": "en"}).get_data(as_text=True)
    card = text_of(card_of(html, mentor.id))
    assert "Introduction requested: waiting for their answer." in card
    assert "Request introduction" not in card and "See the introduction" in card


def test_matches_page_through_twenty_at_a_time(client, many_mentors):
    _, mentors = many_mentors
    first = client.get("/matches", headers={"Accept-Language": "en"}).get_data(as_text=True)
    second = client.get("/matches?page=2").get_data(as_text=True)
    shown = [m.name for m in mentors if m.name in first]
    rest = [m.name for m in mentors if m.name in second]
    assert len(shown) == 20 and len(rest) == 3 and not set(shown) & set(rest)
    assert 'href="/matches?page=2"' in first and 'rel="prev"' in second
    assert 'rel="next"' not in second


def test_search_finds_a_candidate_by_name_or_keyword(client, many_mentors):
    _, mentors = many_mentors
    html = client.get("/matches?q=topic17").get_data(as_text=True)
    assert "Mentor 17" in html and "Mentor 16" not in html
    assert 'value="topic17"' in html


def test_saving_marks_the_card_and_lists_it_under_saved(client, many_mentors):
    _, mentors = many_mentors
    target = mentors[5]
    response = post_mark(client, target.id, "save", "?page=1")
    assert response.status_code == 303 and f"#match-{target.id}" in response.location
    saved = client.get("/matches/saved", headers={"Accept-Language": "en"}).get_data(True)
    assert target.name in saved and "Remove from saved" in saved
    assert mentors[6].name not in saved
    post_mark(client, target.id, "unsave", view="saved")
    assert target.name not in client.get("/matches/saved").get_data(True)


def test_saved_matches_come_twenty_a_page_and_a_removal_stays_on_its_page(client,
                                                                          many_mentors):
    _, mentors = many_mentors
    for mentor in mentors:  # 23 saved; the last saved is listed first
        post_mark(client, mentor.id, "save")
    first = client.get("/matches/saved", headers={"Accept-Language": "en"}).get_data(True)
    second = client.get("/matches/saved?page=2",
                        headers={"Accept-Language": "en"}).get_data(True)
    on_first = [m for m in mentors if f'id="match-{m.id}"' in first]
    on_second = [m for m in mentors if f'id="match-{m.id}"' in second]
    assert on_first == mentors[3:] and on_second == mentors[:3]
    assert 'href="/matches/saved?page=2"' in first and 'rel="prev"' in second
    assert 'rel="next"' not in second and "Page 2" in text_of(second)
    response = post_mark(client, mentors[1].id, "unsave", "?page=2", view="saved")
    assert response.status_code == 303
    assert response.location.split("#")[0].endswith("/matches/saved?page=2")
    after = client.get("/matches/saved?page=2").get_data(True)
    assert f'id="match-{mentors[1].id}"' not in after
    empty = client.get("/matches/saved?page=9", headers={"Accept-Language": "en"})
    assert empty.status_code == 200 and "No more matches" in text_of(empty.get_data(True))


def test_hiding_removes_the_card_for_good_and_offers_an_undo(client, many_mentors):
    _, mentors = many_mentors
    target = mentors[0]
    response = post_mark(client, target.id, "hide")
    assert response.status_code == 303 and f"hidden={target.id}" in response.location
    html = client.get(response.location, headers={"Accept-Language": "en"}).get_data(True)
    assert f'id="match-{target.id}"' not in html
    assert "will not appear in your matches again" in text_of(html)
    for page in (1, 2):
        assert f'id="match-{target.id}"' not in client.get(f"/matches?page={page}").get_data(True)
    post_mark(client, target.id, "unhide")
    assert any(f'id="match-{target.id}"' in client.get(f"/matches?page={page}").get_data(True)
               for page in (1, 2))


@pytest.mark.parametrize("raw", ["\u00b2", "4\u2075", "abc", "9" * 13, ""])
def test_an_undo_link_naming_no_hidden_profile_shows_the_matches_without_it(client,
                                                                           many_mentors, raw):
    """``?hidden=`` offers an undo only for a profile the owner hid; anything else is the
    page without the offer (a superscript digit, which ``str.isdigit`` takes, was a 500)."""
    response = client.get("/matches", query_string={"hidden": raw},
                          headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "will not appear in your matches again" not in text_of(response.get_data(True))


def test_marks_need_a_csrf_token_and_a_candidate(client, many_mentors):
    _, mentors = many_mentors
    before = row_counts()
    client.post(f"/matches/{mentors[0].id}/hide")
    assert post_mark(client, 999999, "save").status_code == 404
    assert row_counts() == before


def test_marks_are_for_profile_owners(client, signed_in):
    signed_in("coordinator")
    assert client.get("/matches/saved").status_code == 302


# -- the cards' links ------------------------------------------------------------------------

def test_each_card_links_to_its_own_profile_and_marks_keeping_the_filters(client, many_mentors):
    _, mentors = many_mentors
    html = client.get("/matches?kind=mentor&page=1&q=quality").get_data(as_text=True)
    shown = [m for m in mentors if f'id="match-{m.id}"' in html]
    assert len(shown) == 20
    for mentor in shown:
        card = card_of(html, mentor.id)
        assert f'href="/profiles/{mentor.id}"' in card
        for verb in ("save", "hide"):
            action = re.search(rf'action="(/matches/{mentor.id}/{verb}\?[^"]*)"', card).group(1)
            assert sorted(action.split("?")[1].split("&amp;")) == ["kind=mentor", "page=1",
                                                                    "q=quality"]


@pytest.mark.parametrize("query", ["_scheme=javascript", "_external=1", "verb=save",
                                   "candidate_id=7", "_anchor=x&hidden=1"])
def test_url_keywords_in_the_query_string_change_no_link(client, many_mentors, query):
    _, mentors = many_mentors
    response = client.get(f"/matches?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    actions = re.findall(r'<form method="post"[^>]* action="([^"]*)"', html)
    assert sum(a.startswith("/matches/") for a in actions) >= 40  # the cards' own forms
    assert all(a.startswith("/") and not a.startswith("//") for a in actions)
    assert "javascript:" not in html and "://" not in "".join(actions)


def test_a_request_posted_with_url_keywords_redirects_to_the_list(client, sme_with_mentor):
    _, mentor, _ = sme_with_mentor
    response = ask(client, mentor.id, path="/matches?_scheme=javascript&kind=mentor")
    assert response.status_code == 302
    assert response.location.endswith("/matches?kind=mentor")


def test_the_cards_forms_and_the_request_redirect_keep_the_language(client, sme_with_mentor):
    _, mentor, _ = sme_with_mentor
    html = client.get("/matches?lang=es&kind=mentor&_scheme=x").get_data(as_text=True)
    actions = re.findall(r'action="(/matches[^"]*)"', card_of(html, mentor.id))
    assert len(actions) == 3 and all("lang=es" in a and "_scheme" not in a for a in actions)
    response = ask(client, mentor.id, path="/matches?lang=es&kind=mentor")
    assert response.status_code == 302 and "lang=es" in response.location
    assert "Presentación solicitada." in client.get(response.location).get_data(True)


def test_a_program_introduction_is_the_programs_on_both_cards(client, make_user):
    """A coordinator's cohort made the introduction: neither card says one side asked."""
    from models.introductions import PROGRAM
    from tests.factories import login
    from webapp.services import introductions as intro_service

    sme, mentor = make_user("sme"), make_user("mentor")
    make_profile(sme, "sme")
    make_profile(mentor, "mentor")
    intro = intro_service.create_introduction(
        make_user("coordinator"),
        {"requester_id": sme.profile.id, "target_id": mentor.profile.id}, origin=PROGRAM)
    for user, other, said in (
            (sme, mentor, "Introduced by the program: waiting for their answer."),
            (mentor, sme, "Introduced by the program: waiting for your answer.")):
        login(client, user.email)
        html = client.get("/matches", headers={"Accept-Language": "en"}).get_data(as_text=True)
        card = card_of(html, other.profile.id)
        assert said in text_of(card)
        assert "Introduction requested" not in card and "They asked" not in card
        assert f'href="/introductions/{intro.id}"' in card
        client.get("/logout")


def test_a_members_request_still_reads_as_asked_on_the_targets_card(client, make_user):
    from tests.factories import login
    from webapp.services import introductions as intro_service

    sme, mentor = make_user("sme"), make_user("mentor")
    make_profile(sme, "sme")
    make_profile(mentor, "mentor")
    intro_service.create_introduction(sme, {"target_id": mentor.profile.id})
    login(client, mentor.email)
    html = client.get("/matches", headers={"Accept-Language": "en"}).get_data(as_text=True)
    card = text_of(card_of(html, sme.profile.id))
    assert "They asked to be introduced to you." in card and "Answer the request" in card


def test_a_request_the_program_rules_exclude_says_why_and_writes_nothing(client,
                                                                         sme_with_mentor):
    """The card was on the page before a coordinator raised the minimum score."""
    from models import ProgramRule

    _, mentor, _ = sme_with_mentor
    db.session.add(ProgramRule(pairing="sme_mentor", min_score=1.0, weights={}, version=1))
    db.session.commit()
    before = row_counts()
    response = ask(client, mentor.id)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and row_counts() == before
    assert 'role="alert"' in html
    assert ("The program’s matching rules exclude this pairing: a score below the program’s "
            "minimum.") in text_of(html).replace("'", "’")


def test_a_program_introduction_the_sme_declined_reads_as_declined_not_withdrawn(client,
                                                                                 make_user):
    """The SME never asked: turning the program's introduction down is no withdrawn request —
    not on its card, not in either inbox, not in the mentor's notice."""
    from models import Notice
    from models.introductions import PROGRAM
    from tests.factories import login
    from webapp.catalogue.notices import render_notice
    from webapp.services import introduction_states as states
    from webapp.services import introductions as intro_service
    from webapp.services.inbox import notice_params

    sme, mentor = make_user("sme"), make_user("mentor")
    make_profile(sme, "sme")
    make_profile(mentor, "mentor")
    intro = intro_service.create_introduction(
        make_user("coordinator"),
        {"requester_id": sme.profile.id, "target_id": mentor.profile.id}, origin=PROGRAM)
    states.withdraw(sme, intro.id)  # "Decline this introduction" on the SME's page
    en = {"Accept-Language": "en"}
    login(client, sme.email)
    card = text_of(card_of(client.get("/matches", headers=en).get_data(True), mentor.profile.id))
    assert "You declined the introduction the program made." in card
    assert "withdrawn" not in card
    login(client, mentor.email)
    card = text_of(card_of(client.get("/matches", headers=en).get_data(True), sme.profile.id))
    assert "They declined the introduction the program made." in card
    assert "withdrawn" not in card
    for user in (sme, mentor):
        login(client, user.email)
        entry = text_of(client.get("/introductions", headers=en).get_data(True))
        assert "SME to mentor · Declined ·" in entry and "Withdrawn" not in entry
    notice = db.session.scalars(db.select(Notice).where(Notice.user_id == mentor.id,
                                                        Notice.introduction_id == intro.id)
                                .order_by(Notice.id.desc())).first()
    said = render_notice(notice.kind, notice_params(notice, "en"), "en")
    assert "declined the introduction the program made" in said and "withdrew" not in said


def test_a_request_withdrawn_by_the_other_side_is_not_called_yours(client, make_user):
    from tests.factories import login
    from webapp.services import introduction_states as states
    from webapp.services import introductions as intro_service

    sme, mentor = make_user("sme"), make_user("mentor")
    make_profile(sme, "sme")
    make_profile(mentor, "mentor")
    intro = intro_service.create_introduction(sme, {"target_id": mentor.profile.id})
    states.withdraw(sme, intro.id)
    login(client, mentor.email)
    html = client.get("/matches", headers={"Accept-Language": "en"}).get_data(as_text=True)
    card = text_of(card_of(html, sme.profile.id))
    assert "They withdrew their earlier request." in card
    assert "Your earlier request" not in card


def test_after_a_decline_for_lack_of_room_the_sme_may_ask_again(client, make_user):
    """A request the service closed because the mentor filled its last place was no one's
    "no": once the mentor has room again, its card says so and offers the request box again
    (a pair declined for another reason is not ranked again at all)."""
    from tests.factories import login
    from webapp.services import introduction_states as states
    from webapp.services import introductions as intro_service

    sme, other, full = make_user("sme"), make_user("sme"), make_user("mentor")
    for user, kind in ((sme, "sme"), (other, "sme"), (full, "mentor")):
        make_profile(user, kind)
    full.profile.capacity = 1
    db.session.commit()
    intro_service.create_introduction(sme, {"target_id": full.profile.id})
    theirs = intro_service.create_introduction(other, {"target_id": full.profile.id})
    states.accept(full, theirs.id)  # its last place: the SME's request is closed, no_capacity
    states.complete(full, theirs.id)  # a place again: the mentor is ranked again
    login(client, sme.email)
    html = client.get("/matches", headers={"Accept-Language": "en"}).get_data(True)
    card = card_of(html, full.profile.id)
    assert "Closed when the mentor had no place left; you may ask again." in text_of(card)
    assert f'name="target_id" value="{full.profile.id}"' in card
    assert ask(client, full.profile.id).status_code in (302, 303)  # and the request is made
    assert "Introduction requested: waiting for their answer." in text_of(card_of(
        client.get("/matches", headers={"Accept-Language": "en"}).get_data(True),
        full.profile.id))
