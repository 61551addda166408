"""Writing many rows in few statements, for the services that change thousands at once (a published
schedule, the benchmark-scale seeding).

An executemany is one call for SQLAlchemy but one statement per row for PostgreSQL (psycopg pipelines
them, the server still runs each), and a multi-row ``VALUES`` list costs SQLAlchemy a long compile per
statement. On PostgreSQL each column therefore goes as one array parameter, and the statement unnests
them: ``INSERT INTO t (a, b) SELECT * FROM unnest(:a, :b)`` and ``UPDATE t SET a = given.a FROM
unnest(:id, :a) AS given (id, a) WHERE t.id = given.id``, CHUNK rows each. SQLite runs in process, so
an executemany costs it little. Both run in the caller's transaction, on the tables (Core): the
session's objects are not updated.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table, bindparam, text
from sqlalchemy.dialects import sqlite

from ..extensions import db

CHUNK = 10000  # rows per statement (a parameter per column: no limit on PostgreSQL's 65,535 parameters)


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _quoted(name: str) -> str:
    return db.session.get_bind().dialect.identifier_preparer.quote(name)


def _arrays(table: Table, names: list[str], rows: Sequence[dict]) -> tuple[str, dict]:
    """``unnest(CAST(:c0 AS type[]), ...)`` and its parameters: one array per column."""
    dialect = db.session.get_bind().dialect
    casts = ", ".join(f"CAST(:c{i} AS {table.c[n].type.compile(dialect=dialect)}[])" for i, n in enumerate(names))
    return f"unnest({casts})", {f"c{i}": [row[n] for row in rows] for i, n in enumerate(names)}


def insert_rows(table: Table, rows: Sequence[dict], *, skip_conflicts_on: str | None = None) -> None:
    """Insert ``rows`` (dicts with the same keys). ``skip_conflicts_on``: a unique column; a row whose
    value is already there is left out (ON CONFLICT DO NOTHING), as is a second row with the same value."""
    if not rows:
        return
    names = list(rows[0])
    if not _postgresql():
        statement = sqlite.insert(table)
        if skip_conflicts_on:
            statement = statement.on_conflict_do_nothing(index_elements=[skip_conflicts_on])
        for start in range(0, len(rows), CHUNK):
            db.session.execute(statement, list(rows[start:start + CHUNK]))
        return
    conflict = f" ON CONFLICT ({_quoted(skip_conflicts_on)}) DO NOTHING" if skip_conflicts_on else ""
    into = f"INSERT INTO {_quoted(table.name)} ({', '.join(_quoted(n) for n in names)})"
    for start in range(0, len(rows), CHUNK):
        source, parameters = _arrays(table, names, rows[start:start + CHUNK])
        db.session.execute(text(f"{into} SELECT * FROM {source}{conflict}"), parameters)


def update_by_id(table: Table, rows: Sequence[dict]) -> None:
    """Set each row's columns where ``id`` is its ``"id"``; every dict has the same keys."""
    if not rows:
        return
    names = [key for key in rows[0] if key != "id"]
    if not _postgresql():
        statement = table.update().where(table.c.id == bindparam("row_id"))
        for start in range(0, len(rows), CHUNK):
            db.session.execute(statement, [{"row_id": row["id"], **{n: row[n] for n in names}}
                                           for row in rows[start:start + CHUNK]])
        return
    target = _quoted(table.name)
    assignments = ", ".join(f"{_quoted(n)} = given.{_quoted(n)}" for n in names)
    aliases = ", ".join(_quoted(n) for n in ["id", *names])
    for start in range(0, len(rows), CHUNK):
        source, parameters = _arrays(table, ["id", *names], rows[start:start + CHUNK])
        db.session.execute(text(f"UPDATE {target} SET {assignments} FROM {source} AS given ({aliases}) "
                                f"WHERE {target}.id = given.id"), parameters)
