"""Every message in the code is translated into every language we ship, and the app serves the translations.

Fails after a code change adds or edits a user-facing string until the catalogues are updated; the steps
are in docs/translating.md (extract, update, translate, compile).
"""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "matchmaking" / "translations"
# Every language but the source one (English) needs a complete catalogue.
TRANSLATED = ("pl", "lv")
# The same options as the extract command in docs/translating.md.
EXTRACT_ARGS = ["-F", str(ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext", "--no-location", "--sort-output",
                # templates/_macros: Babel skips folders starting with "_" unless told otherwise
                "--ignore-dirs", ".* node_modules"]


def _key(message_id) -> str:
    return message_id[0] if isinstance(message_id, tuple) else message_id


def _show(ids) -> str:
    return "\n  ".join(repr(i) for i in sorted(ids, key=str))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages the code has now, extracted as `pybabel extract` does."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", *EXTRACT_ARGS, "-o", str(pot), str(ROOT)])
    with pot.open("rb") as f:
        catalog = read_po(f)
    messages = {_key(m.id): m for m in catalog if m.id}
    assert len(messages) > 100, "extraction found almost nothing: is babel.cfg right?"
    return messages


def _catalog(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=language)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_in_the_code_is_translated(extracted, language):
    catalog = _catalog(language)
    missing = [key for key in extracted if catalog.get(key) is None]
    assert not missing, (
        f"{len(missing)} message(s) in the code are missing from {language}/LC_MESSAGES/messages.po; "
        f"run extract + update, translate, compile (docs/translating.md):\n  {_show(missing)}")
    plural_mismatch = [key for key, m in extracted.items()
                       if isinstance(m.id, tuple) != isinstance(catalog.get(key).id, tuple)]
    assert not plural_mismatch, f"singular/plural differs from the code in {language}:\n  {_show(plural_mismatch)}"
    untranslated, fuzzy = [], []
    for key in extracted:
        message = catalog.get(key)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if len(strings) != (catalog.num_plurals if isinstance(message.id, tuple) else 1) or not all(strings):
            untranslated.append(key)
        if message.fuzzy:
            fuzzy.append(key)
    assert not untranslated, f"empty translations in {language}:\n  {_show(untranslated)}"
    assert not fuzzy, f"fuzzy (unchecked) translations in {language}:\n  {_show(fuzzy)}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_committed_mo_files_are_compiled_from_the_po_files(language):
    folder = TRANSLATIONS / language / "LC_MESSAGES"
    fresh = io.BytesIO()
    write_mo(fresh, _catalog(language))  # what `pybabel compile` writes
    fresh.seek(0)
    with (folder / "messages.mo").open("rb") as f:
        committed = read_mo(f)
    expected = read_mo(fresh)

    def as_dict(catalog):
        def hashable(value):
            return tuple(value) if isinstance(value, list | tuple) else value

        return {hashable(m.id): hashable(m.string) for m in catalog if m.id}

    fresh_messages, committed_messages = as_dict(expected), as_dict(committed)
    stale = {k for k in fresh_messages.keys() | committed_messages.keys()
             if fresh_messages.get(k) != committed_messages.get(k)}
    assert not stale, (f"{language}/LC_MESSAGES/messages.mo is stale; run "
                       f"`pybabel compile -d matchmaking/translations`. Differs for:\n  {_show(stale)}")
    assert committed.plural_forms == expected.plural_forms


@pytest.mark.parametrize(("language", "words"), [
    ("pl", ["Zaloguj się", "Hasło", "Załóż konto"]),
    ("lv", ["Pieteikties", "Parole", "Izveidot kontu"]),
    ("en", ["Log in", "Password", "Create an account"]),
])
def test_pages_follow_the_browser_language(client, language, words):
    page = client.get("/login", headers={"Accept-Language": f"{language},en;q=0.5"}).get_data(as_text=True)
    for word in words:
        assert word in page


@pytest.mark.parametrize(("language", "count", "expected"), [
    ("pl", 1, "1 spotkanie"), ("pl", 2, "2 spotkania"), ("pl", 5, "5 spotkań"), ("pl", 22, "22 spotkania"),
    ("pl", 12, "12 spotkań"),
])
def test_polish_plural_forms(app, language, count, expected):
    with app.test_request_context(), force_locale(language):
        assert ngettext("%(num)d meeting", "%(num)d meetings", count) == expected


@pytest.mark.parametrize(("count", "meetings", "participants"), [
    (0, "Jums ir 0 pieņemtu tikšanos:", "0 dalībnieku"),
    (1, "Jums ir 1 pieņemta tikšanās:", "1 dalībnieks"),
    (2, "Jums ir 2 pieņemtas tikšanās:", "2 dalībnieki"),
    (11, "Jums ir 11 pieņemtas tikšanās:", "11 dalībnieki"),
    (21, "Jums ir 21 pieņemta tikšanās:", "21 dalībnieks"),
])
def test_latvian_plural_forms(app, count, meetings, participants):
    with app.test_request_context(), force_locale("lv"):
        assert ngettext("You have %(num)d accepted meeting:", "You have %(num)d accepted meetings:", count) == meetings
        assert ngettext("%(num)d participant", "%(num)d participants", count) == participants
