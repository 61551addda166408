"""Importing participants from a CSV or XLSX file: read, check every row, then import all or nothing."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Event, Participant, User
from ..models.participant import COUNTRY_CODES, MEETING_MODES, ORGANISATION_TYPES, SECTORS
from . import accounts, audit, registration
from .errors import ServiceError
from .text import has_control_characters

COLUMNS = ("name", "email", "organisation", "type", "country", "region", "sectors", "description", "offer", "seek",
           "meeting_mode", "networking")
REQUIRED = ("name", "email", "organisation", "type", "country")
LIMITS = {"name": 120, "email": 254, "organisation": 200, "region": 120, "description": 2000, "offer": 2000,
          "seek": 2000}
ONE_LINE = ("name", "email", "organisation", "type", "country", "region", "sectors", "meeting_mode", "networking")
# The optional "networking" column: consent to networking the organiser collected; empty means yes,
# as for everyone registered before consent was asked.
YES, NO = ("yes", "y", "true", "1", "tak", "jā", "ja"), ("no", "n", "false", "0", "nie", "nē", "ne")
MAX_ROWS = 5000


@dataclass(frozen=True)
class ImportRow:
    line: int  # the row's line in the file, the header being line 1
    values: dict[str, str]
    errors: tuple[str, ...]


def read_table(filename: str, data: bytes) -> list[dict[str, str]]:
    """The file's rows as dicts keyed by the lower-cased header; CSV (comma or semicolon) or XLSX."""
    if filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(data)
    elif filename.lower().endswith(".csv"):
        rows = _csv_rows(data)
    else:
        raise ServiceError(_("Upload a .csv or .xlsx file."))
    if not rows:
        raise ServiceError(_("The file is empty."))
    header = [str(h or "").strip().lower() for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ServiceError(_("The first row must name the columns; missing: %(columns)s",
                             columns=", ".join(missing)))
    body = [r for r in rows[1:] if any(str(v or "").strip() for v in r)]
    if not body:
        raise ServiceError(_("The file has only the header row: add one row per participant below it."))
    if len(body) > MAX_ROWS:
        raise ServiceError(_("At most %(num)d rows per file.", num=MAX_ROWS))
    return [{h: str(r[i] if i < len(r) and r[i] is not None else "").strip() for i, h in enumerate(header) if h}
            for r in body]


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError(_("Save the CSV file as UTF-8.")) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text.replace("\x00", "")), delimiter=delimiter))
    except csv.Error:  # e.g. a cell past the csv module's field size limit (131,072 characters)
        raise ServiceError(_("The file could not be read as CSV; check that no cell is very long and that "
                             "quotes are closed.")) from None


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    except Exception:  # openpyxl raises many kinds of errors for a damaged or foreign file
        raise ServiceError(_("This is not a readable .xlsx file.")) from None


def _type_code(value: str) -> str | None:
    folded = value.strip().lower().replace(" ", "_")
    return folded if folded in ORGANISATION_TYPES else None


def registered_emails(event: Event, emails: list[str] | None = None) -> set[str]:
    """The e-mail addresses (of ``emails``, or all) already registered for the event."""
    query = select(User.email).join(Participant, Participant.user_id == User.id).where(Participant.event_id == event.id)
    if emails is not None:
        query = query.where(User.email.in_(emails))
    return set(db.session.scalars(query))


def check_rows(event: Event, rows: list[dict[str, str]], *, registered_is_error: bool = True) -> list[ImportRow]:
    """Every row with the list of what is wrong with it (empty when it can be imported).

    ``registered_is_error=False`` is the import itself: a row whose person registered since the
    preview (or in an earlier chunk of an interrupted import) is skipped, not an error."""
    registered = registered_emails(event) if registered_is_error else set()
    seen: dict[str, int] = {}
    checked = []
    for number, raw in enumerate(rows, start=2):
        values = {c: raw.get(c, "") for c in COLUMNS}
        errors = [_("%(column)s: required", column=c) for c in REQUIRED if not values[c]]
        errors += [_("%(column)s: at most %(num)d characters", column=c, num=n)
                   for c, n in LIMITS.items() if len(values[c]) > n]
        errors += [_("%(column)s: use one line, without line breaks or tabs", column=c)
                   for c in ONE_LINE if has_control_characters(values[c])]
        email = accounts.normalise_email(values["email"])
        if values["email"]:
            try:
                validate_email(email, check_deliverability=False)
            except EmailNotValidError:
                errors.append(_("email: not an e-mail address: %(value)s", value=values["email"]))
        if email in seen:
            errors.append(_("email: also on line %(line)d", line=seen[email]))
        seen.setdefault(email, number)
        if email in registered:
            errors.append(_("email: already registered for this event"))
        if values["type"] and _type_code(values["type"]) is None:
            errors.append(_("type: unknown (%(value)s); use one of %(codes)s", value=values["type"],
                            codes=", ".join(ORGANISATION_TYPES)))
        if values["country"] and values["country"].upper() not in COUNTRY_CODES:
            errors.append(_("country: unknown code %(value)s (use two letters, such as PL or LV)",
                            value=values["country"]))
        sectors = [s.strip().lower() for s in values["sectors"].replace(",", ";").split(";") if s.strip()]
        unknown = [s for s in sectors if s not in SECTORS]
        if unknown:
            errors.append(_("sectors: unknown %(codes)s", codes=", ".join(unknown)))
        if values["meeting_mode"] and values["meeting_mode"].lower() not in MEETING_MODES:
            errors.append(_("meeting_mode: use one of %(codes)s", codes=", ".join(MEETING_MODES)))
        if values["networking"] and values["networking"].lower() not in YES + NO:
            errors.append(_("networking: use yes or no"))
        values["email"] = email
        checked.append(ImportRow(number, values, tuple(errors)))
    return checked


def import_rows(event: Event, rows: list[dict[str, str]], *, actor: User | None = None) -> int:
    """Register every row; all or nothing. New accounts get an unusable password and an invitation mail
    with a link to set one (which also confirms their address). The import is written to the audit log
    (``actor``: the organiser who confirmed it)."""
    checked = check_rows(event, rows)
    if not checked or any(row.errors for row in checked):
        raise ServiceError(_("Some rows have errors; nothing was imported."))
    sessions = all_session_ids(event)
    for row in checked:
        import_row(event, row.values, sessions)
    audit.record(event=event, actor=actor, action=audit.IMPORT, detail=str(len(checked)))
    return len(checked)


def all_session_ids(event: Event) -> tuple[int, ...]:
    """Imported participants take part in every meeting session."""
    return tuple(s.id for day in event.days for s in day.sessions)


def import_row(event: Event, v: dict[str, str], sessions: tuple[int, ...]) -> None:
    """Register one checked row (its account is created with an unusable password when it is new)."""
    user = accounts.find_user_by_email(v["email"])
    if user is None:
        user = User(name=v["name"], email=v["email"], password_hash=accounts.UNUSABLE_PASSWORD)
        db.session.add(user)
        db.session.flush()
        accounts.invite(user=user, event=event)  # a link to set a password, naming the event
    registration.register(user=user, event=event, profile=registration.Profile(
        organisation_name=v["organisation"], organisation_type=_type_code(v["type"]) or "other",
        country=v["country"].upper(), region=v["region"],
        sectors=tuple(s.strip().lower() for s in v["sectors"].replace(",", ";").split(";") if s.strip()),
        description=v["description"], offer=v["offer"], seek=v["seek"],
        meeting_mode=(v["meeting_mode"] or "onsite").lower(), session_ids=sessions,
        networking_consent=v.get("networking", "").lower() not in NO,
    ), by_organiser=True)
