"""Writing many rows in few statements, for the services that change thousands at once (a published
schedule, the benchmark-scale seeding).

An executemany is one call for SQLAlchemy but one statement per row for the database (psycopg runs
them pipelined, still a row at a time on the server), so inserts here are multi-row
``INSERT ... VALUES (...), (...)``, CHUNK rows each, and updates by primary key are, on PostgreSQL,
one ``UPDATE ... FROM (VALUES ...)`` per CHUNK rows (SQLite, in process, takes the executemany as fast).
Both run in the caller's transaction, on the tables (Core): the session's objects are not updated.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Insert, Table, bindparam, cast, column, values

from ..extensions import db

CHUNK = 1000  # rows per statement: at 12 columns well below PostgreSQL's 65,535 parameters and SQLite's 32,766


def insert_rows(table: Table, rows: Sequence[dict], statement: Insert | None = None) -> None:
    """Insert ``rows`` (dicts with the same keys) with multi-row INSERTs; ``statement`` is an INSERT of
    ``table`` to use instead of the plain one (an ON CONFLICT DO NOTHING)."""
    statement = table.insert() if statement is None else statement
    for start in range(0, len(rows), CHUNK):
        db.session.execute(statement.values(list(rows[start:start + CHUNK])))


def update_by_id(table: Table, rows: Sequence[dict]) -> None:
    """Set each row's columns where ``id`` is its ``"id"``; every dict has the same keys."""
    if not rows:
        return
    names = [key for key in rows[0] if key != "id"]
    if db.session.get_bind().dialect.name != "postgresql":
        statement = table.update().where(table.c.id == bindparam("row_id"))
        for start in range(0, len(rows), CHUNK):
            db.session.execute(statement, [{"row_id": row["id"], **{n: row[n] for n in names}}
                                           for row in rows[start:start + CHUNK]])
        return
    for start in range(0, len(rows), CHUNK):
        given = values(column("id", table.c.id.type), *(column(n, table.c[n].type) for n in names),
                       name="given").data([(row["id"], *(row[n] for n in names)) for row in rows[start:start + CHUNK]])
        # The casts type a column whose given values are all NULL (PostgreSQL would take them as text).
        db.session.execute(table.update().where(table.c.id == given.c.id)
                           .values({n: cast(given.c[n], table.c[n].type) for n in names}))
