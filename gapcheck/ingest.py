"""Read a policy file into a Document: decoded text, canonical lines, hash, title and date.

Line numbers everywhere refer to `Document.lines`. For .txt/.md these are the file's own lines
(Python's `str.splitlines()` after universal-newline decoding); for .html they are the lines of
the extracted main text, which `gapcheck text POLICY` prints.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import errno
import hashlib
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

from gapcheck.errors import InputError
from gapcheck.models import Document, Finding, Severity

MAX_BYTES_DEFAULT = 2 * 1024 * 1024  # 10x the longest real policy seen; --max-bytes raises it
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc, and every password-protected .docx


def load(path: str | Path, max_bytes: int = MAX_BYTES_DEFAULT) -> Document:
    """Read and decode a policy file; raise InputError with one clear line when it cannot be used."""
    p = Path(path)
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
        if st.st_size > max_bytes:
            raise InputError(f"{path}: file is {st.st_size:,} bytes, over the {max_bytes:,}-byte limit "
                             "(raise it with --max-bytes)")
        with p.open("rb") as f:  # never more than the limit, even if the file grows or lies about its size
            data = f.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(f"{path}: file is over the {max_bytes:,}-byte limit (raise it with --max-bytes)")
    except InputError:
        raise
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise InputError(f"{path}: symbolic link loop; point it at the policy file") from None
        raise InputError(f"{path}: cannot read file ({e.strerror or e})") from None
    return from_bytes(data, source=str(path), suffix=p.suffix.lower())


def from_bytes(data: bytes, source: str = "<bytes>", suffix: str = ".txt") -> Document:
    """Build a Document from raw bytes; the suffix chooses the reader."""
    if not data.strip():
        raise InputError(f"{source}: file is empty")
    sha = hashlib.sha256(data).hexdigest()
    # The content, not the name, decides for binary formats: a PDF or Word file saved as .txt is
    # read as what it is; a .pdf/.docx that is not one gets a clear error from its reader.
    magic = data[:1024].lstrip()[:8]
    if suffix == ".doc" or magic.startswith(_OLE_MAGIC):
        raise InputError(f"{source}: a legacy .doc file or a password-protected Word document is not supported; "
                         "save the policy as .docx (without a password), .pdf, .txt, .md or .html")
    if magic.startswith(b"%PDF-"):
        return _from_binary(data, source, ".pdf", sha)
    if magic.startswith(b"PK\x03\x04"):
        return _from_binary(data, source, ".docx", sha)
    if suffix in (".docx", ".docm", ".pdf"):
        return _from_binary(data, source, suffix, sha)
    text = decode(data, source)
    fmt = "text"
    if suffix in HTML_SUFFIXES or _looks_like_html(text, strict=suffix in TEXT_SUFFIXES):
        text = html_to_text(text)
        fmt = "html"
    elif suffix in (".md", ".markdown"):
        fmt = "markdown"
    if fmt != "html":  # a text file's lines are the file's own (the contract): nothing is removed from them
        return from_text(text, source=source, sha256=sha, fmt=fmt)
    text, notes = clean_invisible(text)
    return dataclasses.replace(from_text(text, source=source, sha256=sha, fmt=fmt), ingest_notes=notes)


def _from_binary(data: bytes, source: str, suffix: str, sha: str) -> Document:
    """.docx / .pdf through gapcheck.readers; Word comments and tracked changes become ingest_notes."""
    from gapcheck import readers

    if suffix == ".pdf":
        text, notes = clean_invisible(readers.read_pdf(data, source))
        return dataclasses.replace(from_text(text, source=source, sha256=sha, fmt="pdf"), ingest_notes=notes)
    text, docx_notes = readers.read_docx(data, source)
    text, notes = clean_invisible(text)
    doc = from_text(text, source=source, sha256=sha, fmt="docx")
    fixed = []
    for n in docx_notes:  # the quotes were taken before cleaning: clean them the same way
        line = doc.lines[n.line_start - 1]
        q = _clean_line(n.quote).strip()
        fixed.append(dataclasses.replace(n, quote=q if q and q in line else line.strip()))
    return dataclasses.replace(doc, ingest_notes=tuple(fixed) + notes)


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
        title=title, last_updated=last_updated, last_updated_line=lu_line,
    )


# --------------------------------------------------------------------------- decoding

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


def _looks_like_html(text: str, strict: bool = False) -> bool:
    """A web page whatever its name; `strict` (for .txt/.md) needs the page to start like one."""
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or (not strict and "<body" in head)


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


# --------------------------------------------------------------------------- HTML

_SKIP = {"script", "style", "noscript", "template", "nav", "footer", "header", "iframe", "svg",
         "form", "button", "select", "option", "textarea", "object", "embed", "canvas", "head",
         "aside", "menu", "dialog", "math", "title"}
_BLOCK = {"p", "div", "section", "article", "main", "br", "hr", "table", "tr", "ul", "ol", "dl",
          "dt", "dd", "blockquote", "pre", "address", "figure", "figcaption", "body", "html", "li",
          "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "caption", "summary", "details"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source",
         "track", "wbr", "param"}


class _MainText(HTMLParser):
    """Collect visible main text; headings become markdown headings, list items bullets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.cur: list[str] = []
        self.skip_depth = 0
        self.skip_stack: list[str] = []
        self.prefix = ""

    def _flush(self) -> None:
        line = " ".join("".join(self.cur).split())
        if line:
            self.out.append(self.prefix + line)
        self.cur = []
        self.prefix = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag in ("br", "hr") and not self.skip_depth:
                self._flush()
            return
        if self.skip_depth or tag in _SKIP:
            self.skip_depth += 1
            self.skip_stack.append(tag)
            return
        if tag in _BLOCK:
            self._flush()
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.prefix = "#" * int(tag[1]) + " "
            elif tag == "li":
                self.prefix = "- "

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr") and not self.skip_depth:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self.skip_depth:
            if tag in self.skip_stack:
                while self.skip_stack:
                    self.skip_depth -= 1
                    if self.skip_stack.pop() == tag:
                        break
            return
        if tag in _BLOCK:
            self._flush()
        elif tag in ("td", "th"):
            self.cur.append(" | ")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.cur.append(data)


def html_to_text(html: str) -> str:
    """Main text of an HTML page: no scripts, styles, navigation, forms or embedded objects."""
    parser = _MainText()
    parser.feed(html)
    parser.close()
    parser._flush()
    out: list[str] = []
    for line in parser.out:  # one blank line between blocks keeps paragraphs apart
        out.extend((line, ""))
    return "\n".join(out).strip("\n") + "\n"


# --------------------------------------------------------------------------- title and date

_HEADING_MARK = re.compile(r"^\s*(#{1,6}\s+|\*\*)")


def find_title(lines: tuple[str, ...]) -> str | None:
    """The first heading-like line (markdown heading or short line near the top)."""
    for ln in lines[:40]:
        s = ln.strip()
        if not s or s.startswith(">"):
            continue
        s = _HEADING_MARK.sub("", s).strip("*# ").strip()
        if s and len(s) <= 120:
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
    rf"(?P<mdy>\b{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
    rf"|(?P<dmy>\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON},?\s+\d{{4}})"
    r"|(?P<iso>\b\d{4}-\d{2}-\d{2}\b)"
    r"|(?P<dotted>\b\d{1,2}[./]\d{1,2}[./]\d{4}\b)"
    rf"|(?P<my>\b{_MON}\s+\d{{4}}\b)",
    re.IGNORECASE,
)
_UPDATED = re.compile(
    r"(last\s+(?:updated|modified|revised|amended|changed|reviewed)|updated\s+(?:on|as\s+of)|"
    r"effective(?:\s+date|\s+as\s+of|\s+from|\s+on)?|date\s+of\s+(?:last\s+)?(?:update|revision)|"
    r"revised(?:\s+on)?|version\s+(?:of|dated)|stand|as\s+of|dated)\b",
    re.IGNORECASE,
)


def parse_date(s: str) -> dt.date | None:
    """Parse one date expression found by DATE_RE; month-only dates become the 1st."""
    m = DATE_RE.search(s)
    if not m:
        return None
    g = m.lastgroup
    txt = m.group(0).lower().replace(",", " ").replace(".", " ")
    toks = [t for t in re.split(r"\s+", txt) if t and t != "of"]
    try:
        if g == "iso":
            return dt.date.fromisoformat(m.group(0))
        if g == "dotted":
            a, b, y = (int(x) for x in re.split(r"[./]", m.group(0)))
            if "." in m.group(0) or a > 12:  # European day.month.year
                return dt.date(y, b, a)
            return dt.date(y, a, b)
        if g == "mdy":
            mon = _MONTHS[toks[0].rstrip(".")[:4] if toks[0].startswith("sept") else toks[0][:3]]
            day = int(re.sub(r"\D", "", toks[1]))
            return dt.date(int(toks[2]), mon, day)
        if g == "dmy":
            day = int(re.sub(r"\D", "", toks[0]))
            return dt.date(int(toks[2]), _MONTHS[toks[1][:3]], day)
        if g == "my":
            return dt.date(int(toks[1]), _MONTHS[toks[0][:3]], 1)
    except (ValueError, KeyError, IndexError):
        return None
    return None


def find_last_updated(lines: tuple[str, ...]) -> tuple[dt.date | None, int | None]:
    """The policy's own 'last updated / effective' date and its line, if stated."""
    for i, ln in enumerate(lines, start=1):
        if len(ln) > 400 or not _UPDATED.search(ln):
            continue
        for m in _UPDATED.finditer(ln):
            d = parse_date(ln[m.end(): m.end() + 60])
            if d:
                return d, i
    return None, None
