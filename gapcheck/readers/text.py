"""Plain text and Markdown reader: decoding in any common encoding, binary content refused.

Also the pieces every reader shares: `Extracted` (what each format's `read()` returns to
`gapcheck.ingest`) and `one_line`, which keeps a reader's line breaks the only ones in its text.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from gapcheck.errors import InputError
from gapcheck.models import Finding

__all__ = ["MAX_BYTES_DEFAULT", "Extracted", "TEXT_SUFFIXES", "decode", "one_line", "read"]

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ""}
#: The text limit: 10x the longest real policy seen; `--max-bytes` raises it. It bounds the text
#: gapcheck analyses (time and memory are linear in it), whatever the file format around it.
MAX_BYTES_DEFAULT = 2 * 1024 * 1024


class Extracted(NamedTuple):
    """What every reader gives the pipeline: the text whose lines become `Document.lines`, the
    drafting findings met while reading (quotes taken from that text) and the format's name."""

    text: str
    notes: tuple[Finding, ...]
    fmt: str
    title: str | None = None  # the document's own title where the format has one (a web page's <title>)


# Characters that str.splitlines() treats as line breaks: they must not survive inside a line.
_LINE_BREAKERS = re.compile("[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\t]")


def one_line(s: str) -> str:
    """`s` with every character that `str.splitlines()` would break on made a space, so a reader's
    own line breaks are the only ones and line numbers mean what the reader meant."""
    return _LINE_BREAKERS.sub(" ", s)


def read(data: bytes, source: str = "<text>", suffix: str = ".txt") -> Extracted:
    """A text file's lines are its own (the contract promises quotes that are substrings of them)."""
    return Extracted(decode(data, source), (), "markdown" if suffix in (".md", ".markdown") else "text")


def decode(data: bytes, source: str = "<bytes>") -> str:
    """Decode bytes in any common encoding; refuse binary content."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                     (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return _normalise(data.decode(enc))
            except UnicodeDecodeError as e:
                raise InputError(f"{source}: invalid {enc} text ({e.reason})") from e
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 4:
        # BOM-less UTF-16: every other byte is NUL for Latin text.
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        enc = "utf-16-le" if odd > even else "utf-16-be"
        try:
            return _check_text(_normalise(data.decode(enc)), source)
        except UnicodeDecodeError:
            raise InputError(f"{source}: binary file, not a text policy") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return _check_text(_normalise(text), source)


def _normalise(text: str) -> str:
    # Universal newlines, exactly as Python's text mode does; NUL bytes are dropped.
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f\ufffd]")


def _check_text(text: str, source: str) -> str:
    sample = text[:8192]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 50):
        raise InputError(f"{source}: binary file, not a text policy")
    return text
