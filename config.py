"""Configuration read from the environment.

Every setting has a safe default for the embedded demo (SQLite under ``instance/``); production
sets DATABASE_URL (PostgreSQL) and SECRET_KEY. Without SECRET_KEY the app refuses to start, except
for the embedded demo, which makes a random key once and keeps it in ``instance/secret_key``, and
under DEBUG or TESTING (see ``matchmaking.settle_secret_key``).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
EMBEDDED_DATABASE_URI = f"sqlite:///{INSTANCE_DIR / 'matchmaking.db'}"
DEV_SECRET_KEY = "dev-only-change-me"  # refused outside DEBUG and TESTING


def database_url(variable: str, default: str) -> str:
    """Read a database URL from the environment, normalised to the psycopg 3 driver."""
    url = os.environ.get(variable, default)
    # Heroku-style URLs name the driver-less scheme; we use psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def limit(name: str, default: str) -> str:
    """A rate limit such as "10 per minute;20 per 15 minutes", from the variable of the same name."""
    return os.environ.get(name, default)


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    # Partner recommendations: "auto" uses the offline text model where installed, "lexical" never loads it.
    MATCHING_ENGINE = os.environ.get("MATCHING_ENGINE", "auto")
    # Rank an event's partners again (a background job) whenever a participant registers or edits their profile.
    RECOMMENDATIONS_ON_CHANGE = os.environ.get("RECOMMENDATIONS_ON_CHANGE", "1") == "1"
    SQLALCHEMY_DATABASE_URI = database_url("DATABASE_URL", EMBEDDED_DATABASE_URI)
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True}
    # Argon2id's cost (services/accounts.py): "owasp" (19 MiB, 2 passes; about 35 ms a log-in) or
    # "rfc9106" (64 MiB, 3 passes, 4 lanes; about 225 ms). Hashes made with the other are redone at log-in.
    PASSWORD_HASH = os.environ.get("PASSWORD_HASH", "owasp")
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
    # Uploaded pictures (logos, banners; services/storage.py): "local" keeps them in MEDIA_FOLDER.
    MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local")
    MEDIA_FOLDER = os.environ.get("MEDIA_FOLDER", str(INSTANCE_DIR / "media"))
    # Shown in calendar feed links; set to the public address behind a proxy.
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    # How many reverse proxies in front set X-Forwarded-For: the per-address limits then count the
    # client's address, not the proxy's. 0: none (the app is reached directly).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    # Abuse limits (Flask-Limiter, see matchmaking/web/limits.py). The counters live in
    # RATELIMIT_STORAGE_URI: "memory://" is right for the embedded demo (one process); production
    # with several gunicorn workers uses Redis, e.g. redis://127.0.0.1:6379/0, so that all workers
    # count together (memory would give each worker its own counters, and forget them on restart).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "matchmaking")  # several apps, one Redis
    RATELIMIT_STRATEGY = os.environ.get("RATELIMIT_STRATEGY", "fixed-window")
    RATELIMIT_HEADERS_ENABLED = False  # Retry-After is sent on a 429 only (web/limits.py)
    # Failed log-ins per account (the submitted e-mail, from any address) and per client address.
    RATELIMIT_LOG_IN_PER_ACCOUNT = limit("RATELIMIT_LOG_IN_PER_ACCOUNT", "10 per minute;20 per 15 minutes")
    RATELIMIT_LOG_IN_PER_ADDRESS = limit("RATELIMIT_LOG_IN_PER_ADDRESS", "30 per minute;100 per 15 minutes")
    # Accepted sign-ups per client address (raise it for a venue where everyone shares one address).
    RATELIMIT_SIGN_UP_PER_ADDRESS = limit("RATELIMIT_SIGN_UP_PER_ADDRESS", "10 per hour")
    # Mails sent to a typed address (password reset, verification): per recipient, per client address.
    RATELIMIT_ACCOUNT_MAIL_PER_RECIPIENT = limit("RATELIMIT_ACCOUNT_MAIL_PER_RECIPIENT", "3 per hour")
    RATELIMIT_ACCOUNT_MAIL_PER_ADDRESS = limit("RATELIMIT_ACCOUNT_MAIL_PER_ADDRESS", "20 per hour")
    # Meeting requests one participant sends (pages and API together).
    RATELIMIT_MEETING_REQUESTS = limit("RATELIMIT_MEETING_REQUESTS", "30 per hour")
    # Every API call per bearer token; new API tokens per user.
    RATELIMIT_API = limit("RATELIMIT_API", "600 per minute")
    RATELIMIT_API_TOKENS = limit("RATELIMIT_API_TOKENS", "10 per hour")
    # What start-up loaded is moved out of the cyclic collector's full passes (matchmaking.freeze_startup_heap)
    FREEZE_STARTUP_HEAP = True


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = database_url("TEST_DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'test.db'}")
    WTF_CSRF_ENABLED = True
    ARGON2_FAST = True  # cheap hashes keep the suite fast; production uses the defaults
    MATCHING_ENGINE = "lexical"  # the text model is not loaded by the app's tests
    RECOMMENDATIONS_ON_CHANGE = False  # tests queue only the jobs they ask for (test_recommendations turns it on)
    RATELIMIT_STORAGE_URI = "memory://"  # emptied between tests (tests/conftest.py)
    FREEZE_STARTUP_HEAP = False  # the suite makes an app per test: frozen, their cycles would never be freed
