"""Cohort allocation pages (webapp/ui/cohorts.py): run, inspect, adjust, confirm."""

from __future__ import annotations

import html
import re

import pytest

from models import BackgroundJob, CohortProposal, Introduction, db
from tests.factories import csrf_token, login, row_counts
from tests.ui.helpers import field_errors, text_of
from tests.ui.test_profiles import make_profile
from webapp.services import background
from webapp.services import introductions as intro_service

EN = {"Accept-Language": "en"}


@pytest.fixture
def cohort(make_user):
    """Three SMEs (their users too) and one mentor of capacity 2."""
    smes = []
    for i in range(3):
        user = make_user("sme")
        smes.append(make_profile(user, "sme", name=f"Taller {i}"))
    mentor_user = make_user("mentor")
    mentor = make_profile(mentor_user, "mentor", name="Rosa Mentora", capacity=2)
    return smes, mentor


@pytest.fixture
def staff(client, signed_in):
    return signed_in("coordinator")


def allocation(client, smes, mentors, **changes) -> dict:
    """Return the allocation form's fields selecting profiles by id."""
    data = {"csrf_token": csrf_token(client, "/cohorts"),
            "sme_ids": ", ".join(str(s.id) for s in smes),
            "mentor_ids": " ".join(str(m.id) for m in mentors),
            "min_score": "0", "mentors_per_sme": "1", "objective": "total_score",
            "language_required": "y"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture(autouse=True)
def no_queue(app):
    """The app without Redis: a queued allocation waits for the runner (``run_queued``)."""
    app.config.update(REDIS_URL=None, PUENTE_JOBS_REDIS_URL=None)
    return app


def start(client, data) -> str:
    """Post an allocation; return the page of the job it queued (asserting the redirect)."""
    response = client.post("/cohorts", data=data, headers=EN)
    assert response.status_code == 303, text_of(response.get_data(True))[:2000]
    assert re.fullmatch(r"/jobs/[0-9a-f]{32}", response.location)
    return response.location


def run(client, data) -> int:
    """Post an allocation, run its job; return the new proposal's id (the job page's link)."""
    job_url = start(client, data)
    assert background.run_queued() == 1
    found = re.search(r'href="/cohorts/(\d+)"', client.get(job_url, headers=EN).get_data(True))
    return int(found[1])


def page(client, proposal_id, headers=EN) -> str:
    response = client.get(f"/cohorts/{proposal_id}", headers=headers)
    assert response.status_code == 200
    return response.get_data(True)


def pair_rows(html: str) -> set[tuple[int, int]]:
    return {(int(s), int(m)) for s, m in re.findall(r'<tr id="pair-(\d+)-(\d+)">', html)}


def post_form(client, proposal_id, action, **data):
    data["csrf_token"] = csrf_token(client, f"/cohorts/{proposal_id}")
    return client.post(f"/cohorts/{proposal_id}/{action}", data=data, headers=EN)


@pytest.mark.parametrize("role", ["sme", "mentor", "buyer"])
def test_only_staff_reach_the_cohort_pages(client, signed_in, role):
    signed_in(role)
    assert client.get("/cohorts").status_code == 403
    assert client.get("/cohorts/1").status_code == 403
    token = {"csrf_token": csrf_token(client, "/")}
    for path in ("/cohorts", "/cohorts/1/confirm", "/cohorts/1/add", "/cohorts/1/remove"):
        assert client.post(path, data=token).status_code == 403
    assert 'href="/cohorts"' not in client.get("/account").get_data(True)


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/cohorts")
    assert response.status_code == 302 and "/login" in response.location


def test_cohorts_are_in_the_staff_navigation(client, staff):
    html = client.get("/cohorts", headers=EN).get_data(True)
    assert 'href="/cohorts" aria-current="page"' in html
    assert "No proposals yet." in text_of(html)


def test_run_an_allocation_and_inspect_it(client, staff, cohort):
    smes, mentor = cohort
    pid = run(client, allocation(client, smes, [mentor]))
    html = page(client, pid)
    text = text_of(html)
    pairs = pair_rows(html)
    assert len(pairs) == 2 and {m for _, m in pairs} == {mentor.id}
    assert "Draft" in text and "Proven optimal" in text
    assert "Greedy assignment Total score" in text and "below the optimum" in text
    assert "Rosa Mentora" in text and "Taller" in text and "Ciudad Juárez" in text
    # reasons are worded, not codes
    reasons = re.findall(r'<ul class="reasons"><li>([^<]+)</li>', html)
    assert reasons and not any("_" in r for r in reasons)
    left = next(s for s in smes if (s.id, mentor.id) not in pairs)
    unassigned = html.split('id="unassigned"')[1].split("</ul>")[0]
    assert left.name in unassigned and "The suitable mentors are full" in unassigned
    assert "rosa@mentor.example" not in html and "ventas@autopartes.example" not in html
    assert "+52 656" not in html
    listing = client.get("/cohorts", headers=EN).get_data(True)
    row = text_of(listing.split(f'id="proposal-{pid}"')[1].split("</tr>")[0])
    assert row.startswith(f"> #{pid} Draft") and "2 2 of 3 Best total score" in row
    assert re.search(r"Draft \S+, \d+:\d\d\W(AM|PM) UTC 2 2 of 3", row)  # staff times in UTC
    assert re.search(r"Created \S+, \d+:\d\d\W(AM|PM) UTC ", text)


def test_reasons_are_in_the_readers_language(client, signed_in, cohort):
    smes, mentor = cohort
    signed_in("coordinator", locale="es")
    pid = run(client, allocation(client, smes, [mentor]))
    spanish = page(client, pid, {"Accept-Language": "es"})
    reasons = re.findall(r'<ul class="reasons"><li>([^<]+)</li>', spanish)
    assert reasons
    with client.application.test_request_context():
        from matcher.reasons import Reason
        from webapp.catalogue import render_reason

        proposal = db.session.get(CohortProposal, pid)
        first = proposal.result["pairs"][0]["reasons"][0]
        reason = Reason(first["code"], first["params"])
        expected = render_reason(reason, "es", staff_about="sme")  # worded for staff
    assert html.escape(expected, quote=False) in spanish
    assert expected != render_reason(reason, "en", staff_about="sme")
    assert "como usted" not in spanish and "Ambos hablan" in spanish


def test_scores_are_written_as_the_readers_region_writes_numbers(client, signed_in, cohort):
    """Spanish as Mexico writes it (a decimal point), French as Canada does (a comma)."""
    smes, mentor = cohort
    signed_in("coordinator", locale="es")
    pid = run(client, allocation(client, smes, [mentor]))
    spanish = page(client, pid, {"Accept-Language": "es"})
    total = re.search(r'<strong id="total-score">([^<]+)</strong>', spanish)[1]
    assert re.fullmatch(r"\d+\.\d{3}", total), total  # "1.886": a Mexican reader's decimal
    greedy = text_of(spanish.split('id="greedy">', 1)[1].split("</dd>", 1)[0])
    assert re.search(r"Puntuación total \d+\.\d{3}, 2 pymes cubiertas, \d+\.\d{2}\s%", greedy)
    french = client.get(f"/cohorts/{pid}?lang=fr").get_data(as_text=True)
    in_french = re.search(r'<strong id="total-score">([^<]+)</strong>', french)[1]
    assert in_french == total.replace(".", ",")
    listing = client.get("/cohorts", headers={"Accept-Language": "es"}).get_data(True)
    row = text_of(listing.split(f'id="proposal-{pid}"')[1].split("</tr>")[0])
    assert f" {total} " in f" {row} "


def test_a_minimum_score_is_read_as_the_coordinators_language_writes_it(client, staff,
                                                                        cohort):
    """"0,5" to a French coordinator is one half, as "0.5" is to the others."""
    smes, mentor = cohort
    response = client.post("/cohorts?lang=fr", headers=EN,
                           data=allocation(client, smes, [mentor], min_score="0,5"))
    assert response.status_code == 303, text_of(response.get_data(True))[:2000]
    assert background.run_queued() == 1
    proposal = db.session.scalars(db.select(CohortProposal)).one()
    assert proposal.request["options"]["min_score"] == 0.5


def test_select_by_filters(client, staff, cohort):
    smes, mentor = cohort
    pid = run(client, allocation(client, [], [], sme_ids="", mentor_ids="", sme_country="MX",
                                 sme_need="certification", mentor_country="US"))
    assert len(pair_rows(page(client, pid))) == 2
    proposal = db.session.get(CohortProposal, pid)
    assert proposal.request["smes"] == {"filter": {"country": "MX", "need": "certification"}}


@pytest.mark.parametrize("change, field, message", [
    ({"sme_ids": "12, abc"}, "sme_ids", "“abc” is not a profile id."),
    ({"sme_ids": "999999"}, "sme_ids", "No SME profile with id 999999."),
    ({"mentor_ids": "999998"}, "mentor_ids", "No mentor profile with id 999998."),
    ({"pinned": "1 2 3"}, "pinned", "Line 1: write an SME id and a mentor id"),
    ({"excluded": "\n7:x"}, "excluded", "Line 2: write an SME id and a mentor id"),
    ({"pinned": "1 999999"}, "pinned", "names an SME or mentor outside the cohort"),
    ({"min_score": "2"}, "min_score", "Give a number from 0 to 1."),
    ({"min_score": "nan"}, "min_score", "Give a number from 0 to 1."),
    ({"min_score": ""}, "min_score", "This field is required."),
    ({"mentors_per_sme": "0"}, "mentors_per_sme", "Give a whole number from 1 to 10."),
    ({"objective": "fastest"}, "objective", ""),
    ({"sme_country": "MX"}, "sme_ids", "Give either ids or filters, not both."),
    ({"previous_id": "abc"}, "previous_id", "“abc” is not a proposal id."),
    ({"previous_id": "999999"}, "previous_id", "No cohort proposal with id 999999."),
    ({"sme_ids": "", "sme_country": "ZZ"}, "sme_country", "Choose one of the listed values."),
    ({"sme_ids": "", "sme_sector": "999999"}, "sme_sector", "Unknown NAICS 2022 code"),
    ({"sme_ids": "", "sme_subdivision": "US-TX", "sme_country": "MX"}, "sme_subdivision",
     "Unknown state, province or territory code"),
    ({"mentor_ids": "", "mentor_language": "zz1"}, "mentor_language", "Unknown language"),
    ({"mentor_ids": "", "mentor_expertise": "juggling"}, "mentor_expertise",
     "Choose one of the listed values."),
])
def test_bad_input_is_shown_next_to_its_field(client, staff, cohort, change, field, message):
    smes, mentor = cohort
    before = row_counts()
    response = client.post("/cohorts", data=allocation(client, smes, [mentor], **change),
                           headers=EN)
    assert response.status_code == 422
    errors = field_errors(response.get_data(True), field)
    assert errors and message in errors[0]
    assert row_counts() == before


@pytest.mark.parametrize("change, field, message", [
    ({"min_score": "abc"}, "min_score", "Saisissez un nombre."),
    ({"mentors_per_sme": "deux"}, "mentors_per_sme", "Saisissez un nombre entier."),
    ({"mentors_per_sme": "1,5"}, "mentors_per_sme", "Saisissez un nombre entier."),
])
def test_a_value_that_is_no_number_is_told_in_the_readers_words(client, staff, cohort,
                                                                 change, field, message):
    """Not WTForms' "N'est pas un flottant valide": the site's own words, in French."""
    smes, mentor = cohort
    response = client.post("/cohorts?lang=fr", data=allocation(client, smes, [mentor], **change))
    assert response.status_code == 422
    assert field_errors(response.get_data(True), field) == [message]


def test_pinning_a_pair_with_a_past_decline_is_shown_by_the_pins(client, staff, cohort):
    smes, mentor = cohort
    intro = intro_service.create_introduction(smes[0].user, {"target_id": mentor.id})
    from webapp.services import introduction_states as states

    states.decline(mentor.user, intro.id, "not_a_fit", "")
    response = client.post("/cohorts", headers=EN, data=allocation(
        client, smes, [mentor], pinned=f"{smes[0].id} {mentor.id}"))
    assert response.status_code == 422
    assert field_errors(response.get_data(True), "pinned") == [
        f"SME {smes[0].id} – mentor {mentor.id} was declined before."]


def test_pairs_with_an_open_introduction_are_left_out_and_said_so(client, staff, cohort):
    smes, mentor = cohort
    intro_service.create_introduction(smes[0].user, {"target_id": mentor.id})
    pid = run(client, allocation(client, smes, [mentor]))
    html = page(client, pid)
    assert (smes[0].id, mentor.id) not in pair_rows(html)
    assert len(pair_rows(html)) == 1  # the open request takes one of the mentor's two places
    left_out = text_of(html.split('id="open-excluded"')[1].split("</ul>")[0])
    assert smes[0].name in left_out and mentor.name in left_out
    assert "these pairs have an open introduction already" in text_of(html)
    response = client.post("/cohorts", headers=EN, data=allocation(
        client, smes, [mentor], pinned=f"{smes[0].id}:{mentor.id}"))
    assert response.status_code == 422
    assert field_errors(response.get_data(True), "pinned") == [
        f"SME {smes[0].id} – mentor {mentor.id} has an open introduction already."]


def test_remove_and_add_pairs(client, staff, cohort):
    smes, mentor = cohort
    pid = run(client, allocation(client, smes, [mentor]))
    chosen = sorted(pair_rows(page(client, pid)))
    left = next(s.id for s in smes if (s.id, mentor.id) not in chosen)
    # the mentor is full: the refusal is shown by the mentor field, nothing is written
    before = row_counts()
    response = post_form(client, pid, "add", sme_id=str(left), mentor_id=str(mentor.id))
    assert response.status_code == 422
    assert field_errors(response.get_data(True), "mentor_id") == [
        "This mentor has no capacity left for another SME."]
    assert row_counts() == before
    response = post_form(client, pid, "remove", sme_id=str(chosen[0][0]),
                         mentor_id=str(mentor.id))
    assert response.status_code == 302
    html = page(client, pid)
    assert pair_rows(html) == {chosen[1]}
    assert "Edited by hand" in text_of(html) and "Removed by a coordinator" in text_of(html)
    response = post_form(client, pid, "add", sme_id=str(left), mentor_id=str(mentor.id))
    assert response.status_code == 302
    assert pair_rows(page(client, pid)) == {chosen[1], (left, mentor.id)}


@pytest.mark.parametrize("sme, mentor, field, message", [
    ("", "1", "sme_id", "This field is required."),
    ("x", "1", "sme_id", "“x” is not a profile id."),
    ("1", "-4", "mentor_id", "“-4” is not a profile id."),
])
def test_bad_pair_to_add(client, staff, cohort, sme, mentor, field, message):
    smes, mentor_profile = cohort
    pid = run(client, allocation(client, smes, [mentor_profile]))
    response = post_form(client, pid, "add", sme_id=sme, mentor_id=mentor)
    assert response.status_code == 422
    assert field_errors(response.get_data(True), field) == [message]


def test_adding_a_pair_outside_the_cohort_is_refused_by_the_sme(client, staff, cohort):
    smes, mentor = cohort
    pid = run(client, allocation(client, smes[:1], [mentor]))
    response = post_form(client, pid, "add", sme_id=str(smes[2].id), mentor_id=str(mentor.id))
    assert response.status_code == 422
    assert field_errors(response.get_data(True), "sme_id") == [
        "The SME and the mentor must both belong to the cohort."]


def test_rerun_with_other_options_shows_the_diff(client, staff, cohort):
    smes, mentor = cohort
    first = run(client, allocation(client, smes, [mentor]))
    html = page(client, first)
    # the re-run form is prefilled from the proposal
    assert f'name="previous_id" type="hidden" value="{first}"' in html
    ids = ", ".join(str(s.id) for s in smes)
    assert re.search(rf'name="sme_ids"[^>]*>\s*{re.escape(ids)}</textarea>', html)
    kept, dropped = sorted(pair_rows(html))
    second = run(client, allocation(client, smes, [mentor], previous_id=str(first),
                                    excluded=f"{dropped[0]} {dropped[1]}"))
    html = page(client, second)
    diff = text_of(html.split('id="diff"')[1].split("</section>")[0])
    assert f"Changes against proposal #{first}" in diff
    assert "1 added 1 removed 1 kept" in diff
    removed = text_of(html.split('id="diff-removed"')[1].split("</ul>")[0])
    assert f"#{dropped[0]}" in removed
    assert dropped not in pair_rows(html) and kept in pair_rows(html)


def test_confirm_creates_introductions_the_mentor_sees(app, client, staff, cohort):
    smes, mentor = cohort
    pid = run(client, allocation(client, smes, [mentor]))
    chosen = pair_rows(page(client, pid))
    response = post_form(client, pid, "confirm")
    assert response.status_code == 302
    html = page(client, pid)
    text = text_of(html)
    assert "Confirmed" in text and "Cohort confirmed: 2 introductions created, 0 refused." in (
        text)
    created = text_of(html.split('id="created"')[1].split("</ul>")[0])
    intros = db.session.scalars(db.select(Introduction)).all()
    assert {(i.requester_id, i.target_id) for i in intros} == chosen
    assert all(f"#{i.id}" in created for i in intros)
    # no edit controls on a confirmed proposal, and a second confirm is a message, not a 500
    assert "/remove" not in html and 'id="add-pair"' not in html and 'id="confirm"' not in html
    response = client.post(f"/cohorts/{pid}/confirm", headers=EN,
                           data={"csrf_token": csrf_token(client, "/cohorts")})
    assert response.status_code == 409
    assert "This proposal is confirmed already." in text_of(response.get_data(True))
    response = post_form(client, pid, "remove", sme_id=str(next(iter(chosen))[0]),
                         mentor_id=str(mentor.id))
    assert response.status_code == 409
    assert "A confirmed proposal cannot be changed." in text_of(response.get_data(True))
    assert len(db.session.scalars(db.select(Introduction)).all()) == 2
    assert pair_rows(page(client, pid)) == chosen
    # the mentor sees the requests in the inbox
    mentor_client = app.test_client()
    login(mentor_client, mentor.user.email)
    inbox = text_of(mentor_client.get("/introductions", headers=EN).get_data(True))
    assert all(s.name in inbox for s in smes if (s.id, mentor.id) in chosen)


def test_confirm_reports_the_pairs_it_cannot_create(client, staff, cohort):
    smes, mentor = cohort
    pid = run(client, allocation(client, smes[:2], [mentor]))
    intro_service.create_introduction(smes[1].user, {"target_id": mentor.id})
    assert post_form(client, pid, "confirm").status_code == 302
    refused = text_of(page(client, pid).split('id="refused"')[1].split("</ul>")[0])
    assert smes[1].name in refused
    assert "These two profiles have an open introduction already" in refused


def test_unknown_proposal_is_404(client, staff):
    assert client.get("/cohorts/4242").status_code == 404
    response = client.post("/cohorts/4242/confirm",
                           data={"csrf_token": csrf_token(client, "/cohorts")})
    assert response.status_code == 404


def test_the_form_offers_places_languages_sectors_and_people_by_name(client, cohort, make_user):
    smes, mentor = cohort
    signed_in_es = make_user("coordinator", locale="es")
    login(client, signed_in_es.email)
    page = client.get("/cohorts").get_data(as_text=True)
    subdivisions = page.split('id="sme_subdivision"')[1].split("</select>")[0]
    assert '<optgroup label="México">' in subdivisions
    assert '<option value="MX-CHH">Chihuahua</option>' in subdivisions
    languages = page.split('id="mentor_language"')[1].split("</select>")[0]
    assert '<option value="es">Español</option>' in languages
    assert 'list="naics-groups"' in page
    groups = page.split('<datalist id="naics-groups">')[1].split("</datalist>")[0]
    assert "311 — Industria alimentaria" in groups
    people = page.split('<datalist id="people-sme">')[1].split("</datalist>")[0]
    assert all(f'<option value="{s.id}">{s.name} — ' in people for s in smes)
    assert mentor.name not in people and "ventas@autopartes.example" not in page
    assert f'<option value="{mentor.id}">Rosa Mentora — ' in page


def test_a_subdivision_and_language_chosen_from_the_lists_select_the_cohort(client, staff,
                                                                              cohort):
    smes, mentor = cohort
    run(client, allocation(client, [], [mentor], sme_ids="", sme_country="MX",
                           sme_subdivision="MX-CHH", sme_language="es"))
    proposal = db.session.scalar(db.select(CohortProposal))
    assert proposal.request["smes"]["filter"] == {"country": "MX", "subdivision": "MX-CHH",
                                                  "language": "es"}


def test_an_allocation_runs_as_a_job_whose_page_follows_it_to_the_proposal(client, staff,
                                                                            cohort):
    smes, mentor = cohort
    job_url = start(client, allocation(client, smes, [mentor]))
    assert db.session.scalar(db.select(db.func.count()).select_from(CohortProposal)) == 0
    job = db.session.scalars(db.select(BackgroundJob)).one()
    assert (job.kind, job.state) == ("cohort-run", "queued")
    assert job.params["smes"] == {"ids": [s.id for s in smes]}  # the validated request
    waiting = client.get(job_url, headers=EN).get_data(True)
    assert "Allocating a cohort" in text_of(waiting) and "jobs.js" in waiting
    assert "Queued: Waiting for a job worker" in text_of(waiting)

    assert background.run_queued() == 1

    done = client.get(job_url, headers=EN).get_data(True)
    proposal = db.session.scalars(db.select(CohortProposal)).one()
    assert f'href="/cohorts/{proposal.id}"' in done and "jobs.js" not in done
    assert "Finished: Done" in text_of(done) and 'value="100"' in done
    assert "Allocation ready: check the pairs" in text_of(done)
    assert len(pair_rows(page(client, proposal.id))) == 2
    api = client.get(f"/api/v1/jobs/{job.id}").get_json()
    assert api["result"]["proposal_id"] == proposal.id and api["result"]["pairs"] == 2


def test_invalid_allocation_queues_nothing(client, staff, cohort):
    smes, mentor = cohort
    response = client.post("/cohorts", data=allocation(client, smes, [mentor], min_score="2"),
                           headers=EN)
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(BackgroundJob)) == 0


def test_a_refusal_found_by_the_run_is_worded_on_the_job_page(client, signed_in, cohort):
    smes, mentor = cohort
    signed_in("coordinator", locale="es")
    # two pins on a mentor of capacity 2 with 1 mentor per SME are fine; three are not
    pins = "\n".join(f"{s.id} {mentor.id}" for s in smes)
    response = client.post("/cohorts", data=allocation(client, smes, [mentor], pinned=pins))
    assert response.status_code == 303
    background.run_queued()
    job = db.session.scalars(db.select(BackgroundJob)).one()
    db.session.refresh(job)
    assert job.state == "failed" and job.error_code == "pins_not_kept"
    assert job.error_params["fields"]["options.pinned"][0]["code"]
    text = text_of(client.get(response.location).get_data(True))
    assert "Fallido" in text, text
    assert "No se pueden mantener" in text and "Parejas fijadas:" in text, text
    assert "pins_not_kept" not in text and "Volver a las cohortes" in text
    error = client.get(f"/api/v1/jobs/{job.id}").get_json()["error"]
    assert error["message"] == "No se pueden mantener todas las parejas fijadas."
    assert "fields" not in error["params"]
    problem = error["fields"]["options.pinned"][0]
    assert problem["code"] == job.error_params["fields"]["options.pinned"][0]["code"]
    assert problem["message"] in text
    assert db.session.scalar(db.select(db.func.count()).select_from(CohortProposal)) == 0


def test_others_do_not_see_a_cohort_job(client, staff, cohort, signed_in):
    smes, mentor = cohort
    job_url = start(client, allocation(client, smes, [mentor]))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/cohorts")})
    signed_in("mentor")
    assert client.get(job_url).status_code == 404
    assert client.post("/cohorts", data={}).status_code in (400, 403)


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "Cohort confirmed: 1 introduction created, 0 refused."),
    ("es", "Cohorte confirmada: 1 presentación creada, 0 rechazadas."),
    ("fr", "Cohorte confirmée : 1 mise en relation créée, 0 refusée."),
])
def test_the_confirmation_counts_in_the_readers_grammar(client, staff, cohort, lang, said):
    smes, mentor = cohort
    pid = run(client, allocation(client, smes[:1], [mentor]))
    data = {"csrf_token": csrf_token(client, f"/cohorts/{pid}")}
    assert client.post(f"/cohorts/{pid}/confirm?lang={lang}", data=data).status_code == 302
    assert said in text_of(client.get(f"/cohorts/{pid}?lang={lang}").get_data(True))


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "1 SME covered,"), ("es", "1 pyme cubierta,"), ("fr", "1 PME couverte,")])
def test_the_greedy_line_counts_smes_in_the_readers_grammar(client, staff, cohort, lang, said):
    smes, mentor = cohort
    pid = run(client, allocation(client, smes[:1], [mentor]))
    html = client.get(f"/cohorts/{pid}?lang={lang}").get_data(True)
    assert said in text_of(html.split('id="greedy"')[1].split("</dd>")[0])


def test_pairs_either_side_hid_are_left_out_and_said_so(client, staff, cohort):
    from webapp.services import match_marks

    smes, mentor = cohort
    match_marks.set_mark(smes[0].user, smes[0], mentor.id, match_marks.HIDDEN)
    pid = run(client, allocation(client, smes, [mentor]))
    html = page(client, pid)
    assert (smes[0].id, mentor.id) not in pair_rows(html) and len(pair_rows(html)) == 2
    left_out = text_of(html.split('id="hidden-excluded"')[1].split("</ul>")[0])
    assert smes[0].name in left_out and mentor.name in left_out
    assert "one of each pair hid the other from their matches" in text_of(html)
    response = client.post("/cohorts", headers=EN, data=allocation(
        client, smes, [mentor], pinned=f"{smes[0].id}:{mentor.id}"))
    assert response.status_code == 422
    assert field_errors(response.get_data(True), "pinned") == [
        f"SME {smes[0].id} – mentor {mentor.id}: one of them hid the other from their matches."]
