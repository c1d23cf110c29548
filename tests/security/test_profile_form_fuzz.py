"""Hypothesis over the profile editor (POST /profile, creating and editing): hostile text
(injection strings, control characters, very long and non-BMP text), arbitrary choices in
selects and checklists, numbers out of range.

Whatever is sent: never a 5xx; either a redirect (saved), or 422 with the error shown next to
one of the fields that were changed (or a place field they affect) and nothing written; a saved
profile shows its text escaped on its page. ``HYPOTHESIS_MAX`` sets the number of examples
(small by default so that CI stays fast); the run is derandomized (a fixed seed).
"""

from __future__ import annotations

import itertools
import os
import re

import hypothesis
import pytest
from hypothesis import strategies as st
from markupsafe import escape

from models import Profile, User, db
from tests.factories import csrf_token, login
from tests.security.access_world import snapshot
from tests.ui.helpers import form_data
from tests.ui.test_profiles import make_profile

MAX_EXAMPLES = int(os.environ.get("HYPOTHESIS_MAX", "30"))
EMAILS = (f"fuzz{n}@example.test" for n in itertools.count())
LOCATION_FIELDS = {"country", "subdivision", "city"}

INJECTIONS = [
    "<script>alert(1)</script>", "'; DROP TABLE profiles; --", "\" onmouseover=\"alert(1)",
    "</textarea><script>alert(2)</script>", "<img src=x onerror=alert(3)>", "{{ 7*7 }}",
    "%(name)s", "1' OR '1'='1", "\\x00", "\x00", "\x1b[31m", "\u202e", "🇲🇽🚚", "𝔓𝔲𝔢𝔫𝔱𝔢",
    "a\r\nb", "\t", " ", "NULL", "None", "-1", "1e309", "0x10",
]
hostile_text = st.one_of(
    st.sampled_from(INJECTIONS),
    st.text(max_size=60),  # any code point but surrogates: control characters, non-BMP …
    st.builds(lambda piece, n: piece * n, st.sampled_from(["x", "é", "<b>", "😀"]),
              st.integers(150, 6000)),
)
numbers = st.one_of(st.integers(-10**12, 10**12).map(str), st.floats().map(str), hostile_text)


def choice_of(*valid: str) -> st.SearchStrategy:
    return st.one_of(st.sampled_from(valid), hostile_text)


def many_of(*valid: str) -> st.SearchStrategy:
    return st.lists(choice_of(*valid), max_size=14)


TEXT = ["name", "description", "city", "contact_email", "contact_phone"]
COMMON = {
    **dict.fromkeys(TEXT, hostile_text),
    "country": choice_of("US", "MX", "CA", ""),
    "subdivision": choice_of("US-TX", "MX-CHH", "CA-QC", "MX-NLE", ""),
    "sectors": st.one_of(hostile_text, many_of("3363", "336390", "424480", "11", "999999")),
    "languages": many_of("en", "es", "fr", "nah", "zz"),
    "markets": many_of("US", "MX", "CA", "DE", "XX"),
    "active": st.sampled_from(["y", "", "no", "\x00"]),
}
BY_KIND = {
    "sme": {"needs": many_of("certification", "rules_of_origin", "financing", "nope"),
            "needs_text": hostile_text, "products_text": hostile_text,
            "employees": choice_of("1-9", "10-49", "250-499", ""),
            "export_stage": choice_of("none", "regular", ""),
            "certifications": hostile_text,
            "ownership": many_of("women", "indigenous", "veteran", "men")},
    "mentor": {"bio": hostile_text, "capacity": numbers,
               "expertise": many_of("certification", "logistics", "nope"),
               "mode": choice_of("virtual", "in_person", "both"),
               "paused": st.sampled_from(["y", ""])},
    "buyer": {"products_text": hostile_text, "volume": choice_of("small", "large", ""),
              "sourcing_countries": many_of("MX", "CA", "CN", "??"),
              "required_certifications": hostile_text},
}
# A submission: a kind, creating or editing, and some fields changed (None: left out).
submissions = st.sampled_from(sorted(BY_KIND)).flatmap(lambda kind: st.tuples(
    st.just(kind), st.booleans(),
    st.fixed_dictionaries({}, optional={
        name: st.one_of(st.none(), strategy)
        for name, strategy in {**COMMON, **BY_KIND[kind]}.items()})))


def field_errors(html: str) -> set[str]:
    """Return the names of the fields showing an error next to them."""
    return set(re.findall(r'<p class="error" id="([\w-]+?)-error">', html))


def own_profile(email: str) -> Profile | None:
    db.session.expire_all()
    return db.session.scalar(db.select(Profile).join(Profile.user).where(User.email == email))


@hypothesis.settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
                     suppress_health_check=list(hypothesis.HealthCheck))
@hypothesis.given(submission=submissions)
@hypothesis.example(submission=("sme", True, {"name": "<script>alert(1)</script>",
                                             "description": "</textarea><script>x</script>"}))
@hypothesis.example(submission=("mentor", True, {"bio": "nul \x00 byte", "city": "\x00"}))
@hypothesis.example(submission=("sme", False, {"description": "nul \x00 byte"}))
@hypothesis.example(submission=("buyer", False, {"name": "Ünïcode 🇲🇽 <b>bold</b> & co",
                                                 "products_text": "' OR 1=1; --"}))
def test_profile_form_never_fails_and_saves_only_valid_input(app, make_user, submission):
    kind, editing, changes = submission
    email = next(EMAILS)
    user = make_user(kind, email=email)
    if editing:
        make_profile(user, kind)
    client = app.test_client()
    login(client, email)
    data = form_data(kind, csrf_token(client, "/profile"))
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    before = snapshot()
    response = client.post("/profile", data=data)
    html = response.get_data(as_text=True)

    assert response.status_code in (302, 422), html[:2000]
    hypothesis.event("saved" if response.status_code == 302 else "refused")
    if response.status_code == 422:
        shown = field_errors(html)
        assert shown, "refused without an error next to a field"
        assert shown <= set(changes) | LOCATION_FIELDS, (shown, changes)
        assert snapshot() == before, "a refused submission changed the database"
        return
    profile = own_profile(email)
    assert profile is not None
    if changes.get("name") is not None:
        assert profile.name == changes["name"].strip()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script" not in page
    assert str(escape(profile.name)) in page
    for name in ("description", "needs_text", "products_text", "bio"):
        value = getattr(profile, name, None)
        if value:
            assert str(escape(value)) in page, name


def test_a_mentor_form_without_the_capacity_field_keeps_the_capacity(app, make_user):
    """Found by the fuzz: a form posted without ``capacity`` (a field left out) was a 500."""
    email = next(EMAILS)
    make_profile(make_user("mentor", email=email), "mentor", capacity=4)
    client = app.test_client()
    login(client, email)
    data = form_data("mentor", csrf_token(client, "/profile"), name="Rosa D.")
    data.pop("capacity")
    response = client.post("/profile", data=data)
    assert response.status_code == 302
    assert own_profile(email).name == "Rosa D." and own_profile(email).capacity == 4


@pytest.mark.parametrize("field", ["description", "name", "city", "certifications"])
def test_a_nul_character_is_refused_by_the_field_in_the_form_and_the_api(app, make_user,
                                                                         token_for, field):
    """Found by the fuzz on PostgreSQL (which cannot store NUL): the save was a 500."""
    from tests.factories import payload

    email = next(EMAILS)
    user = make_user("sme", email=email)
    client = app.test_client()
    login(client, email)
    value = "ISO\x009001" if field == "certifications" else "Tex\x00as"
    headers = token_for(user)
    before = snapshot()
    response = client.post("/profile", data={**form_data("sme", csrf_token(client, "/profile")),
                                             field: value})
    assert response.status_code == 422
    assert field in field_errors(response.get_data(as_text=True))
    body = payload("sme", **{field: [value] if field == "certifications" else value})
    answer = client.post("/api/v1/smes", json=body, headers=headers)
    assert answer.status_code == 422  # the field, or the list item: certifications.0
    assert {name.split(".")[0] for name in answer.get_json()["error"]["fields"]} == {field}
    assert snapshot() == before



NUL_IN_INTRODUCTIONS = {  # action: (who, the text field, the rest of a valid body)
    "request": ("other_owner", "message", {"target_id": "<mentor>"}),
    "decline": ("mentor", "reason_text", {"reason_code": "other"}),
    "feedback": ("sme", "comment", {"rating": 3}),
    "review": ("coordinator", "comment", {"rating": 3}),
}


@pytest.mark.parametrize("action", NUL_IN_INTRODUCTIONS)
def test_a_nul_character_in_introduction_text_is_refused_by_the_field(app, action):
    """The profile fuzz's finding, checked where introductions take text: a 500 on PostgreSQL."""
    from tests.security.access_world import build_world

    role, field, body = NUL_IN_INTRODUCTIONS[action]
    world = build_world("requested" if action == "decline" else "accepted")
    url = "/api/v1/introductions" if action == "request" else world.url(
        f"/api/v1/introductions/<intro>/{action}")
    body = {k: int(world.url(v)) if isinstance(v, str) and v.startswith("<") else v
            for k, v in body.items()}
    before = snapshot()
    response = app.test_client().post(url, headers=world.headers[role],
                                      json={**body, field: "a\x00b"})
    assert response.status_code == 422, response.get_json()
    assert list(response.get_json()["error"]["fields"]) == [field]
    assert snapshot() == before


def test_a_nul_character_in_the_request_message_is_shown_by_the_message(app):
    from tests.security.access_world import build_world, sign_in

    world = build_world()
    client = app.test_client()
    sign_in(client, world, "other_owner")
    before = snapshot()
    response = client.post("/matches", data={"csrf_token": csrf_token(client, "/matches"),
                                             "target_id": world.ids["mentor"],
                                             "message": "Hola\x00"})
    assert response.status_code == 422
    assert f'id="message-{world.ids["mentor"]}-error">This value is not valid.' in \
        response.get_data(as_text=True)
    after = snapshot()
    assert after.pop("match_impressions") and before.pop("match_impressions") == []
    assert after == before  # no introduction: only the page's rankings were logged


def test_a_nul_character_in_a_profile_search_is_refused_by_the_api_and_the_page(
        app, make_user, token_for):
    """A 500 on PostgreSQL (the search pattern is a query parameter) before."""
    email = next(EMAILS)
    user = make_user("coordinator", email=email)
    response = app.test_client().get("/api/v1/smes?q=Auto%00", headers=token_for(user))
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["q"]
    client = app.test_client()
    login(client, email)
    page = client.get("/profiles?kind=sme&q=Auto%00")  # said next to the field, no 500
    assert page.status_code == 422 and 'id="q-error"' in page.get_data(as_text=True)


@pytest.mark.parametrize(("action", "role", "field", "data"), [
    ("decline", "mentor", "reason_text", {"reason_code": "other"}),
    ("feedback", "sme", "comment", {"rating": "4"})])
def test_a_nul_character_in_the_inbox_forms_is_shown_by_the_field(app, action, role, field,
                                                                  data):
    from tests.security.access_world import build_world, sign_in

    # The page offers feedback once the introduction is completed.
    world = build_world("requested" if action == "decline" else "completed")
    client = app.test_client()
    sign_in(client, world, role)
    before = snapshot()
    response = client.post(world.url(f"/introductions/<intro>/{action}"), data={
        **data, field: "no\x00", "csrf_token": csrf_token(client, "/introductions")})
    assert response.status_code == 422
    assert f'id="{field}-{world.ids["intro"]}-error">This value is not valid.' in \
        response.get_data(as_text=True)
    assert snapshot() == before
