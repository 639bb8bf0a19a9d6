"""A glyf-only subsetter for the report's own core fonts: what WeasyPrint embeds, in milliseconds.

Why: without the HarfBuzz-subset library WeasyPrint subsets each embedded face with fontTools, about
30 ms per face even for the small core files (tools/make_core_fonts.py), five faces per report. For
a TrueType font we know (the packaged DejaVu core files: glyf outlines, no CFF, no variations), a
subset that keeps glyph ids is simple: keep the outlines of the used glyphs and of the components
they reference, empty every other glyph, rebuild loca. The other tables are copied as they are,
except the layout tables (GSUB, GPOS, kern: unused in a PDF, dropped as WeasyPrint drops them), the
hinting (instructions, fpgm, prep, cvt: WeasyPrint embeds unhinted fonts) and the glyph names (post
format 3, as fontTools writes it). Glyph ids, advances and outlines are
unchanged, so the PDF draws the same pixels. Any other font, or any surprise in the file, returns
None and the caller uses fontTools.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

# layout tables (unused in a PDF) and hinting (WeasyPrint embeds fonts unhinted: viewers then draw the
# same pixels as from its fontTools subsets)
_DROP = {b"GSUB", b"GPOS", b"kern", b"DSIG", b"hdmx", b"LTSH", b"VDMX", b"FFTM", b"fpgm", b"prep", b"cvt "}
# composite glyph flags (OpenType glyf spec)
_ARG_WORDS, _HAVE_SCALE, _MORE, _XY_SCALE, _TWO_BY_TWO, _INSTRUCTIONS = 0x0001, 0x0008, 0x0020, 0x0040, 0x0080, 0x0100


def subset_glyf_font(font: bytes, gids: Iterable[int]) -> bytes | None:
    """`font` with only the outlines of `gids` (plus .notdef and composite components), ids kept.

    None when the font is not a plain TrueType (glyf/loca) font this can subset safely.
    """
    try:
        return _subset(font, set(gids))
    except (struct.error, KeyError, ValueError, IndexError):
        return None


def _subset(font: bytes, gids: set[int]) -> bytes | None:
    if font[:4] not in (b"\x00\x01\x00\x00", b"true"):
        return None
    (num_tables,) = struct.unpack_from(">H", font, 4)
    tables: dict[bytes, bytes] = {}
    for i in range(num_tables):
        tag, _checksum, offset, length = struct.unpack_from(">4sLLL", font, 12 + 16 * i)
        if offset + length > len(font):
            return None
        tables[tag] = font[offset:offset + length]
    if not {b"glyf", b"loca", b"head", b"maxp"} <= tables.keys() or tables.keys() & {b"CFF ", b"CFF2", b"fvar"}:
        return None
    head = bytearray(tables[b"head"])
    long_loca = struct.unpack_from(">h", head, 50)[0] == 1
    (num_glyphs,) = struct.unpack_from(">H", tables[b"maxp"], 4)
    loca_raw = tables[b"loca"]
    if long_loca:
        loca = list(struct.unpack(f">{num_glyphs + 1}L", loca_raw[:4 * (num_glyphs + 1)]))
    else:
        loca = [2 * x for x in struct.unpack(f">{num_glyphs + 1}H", loca_raw[:2 * (num_glyphs + 1)])]
    glyf = tables[b"glyf"]
    if any(b < a for a, b in zip(loca, loca[1:], strict=False)) or loca[-1] > len(glyf):
        return None

    keep = {g for g in gids if 0 <= g < num_glyphs} | {0}
    todo = list(keep)
    while todo:  # components of composite glyphs
        g = todo.pop()
        data = glyf[loca[g]:loca[g + 1]]
        if len(data) >= 10 and struct.unpack_from(">h", data, 0)[0] < 0:
            for comp in _components(data):
                if comp >= num_glyphs:
                    return None
                if comp not in keep:
                    keep.add(comp)
                    todo.append(comp)

    out_glyf = bytearray()
    new_loca = [0]
    for g in range(num_glyphs):
        if g in keep and loca[g + 1] > loca[g]:
            out_glyf += _unhinted(glyf[loca[g]:loca[g + 1]])
            out_glyf += b"\0" * (-len(out_glyf) % 4)
        new_loca.append(len(out_glyf))
    boxes = [struct.unpack_from(">hhhh", glyf, loca[g] + 2) for g in keep if loca[g + 1] - loca[g] >= 10]
    if boxes:  # the font's bounding box over the kept glyphs, as fontTools recomputes it (viewers use it)
        struct.pack_into(">hhhh", head, 36, min(b[0] for b in boxes), min(b[1] for b in boxes),
                         max(b[2] for b in boxes), max(b[3] for b in boxes))
    tables[b"glyf"] = bytes(out_glyf)
    tables[b"loca"] = struct.pack(f">{num_glyphs + 1}L", *new_loca)
    struct.pack_into(">h", head, 50, 1)  # indexToLocFormat: long offsets
    struct.pack_into(">L", head, 8, 0)  # checkSumAdjustment, set below
    tables[b"head"] = bytes(head)
    if b"post" in tables and len(tables[b"post"]) >= 32:
        tables[b"post"] = b"\x00\x03\x00\x00" + tables[b"post"][4:32]  # format 3: no glyph names
    for tag in _DROP:
        tables.pop(tag, None)
    return _assemble(tables)


def _unhinted(data: bytes) -> bytes:
    """One glyph without its TrueType instructions (outline bytes unchanged)."""
    (contours,) = struct.unpack_from(">h", data, 0)
    if contours >= 0:
        at = 10 + 2 * contours
        (n,) = struct.unpack_from(">H", data, at)
        return data[:at] + b"\0\0" + data[at + 2 + n:]
    pos = 10
    while True:
        flags_at = pos
        (flags,) = struct.unpack_from(">H", data, pos)
        pos = _next_component(data, pos)
        if not flags & _MORE:
            break
    if not flags & _INSTRUCTIONS:
        return data[:pos]
    out = bytearray(data[:pos])
    struct.pack_into(">H", out, flags_at, flags & ~_INSTRUCTIONS)
    return bytes(out)


def _next_component(data: bytes, pos: int) -> int:
    (flags,) = struct.unpack_from(">H", data, pos)
    pos += 4 + (4 if flags & _ARG_WORDS else 2)
    if flags & _HAVE_SCALE:
        pos += 2
    elif flags & _XY_SCALE:
        pos += 4
    elif flags & _TWO_BY_TWO:
        pos += 8
    return pos


def _components(data: bytes) -> list[int]:
    out = []
    pos = 10
    while True:
        flags, glyph = struct.unpack_from(">HH", data, pos)
        out.append(glyph)
        pos = _next_component(data, pos)
        if not flags & _MORE:
            return out


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}L", data)) & 0xFFFFFFFF


def _assemble(tables: dict[bytes, bytes]) -> bytes:
    tags = sorted(tables)
    n = len(tags)
    entry = 1 << (n.bit_length() - 1)
    header = struct.pack(">4sHHHH", b"\x00\x01\x00\x00", n, entry * 16, entry.bit_length() - 1, n * 16 - entry * 16)
    offset = 12 + 16 * n
    directory, body = bytearray(), bytearray()
    for tag in tags:
        data = tables[tag]
        directory += struct.pack(">4sLLL", tag, _checksum(data), offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    font = bytearray(header + directory + body)
    head_at = 12 + 16 * n + sum(len(tables[t]) + (-len(tables[t]) % 4) for t in tags[:tags.index(b"head")])
    struct.pack_into(">L", font, head_at + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)
