"""QR codes, made on the server (segno) as inline SVG: no image request, nothing for the CSP to allow."""
from __future__ import annotations

import segno
from flask import url_for
from markupsafe import Markup


def checkin_url(participant) -> str:
    """What a participant's QR code holds: the organisers' check-in page for them (a phone's camera app
    opens it for a logged-in organiser; the scan page reads the token from it)."""
    return url_for("organiser.checkin_person", event_id=participant.event_id, token=participant.checkin_token,
                   _external=True)


def qr_svg(text: str, *, title: str, scale: int = 4) -> Markup:
    """``text`` as a QR code in an ``<svg>`` that scales with its CSS box (class ``qr``)."""
    code = segno.make(text, error="m")
    return Markup(code.svg_inline(scale=scale, title=title, svgclass="qr", lineclass=None, omitsize=True))
