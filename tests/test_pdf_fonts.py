"""The PDF speed-up hands WeasyPrint's subsetter fonts without GSUB/GPOS: the embedded subset must not change."""

from __future__ import annotations

import io

import pytest

from gapcheck import render
from gapcheck.resources import data_dir


@pytest.mark.parametrize("name", render.FONT_FILES)
def test_subset_without_layout_tables_is_the_same(name: str) -> None:
    subset = pytest.importorskip("fontTools.subset")
    from fontTools.ttLib import TTFont

    full = (data_dir("templates") / "fonts" / name).read_bytes()
    stripped = render._without_layout_tables(full)
    assert len(stripped) < len(full)

    def weasyprint_subset(font: bytes) -> TTFont:  # the options of weasyprint.pdf.fonts._fonttools_subset
        options = subset.Options(retain_gids=True, passthrough_tables=True, ignore_missing_glyphs=True,
                                 hinting=False, desubroutinize=True, notdef_outline=False)
        options.drop_tables += ["GSUB", "GPOS", "SVG"]
        s = subset.Subsetter(options)
        s.populate(gids=set(range(3, 400)) | {1200, 2400})
        tt = TTFont(io.BytesIO(font))
        s.subset(tt)
        out = io.BytesIO()
        tt.save(out)
        return TTFont(io.BytesIO(out.getvalue()))

    a, b = weasyprint_subset(full), weasyprint_subset(stripped)
    assert sorted(a.keys()) == sorted(b.keys())
    for tag in a.reader.keys():
        if tag != "head":  # timestamps and checksum adjustment
            assert a.reader[tag] == b.reader[tag], tag


def test_patch_is_applied_once() -> None:
    pytest.importorskip("weasyprint")
    from weasyprint.pdf import fonts as wfonts

    render._speed_up_font_subsetting()
    first = wfonts.Font._fonttools_subset
    render._speed_up_font_subsetting()
    assert wfonts.Font._fonttools_subset is first and getattr(first, "_gapcheck_fast", False)
