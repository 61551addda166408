"""Calendar lines are folded exactly as icalendar folds them, only faster (services/ical_fold.py)."""
from __future__ import annotations

import random

from icalendar.parser import content_line

from matchmaking.services import ical, ical_fold


def test_fold_gives_the_library_s_lines_exactly():
    library = ical_fold._library_fold
    rng = random.Random(14)
    alphabet = "ab cd\\^;,:=x" + "ąžé€"  # escapes where a piece may end, and characters of several octets
    lines = ["", "x" * 74, "x" * 75, "x" * 76, "x" * 73 + "\\n" + "y" * 80, "^" * 200, "\\" * 151]
    lines += ["".join(rng.choice(alphabet[:12] if i % 2 else alphabet) for _ in range(rng.randrange(300)))
              for i in range(2000)]
    for line in lines:
        assert ical_fold.fold(line) == library(line), line
        assert ical_fold.fold(line, 20, "\n\t") == library(line, 20, "\n\t"), line


def test_calendars_are_written_with_it():
    assert ical.ical_fold is ical_fold and content_line._foldline is ical_fold.fold
    assert b"\r\n " in ical.calendar_document([], name="x" * 200, feed=False)  # the long name is folded
