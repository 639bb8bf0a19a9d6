"""Property-based tests (hypothesis): whatever the text, the pipeline answers with a sound report.

For arbitrary text, including the hostile generators of issue 5 (odd encodings and line endings, NUL
bytes, zero-width and no-break spaces, RTL marks, long runs, markup and template syntax):
ingest -> segment -> evaluate never raises (a clear InputError is the only refusal), clause spans
cover the text without overlap, every evidence quote is an exact substring of the lines it names,
and the JSON validates against the contract (shared/contract.md, schema gapcheck.report/1).

Verdict invariance: the same paragraphs saved as .txt, .md, .html and .docx give the same status
for every requirement. The generated paragraphs are words joined by single spaces, which every
format can express alike; whitespace variants inside a text file (no-break spaces, tabs, double
spaces) are covered separately in test_hostile.py. Zero-width characters are included: they sit
inside words, where they change no phrase in any format.

CI runs the derandomized "ci" profile (tests/conftest.py); GAPCHECK_LONG=1 runs the "long" one.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
import zipfile
from functools import lru_cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gapcheck import annotate, ingest, pipeline, render, segment
from gapcheck.errors import InputError
from gapcheck.models import Document, Report

from .conftest import FIXTURES

AS_OF = dt.date(2026, 11, 22)
SAMPLE = FIXTURES / "policies" / "003_e29ff102ab8d4a64.txt"
STATUSES = {"met", "partial", "missing", "not_applicable", "review"}
SEVERITIES = {"high", "medium", "low"}
KINDS = {"mandatory", "conditional", "best_practice"}


@lru_cache(maxsize=1)
def all_lists():
    return pipeline.resolve_laws(["all"])


def analyze(doc: Document) -> Report:
    return pipeline.analyze_document(doc, all_lists(), as_of=AS_OF)


# --------------------------------------------------------------------------- soundness checks (shared)

def assert_clauses_cover(doc: Document, clauses) -> None:
    """Clauses are in order, never overlap, and every non-blank line is in exactly one of them."""
    covered: set[int] = set()
    prev_end = 0
    for c in clauses:
        assert prev_end < c.line_start <= c.line_end <= len(doc.lines), c
        assert c.text == "\n".join(doc.lines[c.line_start - 1:c.line_end]), c
        covered.update(range(c.line_start, c.line_end + 1))
        prev_end = c.line_end
    nonblank = {i for i, ln in enumerate(doc.lines, start=1) if ln.strip()}
    assert nonblank <= covered, sorted(nonblank - covered)[:5]


def assert_contract(d: dict, doc: Document) -> None:
    """The JSON document validates against gapcheck.report/1 and its quotes are exact substrings."""
    d = json.loads(json.dumps(d, ensure_ascii=False))  # serialisable, and the checks run on the JSON
    assert d["schema"] == "gapcheck.report/1"
    assert d["tool"]["name"] == "gapcheck" and isinstance(d["tool"]["version"], str)
    dt.datetime.fromisoformat(d["generated_at"])
    pol = d["policy"]
    assert isinstance(pol["source"], str) and re.fullmatch(r"[0-9a-f]{64}", pol["sha256"])
    assert pol["title"] is None or isinstance(pol["title"], str)
    assert pol["last_updated"] is None or dt.date.fromisoformat(pol["last_updated"])
    assert d["laws"] and all(isinstance(x["id"], str) and isinstance(x["checklist_version"], str)
                             for x in d["laws"])
    law_ids = {x["id"] for x in d["laws"]}
    lines = doc.lines

    def quote_ok(e: dict) -> None:
        assert isinstance(e["line_start"], int) and isinstance(e["line_end"], int)
        assert 1 <= e["line_start"] <= e["line_end"] <= len(lines), e
        assert e["quote"] and e["quote"] in "\n".join(lines[e["line_start"] - 1:e["line_end"]]), e

    ids = set()
    for r in d["requirements"]:
        assert r["id"] not in ids
        ids.add(r["id"])
        assert r["law"] in law_ids
        for k in ("title", "citation", "rationale", "recommendation"):
            assert isinstance(r[k], str), (r["id"], k)
        assert r["kind"] in KINDS and r["severity"] in SEVERITIES and r["status"] in STATUSES
        for e in r["evidence"]:
            assert isinstance(e["clause"], str) and re.fullmatch(r"c\d+", e["clause"])
            quote_ok(e)
    for f in d["findings"]:
        assert isinstance(f["id"], str) and f["severity"] in SEVERITIES and isinstance(f["message"], str)
        quote_ok(f)
    s = d["summary"]
    assert 0 <= s["score"] <= 100
    for k in STATUSES:
        assert s[k] == sum(1 for r in d["requirements"] if r["status"] == k)
    assert s["findings"] == len(d["findings"])


def assert_sound(report: Report) -> None:
    assert_clauses_cover(report.document, [ac.clause for ac in report.clauses])
    assert_contract(report.to_dict(), report.document)


# --------------------------------------------------------------------------- generators

HOSTILE_BITS = ["\u200b", "\u00a0", "\u200f", "\u200e", "\u202e", "\ufeff", "\u00ad", "\u2060", "\x00", "\r",
                "\r\n", "\t", "\u2028", "\x0c", "\ufffd", "<script>alert(1)</script>", "{{ 7*7 }}", "{% raw %}",
                '<img src="file:///etc/passwd">', "@import url(http://127.0.0.1:9/x.css);", "&amp;", "]]>",
                "a" * 400, "(a+)+$", "[A1]", "[email\u00a0protected]", "# ", "- ", "| x | y |", "**"]
_SAMPLE_LINES = [ln for ln in SAMPLE.read_text(encoding="utf-8").splitlines() if ln.strip()]
WORDS = sorted({w for ln in _SAMPLE_LINES for w in ln.split() if w.isprintable()})

policy_lines = st.lists(st.one_of(st.sampled_from(_SAMPLE_LINES), st.sampled_from(HOSTILE_BITS),
                                  st.text(max_size=60)), min_size=1, max_size=60)


@st.composite
def hostile_text(draw) -> str:
    kind = draw(st.sampled_from(["arbitrary", "policy", "mixed", "sample"]))
    if kind == "arbitrary":
        return draw(st.text(max_size=1500))
    if kind == "sample":  # a whole real policy, with hostile bits dropped into it
        text = SAMPLE.read_text(encoding="utf-8")
    else:
        parts = draw(policy_lines)
        sep = draw(st.sampled_from(["\n", "\r\n", "\r", "\n\n"]))
        text = sep.join(parts)
    if kind != "policy":  # hostile bits inside the lines too
        bits = draw(st.lists(st.tuples(st.integers(0, max(len(text), 1)), st.sampled_from(HOSTILE_BITS)),
                             max_size=30))
        for pos, bit in sorted(bits, reverse=True):
            text = text[:pos] + bit + text[pos:]
    return text


def _encode(text: str, how: str) -> bytes:
    if how == "cp1252":
        return text.encode("cp1252", errors="replace")
    return text.encode(how, errors="surrogatepass" if how == "utf-8" else "strict")


# --------------------------------------------------------------------------- properties

@given(text=hostile_text(), how=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"]),
       suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_any_text_gives_a_sound_report_or_a_clear_error(text, how, suffix):
    try:
        raw = _encode(text, how)
    except UnicodeEncodeError:
        raw = text.encode("utf-8", errors="replace")
    try:
        doc = ingest.from_bytes(raw, "policy" + suffix, suffix)
    except InputError as e:  # empty, binary or no text: a clear one-line refusal is a valid answer
        assert str(e) and "\n" not in str(e)
        return
    rep = analyze(doc)
    assert_sound(rep)
    assert {r.requirement.id for r in rep.results} == {r.id for cl in all_lists() for r in cl.requirements}


@given(text=st.text(max_size=3000))
def test_segment_and_annotate_never_raise_on_raw_text(text):
    """Below ingest (no decoding or cleaning): any str, even with stray surrogates, segments soundly."""
    if not "\n".join(text.splitlines()).strip():
        return
    doc = ingest.from_text(text)
    clauses = segment.segment(doc)
    assert_clauses_cover(doc, clauses)
    for ac in annotate.annotate(clauses):
        assert len(ac.match_text) == len(ac.clause.text)
        for spans in ac.labels.values():
            assert all(0 <= s.start <= s.end <= len(ac.clause.text) for s in spans)


# ---- verdict invariance across formats

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_TOKENS = WORDS + ["<b>not", "markup</b>", "{{", "7*7", "}}", "&", "a<b", "file:///etc/passwd",
                   "zero\u200bwidth", "right\u200fto\u200eleft", "soft\u00adhyphen"]


@st.composite
def blocks(draw) -> list[tuple[str, str]]:
    """[(kind, text)] with kind heading | paragraph | bullet; text is words joined by single spaces."""
    sentence = st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=30).map(" ".join)
    whole = st.sampled_from([" ".join(ln.lstrip("#-*• ").split()) for ln in _SAMPLE_LINES])
    text = st.one_of(whole, sentence).filter(lambda s: s.strip(" -#|*") != "")
    return draw(st.lists(st.tuples(st.sampled_from(["heading", "paragraph", "paragraph", "bullet"]), text),
                         min_size=1, max_size=25))


def as_text(bl: list[tuple[str, str]]) -> str:
    out: list[str] = []
    prev = ""
    for kind, t in bl:
        if out and not (kind == prev == "bullet"):
            out.append("")
        out.append({"heading": "## ", "bullet": "- "}.get(kind, "") + t)
        prev = kind
    return "\n".join(out) + "\n"


def as_html(bl: list[tuple[str, str]]) -> str:
    body: list[str] = []
    in_list = False
    for kind, t in bl:
        if kind != "bullet" and in_list:
            body.append("</ul>")
            in_list = False
        if kind == "bullet" and not in_list:
            body.append("<ul>")
            in_list = True
        tag = {"heading": "h2", "bullet": "li"}.get(kind, "p")
        body.append(f"<{tag}>{html.escape(t, quote=False)}</{tag}>")
    if in_list:
        body.append("</ul>")
    return ("<!DOCTYPE html><html><head><title>x</title><style>p{color:red}</style></head><body>"
            "<nav>Home | About</nav><main>" + "\n".join(body) + "</main><script>track()</script></body></html>")


def as_docx(bl: list[tuple[str, str]]) -> bytes:
    def para(kind: str, t: str) -> str:
        ppr = {"heading": '<w:pPr><w:pStyle w:val="Heading2"/></w:pPr>',
               "bullet": '<w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/>'
                         '<w:numId w:val="1"/></w:numPr></w:pPr>'}.get(kind, "")
        return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{html.escape(t, quote=False)}</w:t></w:r></w:p>'

    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W_NS}><w:body>'
           + "".join(para(k, t) for k, t in bl) + "</w:body></w:document>")
    styles = (f'<?xml version="1.0" encoding="UTF-8"?><w:styles {W_NS}>'
              '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/></w:style>'
              "</w:styles>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", doc)
        z.writestr("word/styles.xml", styles)
    return buf.getvalue()


def statuses_by_format(bl: list[tuple[str, str]]) -> dict[str, dict[str, str]]:
    text = as_text(bl)
    files = {".txt": text.encode("utf-8"), ".md": text.encode("utf-8"),
             ".html": as_html(bl).encode("utf-8"), ".docx": as_docx(bl)}
    out = {}
    for suffix, raw in files.items():
        rep = analyze(ingest.from_bytes(raw, "policy" + suffix, suffix))
        assert_sound(rep)
        out[suffix] = {r.requirement.id: r.status.value for r in rep.results}
    return out


@settings(max_examples=max(10, settings.default.max_examples * 4 // 5))
@given(bl=blocks())
def test_verdicts_do_not_depend_on_the_file_format(bl):
    got = statuses_by_format(bl)
    ref = got[".txt"]
    for suffix, st_ in got.items():
        diff = {k: (ref[k], st_[k]) for k in ref if ref[k] != st_[k]}
        assert not diff, (suffix, diff)


def test_a_real_policy_gives_the_same_verdicts_in_every_format():
    lines = [ln for ln in SAMPLE.read_text(encoding="utf-8").splitlines() if ln.strip()]
    bl = []
    for ln in lines:
        s = " ".join(ln.split())
        if s.startswith(("- ", "• ", "* ")):
            bl.append(("bullet", s[2:]))
        elif s.isupper() and len(s) < 80:
            bl.append(("heading", s))
        else:
            bl.append(("paragraph", s))
    got = statuses_by_format(bl)
    assert got[".txt"] == got[".md"] == got[".html"] == got[".docx"]
    assert sum(1 for v in got[".txt"].values() if v == "met") >= 10  # a real policy, not an empty shell


# ---- output file names

@given(source=st.text(max_size=200))
def test_report_names_cannot_leave_the_output_folder(source, tmp_path_factory):
    out = tmp_path_factory.getbasetemp() / "names"
    stem = render.safe_stem(source)
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}|policy", stem) or stem == "policy", stem
    assert not stem.startswith(".") and ".." not in Path(stem).parts
    assert (out / f"{stem}-gdpr-20261122.pdf").resolve().parent == out.resolve()
