"""Every form and every query parameter, fed hostile input, answers without a 500.

The routes are enumerated from the app's URL map, so a new form or page is covered without a line
here. Each POST route is reached as the role that may use it (with real rows of the event in its
URL), and posted with control characters, non-ASCII digits and a megabyte in each of its fields;
each GET route gets non-ASCII digits, huge integers, NUL bytes and 10 kB in every query parameter
the pages read. A refusal is a 4xx, or the page (or the page it redirects to) with the reason.
Run on SQLite and on PostgreSQL (TEST_DATABASE_URL), which refuses NUL and integers past 2**31-1.
"""
from __future__ import annotations

import re
from datetime import date, time

import pytest
from werkzeug.routing import AnyConverter

from matchmaking.extensions import db
from matchmaking.models import Event, Meeting, Participant, User
from matchmaking.services import api_tokens, blocked_time, invitations, outcomes, programme, scheduling_runs
from matchmaking.web import forms as web_forms
from tests.test_permissions import EMAILS, world  # noqa: F401 (the fixture)

MB = 1_000_000
REFUSALS_AND_ANSWERS = {200, 302, 303, 400, 403, 404, 405, 409, 413, 422, 429}
CONTROL = "Ann\x00a\x0b Bērziņa\r\nBcc: x@example.org"
DIGITS = ("²", "٣", "１２")
# Every query parameter a page reads (request.args, arg_int, arg_text in web/), and some it does not.
QUERY_PARAMETERS = ("page", "slot", "table", "participant", "day", "q", "status", "sort", "country", "region", "type",
                    "sector", "next", "filters", "what", "fmt", "show")
QUERY_VALUES = (*DIGITS, "99999999999999999999", "2147483648", "-1", "0", "\x00", "1\x00", "9" * 10_000,
                "ą" * 10_000, "\r\n")
SKIPPED = ("static", "api.", "api_", "api-docs")  # the JSON API has its own matrix below
# Forms the probe must find fields in (so that a broken probe cannot pass the test by finding none).
HAS_FIELDS = {"participant.profile", "participant.register", "participant.send_request", "organiser.add_session",
              "organiser.add_programme", "organiser.invite_organiser", "organiser.table", "organiser.message",
              "organiser_home.new_event", "account.signup", "account.tokens", "organiser.table_owner",
              "participant.new_opportunity", "participant.edit_opportunity", "organiser.marketplace_categories",
              "participant.block_time", "participant.accept", "organiser.look", "participant.upload_logo",
              "organiser.edit_programme", "participant.decline", "participant.edit_message",
              "participant.meet", "organiser.arrange_now"}
SILENT = {"account.language"}  # the language switch keeps the language when it is sent one it does not know
DATA_FOR = {"participant.register": "nobody", "account.signup": None, "account.login": None,
            "participant.edit_message": "karl",  # the pending request is karl's
            "account.outcome_link": None}


def _role(endpoint: str) -> str | None:
    if endpoint in DATA_FOR:
        return DATA_FOR[endpoint]
    if endpoint.startswith(("organiser.", "organiser_home.")):
        return "owner"
    if endpoint.startswith("admin."):
        return "admin"
    return "anna"


@pytest.fixture
def rows(app, world):  # noqa: F811
    """The permission tests' world, with a programme session, an API token, a draft schedule run and
    an invitation's token: every id a URL of the app can carry."""
    with app.app_context():
        event = db.session.get(Event, world.event)
        owner = db.session.query(User).filter_by(email=EMAILS["owner"]).one()
        anna = db.session.query(User).filter_by(email=EMAILS["anna"]).one()
        talk = programme.add_session(event=event, details=programme.SessionDetails(
            kind="workshop", title="Export to Latvia", day=date(2030, 5, 20), start=time(11, 0), end=time(12, 0),
            signup=True))
        token, _secret = api_tokens.create_token(user=anna, name="matrix", scopes=("participant",))
        run = scheduling_runs.create_draft(event=event, actor=owner, time_limit=1)
        invitation = invitations.invite_organiser(event=event, inviter=owner, email="anna@example.org",
                                                  secret_key=app.config["SECRET_KEY"])
        blocked = blocked_time.add(participant=db.session.get(Participant, world.anna), block=blocked_time.Block(
            day=date(2030, 5, 20), start=time(15, 0), end=time(16, 0), label="Stand duty"))
        db.session.commit()
        world.blocked = blocked.id
        world.programme = talk.id
        world.token_id = token.id
        world.run = run.id
        world.invitation_token = invitations.link_token(invitation, app.config["SECRET_KEY"])
        world.invitation_id = invitation.id
        world.outcome_token = outcomes.link_token(db.session.get(Meeting, world.meeting),
                                                  db.session.get(Participant, world.anna),
                                                  secret_key=app.config["SECRET_KEY"])
    return world


def _value(endpoint: str, name: str, converter, ids) -> str:
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    by_name = {
        "event_id": ids.event, "day_id": ids.day, "table_id": ids.table, "participant_id": ids.karl,
        "request_id": ids.request, "meeting_id": ids.meeting, "run_id": ids.run, "token_id": ids.token_id,
        "endpoint_id": ids.hook, "delivery_id": ids.delivery, "user_id": ids.karl_user,
        "invitation_id": ids.invitation_id, "job_id": ids.job, "blocked_id": ids.blocked,
        # a participant's check-in code on the organiser's check-in URLs, else an invitation's token
        "token": ids.anna_token if endpoint.startswith("organiser.check") else ids.invitation_token,
        "session_id": ids.session if endpoint == "organiser.delete_session" else ids.programme,
        # anna's own opportunity, except the one she requests a meeting about: karl's
        "opportunity_id": ids.karl_opportunity if endpoint == "participant.request_about" else ids.opportunity,
    }
    if endpoint == "account.feed":
        return "0" * 40
    if endpoint == "public.media":
        return "0" * 64 + ".png"  # a picture's name (no such file: a 404)
    if endpoint == "public.accent_css":
        return "1e6b36"
    if endpoint == "account.outcome_link":  # anna's signed link about her meeting (no log-in needed)
        return ids.outcome_token
    return str(by_name[name])


def _routes(app, method: str) -> list[tuple[str, object]]:
    return [(rule.endpoint, rule) for rule in app.url_map.iter_rules() if method in rule.methods]


def _url(rule, ids) -> str:
    values = {name: _value(rule.endpoint, name, rule._converters[name], ids) for name in rule.arguments}
    url = rule.rule
    for name in rule.arguments:
        url = re.sub(rf"<(?:[^<>:]+:)?{name}>", values[name], url)
    return url


def _endpoints(method: str, api: bool = False, with_ids: bool = False) -> list[str]:
    from werkzeug.routing import IntegerConverter

    from config import TestConfig
    from matchmaking import create_app

    rules = list(create_app(TestConfig).url_map.iter_rules())
    if with_ids:
        return sorted({r.endpoint for r in rules if r.endpoint != "static"
                       and any(isinstance(c, IntegerConverter) for c in r._converters.values())})
    if api:
        return sorted({r.endpoint for r in rules if method in r.methods and r.endpoint.startswith(API_AREAS)})
    return sorted({r.endpoint for r in rules if method in r.methods and not r.endpoint.startswith(SKIPPED)})


API_AREAS = ("api.", "api_organiser.")
POST_ENDPOINTS = _endpoints("POST")
GET_ENDPOINTS = _endpoints("GET")
API_GET_ENDPOINTS = _endpoints("GET", api=True)


def _rule(app, endpoint: str, method: str):
    return next(rule for e, rule in _routes(app, method) if e == endpoint)


def _browser(make_browser, endpoint: str):
    browser = make_browser()
    role = _role(endpoint)
    if role is not None:
        browser.login(EMAILS[role])
    return browser


SAID_RE = re.compile(r'<div class="flash \w+" role="status">|<p class="field-error">')


def _assert_answered(response, what: str, *, says: bool = False) -> None:
    """A 4xx, or a page; with ``says``, a page that tells the person what happened (a notice or a field's error)."""
    assert response.status_code in REFUSALS_AND_ANSWERS, f"{what}: {response.status_code}"
    if response.status_code == 200 and not response.mimetype.startswith(("text/", "application/json")):
        return  # a download (XLSX): answered, and not a page to read
    text = response.get_data(as_text=True)
    assert "Traceback" not in text, what
    if says and response.status_code == 200:
        assert SAID_RE.search(text), f"{what}: the page does not say what happened"


def _fields_of(browser, url: str, monkeypatch) -> dict[str, object]:
    """The fields of the forms a POST to ``url`` reads (found by posting nothing and watching;
    not the forms of the page it redirects to)."""
    seen: dict[str, object] = {}
    original = web_forms.Form.process

    def watch(form, *args, **kwargs):
        original(form, *args, **kwargs)
        seen.update({name: field for name, field in form._fields.items() if name != "csrf_token"})

    monkeypatch.setattr(web_forms.Form, "process", watch)
    _assert_answered(browser.post(url, {}), f"POST {url} (nothing)")
    monkeypatch.setattr(web_forms.Form, "process", original)
    return seen


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_every_form_refuses_hostile_input_without_a_500(app, rows, make_browser, monkeypatch, endpoint):
    url = _url(_rule(app, endpoint, "POST"), rows)
    fields = _fields_of(_browser(make_browser, endpoint), url, monkeypatch)
    assert fields or endpoint not in HAS_FIELDS, f"no form fields found for {endpoint}"

    cases = [("control characters", dict.fromkeys(fields, CONTROL))]
    cases += [(f"the digit {d!r}", dict.fromkeys(fields, d)) for d in DIGITS]
    for label, data in cases:
        browser = _browser(make_browser, endpoint)  # a fresh session: a log-out or a refusal does not carry over
        _assert_answered(browser.post(url, data, follow_redirects=True), f"POST {url} with {label}",
                         says=endpoint not in SILENT)

    for name in fields:
        browser = _browser(make_browser, endpoint)
        big = "Ж" * MB
        response = browser.post(url, {name: big}, follow_redirects=True)
        _assert_answered(response, f"POST {url} with a megabyte in {name}",
                         says=endpoint not in SILENT)
        assert "Ж" * 1000 not in response.get_data(as_text=True), f"POST {url}: the megabyte in {name} is shown back"


@pytest.mark.parametrize("endpoint", GET_ENDPOINTS)
def test_every_page_reads_hostile_query_parameters_without_a_500(app, rows, make_browser, endpoint):
    url = _url(_rule(app, endpoint, "GET"), rows)
    browser = _browser(make_browser, endpoint)

    for value in QUERY_VALUES:
        response = browser.get(url, query_string=dict.fromkeys(QUERY_PARAMETERS, value), follow_redirects=True)
        _assert_answered(response, f"GET {url} with {value[:20]!r}")


@pytest.mark.parametrize("name", ["slot", "table"])
def test_the_grids_move_check_reads_hostile_places_without_a_500(app, rows, make_browser, name):
    """The check the grid asks while a meeting is dragged: a place that cannot be one is a 404 (a slot)
    or the move form's refusal (no table for a meeting on site), always without a 500."""
    with app.app_context():
        from matchmaking.models import Meeting

        slot = db.session.get(Meeting, rows.meeting).slot_id
    browser = _browser(make_browser, "organiser.move_check")
    url = f"/organiser/events/{rows.event}/meetings/{rows.meeting}/move-check"

    for value in QUERY_VALUES:
        response = browser.get(url, query_string={"slot": slot, "table": rows.table, name: value})
        _assert_answered(response, f"GET {url} with {name}={value[:20]!r}")
        assert response.status_code in (200, 404), value[:20]
        if response.status_code == 200:
            assert response.get_json() == {"ok": False, "reason": "Choose a table for a meeting on site."}


# --- The JSON API ---------------------------------------------------------------------------------

def _api_schemas():
    from marshmallow import Schema

    from matchmaking.web.api import schemas

    return [value for name, value in vars(schemas).items()
            if isinstance(value, type) and issubclass(value, Schema) and name.endswith(("In", "Args"))]


def test_every_api_input_string_is_capped():
    """A string the API reads has a length cap or a list of values: a megabyte is a 422, not a DB error."""
    from marshmallow import fields, validate

    unbounded = []
    for schema in _api_schemas():
        for name, field in schema().fields.items():
            inner = field.inner if isinstance(field, fields.List) else field
            if isinstance(inner, fields.String) and not isinstance(inner, fields.DateTime):
                checks = inner.validators
                if not any(isinstance(v, validate.Length | validate.OneOf) for v in checks):
                    unbounded.append(f"{schema.__name__}.{name}")
    assert not unbounded


API_WRITES = {  # a valid body for each write, whose every field is then replaced in turn
    "api.update_my_profile": {"organisation_name": "Klaster Łomża", "organisation_type": "cluster",
                              "country": "PL", "region": "", "description": "", "offer": "", "seek": "",
                              "meeting_mode": "onsite", "video_url": "", "sectors": ["textiles"],
                              "session_ids": [], "max_meetings": 5},
    "api.create_request": {"recipient_id": "{karl}", "message": "Tere!", "online": False,
                           "window": "2030-05-20:morning", "must_meet": True},
    "api.accept_request": {"window": "2030-05-20:afternoon", "must_meet": True},
    "api.cancel_meeting": {"reason": "Flight cancelled"},
    "api.attendance": {"value": "held"},
    "api_organiser.start_run": {"time_limit": 1},
}
API_VALUES = ("Ж" * MB, "a\x00b", CONTROL, *DIGITS, 99999999999999999999, -1, None, [], {})


def _api_rule(app, endpoint: str):
    return next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)


def _api_client(app, endpoint: str):
    from tests.test_api import Api, token_for

    if endpoint.startswith("api_organiser."):
        return Api(app.test_client(), token_for(app, EMAILS["owner"], "organiser"))
    return Api(app.test_client(), token_for(app, EMAILS["anna"]))


@pytest.mark.parametrize("endpoint", sorted(API_WRITES))
def test_every_api_write_refuses_hostile_json_without_a_500(app, rows, endpoint):
    rule = _api_rule(app, endpoint)
    url = _url(rule, rows)
    client = _api_client(app, endpoint)
    send = client.put if "PUT" in rule.methods else client.post
    base = {k: (int(v.format(**vars(rows))) if isinstance(v, str) and v.startswith("{") else v)
            for k, v in API_WRITES[endpoint].items()}

    for name in base:
        for value in API_VALUES:
            response = send(url, json={**base, name: value})
            what = f"{endpoint} with {name}={str(value)[:20]!r}"
            assert response.status_code < 500, what
            assert "Ж" * 1000 not in response.get_data(as_text=True), f"{what}: the megabyte is shown back"


API_QUERY = ("page", "per_page", "q", "status", "country", "region", "type", "sector", "updated_since", "format")


@pytest.mark.parametrize("endpoint", API_GET_ENDPOINTS)
def test_every_api_read_takes_hostile_query_parameters_without_a_500(app, rows, endpoint):
    url = _url(_api_rule(app, endpoint), rows)
    client = _api_client(app, endpoint)

    for value in QUERY_VALUES:
        response = client.get(url, query_string=dict.fromkeys(API_QUERY, value))
        assert response.status_code in {200, 304, 400, 404, 422}, f"{endpoint} with {value[:20]!r}"


# --- Uploads and the size limit -------------------------------------------------------------------

IMPORT_HEADER = "name,email,organisation,type,country,region,sectors,description,offer,seek,meeting_mode"


@pytest.mark.parametrize(("content", "message"), [
    (IMPORT_HEADER, "The file has only the header row: add one row per participant below it."),
    (IMPORT_HEADER + "\n,,,, ,\n\n", "The file has only the header row: add one row per participant below it."),
    (IMPORT_HEADER + '\n"' + "x" * 200_000 + '",z@example.org,Org,cluster,PL,,,,,,onsite',
     "The file could not be read as CSV; check that no cell is very long and that quotes are closed."),
    (IMPORT_HEADER + "\nAnna,z@example.org,Org,cluster,PL,,," + "y" * 140_000 + ",,,onsite",
     "The file could not be read as CSV; check that no cell is very long and that quotes are closed."),
], ids=["header-only", "header-and-empty-row", "name-of-200k", "description-of-140k"])
def test_an_import_file_without_rows_or_with_a_huge_cell_is_refused(app, rows, make_browser, content, message):
    import io

    from tests.snapshots import db_snapshot
    from tests.test_bad_input import messages

    organiser = _browser(make_browser, "organiser.import_participants")
    before = db_snapshot(app)

    page = organiser.post(f"/organiser/events/{rows.event}/participants/import",
                          {"file": (io.BytesIO(content.encode()), "people.csv")}, content_type="multipart/form-data")

    assert page.status_code == 200
    assert message in messages(page)
    assert db_snapshot(app) == before


@pytest.mark.parametrize("language", ["en", "pl", "lv"])
def test_a_post_over_the_size_limit_gets_a_translated_page(app, rows, make_browser, language):
    browser = _browser(make_browser, "participant.profile")
    browser.post("/language", {"locale": language})
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)

    page = browser.post(f"/events/{rows.event}/profile", {"offer": big})

    assert page.status_code == 413
    text = page.get_data(as_text=True)
    expected = {"en": "What you sent is too large: a file or a form may have at most 5 MB.",
                "pl": "Przesłane dane są za duże: plik lub formularz może mieć najwyżej 5 MB.",
                "lv": "Nosūtītie dati ir pārāk lieli: fails vai veidlapa drīkst būt ne lielāka par 5 MB."}[language]
    assert expected in text
    assert "x" * 1000 not in text


def _all_form_classes() -> list[type]:
    import matchmaking.web.account.forms
    import matchmaking.web.organiser.forms
    import matchmaking.web.participant.forms  # noqa: F401 (their forms register as subclasses)

    found, todo = [], [web_forms.Form]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_text_field_of_every_form_has_a_length_cap():
    """Every text input (one-line, text area, e-mail, password, URL) says how long it may be, so the
    form refuses (and empties) a longer one instead of passing it to the database or the page."""
    from wtforms import StringField
    from wtforms.fields.core import UnboundField
    from wtforms.validators import Length

    uncapped = []
    for cls in _all_form_classes():
        for name in dir(cls):
            unbound = getattr(cls, name, None)
            if isinstance(unbound, UnboundField) and issubclass(unbound.field_class, StringField):
                validators = unbound.kwargs.get("validators") or (unbound.args[1] if len(unbound.args) > 1 else ())
                if not any(isinstance(v, Length) and v.max and v.max > 0 for v in validators):
                    uncapped.append(f"{cls.__name__}.{name}")
    assert len(_all_form_classes()) > 20
    assert not uncapped


@pytest.mark.parametrize("endpoint", _endpoints("", with_ids=True))
def test_every_id_in_a_path_past_the_integer_columns_is_a_404(app, rows, make_browser, endpoint):
    """``<int:...>`` takes only ids an INTEGER column can hold: a larger one is a 404 before any query."""
    from werkzeug.routing import IntegerConverter

    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    ids = [name for name in rule.arguments if isinstance(rule._converters[name], IntegerConverter)]
    api = endpoint.startswith(API_AREAS)
    browser = _api_client(app, endpoint) if api else _browser(make_browser, endpoint)
    method = "GET" if "GET" in rule.methods else "PUT" if "PUT" in rule.methods else "POST"
    send = {"GET": browser.get, "PUT": getattr(browser, "put", None), "POST": browser.post}[method]
    for name in ids:
        for huge in ("2147483648", "99999999999999999999", "٣", "0"):
            url = re.sub(rf"<int:{name}>", huge, rule.rule)
            for other in rule.arguments - {name}:
                url = re.sub(rf"<(?:[^<>:]+:)?{other}>", _value(endpoint, other, rule._converters[other], rows), url)
            response = send(url) if method == "GET" else send(url, {})
            # The API answers a POST to an address no route has with 405 (its catch-all for unknown
            # addresses takes GET): a refusal too, before any query.
            assert response.status_code in ({404, 405} if api else {404}), f"{method} {url}: {response.status_code}"
