"""Configuration from the environment."""

import os
import subprocess
import sys

import pytest

from webapp import create_app
from webapp.config import ConfigError, database_uri


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


@pytest.mark.parametrize("name, value, expected", [
    ("PUENTE_SWEEP_SECONDS", "abc", "a whole number"),
    ("PUENTE_SWEEP_SECONDS", "-5", "0 or more"),
    ("PUENTE_JOB_RETRIES", "two", "a whole number"),
    ("PUENTE_EXPORT_KEEP_DAYS", "week", "a whole number"),
    ("PUENTE_EXPORT_CHUNK_ROWS", "0", "1 or more"),
    ("PUENTE_MATCHING_REFRESH_MS", "fast", "a whole number"),
    ("PUENTE_MAX_OPEN_REQUESTS", "2.5", "a whole number"),
    ("PUENTE_PROXY_COUNT", "one", "a whole number"),
    ("PUENTE_JOBS_POLL_SECONDS", "x", "a number of seconds"),
    ("PUENTE_JOBS_POLL_SECONDS", "0", "a number of seconds"),
    ("PUENTE_DB_COMMIT_READS", "maybe", "true or false"),
    ("PUENTE_SECURE_COOKIES", "no", "true or false"),
    ("MAIL_PORT", "abc", "a port"),
    ("MAIL_USE_TLS", "maybe", "true or false"),
    ("PUENTE_BASE_URL", "example.org", "http://"),
    ("REDIS_URL", "localhost:6379", "redis://"),
    ("PUENTE_JOBS_REDIS_URL", "127.0.0.1", "redis://"),
    ("DATABASE_URL", "puente.db", "a database URL"),
    ("DATABASE_URL", "mysql://u@h/db", "a database URL"),
])
def test_a_bad_environment_value_stops_the_app_at_start_naming_it(monkeypatch, tmp_path, name,
                                                                  value, expected):
    """A bad value is refused when the app is created, with its name, its value and what is
    expected (was: accepted, then a traceback in a request, a job or the scheduler)."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name) as refused:
        create_app()
    assert value in str(refused.value) and expected in str(refused.value)


def test_good_environment_values_are_read_as_their_type(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    for name, value in {"PUENTE_JOBS_POLL_SECONDS": "0.2", "PUENTE_SWEEP_SECONDS": "0",
                        "PUENTE_SECURE_COOKIES": "false", "MAIL_PORT": "2525",
                        "MAIL_USE_TLS": "yes", "REDIS_URL": "redis://127.0.0.1:6379/3",
                        "PUENTE_DEMO_PASSWORD": "12345678", "PUENTE_JOBS_PREFIX": "2026",
                        "PUENTE_BASE_URL": "https://puente.example.org"}.items():
        monkeypatch.setenv(name, value)
    config = create_app().config
    assert config["PUENTE_JOBS_POLL_SECONDS"] == 0.2 and config["PUENTE_SWEEP_SECONDS"] == 0
    assert config["PUENTE_SECURE_COOKIES"] is False
    # text settings stay text, even when they look like numbers
    assert config["PUENTE_DEMO_PASSWORD"] == "12345678" and config["PUENTE_JOBS_PREFIX"] == "2026"


def test_the_command_line_says_what_is_wrong_without_a_traceback(tmp_path):
    """``make run`` starts with ``flask init-db``: a bad value ends it there, in one line."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/cli.db",
           "PUENTE_SWEEP_SECONDS": "every minute"}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "webapp", "init-db"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "PUENTE_SWEEP_SECONDS" in done.stderr and "every minute" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_snapshot_directory_that_is_a_file_stops_the_app_at_start(monkeypatch, tmp_path):
    taken = tmp_path / "a-file"
    taken.write_text("not a directory")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    monkeypatch.setenv("PUENTE_SNAPSHOT_DIR", str(taken))
    with pytest.raises(ConfigError, match="PUENTE_SNAPSHOT_DIR"):
        create_app()


@pytest.mark.parametrize("name, value", [
    ("DATABASE_URL", "mysql://puente:s3cret-pw@db.example/puente"),
    ("DATABASE_URL", "puente:s3cret-pw@db.example/puente"),
    ("REDIS_URL", "default:s3cret-pw@redis.example:6379/0"),
])
def test_a_refused_address_never_shows_its_password(monkeypatch, tmp_path, name, value):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name) as refused:
        create_app()
    assert "s3cret-pw" not in str(refused.value) and "example" in str(refused.value)


def _secret_of(path: str, start, queue) -> None:
    from pathlib import Path

    from webapp.config import _instance_secret

    start.wait()
    queue.put(_instance_secret(Path(path)))


def test_workers_starting_together_share_one_non_empty_secret(tmp_path):
    """The instance's secret key is created by whichever process comes first; one reading it
    while the first is still writing got an empty key (its sessions then unreadable by the
    others). Twelve processes race for it, twenty times over."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    for attempt in range(20):
        path = str(tmp_path / f"secret_{attempt}")
        start, queue = context.Event(), context.Queue()
        processes = [context.Process(target=_secret_of, args=(path, start, queue))
                     for _ in range(12)]
        for process in processes:
            process.start()
        start.set()
        keys = {queue.get(timeout=30) for _ in processes}
        for process in processes:
            process.join(timeout=30)
        assert len(keys) == 1 and len(keys.pop()) == 64, attempt
