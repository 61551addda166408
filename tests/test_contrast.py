"""The accent colour's WCAG contrast check (services/branding.py)."""
from __future__ import annotations

import pytest

from matchmaking.services import branding
from matchmaking.services.errors import ServiceError


@pytest.mark.parametrize(("first", "second", "ratio"), [
    ("#000000", "#ffffff", 21.0),
    ("#ffffff", "#ffffff", 1.0),
    ("#767676", "#ffffff", 4.54),  # the lightest grey that passes AA on white
    ("#0000ff", "#ffffff", 8.59),
    ("#ff0000", "#ffffff", 4.00),
])
def test_contrast_ratios_are_wcag_s(first, second, ratio):
    assert branding.contrast(first, second) == pytest.approx(ratio, abs=0.01)
    assert branding.contrast(second, first) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize("colour", ["#0b5cad", "#1E6B36", "#000000", " #5b2a86 "])
def test_a_dark_enough_accent_is_taken_in_lower_case(colour):
    assert branding.check_accent(colour) == colour.strip().lower()


def test_no_accent_is_the_app_s_own():
    assert branding.check_accent("") == ""


@pytest.mark.parametrize("colour", ["#ffcc00", "#ffffff", "#7a7a7a", "#3399ff"])
def test_a_light_accent_is_refused_with_a_darker_shade_that_passes(colour):
    with pytest.raises(ServiceError) as refused:
        branding.check_accent(colour)

    shade = branding.darker_shade(colour)
    message = refused.value.message
    assert f"The colour {colour} has a contrast of" in message
    assert "it needs at least 4.5:1" in message and f"Try {shade}" in message
    assert branding.accent_contrast(shade) >= 4.5
    assert branding.check_accent(shade) == shade


def test_the_suggested_shade_is_the_lightest_that_passes():
    shade = branding.darker_shade("#3399ff")
    r, g, b = (int(shade[i:i + 2], 16) for i in (1, 3, 5))
    lighter = "#{:02x}{:02x}{:02x}".format(*(min(255, round(c * 1.02)) for c in (r, g, b)))
    assert branding.accent_contrast(lighter) < 4.5


@pytest.mark.parametrize("colour", ["0b5cad", "#0b5cad00", "#xyzxyz", "red", "#fff"])
def test_what_is_not_a_colour_is_refused(colour):
    with pytest.raises(ServiceError) as refused:
        branding.check_accent(colour)
    assert "six hexadecimal digits" in refused.value.message
