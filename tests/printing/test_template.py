"""Layout templates and paper sizes (no Qt)."""

from __future__ import annotations

import pytest

from gridapp.printing.template import (
    MAPS_DIR,
    Paper,
    TemplateError,
    load_template,
    parse_template,
)


def test_default_templates_load_with_both_orientations():
    for kind in ("poster", "atlas"):
        t = load_template(None, kind)
        assert t.kind == kind
        for orient in ("portrait", "landscape"):
            rects = t.rects[orient]
            assert {"title", "map", "footer", "qr"} <= set(rects)
            for x, y, w, h in rects.values():
                assert 0 <= x and 0 <= y and x + w <= 1.0001 and y + h <= 1.0001


def test_readme_documents_every_block():
    text = (MAPS_DIR / "README.md").read_text(encoding="utf-8")
    for block in ("[title]", "[map]", "[legend]", "[managers]", "[scale_bar]",
                  "[north_arrow]", "[qr]", "[footer]", "[logo]", "[info]", "[landscape]"):
        assert block in text


@pytest.mark.parametrize(("name", "orient", "size"), [
    ("A4", "portrait", (210, 297)), ("a0", "landscape", (1189, 841)),
    ("A3", "landscape", (420, 297))])
def test_paper_sizes(name, orient, size):
    p = Paper.of(name, orient)
    assert (p.width_mm, p.height_mm) == size
    assert p.scale == pytest.approx(min(size) / 210)


def test_bad_paper_and_template_are_clear(tmp_path):
    with pytest.raises(TemplateError, match="A5"):
        Paper.of("A5")
    with pytest.raises(TemplateError):
        parse_template({"landscape": {"map": [0, 0, 2, 1]}})
    bad = tmp_path / "bad.toml"
    bad.write_text("[page\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="TOML"):
        load_template(bad)
    with pytest.raises(TemplateError):
        load_template(tmp_path / "missing.toml")


def test_one_orientation_serves_both():
    t = parse_template({"portrait": {"map": [0, 0, 1, 1]}})
    assert t.rects["landscape"] == t.rects["portrait"]
