"""Writing many rows in few statements, for the services that change thousands at once (a published
schedule, the benchmark-scale seeding).

An executemany is one call for SQLAlchemy but one statement per row for PostgreSQL (psycopg pipelines
them, the server still runs each), so on PostgreSQL the rows go with COPY, the fastest way in:
straight into the table, or, for an update or an insert that skips conflicts, into a temporary table
first, then one ``UPDATE ... FROM`` or ``INSERT ... SELECT ... ON CONFLICT DO NOTHING``. SQLite runs
in process, so an executemany costs it little. Both run in the caller's transaction, on the tables
(Core): the session's objects are not updated.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table, bindparam, text
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db

CHUNK = 1000  # rows per executemany on SQLite
FEW = 20  # up to this many rows (one accept's), plain statements beat a temporary table's three round trips
STAGED = "bulk_staged"  # the temporary table, dropped after each use (and at the commit)


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _quoted(name: str) -> str:
    return db.session.get_bind().dialect.identifier_preparer.quote(name)


def _copy(table_name: str, names: list[str], rows: Sequence[dict]) -> None:
    """COPY the rows into a table, through the session's own connection (so in its transaction)."""
    db.session.flush()
    driver = db.session.connection().connection.driver_connection
    columns = ", ".join(_quoted(n) for n in names)
    with driver.cursor() as cursor, cursor.copy(f"COPY {_quoted(table_name)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(tuple(row[n] for n in names))


def _staged(table: Table, names: list[str], rows: Sequence[dict]) -> str:
    """The rows in a temporary table with the columns of ``table``; its name."""
    columns = ", ".join(_quoted(n) for n in names)
    db.session.execute(text(f"CREATE TEMPORARY TABLE {STAGED} ON COMMIT DROP AS "
                            f"SELECT {columns} FROM {_quoted(table.name)} WITH NO DATA"))
    _copy(STAGED, names, rows)
    return STAGED


def insert_rows(table: Table, rows: Sequence[dict], *, skip_conflicts_on: str | None = None) -> int:
    """Insert ``rows`` (dicts with the same keys); how many went in. ``skip_conflicts_on``: a unique
    column; a row whose value is already there is left out (ON CONFLICT DO NOTHING), as is a second
    row with the same value."""
    if not rows:
        return 0
    names = list(rows[0])
    if len(rows) <= FEW and skip_conflicts_on and _postgresql():
        return len(db.session.execute(postgresql.insert(table).values(list(rows))
                                      .on_conflict_do_nothing(index_elements=[skip_conflicts_on])
                                      .returning(table.c[skip_conflicts_on])).all())
    if not _postgresql():
        statement = sqlite.insert(table)
        if skip_conflicts_on:
            statement = statement.on_conflict_do_nothing(index_elements=[skip_conflicts_on])
        inserted = 0
        for start in range(0, len(rows), CHUNK):
            inserted += db.session.execute(statement, list(rows[start:start + CHUNK])).rowcount
        return inserted
    if not skip_conflicts_on:
        _copy(table.name, names, rows)
        return len(rows)
    columns = ", ".join(_quoted(n) for n in names)
    staged = _staged(table, names, rows)
    inserted = db.session.execute(text(
        f"INSERT INTO {_quoted(table.name)} ({columns}) SELECT {columns} FROM {staged} "
        f"ON CONFLICT ({_quoted(skip_conflicts_on)}) DO NOTHING")).rowcount
    db.session.execute(text(f"DROP TABLE {staged}"))
    return inserted


def update_by_id(table: Table, rows: Sequence[dict]) -> None:
    """Set each row's columns where ``id`` is its ``"id"``; every dict has the same keys."""
    if not rows:
        return
    names = [key for key in rows[0] if key != "id"]
    if len(rows) <= FEW or not _postgresql():
        statement = table.update().where(table.c.id == bindparam("row_id"))
        for start in range(0, len(rows), CHUNK):
            db.session.execute(statement, [{"row_id": row["id"], **{n: row[n] for n in names}}
                                           for row in rows[start:start + CHUNK]])
        return
    target = _quoted(table.name)
    staged = _staged(table, ["id", *names], rows)
    assignments = ", ".join(f"{_quoted(n)} = {staged}.{_quoted(n)}" for n in names)
    db.session.execute(text(f"UPDATE {target} SET {assignments} FROM {staged} WHERE {target}.id = {staged}.id"))
    db.session.execute(text(f"DROP TABLE {staged}"))
