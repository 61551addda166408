"""Configuration read from the environment.

Every setting has a safe default for the embedded demo (SQLite under ``instance/``); production
sets DATABASE_URL (PostgreSQL) and SECRET_KEY.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def database_url(variable: str, default: str) -> str:
    """Read a database URL from the environment, normalised to the psycopg 3 driver."""
    url = os.environ.get(variable, default)
    # Heroku-style URLs name the driver-less scheme; we use psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-change-me")
    SQLALCHEMY_DATABASE_URI = database_url("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'matchmaking.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "matchmaking" / "translations")
    LANGUAGES = ("en", "pl", "lv")
    DIRECTORY_PAGE_SIZE = 20
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "Matchmaking <no-reply@localhost>")
    MAIL_DOMAIN = os.environ.get("MAIL_DOMAIN", "localhost")
    # Reminders: minutes before each meeting (0: none), and the local time of the evening-before
    # summary ("": none).
    REMINDER_MINUTES_BEFORE = int(os.environ.get("REMINDER_MINUTES_BEFORE", "15"))
    REMINDER_EVENING_AT = os.environ.get("REMINDER_EVENING_AT", "18:00")
    # The public address, for links in e-mails (they are rendered outside any web request).
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024  # uploads (participant imports) and forms
    # Shown in calendar feed links; set to the public address behind a proxy.
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = database_url("TEST_DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'test.db'}")
    WTF_CSRF_ENABLED = True
    ARGON2_FAST = True  # cheap hashes keep the suite fast; production uses the defaults
