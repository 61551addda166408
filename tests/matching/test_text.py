"""Folding, stems and sentences: inflected forms and diacritics of the six languages meet."""

from matchmaking.matching.text import fold, sentences, terms, without_intent


def test_fold_removes_diacritics_including_polish_l() -> None:
    assert fold("Mēbeļu Łódź Straße Žemaitija Põhjala") == "mebelu lodz strasse zemaitija pohjala"


def test_inflected_forms_share_a_term() -> None:
    assert terms("spółdzielni") == terms("spółdzielnia")
    assert terms("klasteri") == terms("klasteris")
    assert terms("baldai") == terms("baldų")  # a change inside the first six letters
    assert terms("mēbeļu") == terms("mēbeles")
    assert terms("Möbelherstellern")[0] == terms("möbelhersteller")[0]


def test_stopwords_and_digits_are_not_terms() -> None:
    assert terms("We are looking for the 40 partners in Riga") == ["lookin", "partn", "rig"]


def test_sentences_split_on_punctuation_and_lines() -> None:
    assert sentences("Szukamy mebli. Oferujemy drewno!\n- Transport\n\n") == [
        "Szukamy mebli.", "Oferujemy drewno!", "Transport"]
    assert sentences("") == []
    assert sentences(" ... ") == []


def test_seek_intent_is_dropped_but_never_to_nothing() -> None:
    assert without_intent("Wir suchen Lieferanten für Schnittholz.") == "Lieferanten für Schnittholz."
    assert without_intent("Meklējam arī jūras kravu pārvadātājus.") == "jūras kravu pārvadātājus."
    assert without_intent("We are looking for") == "We are looking for"
