"""Uploaded pictures and the events' accent colours, served with a year-long cache: both are named by
their content (a picture by its hash, a colour by its value), so what a URL answers never changes."""
from __future__ import annotations

import re

from flask import Response, abort

from ...services import storage

FOREVER = "public, max-age=31536000, immutable"
_COLOUR = re.compile(r"[0-9a-f]{6}")


def _forever(body: bytes | str, mimetype: str, etag: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = FOREVER
    response.set_etag(etag)
    return response


def media(key: str):
    data = storage.current().get(key) if storage.is_key(key) else None
    if data is None:
        abort(404)
    return _forever(data, storage.content_type(key), key.split(".")[0])


def accent_css(colour: str):
    """``:root { --accent: #rrggbb }``: a stylesheet, since the page's policy allows no inline style."""
    if not _COLOUR.fullmatch(colour):
        abort(404)
    return _forever(f":root {{ --accent: #{colour}; }}\n", "text/css", colour)
