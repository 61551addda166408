"""Search that understands our languages: inflected forms and diacritics find each other in the
directory and the marketplace, best matches come first, and paging follows the ranking.

The same assertions hold on SQLite and PostgreSQL (run with TEST_DATABASE_URL for the latter):
matching and ranking are computed in Python from the stored folded text.
"""
from __future__ import annotations

import pytest

from matchmaking.extensions import db
from matchmaking.services import directory, marketplace
from matchmaking.services.text import matched, query_stems, relevance, stems
from tests.factories import make_event, make_user, register


@pytest.mark.parametrize(("query", "text"), [
    ("spółdzielni", "Spółdzielnia Socjalna Żuraw"),                    # pl
    ("producentów mebli", "Szukamy: producenci mebli z Podlasia"),     # pl
    ("spoldzielnia", "Spółdzielni socjalnej"),                         # pl, without diacritics
    ("klasteri", "Vidzemes Pārtikas klasteris"),                       # lv
    ("partikas", "Pārtikas"),                                          # lv, without diacritics
    ("subrangovų gamyba", "Ieškome subrangovai baldų gamybai"),        # lt
    ("baldai", "Ieškome subrangovų baldų gamybai"),                   # lt, the change inside six letters
    ("mēbeles", "Mēbeļu ražotāju tīkls"),                             # lv
    ("ettevõtete", "Eesti ettevõte otsib partnerit"),                  # et
    ("ettevotete", "Eesti ettevõte otsib partnerit"),                  # et, without diacritics
    ("Möbelherstellern", "Wir sind Möbelhersteller aus Hamburg"),      # de
    ("MOBEL genossenschaften", "Möbel für eine Genossenschaft"),       # de, without diacritics
    ("manufacturers cooperatives", "Manufacturing cooperative"),        # en
])
def test_inflected_forms_and_diacritics_find_each_other(query, text):
    assert relevance(query_stems(query), title="", body=text) is not None


def test_every_word_is_required_and_function_words_are_left_out():
    assert relevance(query_stems("klasteri mebli"), title="", body="Vidzemes klasteris") is None
    assert query_stems("the cooperatives of Łódź") == ["cooper", "lodz"]
    assert query_stems("w") == ["w"]  # a search of nothing but a function word still searches
    assert query_stems("") == []
    assert relevance(query_stems("%"), title="100%", body="100%") is None  # punctuation finds nothing


def test_a_word_in_the_name_weighs_more_than_one_in_the_description():
    words = query_stems("klasteris")
    assert relevance(words, title="Klasteris", body="klasteris") > relevance(words, title="SIA", body="klasteris")


TEXTS = ("Spółdzielnia Socjalna Żuraw", "aklaster klasterowy_x _klaster", "ø ß æ klasteri Æbler", "100% e-valitsemist",
         "Mēbeļu ražotāju tīkls; Łódź – producenci mebli", "", "KLASTERIS-klasteris klasterisklasteris",
         "x xy Ⅻ ﬁrma", "aklaster bmebli")


@pytest.mark.parametrize("query", ["klaster", "klasteri mebli", "%", "ss", "x", "lodz", "e-valitsemist", "ø",
                                   "firma", "xii", "mebeles producentow", "ab"])
def test_relevance_answers_as_matching_every_stem_of_both_texts(query):
    """The quick search (only words beginning with a query stem are stemmed) ranks as the plain rule."""
    words = query_stems(query)
    for title in TEXTS:
        for body in TEXTS:
            title_stems, body_stems = stems(title), stems(body)
            scores = [2 if matched([q], title_stems) else 1 if matched([q], body_stems) else None for q in words]
            expected = None if None in scores else sum(scores)
            assert relevance(words, title=title, body=body) == expected, (query, title, body)


@pytest.fixture
def event_id(app):
    """Participants whose name, or only whose description, speaks of furniture cooperatives."""
    with app.app_context():
        event = make_event(make_user("org@example.org", organiser=True))
        register(make_user("a@example.org", "Anna Nowak"), event, organisation="Amber Logistics",
                 description="Współpracujemy ze spółdzielniami meblarskimi.", region="Pomorskie")
        register(make_user("b@example.org", "Bożena Wójcik"), event, organisation="Spółdzielnia Meblarska Bór",
                 region="Podlaskie")
        register(make_user("c@example.org", "Cezary Kot"), event, organisation="Cedar Trade",
                 offer="Drewno dla spółdzielni", region="Podlaskie")
        register(make_user("d@example.org", "Dāvis Bērziņš"), event, organisation="Rīgas Spółdzielnia Partner",
                 country="LV", region="Rīga")
        register(make_user("e@example.org", "Eva Tamm"), event, organisation="Tallinna Puit",
                 country="EE", region="Harjumaa", seek="Mööblitootjate ettevõtteid")
        db.session.commit()
        return event.id


def _names(event_id: int, page_size: int = 20, **filters) -> list[str]:
    result = directory.search(event_id=event_id, page_size=page_size, query=directory.DirectoryQuery(**filters))
    return [p.organisation_name for p in result.participants]


def test_directory_ranks_name_matches_first(ctx, event_id):
    # Two names and two descriptions say "spółdzielnia" in some form; the names come first, each
    # group in the usual alphabetical order.
    assert _names(event_id, text="spółdzielnie") == [
        "Rīgas Spółdzielnia Partner", "Spółdzielnia Meblarska Bór", "Amber Logistics", "Cedar Trade"]
    assert _names(event_id, text="SPOLDZIELNIA meblarskich") == ["Spółdzielnia Meblarska Bór", "Amber Logistics"]
    assert _names(event_id, text="ettevõte mööbli") == ["Tallinna Puit"]
    assert _names(event_id, text="spółdzielnie nowhere") == []


def test_directory_pages_follow_the_ranking(ctx, event_id):
    def page(number: int) -> directory.DirectoryPage:
        return directory.search(event_id=event_id, page_size=3,
                                query=directory.DirectoryQuery(text="spoldzielni", page=number))

    first, second = page(1), page(2)
    assert (first.total, first.pages, second.total, second.page) == (4, 2, 4, 2)
    assert [p.organisation_name for p in first.participants] == [
        "Rīgas Spółdzielnia Partner", "Spółdzielnia Meblarska Bór", "Amber Logistics"]
    assert [p.organisation_name for p in second.participants] == ["Cedar Trade"]
    assert page(9).page == 2


def test_region_filter_beside_the_country_filter(ctx, event_id):
    assert _names(event_id, country="PL", region="Podlaskie") == ["Cedar Trade", "Spółdzielnia Meblarska Bór"]
    assert _names(event_id, region="Rīga", text="spółdzielnia") == ["Rīgas Spółdzielnia Partner"]
    assert _names(event_id, region="Nowhere") == []
    assert directory.places_in(event_id, "PL")[1] == ["Podlaskie", "Pomorskie"]
    assert directory.places_in(event_id) == (["EE", "LV", "PL"], ["Harjumaa", "Podlaskie", "Pomorskie", "Rīga"])


def test_directory_page_offers_the_regions_of_the_chosen_country(browser, event_id):
    browser.login("a@example.org")
    page = browser.get(f"/events/{event_id}/participants?country=PL&region=Podlaskie").get_data(as_text=True)
    assert '<option value="Podlaskie" selected>' in page
    assert '<option value="Pomorskie" >' in page
    assert "Harjumaa" not in page  # another country's region is not offered
    assert "Cedar Trade" in page and "Amber Logistics" not in page


def test_marketplace_finds_inflected_forms_and_ranks_titles_first(ctx, app):
    event = make_event(make_user("org@example.org", organiser=True))
    owner = register(make_user("lv@example.org", "Līga Ozoliņa"), event, organisation="Latgales Kooperatīvs",
                     country="LV")
    marketplace.publish(participant=owner, draft=marketplace.Draft(
        kind="request", category="subcontracting", title="Klasteris meklē partnerus",
        description="Mēbeļu nozare"))
    marketplace.publish(participant=owner, draft=marketplace.Draft(
        kind="offer", category="distribution", title="Linu audumi",
        description="Meklējam sadarbību ar mēbeļu ražotājiem un klasteriem."))
    marketplace.publish(participant=owner, draft=marketplace.Draft(
        kind="offer", category="distribution", title="Producenci mebli szukają dystrybutorów"))
    db.session.commit()

    def titles(text: str, page: int = 1, page_size: int = 20) -> list[str]:
        result = marketplace.search(event_id=event.id, page_size=page_size,
                                    query=marketplace.MarketplaceQuery(text=text, page=page))
        return [o.title for o in result.opportunities]

    # The title match comes first although newer opportunities come first otherwise (equal scores):
    assert titles("klasteri") == ["Klasteris meklē partnerus", "Linu audumi"]
    assert titles("mebelu") == ["Linu audumi", "Klasteris meklē partnerus"]
    assert titles("producentów mebli") == ["Producenci mebli szukają dystrybutorów"]
    assert titles("klasteri", page=2, page_size=1) == ["Linu audumi"]
