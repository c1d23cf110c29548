"""Edits and confirmations of one cohort proposal at the same moment: every edit that is
answered 200 is in the proposal, and a confirmation introduces the pairs of the proposal it
claimed — never a pair an edit answered 200 had removed.

Runs on the test database (SQLite file, or PostgreSQL with TEST_DATABASE_URL); every thread
sends a real HTTP request through its own test client, app context and connection.
"""

from __future__ import annotations

from collections import Counter

from models import AuditEntry, CohortProposal, Introduction, db
from tests.db.test_capacity_concurrency import run_at_once
from tests.intro_factories import make_party

URL = "/api/v1/cohorts"
EDITS = 8
ROUNDS = 4


def proposal_of(client, as_role, staff, n_smes: int, name: str = "") -> tuple[int, list]:
    """Propose a cohort of ``n_smes`` SMEs and one mentor taking them all: ``(id, pairs)``."""
    smes = [make_party(client, as_role, "sme", name=f"Firm {name}{i}") for i in range(n_smes)]
    mentor = make_party(client, as_role, "mentor", capacity=n_smes, name=f"Mentor {name}")
    response = client.post(URL, headers=staff, json={
        "smes": {"ids": [s.id for s in smes]}, "mentors": {"ids": [mentor.id]}})
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    pairs = sorted((p["sme_id"], p["mentor_id"]) for p in data["result"]["pairs"])
    assert len(pairs) == n_smes
    return data["id"], pairs


def stored_pairs(proposal_id: int) -> set[tuple[int, int]]:
    db.session.expire_all()
    proposal = db.session.get(CohortProposal, proposal_id)
    return {(p["sme_id"], p["mentor_id"]) for p in proposal.result["pairs"]}


def test_simultaneous_edits_each_apply_or_are_refused(app, client, as_role):
    staff = as_role("coordinator")[1]
    pid, pairs = proposal_of(client, as_role, staff, EDITS)
    calls = [lambda c, p=pair: c.patch(f"{URL}/{pid}", headers=staff,
                                       json={"remove": [list(p)]}) for pair in pairs]
    answers = run_at_once(app, calls)
    statuses = Counter(getattr(a, "status_code", repr(a)) for a in answers)
    assert set(statuses) <= {200, 409}, statuses
    applied = {pair for pair, a in zip(pairs, answers, strict=True) if a.status_code == 200}
    assert applied, statuses
    # each removal answered 200 is gone, each refused one is still there
    assert stored_pairs(pid) == set(pairs) - applied
    edits = db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(
        AuditEntry.action == "cohort.edit", AuditEntry.object_id == pid))
    assert edits == len(applied)
    shown = client.get(f"{URL}/{pid}", headers=staff).get_json()["result"]
    assert shown["objective"]["n_pairs"] == EDITS - len(applied)
    assert {u["sme_id"] for u in shown["unassigned"]} == {s for s, _ in applied}


def test_an_edit_racing_a_confirmation_is_in_it_or_refused(app, client, as_role):
    staff = as_role("coordinator")[1]
    rounds = [proposal_of(client, as_role, staff, 3, name=f"R{r} ") for r in range(ROUNDS)]
    calls = []
    for pid, pairs in rounds:
        calls.append(lambda c, p=pid: c.post(f"{URL}/{p}/confirm", headers=staff))
        calls.append(lambda c, p=pid, pair=pairs[0]: c.patch(
            f"{URL}/{p}", headers=staff, json={"remove": [list(pair)]}))
    answers = run_at_once(app, calls)
    db.session.expire_all()
    introduced = {(i.requester_id, i.target_id)
                  for i in db.session.scalars(db.select(Introduction))}
    for n, (pid, pairs) in enumerate(rounds):
        confirm, edit = answers[2 * n], answers[2 * n + 1]
        assert confirm.status_code == 200, confirm.get_json()
        created = {(c["sme_id"], c["mentor_id"])
                   for c in confirm.get_json()["result"]["confirmation"]["created"]}
        if edit.status_code == 200:  # the edit came first: its removal holds
            assert pairs[0] not in created and pairs[0] not in introduced
            assert created == set(pairs[1:])
        else:  # the confirmation came first: the edit is told the proposal is no draft
            assert edit.status_code == 409, edit.get_json()
            assert edit.get_json()["error"]["code"] == "proposal_not_draft"
            assert created == set(pairs)
        assert stored_pairs(pid) == created
        assert {p for p in introduced if p in set(pairs)} == created


def test_two_drafts_confirmed_at_once_never_overfill_a_shared_mentor(app, client, as_role):
    """Both drafts were proposed while the mentor had two places; confirmed at the same
    moment, the program introduces it at most twice — each pair beyond is refused
    ``mentor_full`` (the mentor is locked while a program introduction takes a place)."""
    staff = as_role("coordinator")[1]
    mentor = make_party(client, as_role, "mentor", capacity=2, name="Shared mentor")
    drafts = []
    for name in ("A", "B"):
        smes = [make_party(client, as_role, "sme", name=f"Firm {name}{i}") for i in range(2)]
        response = client.post(URL, headers=staff, json={
            "smes": {"ids": [s.id for s in smes]}, "mentors": {"ids": [mentor.id]}})
        assert response.status_code == 201, response.get_json()
        assert len(response.get_json()["result"]["pairs"]) == 2
        drafts.append(response.get_json()["id"])
    answers = run_at_once(app, [lambda c, p=pid: c.post(f"{URL}/{p}/confirm", headers=staff)
                                for pid in drafts])
    assert [a.status_code for a in answers] == [200, 200]
    confirmations = [a.get_json()["result"]["confirmation"] for a in answers]
    created = [c for conf in confirmations for c in conf["created"]]
    failed = [f for conf in confirmations for f in conf["failed"]]
    assert len(created) == 2 and len(failed) == 2
    assert {f["code"] for f in failed} == {"mentor_full"}
    db.session.expire_all()
    waiting = db.session.scalar(db.select(db.func.count(Introduction.id)).where(
        Introduction.target_id == mentor.id, Introduction.state == "requested"))
    assert waiting == 2
