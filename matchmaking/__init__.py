"""matchmaking: one-to-one meetings at B2B brokerage events."""
from __future__ import annotations

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

    accounts.configure_hasher(fast=app.config.get("ARGON2_FAST", False))

    @app.before_request
    def _mark_writes() -> None:
        set_sqlite_write_intent(request.method not in ("GET", "HEAD", "OPTIONS"))

    from .web import register_web

    register_web(app)
    from .cli import register_cli

    register_cli(app)
    return app


def _project_path(name: str):
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / name


def _prepare_instance_folder(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///"):
        from pathlib import Path

        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
