"""Security and caching headers on every response.

- A strict Content-Security-Policy: scripts and styles only from our own static files (nothing
  inline, no ``on…=`` attributes), no frames around our pages, forms post only to us. The Swagger
  UI page (``/api/v1/docs``), which comes with an inline script, gets that script's hash and
  nothing more.
- Permissions-Policy (no camera, microphone, location, payment ...), nosniff, no framing, the
  referrer only to our own pages (feed addresses carry a secret), and HSTS behind HTTPS
  (``SESSION_COOKIE_SECURE=1``).
- ``Cache-Control: private, no-store`` on everything made for one person: every page seen logged
  in, exports, one-off calendar files, API answers. Public pages and static files keep the
  defaults; a view that chose its own Cache-Control keeps it (the calendar feed, see ``ics.py``).
"""
from __future__ import annotations

import base64
import hashlib
import re

from flask import Flask, Response, current_app, g, request
from flask_login import current_user

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'")
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
    "microphone", "midi", "payment", "screen-wake-lock", "usb"))
# The check-in scan page reads badges with the camera: this one page lets our own origin use it.
PERMISSIONS_POLICY_CAMERA = PERMISSIONS_POLICY.replace("camera=()", "camera=(self)")
HSTS = "max-age=31536000; includeSubDomains"
PRIVATE = "private, no-store"
API_DOCS = "api_docs"  # the Swagger UI blueprint (web/api/blueprint.py)

# The one <style> element Swagger UI (flask-swagger-ui 5.34.0) adds when it starts; the browser test
# of the docs page (tests/e2e/test_pages.py) fails if an upgrade changes it.
SWAGGER_UI_STYLE = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='"

_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)


def csp_for_api_docs(body: bytes) -> str:
    """The policy, with script-src extended by the hash of each inline script the page carries, and
    style-src by the hash of the style Swagger UI adds: nothing else inline runs, there either."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"
                      for script in _INLINE_SCRIPT.findall(body))
    return (CSP.replace("script-src 'self'", f"script-src 'self' {hashes}".rstrip())
            .replace("style-src 'self'", f"style-src 'self' {SWAGGER_UI_STYLE}"))


def _personal() -> bool:
    """Made for one person: a logged-in user's page, or an API answer to a token."""
    return g.get("api_user") is not None or current_user.is_authenticated


def add_headers(response: Response) -> Response:
    headers = response.headers
    if request.blueprint == API_DOCS and response.mimetype == "text/html" and not response.direct_passthrough:
        headers["Content-Security-Policy"] = csp_for_api_docs(response.get_data())
    else:
        headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    # Feed URLs carry a secret token: never leak a page's address to another site.
    headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", HSTS)
    public = request.endpoint == "static" or request.blueprint == API_DOCS
    if not public and "Cache-Control" not in headers and _personal():
        headers["Cache-Control"] = PRIVATE
    return response


def register_headers(app: Flask) -> None:
    app.after_request(add_headers)
