"""A participant publishes an opportunity in the marketplace, finds another's and requests a meeting
about it; both sides see which opportunity the request and the meeting are about."""
from __future__ import annotations

from matchmaking.extensions import db
from matchmaking.models import Event
from matchmaking.services import marketplace
from tests.factories import make_user, register

from .conftest import check_accessibility, flash_text, log_in, screenshot

MARTA = ("marta.kowalczyk@e2e.example.org", "Marta Kowalczyk", "Pomorski Klaster Meblarski", "PL")
INESE = ("inese.kalnina@e2e.example.org", "Inese Kalniņa", "Latgales Amatnieku Kooperatīvs", "LV")
LINEN = "Lina audumi: meklējam izplatītājus Polijā"


def _people(site) -> None:
    with site.app.app_context():
        event = db.session.get(Event, site.event_id)
        for email, name, organisation, country in (MARTA, INESE):
            person = register(make_user(email, name), event, organisation=organisation, country=country,
                              organisation_type="social_cooperative" if country == "LV" else "cluster")
            if country == "LV":
                marketplace.publish(participant=person, draft=marketplace.Draft(
                    kind="offer", category="distribution", title=LINEN,
                    description="Roku darba lina audumi mēbelēm un interjeram.", sectors=("textiles",)))
        db.session.commit()


def test_publish_an_opportunity_and_request_a_meeting_about_anothers(site, new_page):
    _people(site)
    marta, inese = new_page(), new_page()
    log_in(marta, MARTA[0])

    # Marta publishes what she seeks.
    marta.goto(f"/events/{site.event_id}/marketplace")
    check_accessibility(marta, "marketplace")
    marta.locator("main").get_by_role("link", name="Publish an opportunity").first.click()
    check_accessibility(marta, "new opportunity form")
    marta.get_by_label("Kind").select_option(label="Request")
    marta.get_by_label("Category").select_option(label="Business cooperation: distribution services")
    marta.get_by_label("Title").fill("Szukamy tkanin lnianych do mebli tapicerowanych")
    marta.get_by_label("Description").fill("Producent mebli z Pomorza szuka dostawców tkanin lnianych.")
    marta.get_by_label("Wood and furniture").check()
    marta.get_by_role("button", name="Publish").click()
    assert "Your opportunity is published." in flash_text(marta)
    marta.goto(f"/events/{site.event_id}/marketplace/mine")
    assert "Szukamy tkanin lnianych do mebli tapicerowanych" in marta.locator("main").inner_text()

    # She finds the Latvian cooperative's offer by a word in another case, in capitals and without its
    # diacritics ("IZPLATITAJU" for "izplatītājus"), and the kind filter.
    marta.goto(f"/events/{site.event_id}/marketplace")
    marta.get_by_label("Search").fill("IZPLATITAJU")
    marta.get_by_label("Kind").select_option(label="Offer")
    marta.get_by_role("button", name="Filter").click()
    assert marta.locator("ul.opportunities li").count() == 1
    screenshot(marta, "marketplace")
    marta.get_by_role("link", name=LINEN).click()
    check_accessibility(marta, "opportunity page")
    marta.get_by_label("Message").fill("Dzień dobry! Chętnie porozmawiamy o dostawach lnu.")
    marta.get_by_role("button", name="Send request").click()
    assert f"Your request about “{LINEN}” was sent to {INESE[1]}." in flash_text(marta)
    assert LINEN in marta.locator("main").inner_text()  # her requests page says what it is about

    # Inese sees what the request is about, accepts, and the meeting in her agenda says it too.
    log_in(inese, INESE[0])
    inese.goto(f"/events/{site.event_id}/requests")
    received = inese.locator("table.list").first.inner_text()
    assert "About the opportunity" in received and LINEN in received
    inese.locator("table.list").first.get_by_role("button", name="Accept").click()
    inese.wait_for_url("**/agenda")
    assert LINEN in inese.locator("main").inner_text()

    # The organiser sees both in the console's marketplace, where they can hide one.
    organiser = new_page()
    log_in(organiser, site.organiser_email)
    organiser.goto(f"/organiser/events/{site.event_id}/marketplace")
    check_accessibility(organiser, "organiser's marketplace")
    listed = organiser.locator("#opportunities").inner_text()
    assert LINEN in listed and "Szukamy tkanin lnianych do mebli tapicerowanych" in listed
