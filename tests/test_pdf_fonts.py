"""The PDF speed-up hands WeasyPrint's subsetter fonts without GSUB/GPOS: the embedded subset must not change."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from gapcheck import render
from gapcheck.resources import data_dir


@pytest.mark.parametrize("name", render.FONT_FILES + render.CORE_FONT_FILES)
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


@pytest.mark.parametrize("full,core", list(zip(render.FONT_FILES, render.CORE_FONT_FILES, strict=True)))
def test_core_fonts_measure_and_shape_like_the_full_ones(full: str, core: str) -> None:
    """The pre-subset files keep every character of their ranges with the same outline and advance,
    and the layout and hinting tables, so Pango lays text out exactly as with the full font."""
    pytest.importorskip("fontTools")
    from fontTools.ttLib import TTFont

    fonts = data_dir("templates") / "fonts"
    a, b = TTFont(fonts / full), TTFont(fonts / core)
    cmap_a, cmap_b = a.getBestCmap(), b.getBestCmap()
    report_symbols = "✓◐✗?–…·→§’“”—•"
    assert all(ord(c) in cmap_b for c in report_symbols + "Aé€Ωжß") or "Mono" in core
    assert set(cmap_b) <= set(cmap_a) and len(cmap_b) > 1000
    assert {"GSUB", "GPOS", "kern", "fpgm", "prep", "cvt "} & set(a.keys()) <= set(b.keys())
    for u, gname in cmap_b.items():
        assert b["hmtx"][gname] == a["hmtx"][cmap_a[u]], hex(u)
        outline_a = a["glyf"][cmap_a[u]].getCoordinates(a["glyf"])[0]
        assert outline_a == b["glyf"][gname].getCoordinates(b["glyf"])[0], hex(u)


def test_characters_outside_the_core_fonts_come_from_the_full_ones(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Armenian, Hebrew or Georgian in a quote are not in the core files: the full DejaVu draws them."""
    pytest.importorskip("weasyprint")
    from pypdf import PdfReader

    from gapcheck import ingest, pipeline

    text = ("Privacy Policy\n\nWe collect your name and email address: Հայերեն տեքստ, עברית, ქართული.\n\n"
            "Contact privacy@example.com.\n")
    report = pipeline.analyze_document(ingest.from_text(text, source="p.txt"), pipeline.resolve_laws(["ccpa"]))
    (tmp_path / "r.pdf").write_bytes(render.to_pdf(report))
    reader = PdfReader(str(tmp_path / "r.pdf"))
    fonts = {str(f.get_object()["/BaseFont"]).split("+", 1)[1] for page in reader.pages
             for f in (page.get("/Resources", {}).get("/Font", {}) or {}).values()}
    assert "GapcheckSansFull" in fonts and "GapcheckSans" in fonts
    assert "Հայերեն" in "".join(p.extract_text() for p in reader.pages)


def test_patch_is_applied_once() -> None:
    pytest.importorskip("weasyprint")
    from weasyprint.pdf import fonts as wfonts

    render._speed_up_font_subsetting()
    first = wfonts.Font._fonttools_subset
    render._speed_up_font_subsetting()
    assert wfonts.Font._fonttools_subset is first and getattr(first, "_gapcheck_fast", False)


def test_kept_text_layouts_draw_the_same_pdf() -> None:
    """Layout.deactivate/reactivate patched to keep each line's Pango layout: the same PDF, byte for byte."""
    pytest.importorskip("weasyprint")
    import datetime as dt

    from weasyprint.text import line_break

    from gapcheck import ingest, pipeline

    render.prepare_weasyprint()
    render._keep_text_layouts()
    patched = (line_break.Layout.deactivate, line_break.Layout.reactivate)
    assert getattr(patched[1], "_gapcheck_fast", False)
    policy = Path(__file__).parent / "fixtures" / "policies" / "003_e29ff102ab8d4a64.txt"
    rep = pipeline.analyze_document(ingest.load(policy), pipeline.resolve_laws(["ccpa"]), as_of=dt.date(2026, 1, 15))
    page = render._render_page(rep, render.ReportOptions(), for_pdf=True)
    kept = render.pdf_from_page(page, render.ReportOptions())
    line_break.Layout.deactivate, line_break.Layout.reactivate = (f._gapcheck_original for f in patched)
    try:
        rebuilt = render.pdf_from_page(page, render.ReportOptions())
    finally:
        line_break.Layout.deactivate, line_break.Layout.reactivate = patched
    assert kept == rebuilt


def test_pdf_embeds_subset_fonts_with_non_latin_text(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A quote in Greek, Cyrillic and with combining marks still renders from the embedded fonts."""
    pytest.importorskip("weasyprint")
    from pypdf import PdfReader

    from gapcheck import ingest, pipeline

    text = ("Privacy Policy\n\nWe collect your name and email address. Ελληνικά κείμενο, русский текст, "
            "e\u0301te\u0301.\n\nContact privacy@example.com.\n")
    report = pipeline.analyze_document(ingest.from_text(text, source="p.txt"), pipeline.resolve_laws(["ccpa"]))
    pdf = render.to_pdf(report)
    (tmp_path / "r.pdf").write_bytes(pdf)
    reader = PdfReader(str(tmp_path / "r.pdf"))
    fonts = set()
    for page in reader.pages:
        for f in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            f = f.get_object()
            d = f["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in d
            fonts.add(str(f["/BaseFont"]).split("+", 1)[1])
    assert {"GapcheckSans", "GapcheckSans-Bold"} <= fonts
    assert "русский" in "".join(p.extract_text() for p in reader.pages)


@pytest.mark.parametrize("name", render.FONT_FILES + render.CORE_FONT_FILES)
def test_glyf_subset_keeps_ids_advances_and_outlines_of_used_glyphs(name: str) -> None:
    """gapcheck.fontsubset (used instead of fontTools for the packaged fonts) embeds the same glyphs."""
    pytest.importorskip("fontTools")
    from fontTools.ttLib import TTFont

    from gapcheck.fontsubset import subset_glyf_font

    full = (data_dir("templates") / "fonts" / name).read_bytes()
    src = TTFont(io.BytesIO(full))
    order = src.getGlyphOrder()
    cmap = src.getBestCmap()
    composite = next(order.index(g) for g in order if src["glyf"][g].isComposite())
    used = {order.index(cmap[ord(c)]) for c in "Privacy policy: ✓ 57 / 100, é" if ord(c) in cmap} | {composite}
    small = subset_glyf_font(full, used)
    assert small is not None and len(small) < len(full) / 2
    out = TTFont(io.BytesIO(small))
    names = out.getGlyphOrder()  # no glyph names in the subset (post format 3): compare by glyph id
    assert len(names) == len(order)
    assert not {"GSUB", "GPOS", "kern", "fpgm", "prep", "cvt "} & set(out.keys())
    kept, todo = set(), list(used)
    while todo:  # components of composite glyphs, at any depth
        a = src["glyf"][order[todo.pop()]]
        for c in a.components if a.isComposite() else ():
            if order.index(c.glyphName) not in kept:
                kept.add(order.index(c.glyphName))
                todo.append(order.index(c.glyphName))
    for gid in used:
        a, b = src["glyf"][order[gid]], out["glyf"][names[gid]]
        assert a.getCoordinates(src["glyf"])[0] == b.getCoordinates(out["glyf"])[0], gid
        assert src["hmtx"][order[gid]] == out["hmtx"][names[gid]]
        assert not (hasattr(b, "program") and b.program.getBytecode()), gid
    for gid in kept:  # components of composite glyphs come along
        assert out["glyf"][names[gid]].numberOfContours == src["glyf"][order[gid]].numberOfContours
    unused = next(i for i, g in enumerate(order) if i and i not in used | kept and src["glyf"][g].numberOfContours)
    assert out["glyf"][names[unused]].numberOfContours == 0
    head = out["head"]
    for gid in used | kept:
        b = out["glyf"][names[gid]]
        if b.numberOfContours:
            b.recalcBounds(out["glyf"])
            assert head.xMin <= b.xMin and head.yMin <= b.yMin and b.xMax <= head.xMax and b.yMax <= head.yMax


def test_glyf_subset_declines_what_it_does_not_know() -> None:
    from gapcheck.fontsubset import subset_glyf_font

    assert subset_glyf_font(b"OTTO" + b"\0" * 100, {1}) is None
    assert subset_glyf_font(b"\x00\x01\x00\x00" + b"\xff" * 40, {1}) is None
    assert subset_glyf_font(b"", {1}) is None


def test_weasyprint_is_imported_without_the_font_subsetter_and_instancer() -> None:
    """They load on first use only (a non-packaged font, a variable font), and then work as usual."""
    pytest.importorskip("weasyprint")
    import subprocess
    import sys

    code = """if True:
        import sys
        from gapcheck import render
        render.prepare_weasyprint()
        print("fontTools.varLib" in sys.modules, "fontTools.varLib.instancer" in sys.modules,
              type(sys.modules["fontTools.subset"]).__name__)
        from weasyprint.pdf import fonts
        options = fonts.subset.Options(retain_gids=True)
        import fontTools.varLib.instancer as real
        print(options.retain_gids, fonts.instantiateVariableFont.__name__, hasattr(real, "OverlapMode"))
        try:
            fonts.instantiateVariableFont(None, {})
        except Exception as e:  # the real function ran and rejected the arguments
            print(type(e).__name__ != "NameError")
    """
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False", "_LazyModule", "True", "instantiateVariableFont", "True", "True"]
