"""The migrations build exactly the schema the models describe (on SQLite and on PostgreSQL)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from matchmaking.extensions import db
from tests.factories import make_event, make_user, register


def test_migrated_schema_matches_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)

    assert differences == []


def test_time_windows_migration_goes_down_and_up_keeping_requests(app, pair):
    """0022 adds the windows, must-meet marks, quota and blocked time; down and up again, the requests
    made before it stand as "any time", unmarked, and the event's quota is the default."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect, text

    from matchmaking.models import Participant
    from matchmaking.services import meetings

    event_id, a, b = pair
    with app.test_request_context():
        made = meetings.request_meeting(requester=db.session.get(Participant, a),
                                        recipient=db.session.get(Participant, b), message="Hi", online=False)
        db.session.commit()
        request_id = made.id
        db.session.remove()
        try:
            downgrade(revision="0021")
            columns = {c["name"] for c in inspect(db.engine).get_columns("meeting_request")}
            assert "window_part" not in columns and "blocked_time" not in inspect(db.engine).get_table_names()
        finally:
            upgrade()
        with db.engine.connect() as connection:
            row = connection.execute(text(
                "SELECT window_part, window_date, requester_must_meet, recipient_must_meet FROM meeting_request "
                "WHERE id = :id"), {"id": request_id}).one()
            quota = connection.execute(text("SELECT must_meet_quota FROM event WHERE id = :id"),
                                       {"id": event_id}).scalar()
            differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                           db.metadata)
    assert tuple(row) == ("any", None, False, False) and quota == 3
    assert differences == []


def _revision(name: str):
    path = Path(__file__).resolve().parents[1] / "migrations" / "versions" / name
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_check_in_migration_gives_existing_participants_distinct_tokens(app):
    checkin_revision = _revision("0023_checkin.py")
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser)
        for i in range(3):
            register(make_user(f"p{i}@example.org"), event, organisation=f"Org {i}")
        db.session.commit()
        db.session.remove()

        downgrade(revision=checkin_revision.down_revision)  # the rows stay; the columns go
        try:
            with db.engine.connect() as connection:
                columns = {c["name"] for c in sa.inspect(connection).get_columns("participant")}
            assert "checkin_token" not in columns
        finally:
            upgrade()  # back to the head, whatever happened: the rest of the suite needs it

        rows = db.session.execute(sa.text("SELECT checkin_token, checked_in_at FROM participant")).all()
    tokens = [token for token, _at in rows]
    assert len(tokens) == 3 and None not in tokens and len(set(tokens)) == 3
    assert all(len(t) == 32 for t in tokens)
    assert {at for _token, at in rows} == {None}


def _guards(connection) -> set[str]:
    """What stands for the CHECK rules: triggers on SQLite (0022 adds them so), CHECK constraints on PostgreSQL."""
    if connection.dialect.name == "sqlite":
        return set(connection.scalars(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    return set(connection.scalars(sa.text("SELECT conname FROM pg_constraint WHERE contype = 'c'")))


def test_going_down_and_up_again_keeps_the_databases_rules(app):
    """A downgrade that rebuilt a table on SQLite would drop its triggers, and the upgrade after it would
    not bring them back: the schema would still match the models while bad rows got in."""
    with app.app_context():
        with db.engine.connect() as connection:
            before = _guards(connection)
        assert before  # the windows' and the quota's rules at least
        db.session.remove()
        try:
            downgrade(revision="0022")
        finally:
            upgrade()  # back to the head, whatever happened: the rest of the suite needs it
        with db.engine.connect() as connection:
            assert _guards(connection) == before
