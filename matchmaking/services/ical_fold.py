"""Folding iCalendar content lines (RFC 5545: at most 75 octets a line) without going character by character.

icalendar 7 folds every line it writes one character at a time, encoding each to count its octets: for
a busy participant's agenda (40 meetings, each with a long description) that was a third of the
calendar's time (scripts/bench_pages.py). ``fold`` gives exactly its result (tests/test_ical_fold.py
compares them on random lines) by slicing the line's UTF-8 bytes, with the library's own rule of never
ending a piece on an escaping ``\\`` or ``^``.
"""
from __future__ import annotations

from collections.abc import Callable

from icalendar.parser import content_line

_library_fold: Callable[..., str] | None = getattr(content_line, "_foldline", None)

ESCAPES = b"\\^"


def _starts_char(byte: int) -> bool:
    return byte & 0xC0 != 0x80  # not a UTF-8 continuation byte


def _char_end(data: bytes, i: int) -> int:
    """Where the character starting at ``i`` ends."""
    i += 1
    while i < len(data) and not _starts_char(data[i]):
        i += 1
    return i


def fold(line: str, limit: int = 75, fold_sep: str = "\r\n ") -> str:
    """``line`` folded as icalendar's ``_foldline`` folds it: pieces of whole characters of at most
    ``limit`` - 1 octets, cut in the UTF-8 bytes. As there, a piece holds at least its first character,
    and an escape carried over to the next piece brings the character after it along."""
    data = line.encode()
    n = len(data)
    if n < limit:
        return line
    pieces = []
    start, carried = 0, False
    while True:
        forced = _char_end(data, start)
        if carried:
            forced = _char_end(data, forced)
        end = min(start + limit - 1, n)
        while start < end < n and not _starts_char(data[end]):  # never inside a character
            end -= 1
        end = max(end, forced)
        if end >= n:
            pieces.append(data[start:].decode())
            return fold_sep.join(pieces)
        carried = data[end - 1] in ESCAPES and sum(map(_starts_char, data[start:end])) > 1
        end -= carried  # an escape goes on with the character it escapes
        pieces.append(data[start:end].decode())
        start = end


def install() -> None:
    """Make icalendar fold with ``fold``; nothing when its version has no ``_foldline`` to replace."""
    if _library_fold is not None:
        content_line._foldline = fold
