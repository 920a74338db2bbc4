"""QR codes for phones and URLs: PNG, SVG and the boolean matrix agree."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from gridapp.errors import ValidationError
from gridapp.services.maps_out.qrcode import (
    QUIET_ZONE,
    make_qr,
    phone_qr,
    tel_uri,
    url_qr,
)


def _has_finder(m: np.ndarray, r: int, c: int) -> bool:
    """The 7x7 finder pattern: dark ring, light ring, dark 3x3 centre."""
    block = m[r:r + 7, c:c + 7]
    ring = np.ones((7, 7), bool)
    ring[1:6, 1:6] = False
    ring[2:5, 2:5] = True
    return bool((block == ring).all())


@pytest.mark.parametrize(("phone", "uri"), [
    ("13800138000", "tel:13800138000"),
    ("138 0013 8000", "tel:13800138000"),
    ("0851-85812345", "tel:0851-85812345"),
    ("+86 138-0013-8000", "tel:+86138-0013-8000"),
    ("tel:12345", "tel:12345"),
])
def test_tel_uri(phone, uri):
    assert tel_uri(phone) == uri


@pytest.mark.parametrize("bad", ["", "abc", "12", "138０0138000x", "1" * 25])
def test_bad_phone_is_refused(bad):
    with pytest.raises(ValidationError):
        phone_qr(bad)


def test_phone_qr_matrix_png_svg_agree():
    qr = phone_qr("13800138000")
    assert qr.content == "tel:13800138000"
    assert qr.size == 17 + 4 * qr.version
    m = qr.matrix()
    assert m.dtype == bool and m.shape == (qr.size + 2 * QUIET_ZONE,) * 2
    assert not m[:QUIET_ZONE].any() and not m[:, -QUIET_ZONE:].any()
    core = qr.modules
    n = qr.size
    for r, c in ((0, 0), (0, n - 7), (n - 7, 0)):
        assert _has_finder(core, r, c)
    # timing pattern on row 6 alternates between the finders
    assert list(core[6, 8:n - 8]) == [i % 2 == 0 for i in range(n - 16)]

    scale = 5
    png = qr.png(scale=scale)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    img = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    assert img.shape == (m.shape[0] * scale,) * 2
    assert ((img[::scale, ::scale] < 128) == m).all()  # every module, pixel for pixel

    svg = qr.svg(scale=2)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert float(root.get("width")) == m.shape[0] * 2
    assert root.iter("{http://www.w3.org/2000/svg}path")


def test_same_content_same_symbol():
    a, b = phone_qr("0851-85812345"), phone_qr("0851-85812345")
    assert (a.modules == b.modules).all() and a.png() == b.png()
    assert a.error == "M"
    assert make_qr("x", error="h").error == "H"


def test_url_qr_and_bad_urls():
    qr = url_qr("https://example.gov.cn/grid?street=520102003")
    assert qr.content.startswith("https://")
    for bad in ["example.gov.cn", "ftp://x/y", "javascript:alert(1)", ""]:
        with pytest.raises(ValidationError):
            url_qr(bad)


def test_too_long_content_has_a_clear_error():
    with pytest.raises(ValidationError, match="太长"):
        make_qr("x" * 5000)
    with pytest.raises(ValidationError):
        make_qr("x", error="Z")
