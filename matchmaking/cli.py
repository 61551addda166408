"""Flask CLI commands: ``flask make-admin``, ``flask seed-demo``, ``flask send-mail``, ``flask send-webhooks``, ..."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from .extensions import db
from .models.api import SCOPES
from .services import accounts
from .services.errors import NotFound


def register_cli(app: Flask) -> None:
    @app.cli.command("make-admin")
    @click.argument("email")
    def make_admin(email: str) -> None:
        """Make the user with EMAIL an admin (admins make other users organisers)."""
        try:
            user = accounts.grant_admin(email)
        except NotFound:
            raise click.ClickException(f"No user with the e-mail {email}") from None
        db.session.commit()
        click.echo(f"{user.name} <{user.email}> is now an admin.")

    @app.cli.command("seed-demo")
    @click.option("--participants", default=200, show_default=True, help="How many participants to register.")
    @click.option("--seed", default=2026, show_default=True, help="Random seed (the demo is repeatable).")
    @click.option("--scale", type=click.Choice(["een"]), default=None,
                  help="Instead, a large event for benchmarks: een is 3,000 participants and about 20,000 "
                       "accepted meetings over 3 days (written in bulk, in about a minute).")
    def seed_demo(participants: int, seed: int, scale: str | None) -> None:
        """Load a BSR Stars style brokerage event with participants, requests and meetings."""
        from .services.demo import DEMO_PASSWORD, build_demo, existing_demo

        if scale is not None:
            _seed_scale(scale, seed)
            return
        summary = existing_demo()
        if summary is not None:
            click.echo("The demo event is loaded already.")
        else:
            summary = build_demo(participants=participants, seed=seed)
            db.session.commit()
        click.echo(f"Demo event '{summary.event_name}' (id {summary.event_id}): {summary.participants} participants, "
                   f"{summary.requests} requests, {summary.scheduled} meetings scheduled, "
                   f"{summary.unscheduled} accepted but unscheduled.")
        click.echo(f"Log in as organiser:   {summary.organiser_email} / {DEMO_PASSWORD}")
        click.echo(f"Log in as participant: {summary.participant_email} / {DEMO_PASSWORD}")
        click.echo(f"                  or:  {summary.partner_email} / {DEMO_PASSWORD}")

    def _seed_scale(scale: str, seed: int) -> None:
        import time

        from .services import demo_scale
        from .services.demo import DEMO_PASSWORD

        started = time.perf_counter()
        event = demo_scale.existing_scale_event()
        if event is not None:
            click.echo("The scale event is loaded already.")
            summary = demo_scale.summary(event.id)
        else:
            summary = demo_scale.build_scale(demo_scale.SCALES[scale], seed=seed)
            db.session.commit()
            demo_scale.analyse()
        click.echo(f"Scale event (id {summary.event_id}): {summary.participants} participants, {summary.meetings} "
                   f"accepted meetings ({summary.scheduled} scheduled), {summary.pending} pending requests, "
                   f"{summary.tables} tables, {summary.slots} slots; {time.perf_counter() - started:.1f} s.")
        click.echo(f"Log in as organiser: {demo_scale.ORGANISER_EMAIL} / {DEMO_PASSWORD}")

    @app.cli.command("schedule")
    @click.argument("event_id", type=int)
    @click.option("--time-limit", default=10.0, show_default=True, help="Seconds the solver may use.")
    @click.option("--publish/--draft", default=False, help="Publish at once, or leave a draft to review.")
    def schedule(event_id: int, time_limit: float, publish: bool) -> None:
        """Run the batch scheduler for an event (for example from cron at the request deadline)."""
        from .services import events, scheduling_runs

        try:
            event = events.get_event(event_id)
        except NotFound:
            raise click.ClickException(f"No event with id {event_id}") from None
        from .services.errors import NothingToSchedule, ServiceError

        try:
            run = scheduling_runs.create_draft(event=event, actor=None, time_limit=time_limit)
            if publish:
                scheduling_runs.publish(run=run)
        except NothingToSchedule as nothing:  # not a failure: cron at a deadline may meet an empty event
            click.echo(nothing.message)
            return
        except ServiceError as refusal:
            raise click.ClickException(refusal.message) from None
        db.session.commit()
        click.echo(f"Run {run.id} ({run.status}): {run.value} meetings scheduled, upper bound {run.bound}, "
                   f"{run.seconds:.1f} s.")

    @app.cli.command("scheduler")
    def scheduler() -> None:
        """Run the background jobs (outbox, reminders, digests, deadline runs, imports, scheduler runs) till stopped."""
        from .jobs import only_background_process, start_scheduler

        def waiting() -> None:
            click.echo("Another background process holds the lock; waiting until it stops.")

        with only_background_process(db.engine, on_wait=waiting):
            click.echo("Background jobs running; stop with Ctrl+C.")
            start_scheduler(app)

    @app.cli.command("serve")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=5000, show_default=True, type=int)
    def serve(host: str, port: int) -> None:
        """Serve the app with its background process in the same one: the embedded demo on one machine.

        Imports and scheduler runs started on the pages then finish without a second terminal. In
        production run gunicorn and ``flask scheduler`` as separate processes instead.
        """
        from werkzeug.serving import run_simple

        from .jobs import start_scheduler

        background = start_scheduler(app, blocking=False)
        click.echo(f"Serving on http://{host}:{port} with the background jobs; stop with Ctrl+C.")
        try:
            run_simple(host, port, app, threaded=True)
        finally:
            background.shutdown(wait=False)

    @app.cli.command("run-jobs")
    def run_jobs() -> None:
        """Run the queued imports and scheduler runs now, then exit (the scheduler does this every 5 seconds)."""
        from .background import run_queued

        click.echo(run_queued())

    @app.cli.command("send-mail")
    def send_mail() -> None:
        """Deliver the e-mail that is due now, once (the scheduler does this every 30 seconds)."""
        from .mail.sender import deliver_due

        click.echo(deliver_due())

    api_token = AppGroup("api-token", help="Personal access tokens for the API.")
    app.cli.add_command(api_token)

    @api_token.command("create")
    @click.argument("email")
    @click.option("--scope", "scopes", multiple=True, required=True, type=click.Choice(SCOPES),
                  help="What the token may do (repeat for both).")
    @click.option("--name", default="Command line", show_default=True, help="What the token is for.")
    @click.option("--expires-days", type=int, default=None, help="Days until it expires (default: never).")
    def create_api_token(email: str, scopes: tuple[str, ...], name: str, expires_days: int | None) -> None:
        """Create a token for the user with EMAIL and print it (it is shown only this once)."""
        from .services import api_tokens
        from .services.errors import ServiceError

        user = accounts.find_user_by_email(email)
        if user is None:
            raise click.ClickException(f"No user with the e-mail {email}")
        try:
            _token, secret = api_tokens.create_token(user=user, name=name, scopes=scopes, expires_days=expires_days)
        except ServiceError as error:
            raise click.ClickException(error.message) from None
        db.session.commit()
        click.echo(secret)

    @app.cli.command("send-webhooks")
    def send_webhooks() -> None:
        """Deliver the webhooks that are due now, once (the scheduler does this every minute)."""
        from .webhooks.sender import deliver_due

        click.echo(deliver_due())
