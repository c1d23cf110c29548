"""Abuse limits answer 429 with Retry-After and the error envelope."""

import pytest

from models import AuditEntry, Introduction, OutboxMessage, User, db
from tests.conftest import PASSWORD, FreshContextClient
from tests.factories import app_config, csrf_token, login, row_counts
from tests.intro_factories import make_party
from tests.ui.helpers import field_errors
from webapp import create_app, ratelimits
from webapp.config import ConfigError


@pytest.fixture
def limited_client(app, database_url):
    """A client of an app with the limits on (the ``app`` fixture empties the tables after)."""
    app = create_app({**app_config(database_url), "RATELIMIT_ENABLED": True,
                      "PUENTE_TOKEN_LIMIT": "3 per minute", "PUENTE_LOGIN_LIMIT": "2 per minute",
                      "PUENTE_INTRODUCTION_LIMIT": "2 per hour",
                      "PUENTE_SIGNUP_LIMIT": "2 per minute",
                      "PUENTE_RESET_LIMIT": "2 per minute"})
    app.test_client_class = FreshContextClient
    with app.app_context():
        app.extensions["puente.limiter"].reset()
        yield app.test_client()
        db.session.remove()
        db.engine.dispose()


def test_token_requests_are_sign_ins_and_limited(limited_client):
    body = {"email": "nobody@example.test", "password": "wrong password"}
    statuses = [limited_client.post("/api/v1/auth/tokens", json=body).status_code
                for _ in range(3)]
    assert statuses == [401, 401, 429]
    response = limited_client.post("/api/v1/auth/tokens", json=body)
    assert int(response.headers["Retry-After"]) > 0
    assert response.get_json()["error"]["code"] == "too_many_requests"


def test_token_creation_on_the_account_page_is_limited(limited_client, make_user):
    user = make_user("sme")
    login(limited_client, user.email)
    statuses = [limited_client.post("/account/tokens", data={
        "name": f"t{i}", "csrf_token": csrf_token(limited_client, "/account")}).status_code
        for i in range(4)]
    assert statuses == [201, 201, 201, 429]


# -- issue 15 #5: limits count what they say, whichever door, address or process --------------

def other_address(n: int) -> dict:
    return {"environ_base": {"REMOTE_ADDR": f"203.0.113.{n}"}}


def test_the_login_page_and_the_token_api_share_one_budget(limited_client, make_user):
    user = make_user("sme")
    wrong = {"email": user.email, "password": "wrong horse battery"}
    assert login(limited_client, user.email, wrong["password"]).status_code == 422
    assert limited_client.post("/api/v1/auth/tokens", json=wrong).status_code == 401
    assert limited_client.post("/api/v1/auth/tokens", json={
        "email": user.email, "password": PASSWORD}).status_code == 429
    assert login(limited_client, user.email).status_code == 429


def test_sign_in_is_limited_per_account_whatever_the_address(limited_client, make_user):
    user = make_user("sme")
    body = {"email": user.email.upper(), "password": "wrong horse battery"}
    statuses = [limited_client.post("/api/v1/auth/tokens", json=body,
                                    **other_address(i)).status_code for i in range(3)]
    assert statuses == [401, 401, 429]
    other = make_user("sme")  # another account, from yet another address: its own budget
    assert limited_client.post("/api/v1/auth/tokens", json={
        "email": other.email, "password": PASSWORD}, **other_address(9)).status_code == 201


def test_a_signed_in_caller_cannot_spend_another_accounts_sign_in_budget_elsewhere(
        limited_client, as_role, make_user):
    _, headers = as_role("sme")
    target = make_user("sme")
    guess = {"email": target.email, "password": "wrong horse battery"}
    statuses = [limited_client.post("/api/v1/auth/tokens", json=guess, headers=headers,
                                    **other_address(i)).status_code for i in range(2)]
    assert statuses == [401, 401]
    # counted on the account named, not on the caller's: the named one's budget is spent
    assert limited_client.post("/api/v1/auth/tokens", json=guess,
                               **other_address(5)).status_code == 429


def test_sign_in_is_limited_per_address_whatever_the_account(limited_client, make_user):
    users = [make_user("sme") for _ in range(3)]
    statuses = [limited_client.post("/api/v1/auth/tokens", json={
        "email": u.email, "password": "wrong horse battery"}).status_code for u in users]
    assert statuses == [401, 401, 429]


def test_deleting_the_account_is_limited_like_sign_in(limited_client, as_role):
    user, headers = as_role("sme")
    wrong = {"password": "wrong horse battery"}
    statuses = [limited_client.delete("/api/v1/me", json=wrong, headers=headers,
                                      **other_address(i)).status_code for i in range(3)]
    assert statuses == [422, 422, 429]
    assert limited_client.delete("/api/v1/me", json={"password": PASSWORD}, headers=headers,
                                 **other_address(7)).status_code == 429
    db.session.expire_all()
    assert db.session.get(User, user.id) is not None


def test_sign_up_is_limited(limited_client):
    def sign_up(i):
        return limited_client.post("/signup", data={
            "role": "sme", "email": f"new{i}@example.test", "password": "tamales de elote 1987",
            "locale": "en", "csrf_token": csrf_token(limited_client, "/signup")})

    statuses = []
    for i in range(3):
        statuses.append(sign_up(i).status_code)
        limited_client.post("/logout", data={"csrf_token": csrf_token(limited_client, "/")})
    assert statuses == [302, 302, 429]


@pytest.fixture
def behind_a_proxy(app, database_url):
    app = create_app({**app_config(database_url), "RATELIMIT_ENABLED": True,
                      "PUENTE_LOGIN_LIMIT": "2 per minute", "PUENTE_PROXY_COUNT": 1})
    with app.app_context():
        app.extensions["puente.limiter"].reset()
        yield app.test_client()
        db.session.remove()
        db.engine.dispose()


def test_behind_a_proxy_each_client_has_its_own_budget(behind_a_proxy, make_user):
    users = [make_user("sme") for _ in range(4)]

    def attempt(user, client_address):
        return behind_a_proxy.post("/api/v1/auth/tokens", json={
            "email": user.email, "password": "wrong horse battery"},
            headers={"X-Forwarded-For": client_address}).status_code

    assert [attempt(users[0], "198.51.100.1"), attempt(users[1], "198.51.100.1"),
            attempt(users[2], "198.51.100.1")] == [401, 401, 429]
    assert attempt(users[3], "198.51.100.2") == 401  # another client behind the same proxy


def test_without_a_proxy_a_forged_forwarded_header_changes_nothing(limited_client, make_user):
    users = [make_user("sme") for _ in range(3)]
    statuses = [limited_client.post("/api/v1/auth/tokens", json={
        "email": u.email, "password": "wrong horse battery"},
        headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code
        for i, u in enumerate(users)]
    assert statuses == [401, 401, 429]


def test_counters_are_shared_by_every_app_on_the_host(limited_client, database_url, make_user):
    """Two apps (as two worker processes would) on the default store count together."""
    user = make_user("sme")
    second_app = create_app({**app_config(database_url), "RATELIMIT_ENABLED": True,
                             "PUENTE_LOGIN_LIMIT": "2 per minute"})
    second = second_app.test_client()
    body = {"email": user.email, "password": "wrong horse battery"}
    assert limited_client.post("/api/v1/auth/tokens", json=body).status_code == 401
    assert second.post("/api/v1/auth/tokens", json=body).status_code == 401
    assert limited_client.post("/api/v1/auth/tokens", json=body).status_code == 429
    assert second.post("/api/v1/auth/tokens", json=body).status_code == 429
    with second_app.app_context():
        db.engine.dispose()


def test_login_form_is_limited_but_showing_it_is_not(limited_client):
    for _ in range(2):
        limited_client.post("/login", data={"email": "a@example.test", "password": "x" * 9,
                                            "csrf_token": csrf_token(limited_client)})
    refused = limited_client.post("/login", data={"email": "a@example.test", "password": "x" * 9,
                                                  "csrf_token": csrf_token(limited_client)})
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert limited_client.get("/login").status_code == 200


def test_redis_storage_when_configured(database_url, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "SECRET_KEY": "x"})
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_without_redis_counters_live_in_a_file_every_worker_shares(database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "SECRET_KEY": "x"})
    assert app.config["RATELIMIT_STORAGE_URI"] == (
        "puente-sqlite://" + app.instance_path + "/ratelimits.sqlite3")


def test_refused_sign_ins_are_audited_once_a_minute(limited_client, make_user):
    user = make_user("sme")
    statuses = [login(limited_client, user.email, "wrong horse battery").status_code
                for _ in range(4)]
    assert statuses == [422, 422, 429, 429]
    db.session.expire_all()
    failed = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action == "auth.login_failed").order_by(AuditEntry.id)).all()
    assert [(e.object_id, e.details["reason"]) for e in failed] == [
        (user.id, "bad_password"), (user.id, "bad_password"), (user.id, "rate_limited")]


def test_refused_token_requests_are_audited_as_failed_logins(limited_client):
    for _ in range(5):
        limited_client.post("/api/v1/auth/tokens", json=["not", "an", "object"])
    db.session.expire_all()
    assert db.session.scalars(db.select(AuditEntry.details).where(
        AuditEntry.action == "auth.login_failed")).all() == [
        {"reason": "rate_limited", "via": "api"}]


def test_password_change_is_limited_like_sign_in(limited_client, make_user, token_for):
    user = make_user("sme")
    headers = token_for(user)
    body = {"current_password": "wrong horse battery", "new_password": "tamales de elote 1987"}
    statuses = [limited_client.post("/api/v1/me/password", json=body, headers=headers)
                .status_code for _ in range(3)]
    assert statuses == [422, 422, 429]
    body["current_password"] = PASSWORD
    refused = limited_client.post("/api/v1/me/password", json=body, headers=headers)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    db.session.expire_all()
    assert db.session.get(User, user.id).session_epoch == 0  # the right password came too late


@pytest.mark.parametrize("path, form", [
    ("/account/password", {"current_password": "wrong horse battery",
                           "new_password": "tamales de elote 1987",
                           "new_password_again": "tamales de elote 1987"}),
    ("/account/delete", {"delete_password": "wrong horse battery", "delete_confirm": "y"}),
])
def test_password_checking_pages_are_limited(limited_client, make_user, path, form):
    user = make_user("sme")
    limited_client.post("/login", data={"email": user.email, "password": PASSWORD,
                                        "csrf_token": csrf_token(limited_client)})
    statuses = [limited_client.post(path, data={
        **form, "csrf_token": csrf_token(limited_client, "/account")}).status_code
        for _ in range(3)]
    assert statuses == [422, 429, 429]  # the sign-in spent one of the two checks already
    assert limited_client.get("/account").status_code == 200


def test_the_page_and_the_api_share_one_introduction_budget(limited_client, as_role):
    api = limited_client.application.test_client()  # no cookie: the token alone
    sme = make_party(api, as_role, "sme", locale="es")
    mentors = [make_party(api, as_role, "mentor", name=f"Mentor {i}", markets=["MX", extra])
               for i, extra in enumerate(("GT", "DE", "FR", "JP"))]  # not copies: all listed

    def by_api(mentor):
        return api.post("/api/v1/introductions", json={"target_id": mentor.id},
                        headers=sme.headers)

    def by_page(mentor):
        return limited_client.post("/matches", data={
            "target_id": str(mentor.id), "message": "Hola",
            "csrf_token": csrf_token(limited_client, "/matches")})

    assert by_api(mentors[0]).status_code == 201
    login(limited_client, db.session.get(User, sme.user_id).email)
    assert by_page(mentors[1]).status_code == 302
    refused = by_page(mentors[2])
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Ha solicitado muchas presentaciones en poco tiempo" in refused.get_data(as_text=True)
    refused = by_api(mentors[3])
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.get_json()["error"]["code"] == "introduction_request_budget"
    assert row_counts()["introductions"] == 2
    other = make_party(api, as_role, "sme")  # the budget is the account's, not the address's
    assert api.post("/api/v1/introductions", json={"target_id": mentors[3].id},
                    headers=other.headers).status_code == 201


def test_refused_requests_spend_no_introduction_budget(limited_client, as_role):
    """Requests for no one (422) or for a pair already open (409) used to spend the hour's
    budget: only requests that pass every check count (the limit is 2 an hour here)."""
    api = limited_client.application.test_client()
    sme = make_party(api, as_role, "sme")
    mentors = [make_party(api, as_role, "mentor", name=f"Mentor {i}", markets=["MX", extra])
               for i, extra in enumerate(("GT", "DE", "FR"))]
    for _ in range(5):
        refused = api.post("/api/v1/introductions", json={"target_id": 999_999},
                           headers=sme.headers)
        assert refused.status_code == 422
    assert api.post("/api/v1/introductions", json={"target_id": mentors[0].id},
                    headers=sme.headers).status_code == 201
    again = api.post("/api/v1/introductions", json={"target_id": mentors[0].id},
                     headers=sme.headers)
    assert again.status_code == 409  # an open introduction already: refused, not counted
    assert api.post("/api/v1/introductions", json={"target_id": mentors[1].id},
                    headers=sme.headers).status_code == 201
    spent = api.post("/api/v1/introductions", json={"target_id": mentors[2].id},
                     headers=sme.headers)
    assert spent.status_code == 429  # the third that would be written
    assert row_counts()["introductions"] == 2


def test_confirming_a_cohort_spends_no_introduction_budget(limited_client, as_role):
    from webapp.services import introductions

    api = limited_client.application.test_client()
    sme = make_party(api, as_role, "sme")
    mentors = [make_party(api, as_role, "mentor", name=f"Mentor {i}") for i in range(3)]
    user = db.session.get(User, sme.user_id)
    for mentor in mentors:  # what confirm_proposal does for each pair
        introductions.create_introduction(user, {"target_id": mentor.id})
    assert db.session.scalar(db.select(db.func.count(Introduction.id))) == 3


def test_a_limit_on_an_endpoint_that_does_not_exist_stops_the_app(database_url, monkeypatch):
    monkeypatch.setitem(ratelimits.ADDRESS_LIMITS, "ui.no_such_page", "PUENTE_LOGIN_LIMIT")
    with pytest.raises(RuntimeError, match="ui.no_such_page"):
        create_app(app_config(database_url))


def test_a_limit_that_does_not_parse_stops_the_app(database_url):
    """Refused as every setting is (``ConfigError``: one line from the ``flask`` commands,
    naming the setting, its value and what it takes)."""
    with pytest.raises(ConfigError, match="PUENTE_INTRODUCTION_LIMIT=often cannot be used"):
        create_app({**app_config(database_url), "PUENTE_INTRODUCTION_LIMIT": "often"})


def test_password_reset_is_limited_per_address_on_the_page_and_the_api(limited_client,
                                                                        make_user):
    make_user("sme", email="ivy@example.test")
    token = csrf_token(limited_client, "/password/forgot")
    pages = [limited_client.post("/password/forgot", data={
        "email": "ivy@example.test", "csrf_token": token}).status_code for _ in range(3)]
    api = [limited_client.post("/api/v1/auth/password-reset", json={
        "email": "nobody@example.test"}).status_code for _ in range(3)]
    confirm = [limited_client.post("/api/v1/auth/password-reset/confirm", json={
        "token": "forged", "new_password": "a brand new passphrase"}).status_code
        for _ in range(3)]
    assert (pages, api, confirm) == ([302, 302, 429], [202, 202, 429], [422, 422, 429])
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 2


def test_resending_the_verification_link_is_limited(app, database_url, make_user):
    from models import User

    limited = create_app({**app_config(database_url), "RATELIMIT_ENABLED": True,
                          "PUENTE_VERIFY_LIMIT": "2 per minute"})
    limited.test_client_class = FreshContextClient
    with limited.app_context():
        limited.extensions["puente.limiter"].reset()
        user = make_user("sme", email="unverified@example.test")
        db.session.get(User, user.id).email_verified_at = None
        db.session.commit()
        client = limited.test_client()
        login(client, "unverified@example.test")
        token = csrf_token(client, "/account")
        statuses = [client.post("/account/verification", data={"csrf_token": token}).status_code
                    for _ in range(3)]
        assert statuses == [302, 302, 429]
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage).where(
            OutboxMessage.template == "verify_email")) == 2
        # the account page again, the refusal said on it (it was a bare error page)
        html = client.post("/account/verification", data={"csrf_token": token}).get_data(
            as_text=True)
        assert "Too many requests; try again later." in html and "API tokens" in html
        db.session.remove()
        limited.extensions["puente.limiter"].reset()
        db.engine.dispose()


def test_budgets_are_counted_under_the_apps_own_prefix(database_url, tmp_path):
    """Two deployments sharing one store keep their counters apart by their prefixes
    (``PUENTE_RATELIMIT_PREFIX``), the use-case budgets as well as the routes' limits."""
    from webapp.errors import TooManyRequests
    from webapp.services.budgets import spend

    store = f"{ratelimits.ratelimit_store.SCHEME}://{tmp_path / 'shared.sqlite3'}"

    def app_with(prefix):
        return create_app({**app_config(database_url), "RATELIMIT_ENABLED": True,
                           "PUENTE_RATELIMIT_STORAGE": store, "PUENTE_RATELIMIT_PREFIX": prefix,
                           "PUENTE_MEETING_LIMIT": "1 per hour"})

    one, other = app_with("puente-one"), app_with("puente-other")
    with one.app_context():
        spend("meeting_proposal", 7)
        with pytest.raises(TooManyRequests):
            spend("meeting_proposal", 7)
    with other.app_context():
        spend("meeting_proposal", 7)  # another deployment's account 7: its own budget
    for app in (one, other):
        with app.app_context():
            db.engine.dispose()


def test_the_conversation_page_answers_a_spent_budget_with_429_and_retry_after(
        app, database_url, as_role):
    from tests.intro_factories import act, request_intro

    limited = create_app({**app_config(database_url), "RATELIMIT_ENABLED": True,
                          "PUENTE_MESSAGE_LIMIT": "1 per hour"})
    limited.test_client_class = FreshContextClient
    with limited.app_context():
        limited.extensions["puente.limiter"].reset()
        client = limited.test_client()
        sme, mentor = make_party(client, as_role, "sme"), make_party(client, as_role, "mentor")
        intro = request_intro(client, sme, mentor)["id"]
        assert act(client, mentor, intro, "accept").status_code == 200
        login(client, db.session.get(User, sme.user_id).email)
        url = f"/introductions/{intro}/conversation"

        def send(body: str):
            return client.post(url + "/messages",
                               data={"body": body, "csrf_token": csrf_token(client, url)})

        assert send("Primer mensaje").status_code == 302
        refused = send("Segundo mensaje")
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
        assert "Segundo mensaje" in refused.get_data(as_text=True)  # what was typed, kept
        assert row_counts()["introduction_messages"] == 1
        db.session.remove()
        db.engine.dispose()


def test_the_login_page_over_its_limit_shows_the_form_with_the_refusal(limited_client):
    # It was a bare "Too many requests" error page: no form, the address typed lost.
    def attempt():
        return limited_client.post("/login?lang=es", data={
            "email": "ana@example.test", "password": "x" * 9,
            "csrf_token": csrf_token(limited_client)})

    assert [attempt().status_code for _ in range(2)] == [422, 422]
    refused = attempt()
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert 'name="email"' in html and 'value="ana@example.test"' in html
    assert field_errors(html, "password") == ["Demasiadas solicitudes; inténtelo más tarde."]
    assert 'value="xxxxxxxxx"' not in html  # the password is never sent back


@pytest.mark.parametrize("path, form, field", [
    ("/signup", {"role": "sme", "password": "tamales de elote 1987", "locale": "fr"}, "email"),
    ("/password/forgot", {}, "email"),
])
def test_other_public_forms_over_their_limit_show_the_form_with_the_refusal(
        limited_client, path, form, field):
    def attempt(i):
        return limited_client.post(path + "?lang=fr", data={
            **form, "email": f"new{i}@example.test", "csrf_token": csrf_token(limited_client,
                                                                                path)})

    assert [attempt(i).status_code for i in range(2)] == [302, 302]
    refused = attempt(2)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert 'value="new2@example.test"' in html
    assert field_errors(html, field) == ["Trop de requêtes ; réessayez plus tard."]


@pytest.mark.parametrize("path, form, field", [
    ("/account/password", {"current_password": "wrong horse battery",
                           "new_password": "tamales de elote 1987",
                           "new_password_again": "tamales de elote 1987"}, "current_password"),
    ("/account/delete", {"delete_password": "wrong horse battery", "delete_confirm": "y"},
     "delete_password"),
])
def test_account_forms_over_their_limit_show_the_page_with_the_refusal(
        limited_client, make_user, path, form, field):
    user = make_user("sme")
    login(limited_client, user.email, PASSWORD)
    limited_client.post(path, data={**form, "csrf_token": csrf_token(limited_client, "/account")})
    refused = limited_client.post(path + "?lang=en", data={
        **form, "csrf_token": csrf_token(limited_client, "/account")})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert field_errors(html, field) == ["Too many requests; try again later."]
    assert "API tokens" in html  # the account page, not a bare error page


def test_the_reset_page_over_its_limit_shows_the_form_with_the_refusal(limited_client):
    def attempt():
        return limited_client.post("/password/reset/forged", data={
            "new_password": "a brand new passphrase",
            "new_password_again": "a brand new passphrase",
            "csrf_token": csrf_token(limited_client, "/password/reset/forged")})

    assert [attempt().status_code for _ in range(2)] == [400, 400]
    refused = attempt()
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert field_errors(html, "new_password") == ["Too many requests; try again later."]
    assert "a brand new passphrase" not in html


def test_the_token_form_over_its_limit_shows_the_account_page_with_the_refusal(
        limited_client, make_user):
    user = make_user("sme")
    login(limited_client, user.email, PASSWORD)
    for _ in range(3):
        limited_client.post("/account/tokens", data={
            "name": "ci", "csrf_token": csrf_token(limited_client, "/account")})
    refused = limited_client.post("/account/tokens?lang=es", data={
        "name": "mi script", "csrf_token": csrf_token(limited_client, "/account")})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert field_errors(html, "name") == ["Demasiadas solicitudes; inténtelo más tarde."]
    assert 'value="mi script"' in html
