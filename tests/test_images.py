"""Uploaded pictures: only real PNG, JPEG and WebP; shrunk to their box; no metadata kept; bombs refused;
and the content-hash store they live in."""
from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import ExifTags, Image

from matchmaking.services import images, storage
from matchmaking.services.errors import ServiceError

NOT_A_PICTURE = "The file is not a picture this site takes: upload a PNG, JPEG or WebP image."


def picture(fmt: str = "PNG", size: tuple[int, int] = (120, 80), *, gps: bool = False, mode: str = "RGB") -> bytes:
    image = Image.new(mode, size, (11, 92, 173) if mode == "RGB" else (11, 92, 173, 128))
    out = io.BytesIO()
    options = {}
    if gps:
        exif = Image.Exif()
        exif[ExifTags.Base.Make] = "Łomża Camera Works"
        place = exif.get_ifd(ExifTags.IFD.GPSInfo)
        place[ExifTags.GPS.GPSLatitudeRef] = "N"
        place[ExifTags.GPS.GPSLatitude] = (53.0, 10.0, 30.0)
        place[ExifTags.GPS.GPSLongitudeRef] = "E"
        place[ExifTags.GPS.GPSLongitude] = (22.0, 4.0, 12.0)
        options["exif"] = exif
    image.save(out, fmt, **options)
    return out.getvalue()


def _gps_of(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_a_picture_with_a_gps_position_comes_out_without_it(fmt):
    data = picture(fmt, gps=True)
    assert _gps_of(data)[ExifTags.GPS.GPSLatitudeRef] == "N"  # the upload does carry it

    clean = images.prepare(data, kind=images.LOGO)

    assert _gps_of(clean.data) == {}
    with Image.open(io.BytesIO(clean.data)) as image:
        assert len(image.getexif()) == 0
        assert "exif" not in image.info
        assert image.size == (120, 80)
    assert b"Camera Works" not in clean.data
    assert clean.extension == {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}[fmt]


def test_a_text_file_named_png_is_refused():
    with pytest.raises(ServiceError) as refused:
        images.prepare("Łomża, Rokavaldīna: just some text\n".encode(), kind=images.LOGO)
    assert refused.value.message == NOT_A_PICTURE


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_picture_formats_are_refused(fmt):
    with pytest.raises(ServiceError) as refused:
        images.prepare(picture(fmt), kind=images.LOGO)
    assert refused.value.message == NOT_A_PICTURE


def test_a_cut_off_picture_is_refused():
    with pytest.raises(ServiceError) as refused:
        images.prepare(picture("PNG", (300, 300))[:200], kind=images.LOGO)
    assert refused.value.message == NOT_A_PICTURE


def test_an_oversized_logo_is_shrunk_into_its_box_keeping_its_shape():
    clean = images.prepare(picture("JPEG", (2000, 1000)), kind=images.LOGO)

    assert (clean.width, clean.height) == (400, 200)
    with Image.open(io.BytesIO(clean.data)) as image:
        assert image.size == (400, 200) and image.format == "JPEG"


def test_a_wide_banner_is_shrunk_to_1600_wide_and_a_small_one_is_not_enlarged():
    assert images.prepare(picture("PNG", (3200, 600)), kind=images.BANNER).width == 1600
    small = images.prepare(picture("PNG", (640, 160)), kind=images.BANNER)
    assert (small.width, small.height) == (640, 160)


def test_transparency_of_a_png_logo_is_kept():
    clean = images.prepare(picture("PNG", mode="RGBA"), kind=images.LOGO)
    with Image.open(io.BytesIO(clean.data)) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 128


def _png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims ``width`` x ``height`` pixels (what a decompression bomb does)."""
    data = bytearray(picture("PNG", (1, 1)))
    header = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(data)


@pytest.mark.parametrize("size", [(30_000, 30_000), (100_000, 2), (8_000, 6_000)])
def test_a_picture_of_huge_dimensions_is_refused_before_it_is_decoded(size):
    data = _png_claiming(*size)
    assert len(data) < 200 and struct.unpack(">II", data[16:24]) == size

    with pytest.raises(ServiceError) as refused:
        images.prepare(data, kind=images.BANNER)
    assert "too large to be read (over 40 megapixels)" in refused.value.message


def test_the_store_names_files_by_content_and_reads_them_back(tmp_path):
    store = storage.LocalStorage(tmp_path / "media")
    data = picture()
    key = storage.key_for(data, "png")

    store.put(key, data)
    store.put(key, data)  # the same picture again: the same file

    assert storage.is_key(key) and key.endswith(".png") and len(key) == storage.KEY_LENGTH - 1
    assert store.get(key) == data
    assert [p.name for p in (tmp_path / "media").iterdir()] == [key]
    assert storage.key_for(picture(size=(121, 80)), "png") != key
    store.delete(key)
    store.delete(key)  # already gone: no error
    assert store.get(key) is None


@pytest.mark.parametrize("key", ["../config.py", "a" * 64 + ".svg", "A" * 64 + ".png", "", "x.png"])
def test_the_store_reaches_no_file_but_its_own_names(tmp_path, key):
    store = storage.LocalStorage(tmp_path)
    assert not storage.is_key(key)
    assert store.get(key) is None
    with pytest.raises(ValueError):
        store.put(key, b"data")
