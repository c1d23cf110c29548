"""Error pages in the reader's language; JSON errors stay JSON under /api/."""

from __future__ import annotations

import pytest

from models import db
from webapp import create_app


@pytest.mark.parametrize("lang, title", [
    ("en", "Page not found"), ("es", "Página no encontrada"), ("fr", "Page introuvable"),
])
def test_404_page_in_the_readers_language(client, lang, title):
    response = client.get("/no-such-page", headers={"Accept-Language": lang})
    assert response.status_code == 404 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert f"<h1>{title}</h1>" in html and "was not found on the server" not in html


def test_403_page_in_the_users_language(client, signed_in):
    signed_in("sme", locale="fr")
    response = client.get("/profiles")
    assert response.status_code == 403
    assert "Vous ne pouvez pas ouvrir cette page" in response.get_data(as_text=True)


def test_400_page_for_a_missing_csrf_token(client):
    response = client.post("/login", data={"email": "a@example.test", "password": "x" * 9},
                           headers={"Accept-Language": "es"})
    assert response.status_code == 400
    assert "No se pudo entender la solicitud" in response.get_data(as_text=True)


def test_500_page_in_the_readers_language(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test"})

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    try:
        response = app.test_client().get("/boom", headers={"Accept-Language": "es"})
    finally:
        with app.app_context():
            db.engine.dispose()  # close its connections (PostgreSQL warns otherwise)
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Algo salió mal de nuestro lado" in html and "RuntimeError" not in html


def test_api_errors_stay_json(client):
    response = client.get("/api/v1/smes/12345", headers={"Accept-Language": "es"})
    assert response.status_code == 401 and response.is_json
    assert client.get("/api/v1/nothing", headers={"Accept": "text/html"}).is_json
