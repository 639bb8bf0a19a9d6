"""Word (.docx) reader: the text, plus Word comments and tracked changes as drafting findings.

Read with the standard library only (zipfile + xml.etree), so a hostile archive meets our own
limits: paragraphs keep their role (a "Heading N" paragraph becomes a markdown "#" heading line, a
list paragraph a "- " bullet, a table row a "| a | b |" line). Every finding's quote is an exact
substring of the line it names.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from gapcheck.errors import InputError
from gapcheck.models import Finding, Severity
from gapcheck.readers.text import Extracted, one_line

__all__ = ["read", "read_docx", "MAX_UNCOMPRESSED", "MAX_MEMBERS", "DOCX_NOTES", "DOCX_TRACKED"]

#: Total uncompressed size of the parts we read from a .docx (zip-bomb guard).
MAX_UNCOMPRESSED = 64 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_QUOTE = 160

DOCX_NOTES = "draft-unresolved-notes"  # same id as hygiene's notes-left-in finding
DOCX_TRACKED = "draft-tracked-changes"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"

_HEADING_STYLE = re.compile(r"^(?:heading|berschrift|titre|titolo|encabezado|kop)\s*(\d)$", re.IGNORECASE)


def read(data: bytes, source: str = "<docx>") -> Extracted:
    """The common reader interface: text and the drafting findings met while reading."""
    text, notes = read_docx(data, source)
    return Extracted(text, notes, "docx")


def read_docx(data: bytes, source: str = "<docx>") -> tuple[str, tuple[Finding, ...]]:
    """Text of a .docx and its reviewer comments / tracked changes as drafting findings."""
    parts = _open_docx(data, source)
    styles = _style_names(parts.get("word/styles.xml"), source)
    comments = _comments(parts.get("word/comments.xml"), parts.get("word/commentsExtended.xml"), source)
    root = _parse(parts["word/document.xml"], source, "word/document.xml")
    body = root.find(f"{W}body")
    if body is None:
        raise InputError(f"{source}: not a Word document (word/document.xml has no body)")
    w = _DocxWriter(styles)
    w.blocks(body)
    lines = w.lines
    while lines and not lines[-1]:
        lines.pop()
    if not any(ln.strip() for ln in lines):
        raise InputError(f"{source}: no text found in the Word document")
    return "\n".join(lines) + "\n", tuple(w.findings(comments))


WANTED = ("word/document.xml", "word/styles.xml", "word/comments.xml", "word/commentsExtended.xml")


def _open_docx(data: bytes, source: str) -> dict[str, bytes]:
    return read_parts(data, source, WANTED)[1]


def read_parts(data: bytes, source: str, wanted: tuple[str, ...] | None = None
               ) -> tuple[list[zipfile.ZipInfo], dict[str, bytes]]:
    """The archive's entries and the bytes of the `wanted` parts (all parts when None), under the
    zip-bomb guards: at most MAX_MEMBERS entries and MAX_UNCOMPRESSED bytes read in all, whatever
    the headers claim. Shared by the reader and by `gapcheck markup`, which rewrites the archive."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(f"{source}: not a .docx file (not a zip archive); save it again from Word") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise InputError(f"{source}: .docx has {len(infos):,} parts, over the limit of {MAX_MEMBERS:,}")
        by_name = {i.filename: i for i in infos}
        if "word/document.xml" not in by_name:
            raise InputError(f"{source}: not a Word document (no word/document.xml in the archive)")
        names = [i.filename for i in infos] if wanted is None else [n for n in wanted if n in by_name]
        declared = sum(by_name[n].file_size for n in names)
        if declared > MAX_UNCOMPRESSED:
            raise InputError(f"{source}: .docx expands to {declared:,} bytes, over the "
                             f"{MAX_UNCOMPRESSED:,}-byte limit")
        out: dict[str, bytes] = {}
        budget = MAX_UNCOMPRESSED
        for name in names:
            try:
                with zf.open(by_name[name]) as f:  # read at most the budget: sizes in headers can lie
                    blob = f.read(budget + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError) as e:
                raise InputError(f"{source}: damaged .docx ({name}: {e})") from None
            except NotImplementedError:
                raise InputError(f"{source}: .docx uses an unsupported compression method") from None
            if len(blob) > budget:
                raise InputError(f"{source}: .docx expands beyond the {MAX_UNCOMPRESSED:,}-byte limit")
            budget -= len(blob)
            out[name] = blob
    return infos, out


def _parse(blob: bytes, source: str, part: str) -> ET.Element:
    if b"<!DOCTYPE" in blob[:4096] or b"<!ENTITY" in blob:
        raise InputError(f"{source}: {part} declares a DTD or entities, which a Word document never does")
    try:
        return ET.fromstring(blob)
    except ET.ParseError as e:
        raise InputError(f"{source}: damaged .docx ({part}: {e})") from None


def _style_names(blob: bytes | None, source: str) -> dict[str, str]:
    if not blob:
        return {}
    root = _parse(blob, source, "word/styles.xml")
    out: dict[str, str] = {}
    for st in root.iter(f"{W}style"):
        sid = st.get(f"{W}styleId")
        name = st.find(f"{W}name")
        if sid:
            out[sid] = (name.get(f"{W}val") if name is not None else None) or sid
    return out


@dataclass
class _Comment:
    author: str
    text: str
    resolved: bool = False


def _comments(blob: bytes | None, extended: bytes | None, source: str) -> dict[str, _Comment]:
    if not blob:
        return {}
    done: set[str] = set()
    if extended:
        for ex in _parse(extended, source, "word/commentsExtended.xml").iter(f"{W15}commentEx"):
            if ex.get(f"{W15}done") == "1" and ex.get(f"{W15}paraId"):
                done.add(ex.get(f"{W15}paraId", ""))
    out: dict[str, _Comment] = {}
    for c in _parse(blob, source, "word/comments.xml").iter(f"{W}comment"):
        paras = c.findall(f".//{W}p")
        text = " ".join(_clean("".join(t.text or "" for t in p.iter(f"{W}t"))) for p in paras)
        last_para = paras[-1].get(f"{W14}paraId") if paras else None
        out[c.get(f"{W}id", "")] = _Comment(author=c.get(f"{W}author") or "a reviewer",
                                             text=" ".join(text.split()),
                                             resolved=bool(last_para and last_para in done))
    return out


_clean = one_line


@dataclass
class _Mark:
    """A range inside the text of the line being built (comment anchor or tracked change)."""

    kind: str  # comment | ins | del
    key: str  # comment id, or author for ins/del
    start: int
    end: int | None = None  # None: not closed on its first line; -1: to the end of the line
    line: int | None = None  # 0-based index into lines, set when its first line is finished
    end_line: int | None = None
    text: str = ""  # inserted or deleted text
    offsets: tuple[int, int] = (0, 0)  # start/end in the finished line


@dataclass
class _DocxWriter:
    styles: dict[str, str]
    lines: list[str] = field(default_factory=list)
    buf: list[str] = field(default_factory=list)
    pending: list[_Mark] = field(default_factory=list)  # marks that start on the line being built
    closing: list[_Mark] = field(default_factory=list)  # comments from earlier lines that end on it
    open_comments: dict[str, _Mark] = field(default_factory=dict)
    marks: list[_Mark] = field(default_factory=list)
    last_kind: str = ""

    # ---- text accumulation
    def _pos(self) -> int:
        return sum(len(s) for s in self.buf)

    def _add(self, s: str) -> None:
        if s:
            self.buf.append(_clean(s))

    def _finish(self, prefix: str, kind: str) -> None:
        raw = "".join(self.buf)
        self.buf = []
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if not body:  # an empty paragraph: its anchors move to the next line with text
            for m in self.pending:
                m.start = 0
                if m.end is not None and m.end >= 0:
                    m.end = -1
            return
        if self.lines and not (kind == self.last_kind and kind in ("list", "table")):
            self.lines.append("")  # a blank line between blocks; lists and tables stay together
        self.last_kind = kind
        idx = len(self.lines)
        self.lines.append(prefix + body)

        def at(o: int) -> int:
            return len(prefix) + min(max(o - lead, 0), len(body))

        for m in self.pending:
            m.line = m.end_line = idx
            end = m.end if m.end is not None and m.end >= 0 else len(raw)
            m.offsets = (at(m.start), at(end))
        for m in self.closing:
            m.end_line = idx
        self.pending, self.closing = [], []

    # ---- walking
    def blocks(self, parent: ET.Element) -> None:
        # An explicit stack, not recursion: content controls nested 10,000 deep are still read.
        stack = [iter(parent)]
        while stack:
            el = next(stack[-1], None)
            if el is None:
                stack.pop()
                continue
            tag = el.tag
            if tag == f"{W}p":
                self.paragraph(el)
            elif tag == f"{W}tbl":
                self.table(el)
            elif tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins", f"{W}smartTag"):
                stack.append(iter(el))

    def paragraph(self, p: ET.Element) -> None:
        prefix, kind = self._role(p)
        self.inline(p)
        self._finish(prefix, kind)

    def table(self, tbl: ET.Element) -> None:
        for tr in tbl.iter(f"{W}tr"):
            cells = tr.findall(f"{W}tc")
            if not cells:
                continue
            self._add("| ")
            for i, tc in enumerate(cells):
                if i:
                    self._add(" | ")
                paras = tc.findall(f".//{W}p")
                for j, p in enumerate(paras):
                    if j:
                        self._add(" ")
                    self.inline(p)
            self._add(" |")
            self._finish("", "table")

    def inline(self, p: ET.Element) -> None:
        """Append the visible text of a paragraph (insertions included, deletions left out)."""
        skip_until: set[int] = set()
        for el in p.iter():
            if id(el) in skip_until:
                continue
            tag = el.tag
            if tag == f"{W}t":
                self._add(el.text or "")
            elif tag in (f"{W}tab", f"{W}br", f"{W}cr"):
                self._add(" ")
            elif tag == f"{W}noBreakHyphen":
                self._add("-")
            elif tag == f"{W}commentRangeStart":
                m = _Mark("comment", el.get(f"{W}id", ""), self._pos())
                self.open_comments[m.key] = m
                self.pending.append(m)
                self.marks.append(m)
            elif tag == f"{W}commentRangeEnd":
                m = self.open_comments.get(el.get(f"{W}id", ""))
                if m is not None:
                    if m.line is None:
                        m.end = self._pos()
                    else:  # the anchor started on an earlier line and ends on this one
                        self.closing.append(m)
            elif tag == f"{W}commentReference":
                cid = el.get(f"{W}id", "")
                if cid not in self.open_comments:  # a comment without a range: anchor on its line
                    m = _Mark("comment", cid, 0, end=-1)
                    self.open_comments[cid] = m
                    self.pending.append(m)
                    self.marks.append(m)
            elif tag == f"{W}ins":
                text = "".join(t.text or "" for t in el.iter(f"{W}t"))
                m = _Mark("ins", el.get(f"{W}author") or "a reviewer", self._pos(), text=_clean(text))
                m.end = m.start + len(m.text)
                self.pending.append(m)
                self.marks.append(m)
            elif tag == f"{W}del":
                text = "".join(t.text or "" for t in el.iter(f"{W}delText"))
                pos = self._pos()
                m = _Mark("del", el.get(f"{W}author") or "a reviewer", pos, end=pos, text=_clean(text))
                self.pending.append(m)
                self.marks.append(m)
            elif tag in (f"{W}instrText", f"{W}delText"):
                continue
            elif tag == f"{W}txbxContent":
                skip_until.update(id(x) for x in el.iter())

    def _role(self, p: ET.Element) -> tuple[str, str]:
        ppr = p.find(f"{W}pPr")
        style_id = ""
        if ppr is not None:
            ps = ppr.find(f"{W}pStyle")
            if ps is not None:
                style_id = ps.get(f"{W}val", "")
            name = self.styles.get(style_id, style_id).strip()
            m = _HEADING_STYLE.match(name.replace("Heading", "heading ").replace("  ", " "))
            if m and 1 <= int(m.group(1)) <= 6:
                return "#" * int(m.group(1)) + " ", "heading"
            if name.lower() in ("title",):
                return "# ", "heading"
            outline = ppr.find(f"{W}outlineLvl")
            if outline is not None and (outline.get(f"{W}val") or "9").isdigit() and int(outline.get(f"{W}val")) < 6:
                return "#" * (int(outline.get(f"{W}val")) + 1) + " ", "heading"
            numpr = ppr.find(f"{W}numPr")
            if numpr is not None or "list" in name.lower():
                return "- ", "list"
        return "", "paragraph"

    # ---- findings
    def findings(self, comments: dict[str, _Comment]) -> list[Finding]:
        out: list[Finding] = []
        for m in self.marks:
            if m.line is None:
                continue
            line = self.lines[m.line]
            a, b = m.offsets
            quote = _around(line, a) if m.kind == "del" else _quote(line, a, b)
            start, end = m.line + 1, (m.end_line if m.end_line is not None else m.line) + 1
            if m.kind == "comment":
                c = comments.get(m.key, _Comment("a reviewer", ""))
                said = f': "{_short(c.text)}"' if c.text else ""
                if c.resolved:
                    msg = (f"Resolved Word comment by {c.author} is still in the file{said}; "
                           "delete it before publication.")
                    sev = Severity.LOW
                else:
                    msg = (f"Unresolved reviewer comment by {c.author}{said}. Settle it and delete the "
                           "comment before publication.")
                    sev = Severity.HIGH
                out.append(Finding(DOCX_NOTES, sev, start, max(start, end), quote, msg))
            elif m.kind == "ins":
                out.append(Finding(DOCX_TRACKED, Severity.HIGH, start, start, quote,
                                   f'Tracked insertion by {m.key} not yet accepted or rejected: '
                                   f'"{_short(m.text)}". The report reads the text as if it were accepted.'))
            elif m.kind == "del" and m.text.strip():
                out.append(Finding(DOCX_TRACKED, Severity.HIGH, start, start, quote,
                                   f'Tracked deletion by {m.key} not yet accepted or rejected: '
                                   f'"{_short(m.text)}". The report reads the text as if it were accepted.'))
        return out


def _quote(line: str, a: int, b: int) -> str:
    """The anchored text on the line (an exact substring); the whole line when the anchor is empty."""
    q = line[a:b].strip()
    if not q:
        q = line.lstrip("#-| ").strip() or line.strip()
    if len(q) > MAX_QUOTE:
        cut = q[:MAX_QUOTE]
        sp = cut.rfind(" ")
        q = (cut[:sp] if sp > MAX_QUOTE // 2 else cut).rstrip()
    return q


def _around(line: str, pos: int, width: int = 60) -> str:
    """Whole words of the line around a position (for a deletion, whose text is not in the line)."""
    a = max(0, pos - width)
    b = min(len(line), pos + width)
    if a > 0 and " " in line[a:pos]:
        a = line.index(" ", a) + 1
    if b < len(line) and " " in line[pos:b]:
        b = line.rindex(" ", pos, b)
    return line[a:b].strip() or line.strip()


def _short(s: str, limit: int = 200) -> str:
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"
