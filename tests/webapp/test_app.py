"""The app as a whole: OpenAPI, docs page, error pages, login page, CLI."""

from __future__ import annotations

from models import User, db
from tests.factories import csrf_token, login, row_counts


def test_openapi_document_lists_every_resource(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for path in ("/api/v1/smes", "/api/v1/mentors/{profile_id}", "/api/v1/buyers",
                 "/api/v1/auth/tokens", "/api/v1/taxonomy/naics"):
        assert path in spec["paths"], path
    assert "bearerAuth" in spec["components"]["securitySchemes"]
    post = spec["paths"]["/api/v1/smes"]["post"]
    assert {"201", "401", "403", "422"} <= set(post["responses"])


def test_docs_page_uses_local_assets(client):
    html = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/swagger-ui/swagger-ui-bundle.js" in html
    asset = client.get("/api/v1/swagger-ui/swagger-ui-bundle.js")
    assert asset.status_code == 200
    asset.close()


def test_unknown_api_route_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_method_not_allowed_keeps_allow_header(client):
    response = client.put("/api/v1/smes")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_unknown_page_is_html_404(client):
    response = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_home_and_login_pages(client):
    assert b"Puente" in client.get("/").data
    page = client.get("/login")
    assert page.status_code == 200 and b'name="csrf_token"' in page.data


def test_login_with_wrong_password_shows_error_next_to_field(client, make_user):
    user = make_user("sme")
    response = login(client, user.email, "wrong password!")
    assert response.status_code == 422
    assert b'id="password-error"' in response.data
    assert client.get("/api/v1/me").status_code == 401


def test_login_without_csrf_token_is_refused(client, make_user):
    user = make_user("sme")
    response = client.post("/login", data={"email": user.email,
                                            "password": "correct horse battery"})
    assert response.status_code in (400, 422)
    assert client.get("/api/v1/me").status_code == 401


def test_login_then_logout(client, make_user):
    user = make_user("coordinator")
    assert login(client, user.email).status_code == 302
    assert client.get("/api/v1/me").get_json()["role"] == "coordinator"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert client.get("/api/v1/me").status_code == 401


def test_login_does_not_redirect_off_site(client, make_user):
    user = make_user("sme")
    response = client.post("/login?next=https://evil.example/", data={
        "email": user.email, "password": "correct horse battery",
        "csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/"


def test_create_user_command(runner):
    result = runner.invoke(args=["create-user", "Ana@Example.test", "--role", "coordinator",
                                 "--password", "long enough pw"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.email == "ana@example.test"))
    assert user.role == "coordinator"


def test_create_user_command_rejects_bad_role_and_short_password(runner):
    assert runner.invoke(args=["create-user", "a@example.test", "--role", "king",
                               "--password", "long enough pw"]).exit_code != 0
    result = runner.invoke(args=["create-user", "a@example.test", "--role", "sme",
                                 "--password", "short"])
    assert result.exit_code != 0 and "8 characters" in result.output
    assert db.session.scalar(db.select(User)) is None


def test_seed_demo_loads_profiles_and_logins(runner, client):
    result = runner.invoke(args=["seed-demo", "--smes", "30", "--mentors", "10",
                                 "--buyers", "8", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert row_counts()["profiles"] == 48
    assert "sme@demo.puente.test" in result.output
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "no demo data loaded" in again.output
    assert row_counts()["profiles"] == 48
    response = client.post("/api/v1/auth/tokens", json={
        "email": "sme@demo.puente.test", "password": "puente-demo-2026"})
    token = response.get_json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert me["profile_kind"] == "sme"
    filtered = client.get("/api/v1/smes?sector=31-33&per_page=100",
                          headers={"Authorization": f"Bearer {token}"}).get_json()
    assert filtered["total"] > 0


def test_seed_demo_simulates_a_program_for_the_metrics(runner, client):
    result = runner.invoke(args=["seed-demo", "--smes", "60", "--mentors", "20",
                                 "--buyers", "0", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert "Simulated a program:" in result.output
    token = client.post("/api/v1/auth/tokens", json={
        "email": "coordinator@demo.puente.test", "password": "puente-demo-2026"}).get_json()
    metrics = client.get("/api/v1/metrics", headers={
        "Authorization": f"Bearer {token['token']}"}).get_json()
    assert metrics["introductions"] > 0
    assert metrics["by_state"]["accepted"] > 0 and metrics["by_state"]["declined"] > 0
    assert metrics["by_state_over_time"]["bucket"] == "week"
    assert len(metrics["by_state_over_time"]["periods"]) >= 3  # spread over the weeks
    assert metrics["ranking_quality"]["reviews"]["rated"] > 0
    assert metrics["exposure"]["impressions"] > 0
    assert row_counts()["cohort_proposals"] == 2


def test_seed_demo_without_history_leaves_no_introductions(runner):
    result = runner.invoke(args=["seed-demo", "--smes", "20", "--mentors", "5",
                                 "--buyers", "0", "--no-history"])
    assert result.exit_code == 0, result.output
    assert row_counts()["introductions"] == 0 and row_counts()["cohort_proposals"] == 0


def test_migrations_match_the_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), db.metadata) == []


def test_seed_demo_simulates_outcome_ladders_for_the_impact_report(runner, client):
    result = runner.invoke(args=["seed-demo", "--smes", "60", "--mentors", "20",
                                 "--buyers", "20", "--seed", "7"])
    assert result.exit_code == 0, result.output
    token = client.post("/api/v1/auth/tokens", json={
        "email": "coordinator@demo.puente.test", "password": "puente-demo-2026"}).get_json()
    report = client.get("/api/v1/impact", headers={
        "Authorization": f"Bearer {token['token']}"}).get_json()
    funnel = report["funnel"]
    stages = ["accepted", "met", "samples_sent", "quote_sent", "order_placed"]
    assert funnel["met"] > 0 and funnel["order_placed"] > 0  # most stop early, a few order
    assert all(funnel[a] >= funnel[b] for a, b in zip(stages, stages[1:], strict=False))
    assert sum(y["mentoring_sessions"] for y in report["years"]) > 0
    assert sum(y["exporters"] for y in report["years"]) > 0
