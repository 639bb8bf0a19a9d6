"""The client's policy back as Word with a margin comment on each point, and the reviewer's replies read back.

`gapcheck markup POLICY -o POLICY.reviewed.docx` is how lawyers hand review notes to each other: a
comment anchored on the exact evidence of every partly met requirement and every drafting defect,
and one on the heading of the section where each missing requirement belongs. Every comment starts
with the requirement id in brackets (``[gdpr-retention-period] ...``), so the document can come back:
a reply "accepted: <reason>" becomes a waiver and "not a gap: <reason>" a reviewer override (status
met), by the reply's author (`gapcheck run POLICY.reviewed.docx --review-from-comments`).

A .docx input is edited at the zip level, not re-saved through python-docx: every part except
word/document.xml, the comments parts, [Content_Types].xml and the document's relationships is copied
byte for byte (styles, numbering, headers, media), existing comments and tracked changes stay as they
are, and in document.xml only the runs holding a quote are split so that the comment range covers
exactly the quoted text. Other input (.txt, .md, .html, .pdf) becomes a clean document, one paragraph
per line, headings as Word headings, then gets its comments the same way. Nothing from the policy is
ever interpreted: lxml escapes text, and characters XML cannot carry are dropped.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gapcheck.errors import GapcheckError, InputError
from gapcheck.models import Document, Report, RequirementResult, Status
from gapcheck.render_docx import xml_text

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
W15_NS = "http://schemas.microsoft.com/office/word/2012/wordml"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_NS = "http://www.w3.org/XML/1998/namespace"
REL_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
REL_COMMENTS_EX = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
CT_COMMENTS_EX = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
W = f"{{{W_NS}}}"
W14 = f"{{{W14_NS}}}"
W15 = f"{{{W15_NS}}}"

ID_PREFIX = re.compile(r"^\s*\[([a-z0-9]+(?:[._-][a-z0-9]+)+)\]")  # '[gdpr-retention-period]', never '[A1]'

DECISION = re.compile(r"^\s*(accepted|accept|not\s+a\s+gap|not-a-gap)\b\s*[:.,;–—-]?\s*(.*)$", re.I | re.S)
_INVISIBLE = "[\u00ad\u200b-\u200f\u2060\ufeff]*"
_BULLET_LINE = re.compile(r"^\s*[-*•]\s+(\S.*)$")


# --------------------------------------------------------------------------- what to say where

@dataclass(frozen=True)
class Note:
    """One margin comment: where (line range and quote; no quote = the whole paragraph) and what."""

    key: str  # requirement id or drafting finding id, shown in brackets
    line_start: int
    line_end: int
    quote: str | None
    paragraphs: tuple[str, ...]


def initials_of(name: str) -> str:
    """'A. Consultant, CIPP/E' -> 'AC': first letters of the name before any comma, at most three."""
    words = re.findall(r"[^\W\d_]+", name.split(",")[0])
    return "".join(w[0] for w in words).upper()[:3] or "GC"


def notes_for(report: Report) -> list[Note]:
    """Comments for every partial and missing requirement and every drafting finding, in line order.

    Reviewer overrides already changed the statuses; an accepted (waived) gap keeps its comment and
    says who accepted it, as the report does.
    """
    from gapcheck.render import STATUS_LABEL, _finding_title, _law_short

    laws = {lr.checklist.law: lr.checklist.name for lr in report.laws}
    out: list[Note] = []
    ask = ('To decide: reply "accepted: <reason>" or "not a gap: <reason>", then run '
           "gapcheck run <this file> --review-from-comments.")
    for r in report.results:
        if r.status not in (Status.PARTIAL, Status.MISSING):
            continue
        q = r.requirement
        head = f"[{q.id}] {STATUS_LABEL[r.status.value]}: {q.title}"
        paras = [head, f"{_law_short(laws.get(q.law, q.law), q.law)} {q.citation} ({q.severity.value} severity)."]
        if r.status == Status.PARTIAL:
            paras.append(f"What is wrong: {r.rationale}")
            paras.append(f"Recommendation: {r.recommendation or q.recommendation}")
        else:
            paras.append(r.rationale or "Nothing in the policy addresses this.")
            paras.append(f"What to add: {r.recommendation or q.recommendation}")
        if r.waiver:
            wv = r.waiver
            paras.append("Accepted gap" + (f", by {wv.get('by')}" if wv.get("by") else "")
                         + (f", until {wv.get('until')}" if wv.get("until") else "")
                         + (f": {wv.get('reason')}" if wv.get("reason") else ""))
        paras.append(ask)
        if r.status == Status.PARTIAL and r.evidence:
            e = r.evidence[0]
            more = sorted({x.line_start for x in r.evidence[1:]} - {e.line_start})
            if more:
                paras.insert(2, f"Also relevant: line{'s' if len(more) > 1 else ''} {', '.join(map(str, more))}.")
            out.append(Note(q.id, e.line_start, e.line_end, e.quote, tuple(paras)))
        else:
            line = section_line(report, r)
            out.append(Note(q.id, line, line, None, tuple(paras)))
    for f in report.findings:
        paras = (f"[{f.id}] Drafting defect: {_finding_title(f)} ({f.severity.value} severity)", f.message)
        out.append(Note(f.id, f.line_start, f.line_end, f.quote or None, paras))
    return sorted(out, key=lambda n: (n.line_start, n.key))


def section_line(report: Report, r: RequirementResult) -> int:
    """Line of the heading of the section where a missing requirement belongs.

    The heading above the nearest related clause (what the report shows as "nearest text on this
    topic"); without one, the policy's title line, else its first line with text.
    """
    clauses = [ac.clause for ac in report.clauses]
    where = {c.id: i for i, c in enumerate(clauses)}
    for e in r.related:
        i = where.get(e.clause)
        if i is None:
            continue
        for j in range(i, -1, -1):
            if clauses[j].kind == "heading":
                return clauses[j].line_start
        break
    return title_line(report.document, clauses)


def title_line(doc: Document, clauses: Iterable[Any] = ()) -> int:
    """The line holding the policy's title (or its first heading, or its first line with text)."""
    if doc.title:
        for n, ln in enumerate(doc.lines, start=1):
            if doc.title in ln:
                return n
    for c in clauses:
        if c.kind == "heading":
            return int(c.line_start)
    return next((n for n, ln in enumerate(doc.lines, start=1) if ln.strip()), 1)


# --------------------------------------------------------------------------- zip and XML plumbing

def _parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_blank_text=False)


def _parse(blob: bytes, source: str, part: str) -> Any:
    from lxml import etree

    if b"<!DOCTYPE" in blob[:4096] or b"<!ENTITY" in blob:
        raise InputError(f"{source}: {part} declares a DTD or entities, which a Word document never does")
    try:
        return etree.fromstring(blob, _parser())
    except etree.XMLSyntaxError as e:
        raise InputError(f"{source}: damaged .docx ({part}: {e})") from None


def _serialize(root: Any, original: bytes | None) -> bytes:
    """The part with its original XML declaration (Word's), so only the changed elements differ."""
    from lxml import etree

    decl = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    if original is not None:
        m = re.match(rb"\s*<\?xml[^>]*\?>\s*", original)
        decl = m.group(0) if m else b""
    return decl + etree.tostring(root, encoding="UTF-8", xml_declaration=False)


def _write_zip(infos: list[zipfile.ZipInfo], parts: dict[str, bytes]) -> bytes:
    """Members in their original order (new ones at the end), unchanged ones with their original bytes."""
    buf = io.BytesIO()
    names = [i.filename for i in infos]
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for i in infos:
            zi = zipfile.ZipInfo(i.filename, date_time=i.date_time)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = i.external_attr
            out.writestr(zi, parts[i.filename])
        for name, blob in parts.items():
            if name not in names:
                zi = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                zi.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(zi, blob)
    return buf.getvalue()


def _rels_target(parts: dict[str, bytes], rel_type: str, source: str) -> str | None:
    blob = parts.get("word/_rels/document.xml.rels")
    if not blob:
        return None
    for rel in _parse(blob, source, "document.xml.rels").iter(f"{{{PKG_REL_NS}}}Relationship"):
        if rel.get("Type") == rel_type and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else "word/" + target
    return None


def _add_part(parts: dict[str, bytes], name: str, rel_type: str, content_type: str, blob: bytes,
              source: str) -> None:
    """A new part with its relationship from the document and its content type."""
    from lxml import etree

    rels_name = "word/_rels/document.xml.rels"
    rels_blob = parts.get(rels_name)
    rels = (_parse(rels_blob, source, rels_name) if rels_blob
            else etree.Element(f"{{{PKG_REL_NS}}}Relationships", nsmap={None: PKG_REL_NS}))
    used = {r.get("Id") for r in rels}
    n = 1
    while f"rId{n}" in used or f"rIdGc{n}" in used:
        n += 1
    etree.SubElement(rels, f"{{{PKG_REL_NS}}}Relationship", Id=f"rIdGc{n}", Type=rel_type,
                     Target=name.removeprefix("word/"))
    parts[rels_name] = _serialize(rels, rels_blob)
    ct_blob = parts["[Content_Types].xml"]
    ct = _parse(ct_blob, source, "[Content_Types].xml")
    if not any(o.get("PartName") == "/" + name for o in ct.iter(f"{{{CT_NS}}}Override")):
        etree.SubElement(ct, f"{{{CT_NS}}}Override", PartName="/" + name, ContentType=content_type)
    parts["[Content_Types].xml"] = _serialize(ct, ct_blob)
    parts[name] = blob


# --------------------------------------------------------------------------- paragraphs and their text

def _units(body: Any) -> list[tuple[str, list[Any]]]:
    """Blocks in the order the .docx reader turns them into lines: ('p', [paragraph]) or ('row', its paragraphs)."""
    out: list[tuple[str, list[Any]]] = []
    stack = [iter(body)]
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        if el.tag == f"{W}p":
            out.append(("p", [el]))
        elif el.tag == f"{W}tbl":
            for tr in el.iter(f"{W}tr"):
                if tr.find(f"{W}tc") is not None:  # the reader writes a '| ... |' line for every row with cells
                    out.append(("row", [p for p in tr.iter(f"{W}p") if not _in_textbox(p, tr)]))
        elif el.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins", f"{W}smartTag"):
            stack.append(iter(el))
    return out


def _in_textbox(p: Any, stop: Any) -> bool:
    a = p.getparent()
    while a is not None and a is not stop:
        if a.tag == f"{W}txbxContent":
            return True
        a = a.getparent()
    return False


def _chars(p: Any) -> tuple[str, list[tuple[Any, Any, int]]]:
    """Visible text of a paragraph and, per character, (run, run child, offset in that child)."""
    text: list[str] = []
    where: list[tuple[Any, Any, int]] = []
    for r in p.iter(f"{W}r"):
        if _skipped(r, p):
            continue
        for c in r:
            if c.tag == f"{W}t":
                for k, ch in enumerate(c.text or ""):
                    text.append(ch)
                    where.append((r, c, k))
            elif c.tag in (f"{W}tab", f"{W}br", f"{W}cr", f"{W}noBreakHyphen"):
                text.append("-" if c.tag == f"{W}noBreakHyphen" else " ")
                where.append((r, c, 0))
    return "".join(text), where


def _skipped(r: Any, p: Any) -> bool:
    """Runs whose text is not part of the line: deletions, text boxes, runs of a nested paragraph."""
    a = r.getparent()
    while a is not None and a is not p:
        if a.tag in (f"{W}del", f"{W}txbxContent", f"{W}moveFrom") or a.tag == f"{W}p":
            return True
        a = a.getparent()
    return False


def _norm(s: str) -> str:
    return " ".join(re.sub(_INVISIBLE, "", s).split())


def _find(text: str, quote: str) -> tuple[int, int] | None:
    """Where the quote is in a paragraph's text: exactly, without list/heading markers, or up to whitespace
    and invisible characters (the reader folds those)."""
    q = xml_text(quote)
    for cand in (q, q.strip(), q.lstrip("#-*|• ").strip(), q.strip().strip("#*_ ")):
        if cand and (i := text.find(cand)) >= 0:
            return i, i + len(cand)
    words = _norm(q.lstrip("#-*|• ")).split(" ")
    if not words or not words[0]:
        return None
    inv = _INVISIBLE
    pat = (r"\s+" + inv).join(inv.join(re.escape(ch) for ch in w) for w in words)
    m = re.search(pat, text)
    return (m.start(), m.end()) if m else None


# --------------------------------------------------------------------------- anchoring one comment

def _content(r: Any) -> list[Any]:
    return [c for c in r if c.tag != f"{W}rPr"]


def _preserve(t: Any) -> None:
    t.set(f"{{{XML_NS}}}space", "preserve")


def _split_before(r: Any, child: Any, off: int) -> Any:
    """Split run r so that a run starts at child[off:] (same formatting); returns that run."""
    content = _content(r)
    i = content.index(child)
    if off == 0 and i == 0:
        return r
    r2 = copy.deepcopy(r)
    content2 = _content(r2)
    for c in content[i + 1:]:
        r.remove(c)
    if off == 0:
        r.remove(child)
    else:
        child.text = (child.text or "")[:off]
        _preserve(child)
    for c in content2[:i]:
        r2.remove(c)
    if off:
        content2[i].text = (content2[i].text or "")[off:]
        _preserve(content2[i])
    r.addnext(r2)
    return r2


def _start_run(p: Any, pos: int) -> Any:
    """The run that begins exactly at character pos of the paragraph (splitting one if needed)."""
    _, where = _chars(p)
    r, child, off = where[pos]
    return _split_before(r, child, off)


def _end_run(p: Any, end: int) -> Any:
    """The run that ends exactly after character end-1 of the paragraph (splitting one if needed)."""
    _, where = _chars(p)
    r, child, off = where[end - 1]
    content = _content(r)
    last_char = child.tag != f"{W}t" or off + 1 >= len(child.text or "")
    if last_char and content and content[-1] is child:
        return r
    if last_char:
        nxt = content[content.index(child) + 1]
        _split_before(r, nxt, 0)
    else:
        _split_before(r, child, off + 1)
    return r


def _marker(tag: str, cid: int) -> Any:
    from lxml import etree

    el = etree.Element(f"{W}{tag}")
    el.set(f"{W}id", str(cid))
    return el


def _reference_run(cid: int) -> Any:
    from lxml import etree

    r = etree.Element(f"{W}r")
    r.append(_marker("commentReference", cid))
    return r


def _top(el: Any, p: Any) -> Any:
    """The ancestor of el that is a direct child of paragraph p (el itself when it is one)."""
    while el.getparent() is not None and el.getparent() is not p:
        el = el.getparent()
    return el


def _anchor(start: tuple[Any, int] | None, end: tuple[Any, int] | None, whole: tuple[Any, Any], cid: int) -> None:
    """Put commentRangeStart/End around a character range (or the whole paragraphs) and the reference run."""
    p_start, p_end = whole
    if start is not None and end is not None:
        (ps, a), (pe, b) = start, end
        rs = _start_run(ps, a)
        rs.addprevious(_marker("commentRangeStart", cid))
        re_ = _end_run(pe, b)
        end_marker = _marker("commentRangeEnd", cid)
        re_.addnext(end_marker)
        # the reference run sits in the paragraph itself, never inside a tracked insertion or a link
        (end_marker if re_.getparent() is pe else _top(re_, pe)).addnext(_reference_run(cid))
        return
    first = next((c for c in p_start if c.tag != f"{W}pPr"), None)
    if first is not None:
        first.addprevious(_marker("commentRangeStart", cid))
    else:
        p_start.append(_marker("commentRangeStart", cid))
    p_end.append(_marker("commentRangeEnd", cid))
    p_end.append(_reference_run(cid))


# --------------------------------------------------------------------------- the comments part

def _comment(parent: Any, cid: int, author: str, initials: str, date: str, paras: tuple[str, ...],
             para_ids: list[str]) -> Any:
    from lxml import etree

    c = etree.SubElement(parent, f"{W}comment")
    c.set(f"{W}id", str(cid))
    c.set(f"{W}author", author)
    c.set(f"{W}date", date)
    c.set(f"{W}initials", initials)
    for k, (text, pid) in enumerate(zip(paras, para_ids, strict=True)):
        p = etree.SubElement(c, f"{W}p")
        p.set(f"{W14}paraId", pid)
        p.set(f"{W14}textId", "77777777")
        if k == 0:
            etree.SubElement(etree.SubElement(p, f"{W}r"), f"{W}annotationRef")
        r = etree.SubElement(p, f"{W}r")
        if k == 0:
            etree.SubElement(etree.SubElement(r, f"{W}rPr"), f"{W}b")
        t = etree.SubElement(r, f"{W}t")
        t.text = xml_text(text)
        _preserve(t)
    return c


class _ParaIds:
    """Fresh w14:paraId values (8 hex digits below 0x80000000) that no part of the package uses yet."""

    def __init__(self, parts: dict[str, bytes], seed: str):
        self.used = {m.upper() for name, blob in parts.items() if name.endswith(".xml")
                     for m in re.findall(rb'paraId="([0-9A-Fa-f]{8})"', blob)}
        self.n = int(hashlib.sha256(seed.encode()).hexdigest()[:7], 16) | 0x10000000

    def __call__(self) -> str:
        while True:
            self.n = (self.n + 1) & 0x7FFFFFFF
            v = f"{self.n:08X}"
            if v.encode() not in self.used:
                self.used.add(v.encode())
                return v


# --------------------------------------------------------------------------- adding comments to a package

def add_comments(data: bytes, doc: Document, notes: list[Note], author: str, initials: str,
                 date: dt.datetime, line_map: dict[int, list[int]] | None = None,
                 source: str = "<docx>") -> bytes:
    """The .docx `data` with one comment per note; everything else kept as it is.

    `line_map` gives, for a package built here, the paragraph index (in body order) of each line; for a
    client's .docx the lines are matched to its blocks the way the reader made them.
    """
    from lxml import etree

    from gapcheck.readers.docx import read_parts

    infos, parts = read_parts(data, source)
    doc_blob = parts["word/document.xml"]
    root = _parse(doc_blob, source, "word/document.xml")
    body = root.find(f"{W}body")
    if body is None:
        raise InputError(f"{source}: not a Word document (word/document.xml has no body)")
    by_line = _map_lines(doc, body, line_map)
    all_paras = [p for _, unit in _units(body) for p in unit]

    comments_name = _rels_target(parts, REL_COMMENTS, source)
    comments_blob = parts.get(comments_name) if comments_name else None
    if comments_blob is not None:
        comments = _parse(comments_blob, source, comments_name)
    else:
        comments = etree.Element(f"{W}comments", nsmap={"w": W_NS, "w14": W14_NS})
    used_ids = [int(c.get(f"{W}id")) for c in comments.iter(f"{W}comment") if (c.get(f"{W}id") or "").isdigit()]
    for tag in ("commentRangeStart", "commentReference"):
        used_ids += [int(x.get(f"{W}id")) for x in root.iter(f"{W}{tag}") if (x.get(f"{W}id") or "").isdigit()]
    cid = max(used_ids, default=-1) + 1
    para_id = _ParaIds(parts, doc.sha256)
    stamp = date.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    last_ids: list[str] = []
    for note in notes:
        _place(note, by_line, all_paras, cid)
        pids = [para_id() for _ in note.paragraphs]
        _comment(comments, cid, xml_text(author), xml_text(initials), stamp, note.paragraphs, pids)
        last_ids.append(pids[-1])
        cid += 1
    parts["word/document.xml"] = _serialize(root, doc_blob)
    if comments_name and comments_blob is not None:
        parts[comments_name] = _serialize(comments, comments_blob)
    else:
        _add_part(parts, "word/comments.xml", REL_COMMENTS, CT_COMMENTS, _serialize(comments, None), source)
    _extend(parts, last_ids, source)
    return _write_zip(infos, parts)


def _extend(parts: dict[str, bytes], para_ids: list[str], source: str) -> None:
    """commentsExtended entries (open, not done) for the new comments, so Word threads replies under them."""
    from lxml import etree

    name = _rels_target(parts, REL_COMMENTS_EX, source)
    blob = parts.get(name) if name else None
    if blob is not None:
        root = _parse(blob, source, name)
    else:
        root = etree.Element(f"{W15}commentsEx", nsmap={"w15": W15_NS, "mc": MC_NS})
        root.set(f"{{{MC_NS}}}Ignorable", "w15")
    for pid in para_ids:
        ex = etree.SubElement(root, f"{W15}commentEx")
        ex.set(f"{W15}paraId", pid)
        ex.set(f"{W15}done", "0")
    if name and blob is not None:
        parts[name] = _serialize(root, blob)
    else:
        _add_part(parts, "word/commentsExtended.xml", REL_COMMENTS_EX, CT_COMMENTS_EX, _serialize(root, None), source)


def _map_lines(doc: Document, body: Any, line_map: dict[int, list[int]] | None) -> dict[int, list[Any]]:
    """Document line number -> the paragraphs that make it."""
    all_units = _units(body)
    if line_map is not None:
        flat = [p for _, u in all_units for p in u]
        return {n: [flat[i] for i in idx] for n, idx in line_map.items()}
    texts = [(u, " ".join(_chars(p)[0] for p in u)) for kind, u in all_units]
    units = [(u, _norm(t)) for (u, t), (kind, _) in zip(texts, all_units, strict=True) if kind == "row" or t.strip()]
    lines = [n for n, ln in enumerate(doc.lines, start=1) if ln.strip()]
    if len(lines) == len(units):  # the reader wrote one line per non-empty block, in order
        return {n: u for n, (u, _) in zip(lines, units, strict=True)}
    out: dict[int, list[Any]] = {}  # otherwise: match each line to the next block with the same text
    k = 0
    for n in lines:
        want = _norm(doc.lines[n - 1].lstrip("#-|• "))
        for j in range(k, min(len(units), k + 200)):
            got = units[j][1]
            if got and (got == want or got in want or want in got):
                out[n] = units[j][0]
                k = j + 1
                break
    return out


def _place(note: Note, by_line: dict[int, list[Any]], all_paras: list[Any], cid: int) -> None:
    """Anchor one comment: on the quoted text when it can be found, else on the whole paragraph(s)."""
    first = by_line.get(note.line_start) or _search_all(all_paras, note.quote) or all_paras[:1]
    last = by_line.get(note.line_end) or first
    if not first:
        raise InputError("the Word document has no paragraph to attach a comment to")
    if note.quote:
        segs = [s for s in note.quote.split("\n") if s.strip()] or [note.quote]
        start = _locate(first, segs[0])
        end = _locate(last, segs[-1]) if (len(segs) > 1 or last is not first) else None
        if start is not None and len(segs) == 1 and last is first:
            p, a, b = start
            _anchor((p, a), (p, b), (p, p), cid)
            return
        if start is not None and end is not None:
            _anchor((start[0], start[1]), (end[0], end[2]), (start[0], end[0]), cid)
            return
        found = _search_all(all_paras, segs[0])  # the line map was off: look for the quote anywhere
        if found and (loc := _locate(found, segs[0])) and len(segs) == 1:
            _anchor((loc[0], loc[1]), (loc[0], loc[2]), (loc[0], loc[0]), cid)
            return
    _anchor(None, None, (first[0], last[-1]), cid)


def _locate(paras: list[Any], quote: str) -> tuple[Any, int, int] | None:
    for p in paras:
        text, _ = _chars(p)
        got = _find(text, quote)
        if got and got[1] > got[0]:
            return p, got[0], got[1]
    return None


def _search_all(paras: list[Any], quote: str | None) -> list[Any] | None:
    if not quote:
        return None
    seg = next((s for s in quote.split("\n") if s.strip()), "")
    for p in paras:
        if seg and _find(_chars(p)[0], seg):
            return [p]
    return None


# --------------------------------------------------------------------------- a clean document from text

def build_clean(doc: Document, report: Report) -> tuple[bytes, dict[int, list[int]]]:
    """A new .docx with one paragraph per non-blank line, headings as Word headings; and line -> paragraph."""
    import docx

    from gapcheck.segment import heading_of

    heading_lines = {ac.clause.line_start for ac in report.clauses if ac.clause.kind == "heading"}
    title_at = title_line(doc, [ac.clause for ac in report.clauses])
    d = docx.Document()
    mapping: dict[int, list[int]] = {}
    k = 0
    for n, line in enumerate(doc.lines, start=1):
        text = xml_text(line)
        if not text.strip():
            continue
        if n in heading_lines or n == title_at:
            h = heading_of(line)
            level = 0 if n == title_at else min(max(h[0] if h else 2, 1), 3)  # 0: Word's Title style
            plain = re.sub(r"^\s{0,3}#{1,6}\s+", "", text).rstrip("# ").strip()
            plain = re.sub(r"^(\*\*|__)(.+)\1:?$", r"\2", plain).strip()  # '**Heading**' is bold by style
            d.add_heading(plain or text, level)
        elif m := _BULLET_LINE.match(text):  # '- item' / '* item' / '• item': a Word bulleted list item
            d.add_paragraph(m.group(1), style="List Bullet")
        else:
            d.add_paragraph(text)
        mapping[n] = [k]
        k += 1
    d.core_properties.title = xml_text(doc.title or Path(doc.source).name)[:250]
    d.core_properties.comments = "Built by gapcheck markup from " + xml_text(Path(doc.source).name)[:200]
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue(), mapping


# --------------------------------------------------------------------------- the markup command

def markup(report: Report, policy_bytes: bytes | None, author: str | None = None) -> bytes:
    """The reviewed policy (.docx bytes): the client's .docx kept as is, or a clean one built from the text."""
    author = (author or "gapcheck").strip() or "gapcheck"
    notes = notes_for(report)
    doc = report.document
    if doc.fmt == "docx" and policy_bytes is not None:
        base, line_map = policy_bytes, None
        # marking up a file gapcheck already marked up: a point that has its comment is not said twice
        had = read_replies(policy_bytes, doc.source).texts
        ids = {ID_PREFIX.match(t).group(1) for t in had if ID_PREFIX.match(t)}
        notes = [n for n in notes if "\n".join(n.paragraphs) not in had
                 and (n.key.startswith(("draft-", "review-")) or n.key not in ids)]
    else:
        base, idx = build_clean(doc, report)
        line_map = idx
    return add_comments(base, doc, notes, author, initials_of(author), report.generated_at,
                        line_map=line_map, source=doc.source)


# --------------------------------------------------------------------------- reading the replies back

@dataclass(frozen=True)
class Decision:
    """A reviewer's reply to a gapcheck comment: accept the gap (waiver) or say it is not a gap (override)."""

    id: str
    kind: str  # accepted | not_a_gap
    reason: str
    by: str


@dataclass(frozen=True)
class CommentReview:
    decisions: tuple[Decision, ...]
    gapcheck_ids: frozenset[str]  # w:id of gapcheck's own comments
    reply_ids: frozenset[str]  # w:id of the replies to them
    texts: frozenset[str] = frozenset()  # the text of gapcheck's comments already in the document


def read_replies(data: bytes, source: str = "<docx>", known: Iterable[str] | None = None) -> CommentReview:
    """gapcheck's comments (text starting with '[id]') and the replies threaded under them
    (commentsExtended w15:paraIdParent), with the decisions those replies state.

    `known`: the requirement ids being checked; a bracketed id outside them (and not a drafting
    finding's 'draft-...') is someone else's note, left alone.
    """
    from gapcheck.readers.docx import read_parts

    _, parts = read_parts(data, source)
    name = _rels_target(parts, REL_COMMENTS, source)
    if not name or name not in parts:
        return CommentReview((), frozenset(), frozenset())
    root = _parse(parts[name], source, name)
    info: dict[str, tuple[str, str, list[str]]] = {}  # w:id -> (author, text, paraIds)
    order: list[str] = []
    for c in root.iter(f"{W}comment"):
        cid = c.get(f"{W}id", "")
        paras = c.findall(f"{W}p")
        text = "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in paras)
        pids = [p.get(f"{W14}paraId", "").upper() for p in paras if p.get(f"{W14}paraId")]
        info[cid] = (c.get(f"{W}author") or "a reviewer", text, pids)
        order.append(cid)
    ids = set(known) if known is not None else None
    ours = {cid: m.group(1) for cid, (_, text, _) in info.items() if (m := ID_PREFIX.match(text))
            and (ids is None or m.group(1) in ids or m.group(1).startswith(("draft-", "review-")))}
    owner_of_para = {pid: cid for cid in ours for pid in info[cid][2]}
    parent: dict[str, str] = {}
    ex_name = _rels_target(parts, REL_COMMENTS_EX, source)
    if ex_name and ex_name in parts:
        for ex in _parse(parts[ex_name], source, ex_name).iter(f"{W15}commentEx"):
            if ex.get(f"{W15}paraIdParent"):
                parent[ex.get(f"{W15}paraId", "").upper()] = ex.get(f"{W15}paraIdParent", "").upper()
    replies: list[str] = []
    decisions: dict[str, Decision] = {}
    for cid in order:
        if cid in ours:
            continue
        author, text, pids = info[cid]
        target = next((owner_of_para[parent[p]] for p in reversed(pids)
                       if p in parent and parent[p] in owner_of_para), None)
        if target is None:
            continue
        replies.append(cid)
        m = DECISION.match(text)
        rid = ours[target]
        if not m or rid.startswith("draft-"):
            continue
        kind = "accepted" if m.group(1).lower().startswith("accept") else "not_a_gap"
        reason = " ".join(m.group(2).split()) or ("accepted" if kind == "accepted" else "not a gap")
        decisions[rid] = Decision(rid, kind, reason, " ".join(author.split()))
    return CommentReview(tuple(decisions.values()), frozenset(ours), frozenset(replies),
                         frozenset(info[cid][1] for cid in ours))


def strip_comments(data: bytes, ids: Iterable[str], source: str = "<docx>") -> bytes:
    """The .docx without the given comments (ranges, references and bodies); the rest untouched."""
    drop = set(ids)
    if not drop:
        return data
    from gapcheck.readers.docx import read_parts

    infos, parts = read_parts(data, source)
    blob = parts["word/document.xml"]
    root = _parse(blob, source, "word/document.xml")
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        for el in list(root.iter(f"{W}{tag}")):
            if el.get(f"{W}id") in drop:
                parent = el.getparent()
                parent.remove(el)
                if tag == "commentReference" and parent.tag == f"{W}r" and not _content(parent):
                    parent.getparent().remove(parent)
    parts["word/document.xml"] = _serialize(root, blob)
    name = _rels_target(parts, REL_COMMENTS, source)
    if name and name in parts:
        croot = _parse(parts[name], source, name)
        for c in list(croot.iter(f"{W}comment")):
            if c.get(f"{W}id") in drop:
                croot.remove(c)
        parts[name] = _serialize(croot, parts[name])
    return _write_zip(infos, parts)


def review_from_comments(data: bytes, source: str, known: Iterable[str] | None = None) -> tuple[bytes, CommentReview]:
    """The reviewed .docx with gapcheck's comments and the replies removed (so they are not drafting
    findings), and the decisions the replies state."""
    cr = read_replies(data, source, known)
    return strip_comments(data, cr.gapcheck_ids | cr.reply_ids, source), cr


def decisions_to_review(cr: CommentReview, source: str) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """Overrides (not a gap -> met) and waivers (accepted) from the replies."""
    from gapcheck.review import Override, Waiver

    overrides = tuple(Override(d.id, Status.MET, d.reason, d.by) for d in cr.decisions if d.kind == "not_a_gap")
    waivers = tuple(Waiver(d.id, d.reason, d.by, None) for d in cr.decisions if d.kind == "accepted")
    return overrides, waivers


def analyze_reviewed(policy: str | Path, laws: Iterable[str] = ("all",), checklist_files: Iterable[str | Path] = (),
                     profile: Any = None, as_of: dt.date | None = None, max_bytes: int | None = None,
                     review: Any = None, waivers: tuple[Any, ...] = ()) -> Report:
    """`gapcheck run POLICY.reviewed.docx --review-from-comments`: the pipeline, with the replies to
    gapcheck's comments as reviewer overrides and waivers (they win over a review file's), and
    gapcheck's comments and those replies kept out of the drafting findings. Other comments stay findings.
    """
    from gapcheck import checklists, ingest, pipeline
    from gapcheck.errors import ChecklistError
    from gapcheck.review import Review, load_review

    path = Path(policy)
    limit = max_bytes or ingest.MAX_BYTES_DEFAULT
    if path.suffix.lower() not in (".docx", ".docm"):
        raise GapcheckError(f"{policy}: --review-from-comments reads the replies in a Word (.docx) file")
    first = ingest.load(path, max_bytes=limit)  # the usual checks: no such file, FIFO, size, damaged Word file
    if first.fmt != "docx":
        raise GapcheckError(f"{policy}: --review-from-comments reads the replies in a Word (.docx) file")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{policy}: cannot read file ({e.strerror or e})") from None
    lists = pipeline.resolve_laws(laws) + tuple(checklists.load_checklist(p) for p in checklist_files)
    if not lists:
        raise ChecklistError("no checklist selected: pass --law or --checklist")
    known = {q.id for cl in lists + pipeline.resolve_laws(("all",)) for q in cl.requirements}  # any law's comments
    stripped, cr = review_from_comments(data, str(policy), known)
    doc = ingest.from_bytes(stripped, source=str(policy), suffix=path.suffix.lower())
    doc = dataclasses.replace(doc, sha256=hashlib.sha256(data).hexdigest())
    if profile is not None and not isinstance(profile, Mapping):
        profile = pipeline.load_profile(profile)
    if review is not None and not isinstance(review, Review):
        review = load_review(review)
    overrides, more_waivers = decisions_to_review(cr, str(policy))
    if overrides:
        review = Review(str(policy), review.edits if review else (), (review.overrides if review else ()) + overrides)
    return pipeline.analyze_document(doc, lists, profile, as_of, review, tuple(waivers) + more_waivers)
