"""Comparing the whole database before and after an action that must change nothing."""
from __future__ import annotations

from matchmaking.extensions import db


def db_snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, so two snapshots compare equal exactly when nothing changed."""
    with app.app_context():
        snapshot = {
            table.name: sorted((tuple(row) for row in db.session.execute(table.select())), key=repr)
            for table in db.metadata.sorted_tables
        }
        db.session.remove()
    return snapshot
