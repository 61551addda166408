"""One search page for the directory and the marketplace: every word in any inflection, best first.

A stored word whose stem begins with a query stem contains it, so the database narrows the
candidates with one LIKE per stem alike on SQLite and PostgreSQL; Python then checks the stems and
ranks (``text.relevance``: a word in the title weighs more). Without words the database pages in
the statement's own order.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from ..extensions import db
from .text import query_stems, relevance


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def ranked_page(stmt: Select, *, search_column: Any, text: str, title_column: Any,
                page: int, page_size: int) -> tuple[list[Any], int, int, int]:
    """``stmt`` (filtered and ordered) searched for ``text``: (rows of the page, total, page, pages).

    Candidates are scored from three plain columns (id, title, folded text), not as whole rows: at
    3,000 participants a common word matches most of them, and only one page is loaded in full."""
    words = query_stems(text)
    for word in words:
        stmt = stmt.where(search_column.like(_like(word), escape="\\"))
    if words:
        entity = stmt.column_descriptions[0]["entity"]
        light = stmt.with_only_columns(entity.id, title_column, search_column)
        scored = [(score, row_id) for row_id, title, body in db.session.execute(light)
                  if (score := relevance(words, title=title, body=body)) is not None]
        scored.sort(key=lambda pair: -pair[0])  # stable: ties keep the statement's order
        total = len(scored)
    else:
        total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    if words:
        ids = [row_id for _score, row_id in scored[(page - 1) * page_size:page * page_size]]
        found = {row.id: row for row in db.session.scalars(select(entity).where(entity.id.in_(ids)))} if ids else {}
        rows = [found[row_id] for row_id in ids]
    else:
        rows = list(db.session.scalars(stmt.limit(page_size).offset((page - 1) * page_size)))
    return rows, total, page, pages
