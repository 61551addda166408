"""Extensions, created unbound and bound to the app in ``create_app``."""
from __future__ import annotations

from contextvars import ContextVar

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine

# Named constraints, so that migrations can alter them on SQLite (batch mode) and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()

_sqlite_write_intent: ContextVar[bool] = ContextVar("sqlite_write_intent", default=False)


def set_sqlite_write_intent(value: bool) -> None:
    """Mark the current context's transactions as writers (SQLite takes the write lock at BEGIN).

    SQLite's default deferred transactions deadlock when two readers both try to upgrade to a
    writer; the loser gets "database is locked" at once. Taking the lock at BEGIN makes writers
    queue behind the busy timeout instead, which is what parallel accepts need.
    """
    _sqlite_write_intent.set(value)


def configure_sqlite(engine: Engine) -> None:
    """Foreign keys on, WAL, a busy timeout, and transactions that SQLAlchemy really controls."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # pragma: no cover - trivial
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (savepoints need it)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _sqlite_write_intent.get() else "BEGIN")
