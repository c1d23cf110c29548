"""Helpers for introduction tests: parties (a user and its profile) and requests."""

from __future__ import annotations

from dataclasses import dataclass

from models import AuditEntry, OutboxMessage, db
from tests.factories import COLLECTION, payload


@dataclass(frozen=True)
class Party:
    user_id: int
    headers: dict[str, str]
    id: int  # the profile's id
    kind: str


def make_party(client, as_role, kind: str, locale: str = "en", **changes) -> Party:
    """Create a user of the kind's role with its own profile."""
    user, headers = as_role(kind, locale=locale)
    response = client.post(f"/api/v1/{COLLECTION[kind]}", json=payload(kind, **changes),
                           headers=headers)
    assert response.status_code == 201, response.get_json()
    return Party(user.id, headers, response.get_json()["id"], kind)


def request_intro(client, requester: Party, target: Party, message: str = "Hola",
                  headers: dict | None = None) -> dict:
    """Request an introduction and return it (asserting 201)."""
    response = client.post("/api/v1/introductions", headers=headers or requester.headers,
                           json={"requester_id": requester.id, "target_id": target.id,
                                 "message": message})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def act(client, party: Party, intro_id: int, action: str, **body):
    """POST an action on an introduction as a party; return the response."""
    return client.post(f"/api/v1/introductions/{intro_id}/{action}", headers=party.headers,
                       json=body or None)


def outbox(user_id: int | None = None) -> list[OutboxMessage]:
    """Return the outbox messages (of one user), oldest first."""
    query = db.select(OutboxMessage).order_by(OutboxMessage.id)
    if user_id is not None:
        query = query.where(OutboxMessage.user_id == user_id)
    return list(db.session.scalars(query))


def audit_actions(intro_id: int) -> list[str]:
    """Return the audit log's actions on one introduction, in order."""
    return list(db.session.scalars(
        db.select(AuditEntry.action).where(AuditEntry.object_type == "introduction",
                                           AuditEntry.object_id == intro_id)
        .order_by(AuditEntry.id)))
