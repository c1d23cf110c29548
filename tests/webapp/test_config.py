"""Configuration from the environment."""

from webapp import create_app
from webapp.config import database_uri


def test_environment_variables_configure_the_app(monkeypatch, tmp_path):
    monkeypatch.setenv("PUENTE_ARGON2_TIME_COST", "2")
    monkeypatch.setenv("PUENTE_DEMO_PASSWORD", "another demo pw")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    monkeypatch.setenv("SECRET_KEY", "12345")
    app = create_app()
    assert app.config["PUENTE_ARGON2_TIME_COST"] == 2
    assert app.config["PUENTE_DEMO_PASSWORD"] == "another demo pw"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/env.db"
    assert app.config["SECRET_KEY"] == "12345"


def test_plain_postgresql_urls_use_psycopg_3():
    assert database_uri("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_uri("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_uri("sqlite:///x.db") == "sqlite:///x.db"
