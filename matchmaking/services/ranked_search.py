"""One search page for the directory and the marketplace: every word in any inflection, best first.

A stored word whose stem begins with a query stem contains it, so the database narrows the
candidates with one LIKE per stem alike on SQLite and PostgreSQL; Python then checks the stems and
ranks (``text.relevance``: a word in the title weighs more). Without words the database pages in
the statement's own order.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, func, select

from ..extensions import db
from .text import query_stems, relevance


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def ranked_page(stmt: Select, *, search_column: Any, text: str, title: Callable[[Any], str],
                page: int, page_size: int) -> tuple[list[Any], int, int, int]:
    """``stmt`` (filtered and ordered) searched for ``text``: (rows of the page, total, page, pages)."""
    words = query_stems(text)
    for word in words:
        stmt = stmt.where(search_column.like(_like(word), escape="\\"))
    if words:
        scored = [(score, row) for row in db.session.scalars(stmt)
                  if (score := relevance(words, title=title(row), body=getattr(row, search_column.key))) is not None]
        scored.sort(key=lambda pair: -pair[0])
        total = len(scored)
    else:
        total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    if words:
        rows = [row for _score, row in scored[(page - 1) * page_size:page * page_size]]
    else:
        rows = list(db.session.scalars(stmt.limit(page_size).offset((page - 1) * page_size)))
    return rows, total, page, pages
