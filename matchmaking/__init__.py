"""matchmaking: one-to-one meetings at B2B brokerage events."""
from __future__ import annotations

import gc
import os
import secrets
from pathlib import Path

from flask import Flask, request

from .extensions import (
    babel,
    configure_sqlite,
    csrf,
    db,
    login_manager,
    migrate,
    set_sqlite_write_intent,
)


def create_app(config_object: object | str = "config.Config") -> Flask:
    app = Flask(__name__, template_folder="../templates", instance_relative_config=False)
    app.config.from_object(config_object)
    _prepare_instance_folder(app)
    settle_secret_key(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_project_path("migrations")))
    csrf.init_app(app)
    login_manager.init_app(app)
    from .web.i18n import select_locale, select_timezone

    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)

    from .services import accounts

    accounts.configure_hasher(fast=app.config.get("ARGON2_FAST", False),
                              profile=app.config.get("PASSWORD_HASH", "owasp"))

    @app.before_request
    def _mark_writes() -> None:
        set_sqlite_write_intent(request.method not in ("GET", "HEAD", "OPTIONS"))

    from .web import register_web

    register_web(app)
    from .cli import register_cli

    register_cli(app)
    if app.config.get("FREEZE_STARTUP_HEAP"):
        freeze_startup_heap()
    return app


def freeze_startup_heap() -> None:
    """Move every object start-up made (modules, the app: some 180,000) out of the cyclic garbage
    collector's sight. They live as long as the process, yet each full collection walked them all, and
    the request that set it off waited for it: the slowest accepts at the een scale were these pauses
    (100-350 ms; scripts/bench_accept_seeded.py). With gunicorn's --preload the frozen pages also stay
    shared between the workers."""
    gc.collect()
    gc.freeze()


MIN_SECRET_KEY_LENGTH = 32


def settle_secret_key(app: Flask) -> None:
    """Refuse to run with a guessable SECRET_KEY, which would let anyone forge sessions and feed addresses.

    - SECRET_KEY set: it must be at least 32 characters and not the development value.
    - Unset, with the embedded SQLite database (the demo of the README): a random key is made once and
      kept in ``instance/secret_key`` beside the database, so that ``flask --app wsgi run`` works
      and log-ins and feed addresses survive a restart.
    - Unset with any other database (production: DATABASE_URL), or too weak: a RuntimeError, unless
      DEBUG or TESTING is on, where the development value is allowed.
    """
    from config import DEV_SECRET_KEY, EMBEDDED_DATABASE_URI

    key = app.config.get("SECRET_KEY") or ""
    if not key and app.config["SQLALCHEMY_DATABASE_URI"] == EMBEDDED_DATABASE_URI:
        key = app.config["SECRET_KEY"] = _instance_secret_key(Path(EMBEDDED_DATABASE_URI.removeprefix("sqlite:///")).parent)
    if key != DEV_SECRET_KEY and len(key) >= MIN_SECRET_KEY_LENGTH:
        return
    if app.debug or app.testing:
        app.config["SECRET_KEY"] = key or DEV_SECRET_KEY
        return
    raise RuntimeError(
        "SECRET_KEY is missing, too short (under 32 characters) or the development value: set it to a long "
        "random value, for example: export SECRET_KEY=\"$(python3 -c 'import secrets; print(secrets.token_hex(32))')\"")


def _instance_secret_key(folder: Path) -> str:
    """The demo's own random key in ``folder/secret_key``, made once (several workers may race: the
    first file written whole wins, and the others read it)."""
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        draft = folder / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def _project_path(name: str):
    return Path(__file__).resolve().parent.parent / name


def _prepare_instance_folder(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///"):
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
