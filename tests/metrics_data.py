"""The hand-built program the metrics tests (API, page, exports) check figures against."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models import Introduction, Profile, db
from models.introductions import pair_key
from tests.factories import payload

T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
PLACES = {"MX": ("MX-CHH", "Ciudad Juárez", 31.69, -106.42),
          "CA": ("CA-ON", "Toronto", 43.65, -79.38), "US": ("US-TX", "El Paso", 31.76, -106.49)}
ROWS = [  # requester, target, state, score, hours to answer
    ("a", "m1", "accepted", 0.85, 2), ("b", "m1", "declined", 0.82, 4),
    ("c", "m1", "completed", 0.35, 10), ("a", "m2", "expired", 0.25, None),
    ("b", "m2", "requested", 0.5, None), ("c", "m2", "withdrawn", 0.9, None),
]


def make_profile(client, headers, kind, country, **changes) -> int:
    """Create a profile of the kind in the country through the API; return its id."""
    subdivision, city, lat, lon = PLACES[country]
    response = client.post(f"/api/v1/{kind}s", headers=headers, json=payload(
        kind, country=country, subdivision=subdivision, city=city, latitude=lat,
        longitude=lon, **changes))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def six_introductions(client, headers, **fields) -> tuple[dict[str, int], list[Introduction]]:
    """Add three SMEs (a, b in MX — a women-owned; c in CA, Indigenous- and women-owned), two
    mentors (m1 in the US, capacity 3; m2 in MX, capacity 2; both with a load of 2) and six
    SME→mentor introductions created at T0, one in each state (see ROWS); flush, not commit.
    Return the profile ids by name and the introductions in ROWS order."""
    ids = {"a": make_profile(client, headers, "sme", "MX", ownership=["women"]),
           "b": make_profile(client, headers, "sme", "MX", ownership=[]),
           "c": make_profile(client, headers, "sme", "CA", ownership=["indigenous", "women"]),
           "m1": make_profile(client, headers, "mentor", "US", capacity=3),
           "m2": make_profile(client, headers, "mentor", "MX", capacity=2)}
    db.session.get(Profile, ids["m1"]).active_count = 2
    db.session.get(Profile, ids["m2"]).active_count = 2
    intros = []
    for requester, target, state, score, hours in ROWS:
        intro = Introduction(
            kind="sme_mentor", state=state, requester_id=ids[requester], target_id=ids[target],
            pair_key=pair_key(ids[requester], ids[target]), created_at=T0, updated_at=T0,
            score=score, responded_at=T0 + timedelta(hours=hours) if hours is not None else None,
            **fields)
        db.session.add(intro)
        intros.append(intro)
    db.session.flush()
    return ids, intros
