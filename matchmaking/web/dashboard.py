"""Organiser pages: dashboard (filled in by the issue that builds them)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/organiser/events/<int:event_id>")
