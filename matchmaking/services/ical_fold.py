"""Folding iCalendar content lines (RFC 5545: at most 75 octets a line) without going character by character.

icalendar 7 folds every line it writes one character at a time, encoding each to count its octets: for
a busy participant's agenda (40 meetings, each with a long description) that was a third of the
calendar's time (scripts/bench_pages.py). ``fold`` gives exactly its result (tests/test_ical_fold.py
compares them on random lines): a line of pure ASCII is cut by slicing, with the library's own rule of
never ending a piece on an escaping ``\\`` or ``^``; any other line is left to the library.
"""
from __future__ import annotations

from collections.abc import Callable

from icalendar.parser import content_line

_library_fold: Callable[..., str] | None = getattr(content_line, "_foldline", None)

ESCAPES = "\\^"


def fold(line: str, limit: int = 75, fold_sep: str = "\r\n ") -> str:
    """``line`` folded as icalendar's ``_foldline`` folds it."""
    if not line.isascii():
        return _library_fold(line, limit, fold_sep)
    if len(line) < limit:
        return line
    pieces = []
    start, n = 0, len(line)
    while n - start >= limit:  # a piece takes limit - 1 characters, then the next one starts a new piece
        end = start + limit - 1
        if end - start > 1 and line[end - 1] in ESCAPES:  # an escape goes on with the character it escapes
            end -= 1
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return fold_sep.join(pieces)


def install() -> None:
    """Make icalendar fold with ``fold``; nothing when its version has no ``_foldline`` to replace."""
    if _library_fold is not None:
        content_line._foldline = fold
