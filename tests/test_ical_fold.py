"""Calendar lines are folded exactly as icalendar folds them, only faster (services/ical_fold.py)."""
from __future__ import annotations

import random

from icalendar.parser import content_line

from matchmaking.services import ical, ical_fold


def test_fold_gives_the_library_s_lines_exactly():
    library = ical_fold._library_fold
    rng = random.Random(14)
    alphabet = "ab cd\\^;,:=x" + "ąž€😀"  # escapes where a piece may end, and characters of 2, 3 and 4 octets
    lines = ["", "x" * 74, "x" * 75, "x" * 76, "x" * 73 + "\\n" + "y" * 80, "^" * 200, "\\" * 151]
    lines += ["".join(rng.choice(alphabet[:12] if i % 2 else alphabet) for _ in range(rng.randrange(300)))
              for i in range(2000)]
    for line in lines:
        assert ical_fold.fold(line) == library(line), line
        for limit in (20, 4, 3, 2):  # down to pieces narrower than a character
            assert ical_fold.fold(line, limit, "\n\t") == library(line, limit, "\n\t"), (limit, line)


def test_calendars_are_written_with_it():
    assert ical.ical_fold is ical_fold and content_line._foldline is ical_fold.fold
    assert b"\r\n " in ical.calendar_document([], name="x" * 200, feed=False)  # the long name is folded
