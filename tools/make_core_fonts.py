#!/usr/bin/env python3
"""Make the pre-subset "core" DejaVu fonts the PDF report embeds (templates/fonts/*-core.ttf).

Why: WeasyPrint subsets every embedded font on each run, with fontTools when the HarfBuzz-subset
library is absent, and the cost grows with the glyphs in the file (DejaVu Sans has about 6,000).
The core files keep the scripts and symbols a privacy policy and the report use (Latin -1 and
Extended-A/B, Greek, Cyrillic, combining marks, punctuation, currency, arrows, shapes, ticks),
with every OpenType feature, kerning and hinting table of the original, so text shapes and measures
exactly as with the full font. Anything else (Armenian, Hebrew, Arabic, ...) is taken by Pango from
the full files, which the report declares second in each font-family list.

    .venv/bin/python tools/make_core_fonts.py     # rewrites templates/fonts/*-core.ttf
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parent.parent / "templates" / "fonts"
PAIRS = (("DejaVuSans.ttf", "DejaVuSans-core.ttf"), ("DejaVuSans-Bold.ttf", "DejaVuSans-Bold-core.ttf"),
         ("DejaVuSansMono.ttf", "DejaVuSansMono-core.ttf"))
# Unicode blocks kept in the core files (inclusive ranges).
RANGES = (
    (0x0000, 0x024F),  # Basic Latin, Latin-1, Latin Extended-A and -B
    (0x02B0, 0x036F),  # spacing modifier letters, combining diacritical marks
    (0x0370, 0x03FF),  # Greek and Coptic
    (0x0400, 0x052F),  # Cyrillic and its supplement
    (0x2000, 0x20CF),  # general punctuation, super- and subscripts, currency symbols
    (0x2100, 0x215F),  # letterlike symbols (trade mark, numero, ...), fractions
    (0x2190, 0x21FF),  # arrows
    (0x2212, 0x2212),  # minus sign
    (0x25A0, 0x25FF),  # geometric shapes (the report's status symbols)
    (0x2610, 0x2612),  # ballot boxes
    (0x2713, 0x2718),  # check and cross marks
    (0xFB00, 0xFB06),  # Latin ligatures
    (0xFFFC, 0xFFFD),  # object replacement and replacement character
)


def make(src: Path, dst: Path) -> None:
    """Subset src to RANGES with all layout features, names and hinting kept; write dst."""
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.hinting = True
    options.legacy_kern = True
    options.notdef_outline = True
    options.glyph_names = True
    options.recalc_timestamp = False
    font = TTFont(src)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[u for a, b in RANGES for u in range(a, b + 1)])
    subsetter.subset(font)
    font.save(dst)


def main() -> None:
    for src, dst in PAIRS:
        make(FONTS / src, FONTS / dst)
        print(f"{dst}: {(FONTS / dst).stat().st_size:,} bytes "
              f"({len(TTFont(FONTS / dst).getGlyphOrder())} glyphs, from {len(TTFont(FONTS / src).getGlyphOrder())})")


if __name__ == "__main__":
    main()
