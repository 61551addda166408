"""The app refuses to start with a guessable SECRET_KEY outside DEBUG and TESTING; the embedded demo
makes and keeps its own random key (matchmaking.settle_secret_key)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import config
from config import DEV_SECRET_KEY, Config
from matchmaking import create_app

ROOT = Path(__file__).resolve().parents[1]
STRONG = "9f2c" * 16


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)


def config_with(database: str, key: str, **settings) -> type:
    """Production settings but for the database and the key (and cheap hashes: the hasher is shared)."""
    return type("Settings", (Config,), {"SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": key, "ARGON2_FAST": True,
                                        **settings})


@pytest.mark.parametrize("key", [DEV_SECRET_KEY, "", "short-but-not-empty", "x" * 31])
def test_a_weak_key_is_refused_outside_debug_and_testing(tmp_path, key):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config_with(f"sqlite:///{tmp_path / 'app.db'}", key))


def test_no_key_with_a_production_database_is_refused():
    with pytest.raises(RuntimeError, match="SECRET_KEY is missing"):
        create_app(config_with("postgresql+psycopg://nobody@127.0.0.1:1/none", ""))


def test_a_long_random_key_starts(tmp_path):
    app = create_app(config_with(f"sqlite:///{tmp_path / 'app.db'}", STRONG))
    assert app.config["SECRET_KEY"] == STRONG


@pytest.mark.parametrize("mode", [{"DEBUG": True}, {"TESTING": True}])
def test_debug_and_testing_allow_the_development_key(tmp_path, mode):
    app = create_app(config_with(f"sqlite:///{tmp_path / 'app.db'}", "", **mode))
    assert app.config["SECRET_KEY"] == DEV_SECRET_KEY


def test_the_embedded_demo_makes_its_own_key_once(tmp_path, monkeypatch):
    embedded = f"sqlite:///{tmp_path / 'instance' / 'matchmaking.db'}"
    monkeypatch.setattr(config, "EMBEDDED_DATABASE_URI", embedded)
    first = create_app(config_with(embedded, "")).config["SECRET_KEY"]
    stored = tmp_path / "instance" / "secret_key"
    assert len(first) == 64 and first != DEV_SECRET_KEY and stored.read_text() == first
    assert stored.stat().st_mode & 0o077 == 0  # only its owner reads it
    assert create_app(config_with(embedded, "")).config["SECRET_KEY"] == first  # log-ins survive a restart
    assert not list(stored.parent.glob(".secret_key.*"))


def test_gunicorns_entry_point_refuses_without_a_key_for_a_database_url():
    """What ``gunicorn wsgi:app`` loads, with DATABASE_URL set and no SECRET_KEY."""
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "FLASK_DEBUG")}
    env["DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/none"
    run = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode != 0
    assert "RuntimeError: SECRET_KEY is missing" in run.stderr
