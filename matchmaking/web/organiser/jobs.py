"""Background jobs (imports, scheduler runs, publishing): their page with a progress bar, and the status it polls."""
from __future__ import annotations

from flask import g, jsonify, render_template, url_for
from flask_babel import format_number, ngettext
from flask_babel import gettext as _

from ...models.background_job import DONE, FAILED, PARTICIPANT_IMPORT, QUEUED, RECOMMENDATIONS, SCHEDULE_PUBLISH
from ...services import background_jobs


def job(job_id: int):
    found = background_jobs.get_job(g.event, job_id)
    status = background_jobs.status_of(found)
    return render_template("organiser/job.html", event=g.event, job=found, title=_title(found.kind),
                           text=describe(status), next_link=_next_link(status))


def job_status(job_id: int):
    """The job's progress as JSON, for the page's script (``static/job.js``)."""
    status = background_jobs.status_of(background_jobs.get_job(g.event, job_id))
    return jsonify({**status, "text": describe(status)})


def _title(kind: str) -> str:
    if kind == RECOMMENDATIONS:
        return _("Recommendations")
    if kind == SCHEDULE_PUBLISH:
        return _("Publishing the schedule")
    return _("Importing participants") if kind == PARTICIPANT_IMPORT else _("Scheduler run")


def describe(status: dict) -> str:
    """One sentence for the organiser: how far the job got, or how it ended."""
    result = status["result"]
    if status["status"] == FAILED:
        return _("It failed: %(error)s", error=status["error"])
    if status["status"] == QUEUED:
        return _("Waiting for the background process to start it.")
    if status["kind"] == RECOMMENDATIONS:
        if status["status"] != DONE:
            return _("The recommendations are being computed.")
        return ngettext("Recommendations ready for %(count)s participant.",
                        "Recommendations ready for %(count)s participants.", result.get("participants", 0),
                        count=format_number(result.get("participants", 0)))
    if status["kind"] == PARTICIPANT_IMPORT:
        if status["status"] != DONE:
            return _("%(done)s of %(total)s rows imported.", done=format_number(status["done"]),
                     total=format_number(status["total"]))
        imported, already = result.get("imported", 0), result.get("already_registered", 0)
        text = ngettext("%(count)s participant imported.", "%(count)s participants imported.", imported,
                        count=format_number(imported))
        if already:
            text += " " + ngettext("%(count)s was already registered and was left as it was.",
                                   "%(count)s were already registered and were left as they were.", already,
                                   count=format_number(already))
        return text
    if status["kind"] == SCHEDULE_PUBLISH:
        if status["status"] != DONE:
            return _("The schedule is being published.")
        return _("Schedule published: %(n)d meetings changed; every scheduled meeting is now pinned.",
                 n=result.get("changed", 0))
    if status["status"] != DONE:
        return _("The scheduler is computing a draft.")
    if result.get("nothing_to_schedule"):
        return _("Nothing to schedule: this event has no accepted meetings yet.")
    return _("Draft ready: %(value)d meetings scheduled (at most %(bound)d are possible). "
             "Review it, then publish.", value=result.get("value", 0), bound=result.get("bound", 0))


def _next_link(status: dict) -> tuple[str, str] | None:
    """Where to go once the job is finished: the list of participants, or the draft to review."""
    if not status["finished"]:
        return None
    if status["kind"] == RECOMMENDATIONS:
        return url_for("organiser.interest"), _("See the interest in partners")
    if status["kind"] == PARTICIPANT_IMPORT:
        if status["status"] == DONE:
            return url_for("organiser.participants"), _("See the participants")
        return url_for("organiser.import_participants"), _("Back to the import")
    if status["kind"] == SCHEDULE_PUBLISH:
        return url_for("organiser.schedule"), _("Back to scheduling")
    if status["status"] == DONE and status["result"].get("run_id"):
        return url_for("organiser.schedule", _anchor="draft"), _("Review the draft")
    return url_for("organiser.schedule"), _("Back to scheduling")
