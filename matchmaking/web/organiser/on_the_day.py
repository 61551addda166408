"""The day itself, for organisers: who is free now, walk-in meetings booked at once, the live table plan."""
from __future__ import annotations

from flask import g, render_template, url_for
from flask_babel import gettext as _

from ...models.base import utcnow
from ...services import on_the_day
from ..formatting import event_time
from ..helpers import done, valid
from .forms import ArrangeNowForm


def now_page():
    event, now = g.event, utcnow()
    current, upcoming = on_the_day.now_and_next(event, now)
    free = [(slot, on_the_day.who_is_free(event=event, slot=slot)) for slot in (current, upcoming) if slot]
    form = ArrangeNowForm()
    people = {p.id: p for _slot, listed in free for p in listed}
    choices = [(0, "—")] + [(p.id, f"{p.name}, {p.organisation_name}") for p in
                            sorted(people.values(), key=lambda p: (p.organisation_name.lower(), p.id))]
    form.participant_a.choices = form.participant_b.choices = choices
    return render_template("organiser/now.html", event=event, free=free, form=form, now=now)


def arrange_now():
    form = valid(ArrangeNowForm())
    meeting = on_the_day.arrange_now(event=g.event, participant_a_id=form.participant_a.data,
                                     participant_b_id=form.participant_b.data)
    return done(_("Booked: %(time)s at %(table)s, %(a)s with %(b)s.", time=event_time(
        meeting.slot.starts_at, g.event.timezone), table=meeting.table.name, a=meeting.participant_a.name,
        b=meeting.participant_b.name), url_for("organiser.now_page"))


def live_plan():
    """For a screen at the venue: the slot under way and the next, table by table; it refreshes itself."""
    return render_template("organiser/live_plan.html", event=g.event, plan=on_the_day.live_plan(g.event),
                           now=utcnow())
