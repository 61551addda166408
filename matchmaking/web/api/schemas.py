"""What the API reads and writes, as marshmallow schemas: the OpenAPI description is generated from them."""
from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import Schema, fields, validate

from ...models.background_job import DONE, FAILED, JOB_KINDS, QUEUED, RUNNING
from ...models.meeting import ATTENDANCE
from ...models.opportunity import OPPORTUNITY_KINDS
from ...models.participant import MEETING_MODES, ORGANISATION_TYPES, PARTICIPANT_STATUSES, SECTORS, VISIBILITIES

MAX_ID = 2_147_483_647
API_JOB_STATUSES = (QUEUED, RUNNING, DONE, FAILED)  # an import waiting for its confirmation is not shown


class UtcDateTime(fields.DateTime):
    """Instants: stored as naive UTC, written with their offset (Z), read with any offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        parsed: datetime = super()._deserialize(value, attr, data, **kwargs)
        return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


class Text(fields.String):
    """A string the API reads: NUL characters dropped, as the forms do (PostgreSQL text cannot hold them,
    and no person types one); every one also has a length cap or a list of values (tested)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        return text.replace("\x00", "") if isinstance(text, str) else text


def _id(**kwargs) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(1, MAX_ID), **kwargs)


class Problem(Schema):
    """An error, as RFC 9457 problem details."""

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    code = fields.String(metadata={"description": "Stable and machine-readable: what went wrong."})
    errors = fields.Dict(metadata={"description": "Per field, the messages of invalid input."})


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 200))


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """A page of ``item``: the items, how many there are in all, and the address of the next page."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item)), "total": fields.Integer(), "page": fields.Integer(),
        "per_page": fields.Integer(), "next": fields.String(allow_none=True),
    }, name=name)


class Table(Schema):
    id = fields.Integer()
    name = fields.String()
    location = fields.String()


class Slot(Schema):
    id = fields.Integer()
    starts_at = UtcDateTime()
    ends_at = UtcDateTime()


class ProgrammeSession(Schema):
    id = fields.Integer()
    kind = fields.String()
    title = fields.String()
    starts_at = UtcDateTime()
    ends_at = UtcDateTime()
    place = fields.String()
    description = fields.String()
    video_url = fields.String()
    signup = fields.Boolean(metadata={"description": "Participants sign up for it; the others are for everyone."})


class Event(Schema):
    id = fields.Integer()
    name = fields.String()
    venue = fields.String()
    description = fields.String()
    timezone = fields.String()
    registration_opens_at = UtcDateTime(allow_none=True)
    registration_deadline = UtcDateTime(allow_none=True)
    requests_open_at = UtcDateTime(allow_none=True)
    request_deadline = UtcDateTime(allow_none=True)
    schedule_published_at = UtcDateTime(allow_none=True)


class Participant(Schema):
    """A participant as others see them in the directory."""

    id = fields.Integer()
    name = fields.String()
    organisation_name = fields.String()
    organisation_type = fields.String()
    country = fields.String()
    region = fields.String()
    sectors = fields.List(fields.String())
    description = fields.String()
    offer = fields.String()
    seek = fields.String()
    meeting_mode = fields.String()


class ProfileIn(Schema):
    """The organisation profile a participant publishes."""

    organisation_name = Text(required=True, validate=validate.Length(1, 200))
    organisation_type = Text(required=True, validate=validate.OneOf(ORGANISATION_TYPES))
    country = Text(required=True, validate=validate.Length(2, 2))
    region = Text(load_default="", validate=validate.Length(max=120))
    sectors = fields.List(fields.String(validate=validate.OneOf(SECTORS)), load_default=list,
                          validate=validate.Length(max=len(SECTORS)))
    description = Text(load_default="", validate=validate.Length(max=2000))
    offer = Text(load_default="", validate=validate.Length(max=2000))
    seek = Text(load_default="", validate=validate.Length(max=2000))
    meeting_mode = Text(load_default="onsite", validate=validate.OneOf(MEETING_MODES))
    session_ids = fields.List(_id(), load_default=list, validate=validate.Length(max=200))
    max_meetings = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(1, 100))
    video_url = Text(load_default="", validate=validate.Length(max=500))
    # Left out: kept as they are (an older client does not erase them, nor answer consent for the person).
    phone = Text(validate=validate.Length(max=40))
    website = Text(validate=validate.Length(max=300))
    linkedin = Text(validate=validate.Length(max=300))
    networking_consent = fields.Boolean(metadata={
        "description": "Listed in the directory and contactable for meetings; without it, neither."})
    visibility = fields.String(validate=validate.OneOf(VISIBILITIES), metadata={
        "description": "all: other participants find them; organisers: only the organisers do."})


class Registration(Participant):
    """The caller's own registration: their profile, its status, contact details and privacy choices."""

    status = fields.String()
    video_url = fields.String()
    phone = fields.String()
    website = fields.String()
    linkedin = fields.String()
    networking_consent = fields.Boolean()
    visibility = fields.String()
    max_meetings = fields.Integer(allow_none=True)
    session_ids = fields.List(fields.Integer())


class DirectoryArgs(PageArgs):
    q = Text(load_default="", validate=validate.Length(max=200))
    country = Text(load_default="", validate=validate.Length(max=2))
    type = Text(load_default="", validate=validate.OneOf(("", *ORGANISATION_TYPES)))
    sector = Text(load_default="", validate=validate.OneOf(("", *SECTORS)))


class Opportunity(Schema):
    """An opportunity of the event's marketplace, as other participants see it."""

    id = fields.Integer()
    kind = fields.String(metadata={"enum": list(OPPORTUNITY_KINDS)})
    category = fields.String(metadata={"description": "The category's code in the event's list."})
    title = fields.String()
    description = fields.String()
    sectors = fields.List(fields.String())
    deadline = fields.Date(allow_none=True)
    participant_id = fields.Integer()
    organisation_name = fields.String(attribute="participant.organisation_name")
    country = fields.String(attribute="participant.country")
    region = fields.String(attribute="participant.region")


class OpportunityArgs(PageArgs):
    q = Text(load_default="", validate=validate.Length(max=200))
    kind = Text(load_default="", validate=validate.OneOf(("", *OPPORTUNITY_KINDS)))
    category = Text(load_default="", validate=validate.Length(max=48))
    sector = Text(load_default="", validate=validate.OneOf(("", *SECTORS)))
    country = Text(load_default="", validate=validate.Length(max=2))
    region = Text(load_default="", validate=validate.Length(max=120))
    type = Text(load_default="", validate=validate.OneOf(("", *ORGANISATION_TYPES)))


def _time(**kwargs) -> fields.String:
    """An instant in UTC as ISO-8601 text (``2030-05-20T07:00:00Z``), as the shared shapes write it."""
    return fields.String(metadata={"format": "date-time"}, **kwargs)


class Ref(Schema):
    """A participant as named inside a request or meeting."""

    id = fields.Integer()
    name = fields.String()
    organisation = fields.String()


WINDOW_HELP = ("When the meeting may take place: \"any\" (any time), a day of the event \"2026-05-20\", "
               "its morning \"2026-05-20:morning\" (slots starting before 12:00 event time) or its afternoon "
               "\"2026-05-20:afternoon\" (from 12:00).")
MUST_MEET_HELP = ("Mark the request \"must meet\": it weighs more in the organiser's scheduling runs. Each "
                  "participant may mark as many open requests as the event's quota allows.")


class MeetingRequest(Schema):
    id = fields.Integer()
    status = fields.String()
    online = fields.Boolean()
    requester = fields.Nested(Ref)
    recipient = fields.Nested(Ref)
    created_at = _time()
    responded_at = _time(allow_none=True)
    message = fields.String()
    meeting_id = fields.Integer(allow_none=True)
    opportunity_id = fields.Integer(allow_none=True, metadata={
        "description": "The marketplace opportunity (of the recipient) the request is about."})
    window = fields.String(metadata={"description": WINDOW_HELP})
    must_meet = fields.Boolean(metadata={"description": "Whether the caller marked the request \"must meet\"."})
    decline_reason = fields.String(metadata={
        "description": "Why the recipient declined (empty when they gave no reason); seen by the two sides only."})


class RequestIn(Schema):
    recipient_id = _id(required=True)
    message = Text(load_default="", validate=validate.Length(max=1000))
    online = fields.Boolean(load_default=False)
    opportunity_id = _id(load_default=None, allow_none=True, metadata={
        "description": "A published marketplace opportunity of the recipient the request is about."})
    window = Text(load_default="any", validate=validate.Length(max=32), metadata={"description": WINDOW_HELP})
    must_meet = fields.Boolean(load_default=False, metadata={"description": MUST_MEET_HELP})


class DeclineIn(Schema):
    """Declining may say why: the requester sees the reason (on the page, the API and the e-mail)."""

    reason = Text(load_default="", validate=validate.Length(max=500))


class MessageIn(Schema):
    """The new message of a request one sent, while it waits for an answer."""

    message = Text(required=True, validate=validate.Length(max=1000))


class AcceptIn(Schema):
    """Accepting may change the request's time window (left out: the requester's stands)."""

    window = Text(load_default=None, allow_none=True, validate=validate.Length(max=32),
                  metadata={"description": WINDOW_HELP})
    must_meet = fields.Boolean(load_default=False, metadata={"description": MUST_MEET_HELP})


class Requests(Schema):
    received = fields.List(fields.Nested(MeetingRequest))
    sent = fields.List(fields.Nested(MeetingRequest))


class Contacts(Schema):
    """How to reach a partner: the account's e-mail, and what they gave (empty strings otherwise)."""

    email = fields.String()
    phone = fields.String()
    website = fields.String()
    linkedin = fields.String()


class SlotRef(Schema):
    id = fields.Integer()
    start = _time()
    end = _time()


class Meeting(Schema):
    """A meeting, as webhooks describe it too."""

    id = fields.Integer()
    request_id = fields.Integer()
    status = fields.String(metadata={"description": "scheduled, unscheduled or cancelled"})
    participants = fields.List(fields.Nested(Ref), metadata={"description": "The requester, then the recipient."})
    online = fields.Boolean()
    slot = fields.Nested(SlotRef, allow_none=True,
                         metadata={"description": "Null until scheduled and, for participants, published."})
    table = fields.Nested(Table, allow_none=True)
    unscheduled_reason = fields.String(allow_none=True)
    cancelled_at = _time(allow_none=True)
    cancel_reason = fields.String()
    attendance = fields.String(allow_none=True)
    pinned = fields.Boolean()
    video_url = fields.String()
    updated_at = _time()
    partner_contacts = fields.Nested(
        Contacts, allow_none=True,
        metadata={"description": "Only in a participant's own answers: the other side's contact details, "
                                 "null once the meeting is cancelled. Never in webhook bodies."})


class CancelIn(Schema):
    reason = Text(required=True, validate=validate.Length(1, 500))


class AttendanceIn(Schema):
    value = Text(required=True, allow_none=True, validate=validate.OneOf(ATTENDANCE),
                          metadata={"description": "held, no_show, or null to clear"})


class AgendaEntry(Schema):
    starts_at = UtcDateTime()
    ends_at = UtcDateTime()
    meeting = fields.Nested(Meeting, allow_none=True)
    session = fields.Nested(ProgrammeSession, allow_none=True)


class Agenda(Schema):
    published = fields.Boolean(metadata={"description": "False until the organisers publish times and tables."})
    entries = fields.List(fields.Nested(AgendaEntry))
    unscheduled = fields.List(fields.Nested(Meeting))


class OrganiserParticipant(Registration):
    email = fields.String()


class ParticipantArgs(PageArgs):
    q = Text(load_default="", validate=validate.Length(max=200))
    status = Text(load_default="", validate=validate.OneOf(("", *PARTICIPANT_STATUSES)))


class MeetingArgs(PageArgs):
    updated_since = UtcDateTime(load_default=None, metadata={"description": "Only meetings changed since then."})


class RunIn(Schema):
    time_limit = fields.Integer(load_default=10, validate=validate.Range(1, 60))


class Run(Schema):
    id = fields.Integer()
    status = fields.String()
    value = fields.Integer(allow_none=True)
    bound = fields.Integer(allow_none=True)
    created_at = UtcDateTime()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(),
                         metadata={"description": "What publishing would change: added, moved, unchanged, ..."})
    stale = fields.Boolean(metadata={"description": "The live schedule changed since the draft was made."})


class JobResult(Schema):
    """What a finished job left; while an import runs, its counts so far."""

    run_id = fields.Integer(allow_none=True, metadata={"description": "A scheduler run's draft."})
    run = fields.String(allow_none=True, metadata={"description": "The draft's address: review it, then publish."})
    value = fields.Integer(metadata={"description": "A scheduler run: the meetings the draft schedules."})
    bound = fields.Integer(metadata={"description": "A scheduler run: at most this many are possible."})
    nothing_to_schedule = fields.Boolean(metadata={
        "description": "A scheduler run: the meetings were cancelled before it started, so there is no draft."})
    changed = fields.Integer(metadata={"description": "A publishing: meetings whose place changed."})
    imported = fields.Integer(metadata={"description": "An import: participants imported."})
    already_registered = fields.Integer(metadata={"description": "An import: rows left as they were."})


class Job(Schema):
    """Long work done by the background process: poll it (``Retry-After`` says when) until it is finished."""

    id = fields.Integer()
    kind = fields.String(validate=validate.OneOf(JOB_KINDS))
    status = fields.String(validate=validate.OneOf(API_JOB_STATUSES),
                           metadata={"description": "queued and running: not finished yet; done or failed: final."})
    done = fields.Integer(metadata={"description": "Steps (rows of an import) finished so far."})
    total = fields.Integer(metadata={"description": "Steps in all; 0 while not countable."})
    result = fields.Nested(JobResult)
    error = fields.String(metadata={"description": "Why it failed, for people; empty unless failed."})
    created_at = UtcDateTime()
    finished_at = UtcDateTime(allow_none=True)


class ExportArgs(Schema):
    format = Text(load_default="csv", validate=validate.OneOf(("csv", "xlsx")))
