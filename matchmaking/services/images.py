"""Uploaded pictures (logos, the event's banner) made safe to keep and to show.

Pillow reads the file by its content, never by its name: only PNG, JPEG and WebP are taken. A
picture whose header promises more pixels than ``MAX_PIXELS`` is refused before it is decoded (a
"decompression bomb": a few kilobytes that would unpack to gigabytes). What is kept is a new image
made of the pixels alone, turned upright by its EXIF orientation and shrunk to fit its kind's box:
EXIF (GPS position, camera, time), XMP, comments and colour profiles are left behind.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ServiceError

# Pillow's format name -> (the stored extension, the format it is saved in)
FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
LOGO, BANNER = "logo", "banner"
BOXES = {LOGO: (400, 400), BANNER: (1600, 800)}  # the largest width and height kept, per kind
MAX_PIXELS = 40_000_000  # refused above this (a 40-megapixel photo is the largest a camera makes)
MAX_SIDE = 16_000
JPEG_QUALITY = 85


@dataclass(frozen=True)
class Picture:
    data: bytes
    extension: str  # "png", "jpg" or "webp"
    width: int
    height: int


def _refuse_unreadable() -> ServiceError:
    return ServiceError(_("The file is not a picture this site takes: upload a PNG, JPEG or WebP image."))


def _too_big() -> ServiceError:
    return ServiceError(_("The picture is too large to be read (over %(mp)d megapixels): "
                          "upload a smaller one.", mp=MAX_PIXELS // 1_000_000))


def prepare(data: bytes, *, kind: str) -> Picture:
    """``data`` as a clean picture of ``kind`` (LOGO or BANNER), or a ServiceError saying why not."""
    box = BOXES[kind]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
            width, height = image.size
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                raise _too_big()
            fmt = image.format
            image.seek(0)  # an animation: its first frame
            image.load()
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_big() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _refuse_unreadable() from None
    if fmt not in FORMATS or width < 1 or height < 1:
        raise _refuse_unreadable()
    return _clean(image, fmt, box)


def _clean(image: Image.Image, fmt: str, box: tuple[int, int]) -> Picture:
    """A fresh image of the pixels only, fitted into ``box``, saved in the upload's format."""
    keeps_alpha = fmt != "JPEG" and (image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info)
    mode = "RGBA" if keeps_alpha else "RGB"
    pixels = image.convert(mode)
    pixels.thumbnail(box, Image.Resampling.LANCZOS)
    fresh = Image.new(mode, pixels.size)  # no info, no EXIF, no ICC profile: nothing but the pixels
    fresh.paste(pixels)
    out = io.BytesIO()
    if fmt == "JPEG":
        fresh.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    elif fmt == "WEBP":
        fresh.save(out, "WEBP", quality=JPEG_QUALITY)
    else:
        fresh.save(out, "PNG", optimize=True)
    return Picture(out.getvalue(), FORMATS[fmt], *fresh.size)
