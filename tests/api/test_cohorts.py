"""Cohort proposals through the API and the CLI: allocate, diff, edit, confirm."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from models import Introduction, db, utcnow
from tests.factories import row_counts
from tests.intro_factories import act, make_party, outbox, request_intro

URL = "/api/v1/cohorts"


@pytest.fixture
def staff(as_role):
    return as_role("coordinator")[1]


@pytest.fixture
def cohort(client, as_role):
    """Three SMEs and one mentor of capacity 2, each with its own account."""
    smes = [make_party(client, as_role, "sme", name=f"SME {i}") for i in range(3)]
    mentor = make_party(client, as_role, "mentor", capacity=2)
    return smes, mentor


def body(smes, mentors, **options) -> dict:
    return {"smes": {"ids": [s.id for s in smes]}, "mentors": {"ids": [m.id for m in mentors]},
            "options": options}


def pairs_of(response) -> set[tuple[int, int]]:
    return {(p["sme_id"], p["mentor_id"]) for p in response.get_json()["result"]["pairs"]}


def propose(client, staff, payload, status=201):
    response = client.post(URL, json=payload, headers=staff)
    assert response.status_code == status, response.get_json()
    return response


def test_only_staff_run_cohorts(client, as_role, cohort):
    smes, mentor = cohort
    for role in ("sme", "mentor", "buyer"):
        response = client.post(URL, json=body(smes, [mentor]), headers=as_role(role)[1])
        assert response.status_code == 403
    assert client.post(URL, json=body(smes, [mentor])).status_code == 401


def test_proposal_respects_capacity_and_explains_pairs(client, staff, cohort):
    smes, mentor = cohort
    data = propose(client, staff, body(smes, [mentor])).get_json()
    result = data["result"]
    assert data["status"] == "draft"
    assert len(result["pairs"]) == 2 and result["certified"] is True
    assert all(p["mentor_id"] == mentor.id and p["reasons"] for p in result["pairs"])
    assert [u["reason"] for u in result["unassigned"]] == ["capacity_exhausted"]
    assert result["objective"]["n_pairs"] == 2
    assert result["greedy"]["total_score"] <= result["objective"]["total_score"] + 1e-9
    assert client.get(f"{URL}/{data['id']}", headers=staff).get_json() == data


def test_pins_and_exclusions_hold(client, staff, cohort):
    smes, mentor = cohort
    response = propose(client, staff, body(
        smes, [mentor], pinned=[[smes[2].id, mentor.id]], excluded=[[smes[0].id, mentor.id]]))
    assert pairs_of(response) == {(smes[1].id, mentor.id), (smes[2].id, mentor.id)}
    pinned = [p for p in response.get_json()["result"]["pairs"] if p["pinned"]]
    assert [p["sme_id"] for p in pinned] == [smes[2].id]


def test_infeasible_pin_is_422(client, staff, cohort):
    smes, mentor = cohort
    response = propose(client, staff, body(smes, [mentor], pinned=[[smes[0].id, mentor.id]],
                                           excluded=[[smes[0].id, mentor.id]]), 422)
    assert "options.pinned" in response.get_json()["error"]["fields"]


def test_previously_declined_pairs_are_excluded(client, staff, cohort):
    smes, mentor = cohort
    intro = request_intro(client, smes[0], mentor)
    assert act(client, mentor, intro["id"], "decline", reason_code="not_a_fit").status_code \
        == 200
    result = propose(client, staff, body(smes, [mentor])).get_json()["result"]
    assert (smes[0].id, mentor.id) not in {(p["sme_id"], p["mentor_id"])
                                           for p in result["pairs"]}
    assert result["declined_excluded"] == [[smes[0].id, mentor.id]]


def test_rerun_shows_the_diff(client, staff, cohort):
    smes, mentor = cohort
    first = propose(client, staff, body(smes, [mentor], pinned=[[smes[0].id, mentor.id]]))
    first_pairs = pairs_of(first)
    again = body(smes, [mentor], excluded=[[smes[0].id, mentor.id]])
    second = propose(client, staff, {**again, "previous_id": first.get_json()["id"]})
    data = second.get_json()
    diff = data["result"]["diff"]
    assert data["previous_id"] == first.get_json()["id"]
    assert {tuple(p) for p in diff["removed"]} == first_pairs - pairs_of(second)
    assert {tuple(p) for p in diff["added"]} == pairs_of(second) - first_pairs
    assert {tuple(p) for p in diff["kept"]} == first_pairs & pairs_of(second)


def test_filters_select_active_profiles(client, staff, cohort):
    smes, mentor = cohort
    response = propose(client, staff, {"smes": {"filter": {"country": "MX"}},
                                       "mentors": {"filter": {"expertise": "financing"}}})
    assert response.get_json()["result"]["pairs"] == []  # the mentor offers no financing
    response = propose(client, staff, {"smes": {"filter": {"country": "MX"}},
                                       "mentors": {"filter": {"country": "US"}}})
    assert len(pairs_of(response)) == 2


def test_edit_a_draft(client, staff, cohort):
    smes, mentor = cohort
    data = propose(client, staff, body(smes, [mentor])).get_json()
    pid, chosen = data["id"], sorted(pairs_of_data(data))
    left_out = next(s.id for s in smes if (s.id, mentor.id) not in chosen)
    # the mentor is full: adding a third pair is refused
    response = client.patch(f"{URL}/{pid}", json={"add": [[left_out, mentor.id]]},
                            headers=staff)
    assert response.status_code == 422 and "capacity" in str(response.get_json())
    response = client.patch(f"{URL}/{pid}", headers=staff, json={
        "remove": [list(chosen[0])], "add": [[left_out, mentor.id]]})
    assert response.status_code == 200, response.get_json()
    result = response.get_json()["result"]
    assert pairs_of(response) == {chosen[1], (left_out, mentor.id)}
    assert result["edited"] is True and result["certified"] is False
    assert [u["sme_id"] for u in result["unassigned"]] == [chosen[0][0]]
    assert result["objective"]["n_pairs"] == 2


def pairs_of_data(data) -> set[tuple[int, int]]:
    return {(p["sme_id"], p["mentor_id"]) for p in data["result"]["pairs"]}


@pytest.mark.parametrize("edit, field", [
    ({"remove": [[1, 2]]}, "remove"),
    ({}, "body"),
    ({"add": [[1]]}, "add"),
    ({"drop": []}, "drop"),
])
def test_bad_edits_are_422(client, staff, cohort, edit, field):
    smes, mentor = cohort
    pid = propose(client, staff, body(smes, [mentor])).get_json()["id"]
    response = client.patch(f"{URL}/{pid}", json=edit, headers=staff)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_confirm_creates_the_introductions(client, staff, cohort):
    smes, mentor = cohort
    pid = propose(client, staff, body(smes, [mentor])).get_json()["id"]
    response = client.post(f"{URL}/{pid}/confirm", headers=staff)
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["status"] == "confirmed" and data["confirmed_at"]
    created = data["result"]["confirmation"]["created"]
    assert len(created) == 2 and data["result"]["confirmation"]["failed"] == []
    intros = db.session.scalars(db.select(Introduction)).all()
    assert {(i.requester_id, i.target_id, i.state) for i in intros} == {
        (c["sme_id"], mentor.id, "requested") for c in created}
    assert {i.origin for i in intros} == {"program"} and {i.message for i in intros} == {""}
    told = [m.template for m in outbox(mentor.user_id)]
    assert told == ["program_introduced_target"] * 2
    for sme in smes:
        if sme.id in {c["sme_id"] for c in created}:
            assert [m.template for m in outbox(sme.user_id)] == ["program_introduced_requester"]
    assert client.post(f"{URL}/{pid}/confirm", headers=staff).status_code == 409
    assert client.patch(f"{URL}/{pid}", json={"remove": [[1, 2]]},
                        headers=staff).status_code == 409


def test_confirm_reports_pairs_it_cannot_create(client, staff, cohort):
    smes, mentor = cohort
    pid = propose(client, staff, body(smes, [mentor])).get_json()["id"]
    first = next(iter(pairs_of_data(client.get(f"{URL}/{pid}", headers=staff).get_json())))
    request_intro(client, next(s for s in smes if s.id == first[0]), mentor)
    data = client.post(f"{URL}/{pid}/confirm", headers=staff).get_json()
    failed = data["result"]["confirmation"]["failed"]
    assert [(f["sme_id"], f["mentor_id"]) for f in failed] == [first]
    assert len(data["result"]["confirmation"]["created"]) == 1
    # the reason is stored as a code and worded in the caller's language when read
    english = failed[0]["error"]
    spanish = client.get(f"{URL}/{pid}?lang=es", headers=staff).get_json()[
        "result"]["confirmation"]["failed"][0]
    assert failed[0]["code"] == spanish["code"] and english and spanish["error"] != english


@pytest.mark.parametrize("change, field", [
    ({"smes": {"ids": [999999]}}, "smes.ids"),
    ({"smes": {"ids": [1], "filter": {}}}, "smes"),
    ({"smes": {}}, "smes"),
    ({"mentors": "all"}, "mentors"),
    ({"options": {"objective": "fastest"}}, "options.objective"),
    ({"options": {"min_score": 2}}, "options.min_score"),
    ({"options": {"mentors_per_sme": 0}}, "options.mentors_per_sme"),
    ({"options": {"pinned": [[1, 2, 3]]}}, "options.pinned"),
    ({"options": {"pinned": [[1, 999999]]}}, "options.pinned"),
    ({"previous_id": 999999}, "previous_id"),
    ({"colour": "red"}, "colour"),
])
def test_bad_requests_are_422(client, staff, cohort, change, field):
    smes, mentor = cohort
    response = client.post(URL, json={**body(smes, [mentor]), **change}, headers=staff)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("change, field, item", [
    ({"options": {"min_score": 1.5}}, "options.min_score", None),
    ({"options": {"mentors_per_sme": 11}}, "options.mentors_per_sme", None),
    ({"options": {"language_required": "sometimes"}}, "options.language_required", None),
    ({"options": {"colour": "red"}}, "options.colour", None),
    ({"options": {"excluded": [[1, 2], [3]]}}, "options.excluded", 1),
    ({"options": {"pinned": [[0, 2]]}}, "options.pinned", "0.0"),
    ({"smes": {"ids": [1, 0]}}, "smes.ids", 1),
    ({"mentors": {"filter": {"country": "Mexico"}}}, "mentors.filter.country", None),
])
def test_a_bad_option_is_named_by_its_dotted_field(client, staff, cohort, change, field,
                                                   item):
    """A schema refusal names the field as the service's refusals do (``options.pinned``),
    a position inside it as the problem's item."""
    smes, mentor = cohort
    response = client.post(URL, json={**body(smes, [mentor]), **change}, headers=staff)
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert list(error["fields"]) == [field] and error["params"]["names"] == [field]
    [problem] = error["fields"][field]
    assert problem["params"].get("item") == item


@pytest.mark.parametrize("side, filters, field", [
    ("smes", {"country": "ZZ"}, "smes.filter.country"),
    ("smes", {"sector": "abc"}, "smes.filter.sector"),
    ("smes", {"need": "bogus"}, "smes.filter.need"),
    ("mentors", {"language": "xx"}, "mentors.filter.language"),
    ("mentors", {"expertise": "bogus"}, "mentors.filter.expertise"),
    ("mentors", {"subdivision": "US-XX"}, "mentors.filter.subdivision"),
    ("mentors", {"country": "MX", "subdivision": "US-TX"}, "mentors.filter.subdivision"),
    # what the other kind lists: SMEs list needs, mentors expertise (it selected no one)
    ("smes", {"expertise": "financing"}, "smes.filter.expertise"),
    ("mentors", {"need": "financing"}, "mentors.filter.need"),
])
def test_a_filter_value_outside_the_reference_data_is_422_and_stores_nothing(
        client, staff, cohort, side, filters, field):
    smes, mentor = cohort
    before = row_counts()
    response = client.post(URL, json={**body(smes, [mentor]), side: {"filter": filters}},
                           headers=staff)
    assert response.status_code == 422, response.get_json()
    assert list(response.get_json()["error"]["fields"]) == [field]
    assert row_counts() == before


@pytest.mark.parametrize("filters, code", [
    ({"country": "MX", "subdivision": "US-TX"}, "not_a_subdivision"),
    ({"subdivision": "US-XX"}, "unknown_subdivision"),
])
def test_a_subdivision_filter_is_refused_as_the_profile_list_refuses_it(
        client, staff, cohort, filters, code):
    """A state of another country is told as such (the list's and the profile's code), an
    unknown one as unknown."""
    smes, mentor = cohort
    response = client.post(URL, json={**body(smes, [mentor]), "mentors": {"filter": filters}},
                           headers=staff)
    [problem] = response.get_json()["error"]["fields"]["mentors.filter.subdivision"]
    assert problem["code"] == code


def test_unknown_proposal_is_404(client, staff):
    assert client.get(f"{URL}/12345", headers=staff).status_code == 404
    assert client.post(f"{URL}/12345/confirm", headers=staff).status_code == 404


def test_cli_allocates_and_confirms(app, client, as_role, cohort, runner):
    smes, mentor = cohort
    staff_user = as_role("coordinator")[0]
    result = runner.invoke(args=[
        "allocate-cohort", "--user", staff_user.email, "--sme-ids",
        ",".join(str(s.id) for s in smes), "--mentor-country", "US", "--objective", "coverage",
        "--confirm"])
    assert result.exit_code == 0, result.output
    assert "2 pairs" in result.output and "created 2 introductions" in result.output
    assert db.session.scalar(db.select(db.func.count(Introduction.id))) == 2


def test_cli_says_which_pairs_it_left_out_and_why(client, as_role, cohort, runner):
    smes, mentor = cohort
    request_intro(client, smes[0], mentor)  # open: the pair cannot be proposed again
    staff_user = as_role("coordinator")[0]
    result = runner.invoke(args=[
        "allocate-cohort", "--user", staff_user.email, "--sme-ids",
        ",".join(str(s.id) for s in smes), "--mentor-country", "US"])
    assert result.exit_code == 0, result.output
    assert f"Left out for an open introduction: [{smes[0].id}, {mentor.id}]" in result.output


def test_cli_reports_bad_input(runner, as_role):
    staff_user = as_role("coordinator")[0]
    result = runner.invoke(args=["allocate-cohort", "--user", staff_user.email,
                                 "--sme-ids", "999999", "--mentor-country", "US"])
    assert result.exit_code != 0 and "smes.ids" in result.output


def test_capacity_left_and_mentors_per_sme_hold(client, as_role, staff):
    smes = [make_party(client, as_role, "sme", name=f"SME {i}") for i in range(4)]
    busy = make_party(client, as_role, "mentor", capacity=2, name="Busy")
    free = make_party(client, as_role, "mentor", capacity=2, name="Free")
    intro = request_intro(client, smes[0], busy)  # accepted: one of Busy's two slots taken
    assert act(client, busy, intro["id"], "accept").status_code == 200
    data = propose(client, staff, body(smes, [busy, free], mentors_per_sme=2,
                                       objective="coverage")).get_json()
    pairs = pairs_of_data(data)
    assert sum(1 for _, m in pairs if m == busy.id) <= 1
    assert sum(1 for _, m in pairs if m == free.id) <= 2
    assert all(sum(1 for s, _ in pairs if s == sme.id) <= 2 for sme in smes)
    assert data["result"]["capacity"] == {str(busy.id): 1, str(free.id): 2}
    assert len(pairs) == 3


@pytest.mark.parametrize("direction, answer", [
    ("sme_asks", None), ("sme_asks", "accept"), ("mentor_asks", None)])
def test_pairs_with_an_open_introduction_are_not_proposed(client, staff, cohort, direction,
                                                          answer):
    smes, mentor = cohort
    sme = smes[0]
    intro = (request_intro(client, sme, mentor) if direction == "sme_asks"
             else request_intro(client, mentor, sme))
    if answer:
        assert act(client, mentor, intro["id"], answer).status_code == 200
    data = propose(client, staff, body(smes, [mentor])).get_json()
    result = data["result"]
    assert (sme.id, mentor.id) not in pairs_of_data(data)
    assert result["open_excluded"] == [[sme.id, mentor.id]]
    assert result["declined_excluded"] == []
    assert {u["sme_id"]: u["reason"] for u in result["unassigned"]}.get(sme.id) == "excluded"
    # every proposed pair can be confirmed: none is refused on the open-pair rule
    confirmed = client.post(f"{URL}/{data['id']}/confirm", headers=staff).get_json()
    assert confirmed["result"]["confirmation"]["failed"] == []
    assert len(confirmed["result"]["confirmation"]["created"]) == len(result["pairs"])


def test_closed_introductions_do_not_exclude_a_pair(client, staff, cohort):
    smes, mentor = cohort
    intro = request_intro(client, smes[0], mentor)
    assert act(client, smes[0], intro["id"], "withdraw").status_code == 200
    result = propose(client, staff, body([smes[0]], [mentor])).get_json()["result"]
    assert result["open_excluded"] == []
    assert [(p["sme_id"], p["mentor_id"]) for p in result["pairs"]] == [(smes[0].id, mentor.id)]


def test_an_sme_with_a_mentor_already_stays_proposable(client, as_role, staff):
    sme = make_party(client, as_role, "sme")
    current = make_party(client, as_role, "mentor", name="Current mentor")
    other = make_party(client, as_role, "mentor", name="Other mentor")
    intro = request_intro(client, sme, current)
    assert act(client, current, intro["id"], "accept").status_code == 200
    data = propose(client, staff, body([sme], [current, other])).get_json()
    assert pairs_of_data(data) == {(sme.id, other.id)}
    assert data["result"]["open_excluded"] == [[sme.id, current.id]]


def test_pinning_a_pair_with_an_open_introduction_is_422(client, staff, cohort):
    smes, mentor = cohort
    request_intro(client, smes[0], mentor)
    response = propose(client, staff, body(smes, [mentor], pinned=[[smes[0].id, mentor.id]]),
                       422)
    [problem] = response.get_json()["error"]["fields"]["options.pinned"]
    assert problem["code"] == "pin_open"
    assert problem["params"] == {"sme": smes[0].id, "mentor": mentor.id}
    assert "open introduction" in problem["message"]


def test_adding_a_pair_with_an_open_introduction_is_refused(client, staff, cohort):
    smes, mentor = cohort
    data = propose(client, staff, body(smes[:2], [mentor])).get_json()
    assert pairs_of_data(data) == {(smes[0].id, mentor.id), (smes[1].id, mentor.id)}
    pair = [smes[1].id, mentor.id]
    response = client.patch(f"{URL}/{data['id']}", headers=staff, json={"remove": [pair]})
    assert response.status_code == 200
    request_intro(client, smes[1], mentor)  # opened after the proposal was made
    response = client.patch(f"{URL}/{data['id']}", headers=staff, json={"add": [pair]})
    assert response.status_code == 422
    [problem] = response.get_json()["error"]["fields"]["add"]
    assert problem["code"] == "pair_open" and "open introduction" in problem["message"]


def test_pair_reasons_are_those_of_the_pair_explained_alone(client, as_role, staff):
    from models import Profile
    from webapp.services.matching import explain_pair

    smes = [make_party(client, as_role, "sme", name=f"SME {i}") for i in range(3)]
    mentors = [make_party(client, as_role, "mentor", capacity=3, name=f"Mentor {i}",
                          languages=["es"] if i else ["en", "es"]) for i in range(2)]
    data = propose(client, staff, body(smes, mentors, mentors_per_sme=2)).get_json()
    pairs = data["result"]["pairs"]
    assert len(pairs) == 6
    for pair in pairs:
        alone = explain_pair(db.session.get(Profile, pair["sme_id"]),
                             db.session.get(Profile, pair["mentor_id"]))
        assert [{"code": r["code"], "params": r["params"]} for r in pair["reasons"]] == (
            alone["reasons"]) and pair["reasons"]
        assert pair["score"] == pytest.approx(alone["score"], abs=1e-6)


def test_program_introductions_are_outside_the_personal_request_cap(client, app, staff,
                                                                    as_role):
    app.config["PUENTE_MAX_OPEN_REQUESTS"] = 1
    sme = make_party(client, as_role, "sme")
    mentor = make_party(client, as_role, "mentor", capacity=2)
    own_target = make_party(client, as_role, "mentor", name="Otra Mentora",
                            expertise=["financing"])
    request_intro(client, sme, own_target)  # the SME's one allowed open request
    pid = propose(client, staff, body([sme], [mentor])).get_json()["id"]
    data = client.post(f"{URL}/{pid}/confirm", headers=staff).get_json()
    assert data["result"]["confirmation"]["failed"] == []
    [program] = [i for i in db.session.scalars(db.select(Introduction))
                 if i.origin == "program"]
    assert (program.requester_id, program.target_id) == (sme.id, mentor.id)
    # Withdrawing its own request frees the SME's cap: the program's does not fill it.
    assert act(client, sme, next(i.id for i in db.session.scalars(db.select(Introduction))
                                 if i.origin == "member"), "withdraw").status_code == 200
    third = make_party(client, as_role, "mentor", name="Tercera Mentora",
                       expertise=["logistics"])
    request_intro(client, sme, third)


@pytest.fixture
def busy_mentor(client, as_role):
    """A mentor of capacity 3 with one accepted mentee: two places left."""
    mentor = make_party(client, as_role, "mentor", capacity=3, name="Busy")
    mentee = make_party(client, as_role, "sme", name="Mentee")
    intro = request_intro(client, mentee, mentor)
    assert act(client, mentor, intro["id"], "accept").status_code == 200
    return mentor


def smes_named(client, as_role, prefix: str, n: int) -> list:
    return [make_party(client, as_role, "sme", name=f"{prefix} {i}") for i in range(n)]


def mentor_load(mentor) -> Counter:
    """Return the mentor's open introductions (either way) by state."""
    return Counter(db.session.scalars(db.select(Introduction.state).where(
        db.or_(Introduction.requester_id == mentor.id, Introduction.target_id == mentor.id),
        Introduction.state.in_(("requested", "accepted")))))


def test_a_second_run_counts_the_first_runs_pending_introductions(client, as_role, staff,
                                                                  busy_mentor):
    first = propose(client, staff, body(smes_named(client, as_role, "First", 3),
                                        [busy_mentor])).get_json()
    assert len(first["result"]["pairs"]) == 2
    confirmed = client.post(f"{URL}/{first['id']}/confirm", headers=staff).get_json()
    assert len(confirmed["result"]["confirmation"]["created"]) == 2
    later = smes_named(client, as_role, "Second", 2)
    second = propose(client, staff, body(later, [busy_mentor])).get_json()["result"]
    assert second["pairs"] == []
    assert second["capacity"] == {str(busy_mentor.id): 0}
    assert {u["sme_id"] for u in second["unassigned"]} == {s.id for s in later}
    assert mentor_load(busy_mentor) == {"accepted": 1, "requested": 2}


def test_confirming_two_drafts_never_introduces_beyond_capacity(client, as_role, staff,
                                                                busy_mentor):
    drafts = [propose(client, staff, body(smes_named(client, as_role, name, 2),
                                          [busy_mentor])).get_json()
              for name in ("Early", "Late")]
    assert [len(d["result"]["pairs"]) for d in drafts] == [2, 2]
    reports = [client.post(f"{URL}/{d['id']}/confirm", headers=staff).get_json()[
        "result"]["confirmation"] for d in drafts]
    assert [len(r["created"]) for r in reports] == [2, 0]
    assert [(f["code"], f["params"]) for f in reports[1]["failed"]] == [
        ("mentor_full", {"id": busy_mentor.id})] * 2
    assert "no capacity left" in reports[1]["failed"][0]["error"]
    assert mentor_load(busy_mentor) == {"accepted": 1, "requested": 2}


def test_open_requests_count_until_they_are_overdue(client, as_role, staff, busy_mentor):
    asking = smes_named(client, as_role, "Asking", 2)
    for sme in asking:  # members' own requests to the mentor, still unanswered
        request_intro(client, sme, busy_mentor)
    cohort_smes = smes_named(client, as_role, "Cohort", 2)
    result = propose(client, staff, body(cohort_smes, [busy_mentor])).get_json()["result"]
    assert result["pairs"] == [] and result["capacity"] == {str(busy_mentor.id): 0}
    db.session.execute(db.update(Introduction).where(Introduction.state == "requested")
                       .values(created_at=utcnow() - timedelta(days=15)))
    db.session.commit()
    result = propose(client, staff, body(cohort_smes, [busy_mentor])).get_json()["result"]
    assert len(result["pairs"]) == 2 and result["capacity"] == {str(busy_mentor.id): 2}


def test_adding_a_pair_counts_the_mentors_pending_introductions(client, as_role, staff,
                                                                busy_mentor):
    smes = smes_named(client, as_role, "Cohort", 2)
    data = propose(client, staff, body(smes, [busy_mentor])).get_json()
    pair = [smes[1].id, busy_mentor.id]
    assert client.patch(f"{URL}/{data['id']}", headers=staff,
                        json={"remove": [pair]}).status_code == 200
    request_intro(client, make_party(client, as_role, "sme", name="Asking"), busy_mentor)
    response = client.patch(f"{URL}/{data['id']}", headers=staff, json={"add": [pair]})
    assert response.status_code == 422, response.get_json()
    [problem] = response.get_json()["error"]["fields"]["add"]
    assert problem["code"] == "mentor_no_capacity"


@pytest.mark.parametrize("gone", ["sme", "mentor"])
def test_adding_a_pair_whose_profile_was_deleted_is_422_not_500(client, staff, cohort, gone):
    smes, mentor = cohort
    data = propose(client, staff, body(smes[:2], [mentor])).get_json()
    pair = [smes[1].id, mentor.id]
    response = client.patch(f"{URL}/{data['id']}", headers=staff, json={"remove": [pair]})
    assert response.status_code == 200
    party, collection = (smes[1], "smes") if gone == "sme" else (mentor, "mentors")
    if gone == "mentor":  # a mentor with no introductions is removed, not retired
        kept = [smes[0].id, mentor.id]
        assert client.patch(f"{URL}/{data['id']}", headers=staff,
                            json={"remove": [kept]}).status_code == 200
    deleted = client.delete(f"/api/v1/{collection}/{party.id}", headers=party.headers)
    assert deleted.status_code == 204
    before = client.get(f"{URL}/{data['id']}", headers=staff).get_json()
    response = client.patch(f"{URL}/{data['id']}", headers=staff, json={"add": [pair]})
    assert response.status_code == 422, response.get_json()
    [problem] = response.get_json()["error"]["fields"]["add"]
    assert problem["code"] == "pair_not_eligible"
    assert client.get(f"{URL}/{data['id']}", headers=staff).get_json() == before


@pytest.mark.parametrize("gone", ["sme", "mentor"])
def test_confirming_a_pair_whose_profile_was_deleted_says_so(client, staff, cohort, gone):
    smes, mentor = cohort
    data = propose(client, staff, body(smes[:1], [mentor])).get_json()
    party, collection = (smes[0], "smes") if gone == "sme" else (mentor, "mentors")
    deleted = client.delete(f"/api/v1/{collection}/{party.id}", headers=party.headers)
    assert deleted.status_code == 204
    response = client.post(f"{URL}/{data['id']}/confirm?lang=es", headers=staff)
    assert response.status_code == 200, response.get_json()
    [failed] = response.get_json()["result"]["confirmation"]["failed"]
    assert failed["code"] == "profile_not_found"
    assert failed["params"]["id"] == party.id and str(party.id) in failed["error"]
    assert "target_id" not in failed["error"] and "requester_id" not in failed["error"]
    assert db.session.scalars(db.select(Introduction)).all() == []


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_pair_reasons_carry_their_message_in_the_callers_language(client, staff, cohort, lang):
    """As every explanation of the API: ``{code, params, message}``, the message in the
    caller's language, the one the cohort page shows staff."""
    from matcher.reasons import Reason
    from webapp.catalogue import render_reason

    smes, mentor = cohort
    created = propose(client, staff, body(smes, [mentor])).get_json()
    shown = client.get(f"{URL}/{created['id']}?lang={lang}", headers=staff).get_json()
    reasons = [r for p in shown["result"]["pairs"] for r in p["reasons"]]
    assert reasons
    for reason in reasons:
        assert reason["message"] == render_reason(
            Reason(reason["code"], reason["params"]), lang, staff_about="sme")


def hide(client, owner, candidate) -> None:
    collection = {"sme": "smes", "mentor": "mentors"}[owner.kind]
    response = client.post(f"/api/v1/{collection}/{owner.id}/matches/{candidate.id}/hide",
                           headers=owner.headers)
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize("hider", ["sme", "mentor"])
def test_a_pair_either_side_hid_is_left_out_and_said_so(client, staff, cohort, hider):
    """Hiding a match is for good: a cohort run never proposes it to the program either (it
    would become a program introduction to the very profile one of them hid)."""
    smes, mentor = cohort
    if hider == "sme":
        hide(client, smes[0], mentor)
    else:
        hide(client, mentor, smes[0])
    result = propose(client, staff, body(smes, [mentor])).get_json()["result"]
    assert (smes[0].id, mentor.id) not in {(p["sme_id"], p["mentor_id"])
                                           for p in result["pairs"]}
    assert len(result["pairs"]) == 2  # the mentor's two places go to the other SMEs
    assert result["hidden_excluded"] == [[smes[0].id, mentor.id]]
    assert result["declined_excluded"] == [] and result["open_excluded"] == []


def test_pinning_a_hidden_pair_is_422(client, staff, cohort):
    smes, mentor = cohort
    hide(client, smes[0], mentor)
    response = propose(client, staff, body(smes, [mentor], pinned=[[smes[0].id, mentor.id]]),
                       422)
    [problem] = response.get_json()["error"]["fields"]["options.pinned"]
    assert problem["code"] == "pin_hidden"
    assert problem["params"] == {"sme": smes[0].id, "mentor": mentor.id}
    assert "hid" in problem["message"]


def test_a_pair_hidden_after_the_proposal_is_neither_added_nor_introduced(client, staff,
                                                                           cohort):
    smes, mentor = cohort
    data = propose(client, staff, body(smes[:2], [mentor])).get_json()
    pair = [smes[1].id, mentor.id]
    response = client.patch(f"{URL}/{data['id']}", headers=staff, json={"remove": [pair]})
    assert response.status_code == 200
    hide(client, smes[1], mentor)
    response = client.patch(f"{URL}/{data['id']}", headers=staff, json={"add": [pair]})
    assert response.status_code == 422
    [problem] = response.get_json()["error"]["fields"]["add"]
    assert problem["code"] == "pair_hidden" and "hid" in problem["message"]
    hide(client, mentor, smes[0])  # the proposal's remaining pair, hidden before confirming
    confirmation = client.post(f"{URL}/{data['id']}/confirm", headers=staff).get_json()[
        "result"]["confirmation"]
    assert confirmation["created"] == []
    assert [(f["sme_id"], f["mentor_id"], f["code"]) for f in confirmation["failed"]] == [
        (smes[0].id, mentor.id, "pair_hidden")]
    assert "hid" in confirmation["failed"][0]["error"]
    assert db.session.scalars(db.select(Introduction)).all() == []
