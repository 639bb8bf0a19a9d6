"""Read a policy file into a Document: decoded text, canonical lines, hash, title and date.

Line numbers everywhere refer to `Document.lines`. For .txt/.md these are the file's own lines
(Python's `str.splitlines()` after universal-newline decoding); for .html, .docx and .pdf they are
the lines of the extracted text, which `gapcheck text POLICY` prints. A .txt/.md that holds a web
page (a saved page with the wrong name, or a page inside a web framework's route file) is read as
that page, so its lines are the extracted text's too. Each format has its reader in
`gapcheck.readers`; this module picks one, enforces the size limits and builds the Document.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import hashlib
import re
import stat
from pathlib import Path
from typing import BinaryIO

from gapcheck.errors import InputError
from gapcheck.models import Document, Finding, Severity
from gapcheck.readers.html import HTML_SUFFIXES, RAW_FACTOR, html_to_text, looks_like_html, page_in
from gapcheck.readers.text import MAX_BYTES_DEFAULT, TEXT_SUFFIXES, Extracted, decode

# Re-exported: callers and tests import these names from ingest.
__all__ = ["ADOPTED_OR_STATUS", "HTML_SUFFIXES", "MAX_BYTES_DEFAULT", "NOT_A_LAWS_DATE", "RAW_FACTOR", "TEXT_SUFFIXES",
           "clean_invisible", "decode", "find_last_updated", "find_title", "from_bytes", "from_text", "front_matter_end",
           "html_to_text", "load", "parse_date"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc, and every password-protected .docx
_BINARY_SUFFIXES = {".docx", ".docm", ".pdf", ".doc"}


def _limit_hint(max_bytes: int, page: bool = False) -> str:
    if page:
        return (f"over the {RAW_FACTOR * max_bytes:,}-byte limit for a web page "
                f"({RAW_FACTOR} times --max-bytes; raise it with --max-bytes)")
    return f"over the {max_bytes:,}-byte limit (raise it with --max-bytes)"


def load(path: str | Path, max_bytes: int = MAX_BYTES_DEFAULT) -> Document:
    """Read and decode a policy file; raise InputError with one clear line when it cannot be used.

    `max_bytes` limits the text analysed. A web page may be `RAW_FACTOR` times larger on disk (its
    markup is most of it) and its extracted text is then held to `max_bytes`; any other file is held
    to `max_bytes` itself, checked with stat before reading and again while reading.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        try:
            st = p.stat()  # follows symlinks; a loop or a dangling link fails here
        except FileNotFoundError:
            if p.is_symlink():
                raise InputError(f"{path}: broken symbolic link (its target does not exist)") from None
            raise InputError(f"{path}: no such file") from None
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{path}: is a directory, not a policy file")
        if not stat.S_ISREG(st.st_mode):  # a FIFO, socket or device (/dev/zero) would block or never end
            raise InputError(f"{path}: not a regular file (device, pipe or socket); save the policy to a file")
        with p.open("rb") as f:  # never more than the limit, even if the file grows or lies about its size
            page = st.st_size > max_bytes and _is_html_file(f, suffix)
            limit = RAW_FACTOR * max_bytes if page else max_bytes
            if st.st_size > limit:
                raise InputError(f"{path}: {'web page' if page else 'file'} is {st.st_size:,} bytes, "
                                 f"{_limit_hint(max_bytes, page)}")
            data = f.read(limit + 1)
        if len(data) > limit:
            raise InputError(f"{path}: file is {_limit_hint(max_bytes, page)}")
    except InputError:
        raise
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise InputError(f"{path}: symbolic link loop; point it at the policy file") from None
        raise InputError(f"{path}: cannot read file ({e.strerror or e})") from None
    return from_bytes(data, source=str(path), suffix=suffix, max_bytes=max_bytes)


def _is_html_file(f: BinaryIO, suffix: str) -> bool:
    """Whether a file is a web page, from its name or its first 4 KB (the file position is kept)."""
    if suffix in HTML_SUFFIXES:
        return True
    if suffix in _BINARY_SUFFIXES:
        return False
    head = f.read(4096)
    f.seek(0)
    return _starts_like_html(head, suffix)


def _starts_like_html(head: bytes, suffix: str) -> bool:
    """Whether the first bytes of an input are a web page's (a .txt/.md must start like one)."""
    if head.lstrip()[:8].startswith((b"%PDF-", b"PK\x03\x04", _OLE_MAGIC)):
        return False
    try:
        return looks_like_html(decode(head, "<head>"), strict=suffix in TEXT_SUFFIXES)
    except InputError:  # a cut multi-byte character or binary: not a page
        return False


def from_bytes(data: bytes, source: str = "<bytes>", suffix: str = ".txt",
               max_bytes: int = MAX_BYTES_DEFAULT) -> Document:
    """Build a Document from raw bytes; the content (for binary formats) or the suffix chooses the
    reader. Web pages may be `RAW_FACTOR` times `max_bytes`; the text analysed is held to it."""
    if not data.strip():
        raise InputError(f"{source}: file is empty")
    sha = hashlib.sha256(data).hexdigest()
    if len(data) > RAW_FACTOR * max_bytes:
        raise InputError(f"{source}: input is {len(data):,} bytes, {_limit_hint(max_bytes, True)}")
    got = _read(data, source, suffix, max_bytes)
    if got.fmt == "html" and len(got.text.encode("utf-8")) > max_bytes:
        raise InputError(f"{source}: the page's text is {len(got.text.encode('utf-8')):,} bytes, "
                         f"{_limit_hint(max_bytes)}")
    if got.fmt in ("text", "markdown"):  # a text file's lines are the file's own (the contract): nothing removed
        return from_text(got.text, source=source, sha256=sha, fmt=got.fmt)
    text, notes = clean_invisible(got.text)
    doc = from_text(text, source=source, sha256=sha, fmt=got.fmt)
    if got.title and not doc.title:  # the page's own heading first; its <title> when it has none
        doc = dataclasses.replace(doc, title=got.title)
    fixed = []
    for n in got.notes:  # the quotes were taken before cleaning: clean them the same way
        line = doc.lines[n.line_start - 1]
        q = _clean_line(n.quote).strip()
        fixed.append(dataclasses.replace(n, quote=q if q and q in line else line.strip()))
    return dataclasses.replace(doc, ingest_notes=tuple(fixed) + notes)


def _read(data: bytes, source: str, suffix: str, max_bytes: int) -> Extracted:
    """Dispatch to the format's reader. The content, not the name, decides for binary formats: a PDF
    or Word file saved as .txt is read as what it is; a .pdf/.docx that is not one gets a clear error."""
    magic = data[:1024].lstrip()[:8]
    if suffix == ".doc" or magic.startswith(_OLE_MAGIC):
        raise InputError(f"{source}: a legacy .doc file or a password-protected Word document is not supported; "
                         "save the policy as .docx (without a password), .pdf, .txt, .md or .html")
    kind = ("pdf" if magic.startswith(b"%PDF-") else "docx" if magic.startswith(b"PK\x03\x04")
            else {".docx": "docx", ".docm": "docx", ".pdf": "pdf"}.get(suffix, ""))
    if kind and len(data) > max_bytes:  # only a web page gets the tenfold allowance
        raise InputError(f"{source}: input is {len(data):,} bytes, {_limit_hint(max_bytes)}")
    if kind == "pdf":
        from gapcheck.readers import pdf

        return pdf.read(data, source)
    if kind == "docx":
        from gapcheck.readers import docx

        return docx.read(data, source)
    if len(data) > max_bytes and not (suffix in HTML_SUFFIXES or _starts_like_html(data[:4096], suffix)):
        raise InputError(f"{source}: input is {len(data):,} bytes, {_limit_hint(max_bytes)}")
    text = decode(data, source)
    page = (page_in(text) or text) if suffix in HTML_SUFFIXES else page_in(text, strict=suffix in TEXT_SUFFIXES)
    if page is not None:
        from gapcheck.readers.html import page_title

        return Extracted(html_to_text(page), (), "html", page_title(page))
    return Extracted(text, (), "markdown" if suffix in (".md", ".markdown") else "text")


def from_text(text: str, source: str = "<text>", sha256: str | None = None, fmt: str = "text") -> Document:
    """Build a Document from already-decoded text (used by tests and checklist examples)."""
    lines = tuple(text.splitlines())
    canonical = "\n".join(lines)
    if not canonical.strip():
        raise InputError(f"{source}: no text found")
    title = find_title(lines)
    last_updated, lu_line = find_last_updated(lines)
    return Document(
        source=source, text=canonical, lines=lines,
        sha256=sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(), fmt=fmt,
        title=title, last_updated=last_updated, last_updated_line=lu_line, language=language_of(canonical),
    )


#: The commonest function words of the languages privacy notices come in. A notice's language is the one
#: whose words make up most of its running text; English unless another clearly dominates, so a few
#: foreign addresses or a bilingual heading change nothing.
_FUNCTION_WORDS = {
    "en": "the and of to in you your we our is are for with that this or be by on as not",
    "es": "el la los las de del y que en por para con su sus tus nosotros datos es se una un al",
    "fr": "le la les des du de et que en pour avec vos votre nous données est sont une un au aux",
    "de": "der die das und zu den von mit für ist sie ihre wir daten nicht auf dem des eine ein",
    "it": "il lo la gli le di del della e che per con i suoi nostri dati è sono una un al",
    "pt": "o a os as de do da e que em por para com seus seu nós dados é são uma um ao",
    "nl": "de het een en van in op voor met dat uw wij onze gegevens is zijn niet te door",
}
#: word -> the languages it is a function word of (built once: language_of runs on every document read)
_LANG_OF_WORD: dict[str, tuple[str, ...]] = {}
for _lang, _ws in _FUNCTION_WORDS.items():
    for _w in _ws.split():
        _LANG_OF_WORD[_w] = (*_LANG_OF_WORD.get(_w, ()), _lang)
_WORD = re.compile(r"[^\W\d_]+")
_NAMES = {"es": "Spanish", "fr": "French", "de": "German", "it": "Italian", "pt": "Portuguese", "nl": "Dutch"}


def language_of(text: str, sample: int = 60_000) -> str:
    """ISO code of the language the text is mostly written in ("en" unless another clearly dominates)."""
    words = [w.lower() for w in _WORD.findall(text[:sample])]
    if len(words) < 50:
        return "en"
    counts = dict.fromkeys(_FUNCTION_WORDS, 0)
    for w in words:
        for lang in _LANG_OF_WORD.get(w, ()):
            counts[lang] += 1
    best = max(counts, key=lambda k: counts[k])
    # another language only when its words clearly outnumber English ones in the running text
    return best if best != "en" and counts[best] > 2 * counts["en"] and counts[best] > 0.15 * len(words) else "en"


def language_name(code: str) -> str:
    """A language code as a reader names it."""
    return _NAMES.get(code, code)


# --------------------------------------------------------------------------- invisible characters

#: In text extracted from HTML, Word and PDF (whose lines are gapcheck's own), format characters that
#: render as nothing (zero-width space, word joiner, a BOM inside the text, soft hyphen, bidirectional
#: marks and embeddings) are removed, and Unicode spaces (no-break, thin, ideographic ...) become plain
#: spaces, so that "data\u00a0protection" matches like "data protection". ZWJ/ZWNJ are kept: they shape
#: Indic and Arabic script. Runs of spaces inside a line become one, as in a browser. Line breaks are
#: untouched, so line numbers do not move. A .txt/.md file's
#: lines are left exactly as they are: the contract promises quotes that are substrings of the file.
_REMOVED = "\u00ad\u061c\u180e\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064" \
           "\u2066\u2067\u2068\u2069\ufeff"
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_INVISIBLE_MAP = {**{ord(c): None for c in _REMOVED}, **{ord(c): " " for c in _SPACES}}
#: Left in by a conversion (not by a typist): reported as a drafting finding when removed.
_RESIDUE = re.compile("[\u200b\u2060\ufeff]")
_SPACE_RUN = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")


def _clean_line(line: str) -> str:
    """Invisible characters out, Unicode spaces plain, and runs of spaces inside the line single."""
    return _SPACE_RUN.sub(" ", line.translate(_INVISIBLE_MAP))
CONVERSION_FINDING = "draft-conversion-artifacts"  # the id hygiene uses for conversion residue


def clean_invisible(text: str) -> tuple[str, tuple[Finding, ...]]:
    """The text without invisible characters, and one finding per line where conversion residue
    (zero-width spaces, word joiners, stray BOMs) was removed; quotes are taken from the clean line."""
    if text.isascii() and "  " not in text and "\t" not in text:
        return text, ()
    notes: list[Finding] = []
    lines = text.splitlines(keepends=True)  # the same line breaks as from_text, so numbers agree
    for i, line in enumerate(lines):
        clean = _clean_line(line)
        m = _RESIDUE.search(line)
        if m is not None:
            pos = len(_clean_line(line[:m.start()]))
            quote = clean[max(0, pos - 30): pos + 12].strip() or clean.strip()
            if quote and len(notes) < 50:
                notes.append(Finding(CONVERSION_FINDING, Severity.MEDIUM, i + 1, i + 1, quote,
                                     "Remove the invisible characters (zero-width spaces) that the conversion "
                                     "left in this line; gapcheck reads the line without them."))
        lines[i] = clean
    return "".join(lines), tuple(notes)


# --------------------------------------------------------------------------- title and date

_HEADING_MARK = re.compile(r"^\s*(#{1,6}\s+|\*\*)")


_FRONT_TITLE = re.compile(r"^title\s*:\s*[\"']?(.+?)[\"']?\s*$", re.IGNORECASE)


def front_matter_end(lines: tuple[str, ...]) -> int:
    """Number of lines taken by site-generator front matter (`---` ... `---` at the top), else 0."""
    if not lines or lines[0].strip() != "---":
        return 0
    for k in range(1, min(len(lines), 80)):
        if lines[k].strip() in ("---", "..."):
            return k + 1
    return 0


_HTML_TAGS = re.compile(r"</?(?:h[1-6]|p|strong|b|em|i|span|div|a)\b[^<>]*>", re.IGNORECASE)
_DIRECTIVE_STARTS = ("<#", "<%", "<?", "<@")  # FreeMarker, ERB/JSP, PHP, FreeMarker macro
_SECTION_NO_START = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s")


def find_title(lines: tuple[str, ...]) -> str | None:
    """The first heading-like line (markdown heading or short line near the top); a Markdown file's
    front matter (between '---' lines) is skipped, its `title:` used; table and navigation rows
    ("| Home | Login |") are not titles."""
    start = 0
    if lines and lines[0].strip() == "---":
        for k, ln in enumerate(lines[1:60], start=1):
            m = _FRONT_TITLE.match(ln.strip())
            if m:
                return m.group(1).strip()[:120] or None
            if ln.strip() == "---":
                start = k + 1
                break
    directive = False
    for ln in lines[start:start + 40]:
        s = ln.strip()
        # (nor a template's directive left in the page: '<#include "head.ftl">', "<?php include 'nav.php'; ?>")
        if not s or s.startswith((">", "|", *_DIRECTIVE_STARTS)) or s == "---":
            directive = directive or s.startswith(_DIRECTIVE_STARTS)
            continue
        # a page source's heading tags are markup, not the title's words ("<h1>Data privacy</h1>")
        s = _HEADING_MARK.sub("", _HTML_TAGS.sub("", s)).strip("*# ").strip()
        # after a directive that drew the page's header (and its title), a numbered first section is no title
        if s and len(s) <= 120 and not (directive and _SECTION_NO_START.match(s)):
            return s
        return None
    return None


_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MON = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
DATE_RE = re.compile(
    rf"(?P<mdy>\b{_MON}\s+(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"  # "May the 17th 2018"
    rf"|(?P<dmy>\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s+(?:of\s+)?{_MON},?\s+|-{_MON}-)\d{{4}})"  # 16-OCT-2023
    r"|(?P<iso>\b\d{4}-\d{2}-\d{2}\b)"
    r"|(?P<dotted>\b\d{1,2}[./]\d{1,2}[./]\d{4}\b|\b\d{1,2}/\d{1,2}/\d{2}\b(?![/\d]))"  # 21/11/25
    r"|(?P<dashed>(?<![\d-])\b\d{1,2}-\d{1,2}-(?:(?:19|20)\d\d|\d\d)\b(?!-))"  # 01-05-2023, 05-11-23
    r"|(?P<ymd>\b(?:19|20)\d\d[./]\d{1,2}[./]\d{1,2}\b)"
    rf"|(?P<my>\b{_MON},?\s+\d{{4}}(?![\dA-Za-z])"  # "October 2021", "October, 2021", "_June 2024_" (emphasis)
    # "10/2023", not a law's number ("Organic Law 3/2018", "Directive 2/2002", "Act No. 5/2019")
    r"|(?<![\d/.-])(?<!law )(?<!act )(?<!no\. )(?<!no )(?<!nº )(?<!decree )(?<!directive )(?<!regulation )"
    r"\b(?:0?[1-9]|1[0-2])/(?:19|20)\d\d\b(?![/\d]))",
    re.IGNORECASE,
)
#: "Last updated", "Last Update", "last modified", ...: shared with hygiene's date search.
LAST_CHANGED = r"last\s+(?:updated?|modified|revised|amended|changed|reviewed|review|edited|modification|revision)"
#: Not a law's own date: "Regulation No. 2016/679 as of 27 April 2016", "Act No. 78/17 as of 6 January 1978"
#: (shared with hygiene; the lexicon's date label carries the same lookbehinds).
NOT_A_LAWS_DATE = (r"(?<!/\d\d\s)(?<!/\d\d\d\s)(?<!/\d\d\d\d\s)(?<!Regulation\s)(?<!Act\s)(?<!Law\s)(?<!Directive\s)"
                   r"(?<!Decree\s)")
#: "This Privacy Policy applies from July 1, 2024": a version's start date, shared with hygiene too.
APPLIES_FROM = r"(?:policy|notice|statement)\s+(?:applies|is\s+valid|is\s+in\s+(?:force|effect))\s+(?:from|as\s+of|since)"
#: "Version 4.0, adopted on 13.05.2021", "Version: 1.0, status: April 2018", "Status of the privacy policy:
#: 23.01.2024" or "The current status of this Privacy Policy is 2025-03-31" (German "Stand"), "version 1.0 of the privacy
#: policy, issued December 6th, 2007": shared with hygiene too.
ADOPTED_OR_STATUS = (r"adopted(?:\s+on)?|status(?=\s*:)|status\s+of\s+(?:this|the|our)\s+(?:data\s+protection\s+|privacy\s+)?"
                     r"(?:policy|notice|statement|declaration|information)(?=\s*:|\s+is\s+\d)|issued(?:\s+on)?|published\s+on|"
                     r"date\s+of\s+publication|publication\s+date")
#: "dated", but not a law's own date ("Legislative Decree no. 196 dated June 30, 2003", "Act No. 101/2000
#: dated ..."): shared with hygiene too.
#: "dated" as the notice's own label, not another instrument's date ("Judgement of Honorable Supreme Court dated
#: September 2018", "the notification dated 11 April 2011")
DATED = (r"(?<![\d.]\s)(?<!court )(?<!judgment )(?<!judgement )(?<!order )(?<!circular )(?<!notification )"
         r"(?<!letter )(?<!agreement )(?<!contract )(?<!gazette )(?<!rules )(?<!regulations )dated")
_UPDATED = re.compile(
    "(" + LAST_CHANGED + r"|updated\s+(?:on|as\s+of)|updated\s*:|"
    r"effective(?:\s+date|\s+as\s+of|\s+from|\s+on)?|date\s+of\s+(?:last\s+)?(?:update|revision)|"
    + APPLIES_FROM + r"|"
    # (not a law's start: "the GDPR, which came into force on 25 May 2018"; as org.policy_date_label)
    # (also "This version of our privacy questions and answers took effect June 3, 2020.")
    r"revised(?:\s+on)?|revision\s+date|(?<!which\s)(?<!that\s)(?<!regulation\s)(?<!act\s)(?<!law\s)"
    r"(?:(?:came|comes|come)\s+into\s+(?:effect|force)|(?:took|takes)\s+effect)(?:\s+on)?|"
    # a version number over its date: "**v1.5 - February 2024**", "Version 1.2 — May 22, 2018"
    r"v(?:ersion\s*)?\d+(?:\.\d+)+(?=\s*[-\u2013\u2014:]\s*\w)|"
    r"version\s+(?:of|dated)|(?:latest|current)\s+version(?=[\s*_]*[:\-\u2013][\s*_]*\d)|"
    # a version label over a dotted date: "Version: 12.04.2022" (not a version number: "Version: 2.1")
    r"(?<![\w ])version(?=[\s*_]*:[\s*_]*\d{1,2}[./]\d{1,2}[./]\d{2,4}\b)|"
    # "Latest update: May 22, 2018" as a label (not "the latest updates to our app")
    r"(?:latest|most\s+recent)\s+(?:update|revision)(?=[\s*_]*[:\-\u2013])|"
    # "Posted: 01 April 2019." as the notice's own label (not "the job was posted on ...")
    r"(?<![\w ])posted(?=\s*:)|stand|" + NOT_A_LAWS_DATE + r"as\s+of|"
    # "This Privacy Notice was modified in August 2026" (not "the modified data")
    r"(?:(?<=policy was )|(?<=notice was )|(?<=statement was ))(?:modified|updated|amended)(?:\s+(?:in|on))?|"
    # a bare label opening its line: "Modified 24 May 2018", "Updated 3 March 2021" (not "the modified data")
    r"(?<![\w ])(?:modified|updated|amended)(?=[\s*_]*:?[\s*_]*(?:on\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+" + _MON + r"|"
    + _MON + r"\s+\d))|" + DATED + r"|date(?=\s*[:\-–]?\s*\d{1,2}[./]\d)|(?<![\w ])date(?=[\s*_]*:[\s*_]*(?:\d{1,2}(?:st|nd|rd|th)?\s+)?[A-Za-z]{3,9}\.?\s+\d)|"
    + ADOPTED_OR_STATUS + r")\b"
    # the label run into its date by a conversion that lost the space: "Last update3/20/2024"
    r"|last\s+(?:updated?|modified|revised|changed)(?=\d{1,2}[./-]\d)",
    re.IGNORECASE,
)


#: Markdown emphasis marks at a word's edge ("_Last Updated: _30 May_ 2024_" as a page capture bolds or
#: italicises parts of a date): they split "May_ 2024", which then reads as no date.
_EDGE_EMPHASIS = re.compile(r"(?<=\w)[_*]+(?=[\s.,;:)]|$)|(?<=\s)[_*]+(?=\w)|^[_*]+(?=\w)")


def parse_date(s: str) -> dt.date | None:
    """Parse one date expression found by DATE_RE; month-only dates become the 1st."""
    if "_" in s or "*" in s:
        s = _EDGE_EMPHASIS.sub("", s)
    m = DATE_RE.search(s)
    if not m:
        return None
    g = m.lastgroup
    txt = m.group(0).lower().replace(",", " ").replace(".", " ").replace("-", " ")
    toks = [t for t in re.split(r"\s+", txt) if t and t not in ("of", "the")]
    try:
        if g == "iso":
            return dt.date.fromisoformat(m.group(0))
        if g == "ymd":  # 2020.12.07, 2020/12/07
            y, a, b = (int(x) for x in re.split(r"[./]", m.group(0)))
            return dt.date(y, a, b)
        if g == "dotted":
            a, b, y = (int(x) for x in re.split(r"[./]", m.group(0)))
            y += 2000 if y < 100 else 0  # 21/11/25
            if "." in m.group(0) or a > 12:  # European day.month.year
                return dt.date(y, b, a)
            return dt.date(y, a, b)
        if g == "dashed":  # day first, as where this form is usual, unless only month first can be
            a, b, y = (int(x) for x in m.group(0).split("-"))
            y += 2000 if y < 100 else 0  # 05-11-23
            return dt.date(y, a, b) if b > 12 else dt.date(y, b, a)
        if g == "mdy":
            mon = _MONTHS[toks[0].rstrip(".")[:4] if toks[0].startswith("sept") else toks[0][:3]]
            day = int(re.sub(r"\D", "", toks[1]))
            return dt.date(int(toks[2]), mon, day)
        if g == "dmy":
            day = int(re.sub(r"\D", "", toks[0]))
            return dt.date(int(toks[2]), _MONTHS[toks[1][:3]], day)
        if g == "my":
            if "/" in toks[0]:  # 10/2023
                mon, year = (int(x) for x in toks[0].split("/"))
                return dt.date(year, mon, 1)
            return dt.date(int(toks[1]), _MONTHS[toks[0][:3]], 1)
    except (ValueError, KeyError, IndexError):
        return None
    return None


#: How many lines after the first dated line still belong to the same header block.
_HEADER_SPAN = 4


#: The "as of"/"as at" date key, shared with hygiene: "As of June 2024, creators are able to ..." dates a
#: feature, not the notice (see `clause_goes_on`).
AS_OF = re.compile(r"as\s+(?:of|at)\b", re.IGNORECASE)
# after the date, a clause goes on: "As of June 2024, creators are able to offer paid posts"
_CLAUSE_AFTER = re.compile(r"[\s*_]*,\s*(?:[\w’'-]+\s+){2,}[\w’'-]+")


#: the clause after the date is about the notice itself: "As of September 30, 2020, the policy applied for all will be ..."
_ABOUT_THE_NOTICE = re.compile(r"[\s*_]*,\s*(?:[\w’'-]+\s+){0,4}?(?:policy|notice|statement|declaration)\b", re.IGNORECASE)


#: a law after the date: "... and as of 25 May 2018 -- the General Data Protection Regulation" dates the law
_LAW_AFTER = re.compile(r"[\s*_,;:–—-]{0,8}(?:the\s+)?(?:General\s+Data\s+Protection\s+Regulation|GDPR|DSGVO|CCPA|CPRA|"
                        r"DPDP)\b", re.IGNORECASE)


def clause_goes_on(line: str, date_end: int) -> bool:
    """After the date that ends at `date_end`, a comma and a clause follow: 'As of <date>, ...' opens a
    sentence about something else (a feature, a fact), not the notice's date (unless that clause is about the
    notice: 'As of <date>, the policy applied for all will be this one'), or a law follows: 'as of 25 May 2018 --
    the General Data Protection Regulation' dates the law. Shared with hygiene."""
    if _LAW_AFTER.match(line, date_end) is not None:
        return True
    return _CLAUSE_AFTER.match(line, date_end) is not None and _ABOUT_THE_NOTICE.match(line, date_end) is None


def _as_of_in_sentence(line: str, at: int) -> bool:
    dm = DATE_RE.search(line, at, at + 60)
    return dm is not None and clause_goes_on(line, dm.end())


#: A date key of a site generator's front matter ("lastEdited: 2020-04-16", "published: 2018-05-24T23:01:00Z",
#: "last_modified_at: 2024-01-02"): when the body gives no date, the page's own record of when it was written.
FRONT_MATTER_DATE = re.compile(
    r"^\s*(?:last_?(?:edited|modified|updated|reviewed)(?:_?(?:at|on|date))?|lastmod|updated(?:_at|_on|_?date)?|modified(?:_at|_?date)?|"
    r"published(?:_at|_on)?|date|effective(?:_?date)?)\s*:\s*[\"']?(?P<date>\d{4}-\d{1,2}-\d{1,2})", re.IGNORECASE)


def find_last_updated(lines: tuple[str, ...]) -> tuple[dt.date | None, int | None]:
    """The policy's own 'last updated / effective' date and its line, if stated.

    The first dated line, unless the lines just after it give a later date: a header "Effective
    Date: January 1, 2020" over "Updated: April 17, 2023" was last changed in 2023.
    """
    first: int | None = None
    best: tuple[dt.date, int] | None = None
    maybe = _dated_line_candidates(lines)
    for i, ln in enumerate(lines, start=1):
        if first is not None and i > first + _HEADER_SPAN:
            break
        if len(ln) > 2000 or (maybe is not None and i not in maybe) or not _UPDATED.search(ln):
            continue
        for m in _UPDATED.finditer(ln):
            d = parse_date(ln[m.end(): m.end() + 60])
            at = i
            if d and AS_OF.fullmatch(m.group(0)) and _as_of_in_sentence(ln, m.end()):
                continue
            if d is None and _BARE_LABEL.match(ln):
                # a label on a line of its own ("**DATE EFFECTIVE**"), its date on the next non-blank line
                nxt = next((k for k in range(i, min(i + 3, len(lines))) if lines[k].strip()), None)
                if nxt is not None and len(lines[nxt].strip()) <= 40:
                    d, at = parse_date(lines[nxt]), nxt + 1
            elif d is None and _WHEN_UPDATED.match(ln):
                # a section asking "When was this policy last updated?", its answer a date on a short line
                # of its own a few lines on (after the heading's underline or a sentence)
                for k in range(i, min(i + 6, len(lines))):
                    if 0 < len(lines[k].strip()) <= 40 and (d := parse_date(lines[k])):
                        at = k + 1
                        break
            if d:
                first = at if first is None else first
                if best is None or d > best[0]:
                    best = (d, at)
                break
    if best is None:  # the site generator's own record of the page's date ("lastEdited: 2020-04-16"); of
        # several ("date: '2014-04-03'" over "updatedDate: '2015-01-06'") the latest is the last change
        for i in range(1, max(front_matter_end(lines) - 1, 1)):
            m = FRONT_MATTER_DATE.match(lines[i])
            if m and (d := parse_date(m.group("date"))) and (best is None or d > best[0]):
                best = (d, i + 1)
    return best if best else (None, None)


def _dated_line_candidates(lines: tuple[str, ...]) -> set[int] | None:
    """1-based numbers of the lines where `_UPDATED` may match (a superset), from one pass of its
    leading-word finder over the whole text; None when every line must be searched.

    A match in a line starts where one of the pattern's leading forms occurs (prefilter.StartScanner),
    and a form found in a line is found at the same place in the lines joined by newlines (a newline,
    like the end of the line, is a non-word, space character). Most policies have no dated line near
    the top, and searching `_UPDATED` in each of their lines was a tenth of reading a file."""
    from bisect import bisect_right

    from gapcheck.prefilter import lowered, start_scanner

    sc = start_scanner(_UPDATED)
    if sc is None:
        return None
    text = "\n".join(lines)
    low = lowered(text)
    if low is None:
        return None
    offsets = [0]
    for ln in lines[:-1]:
        offsets.append(offsets[-1] + len(ln) + 1)
    find, out, pos, end = sc.finder.search, set(), 0, len(low)
    while pos < end:
        f = find(low, pos)
        if f is None:
            break
        i = bisect_right(offsets, f.start())  # the 1-based line the form starts in
        out.add(i)
        pos = offsets[i] if i < len(offsets) else end  # on from the next line
    return out


#: A heading that asks when the policy was last updated ("12. When was this policy last updated?").
_WHEN_UPDATED = re.compile(r"^[\s*_#>|\d.\\]*when\s+(?:was|were|did)\s+(?:this|the|our)\s+(?:privacy\s+)?(?:policy|notice|"
                           r"statement)\s+(?:last\s+)?(?:updated?|changed?|revised?|modified)\s*\?[\s*_]*$", re.IGNORECASE)
#: A line that is nothing but a date label ("**DATE EFFECTIVE**", "Last updated:", "_Effective date_").
_BARE_LABEL = re.compile(r"^[\s*_#>|]*(?:date\s+)?(?:effective|last\s+(?:updated|revised|modified)|updated|revised)"
                         r"(?:\s+date|\s+on)?[\s*_:|.-]*$", re.IGNORECASE)
