"""SQLAlchemy models, one module per aggregate."""
from .api import ApiToken, IdempotentResponse
from .audit import AuditEntry
from .background_job import BackgroundJob
from .blocked_time import BlockedTime
from .event import Event, EventDay, MeetingSession, MeetingTable, Slot, event_organiser, table_closure
from .invitation import OrganiserInvitation
from .meeting import Meeting, MeetingRequest, SlotBooking
from .opportunity import Opportunity, OpportunitySector
from .outbox import OutboxMessage
from .outcome import MeetingOutcome
from .participant import Participant, ParticipantSector, participant_session
from .programme import ProgrammeSession, programme_attendance
from .recommendation import AnnouncedPartner, PartnerMark, Recommendation
from .schedule_run import ScheduleRun
from .sentence_vector import SentenceVector
from .user import User
from .webhook import WebhookDelivery, WebhookEndpoint

__all__ = [
    "AnnouncedPartner", "ApiToken", "AuditEntry", "BackgroundJob", "BlockedTime", "Event", "EventDay",
    "IdempotentResponse",
    "Meeting", "MeetingOutcome", "MeetingRequest", "MeetingSession", "MeetingTable", "Opportunity", "OpportunitySector",
    "OrganiserInvitation", "OutboxMessage", "Participant", "ParticipantSector", "PartnerMark", "ProgrammeSession",
    "Recommendation", "ScheduleRun", "SentenceVector", "Slot", "SlotBooking", "User", "WebhookDelivery",
    "WebhookEndpoint", "event_organiser", "participant_session", "programme_attendance", "table_closure",
]
