"""Where uploaded images live: one small interface, a local folder by default.

Files are named by their content (the SHA-256 of the bytes, and the format's extension), so a name
never changes its content: the app serves them with a year-long, immutable cache, and two uploads of
the same picture are one file. An S3-compatible store implements the same three methods (``put``,
``get``, ``delete``); ``current()`` picks the store from the app's configuration (``MEDIA_STORAGE``,
``MEDIA_FOLDER`` in config.py).

A file is removed only after the transaction that dropped its last reference commits
(``delete_after_commit``): a rolled-back change keeps its picture.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}
KEY_RE = re.compile(r"[0-9a-f]{64}\.(?:png|jpg|webp)")
KEY_LENGTH = 69  # 64 hex digits, a dot, up to four letters
_PENDING = "storage_pending_deletes"


def key_for(data: bytes, extension: str) -> str:
    """The content-hash name of ``data``: the same bytes always get the same name."""
    if extension not in CONTENT_TYPES:
        raise ValueError(f"not a stored image format: {extension!r}")
    return f"{hashlib.sha256(data).hexdigest()}.{extension}"


def is_key(key: str) -> bool:
    """A name this module could have made (so a URL cannot reach any other file)."""
    return bool(KEY_RE.fullmatch(key))


def content_type(key: str) -> str:
    return CONTENT_TYPES[key.rsplit(".", 1)[1]]


class Storage(Protocol):
    """What the app needs of a store of files named by ``key_for``."""

    def put(self, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key`` (already there: nothing to do, the content is the same)."""

    def get(self, key: str) -> bytes | None:
        """The bytes under ``key``, or None when there is no such file."""

    def delete(self, key: str) -> None:
        """Remove ``key``; a missing file is not an error."""


class LocalStorage:
    """Files in one folder on the server's disk (two levels deep would be an S3 store's job)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        if not is_key(key):
            raise ValueError(f"not a storage key: {key!r}")
        return self.folder / key

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        if path.exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        # Written whole under another name first: a reader never sees half a file.
        handle, draft = tempfile.mkstemp(dir=self.folder, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(draft, path)
        except BaseException:
            Path(draft).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, ValueError):
            return None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def from_config(config) -> Storage:
    """The store the configuration names: ``MEDIA_STORAGE = "local"`` (the only one built in)."""
    kind = config.get("MEDIA_STORAGE", "local")
    if kind != "local":
        raise RuntimeError(f"MEDIA_STORAGE={kind!r} is not a store this app knows (only 'local')")
    return LocalStorage(config["MEDIA_FOLDER"])


def current() -> Storage:
    """The running app's store."""
    return from_config(current_app.config)


def delete_after_commit(session: Session, key: str) -> None:
    """Remove ``key`` from the store once ``session``'s transaction commits (never, if it rolls back)."""
    session.info.setdefault(_PENDING, []).append((current(), key))


@event.listens_for(Session, "after_commit")
def _delete_committed(session: Session) -> None:
    for store, key in session.info.pop(_PENDING, ()):
        store.delete(key)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)
