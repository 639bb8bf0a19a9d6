"""The client deliverable: PDF and HTML reports, XLSX/MD outputs, .docx/.pdf input, escaping, asset fetching."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gapcheck import ingest, pipeline, readers, render
from gapcheck.errors import GapcheckError, InputError
from gapcheck.models import Finding, Severity, Status

from .conftest import FIXTURES, ROOT

SAMPLES = sorted(p for p in (FIXTURES / "policies").glob("*.txt") if p.name[:3].isdigit())
AS_OF = dt.date(2026, 11, 22)
SECTIONS = ("Contents", "Executive summary", "Coverage by law and area", "Coverage table",
            "Gaps and recommendations", "Drafting defects", "Appendix A. Clause map",
            "Appendix B. Method and versions")
HOSTILE = """# Privacy Policy <script>alert(1)</script>

Last updated: 1 March 2026

## Data we collect <img src="http://evil.example/pixel.png"> {{ 7*7 }}

We collect your name and e-mail address. <img src=file:///etc/passwd> {% raw %}{{ config }}

[A1] Please confirm <iframe src="https://evil.example/frame"></iframe> with legal {{ 7*7 }}.

We keep your data for as long as necessary. <link rel="stylesheet" href="https://evil.example/x.css">
"""


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _pdf_text(data: bytes) -> str:
    import pypdf

    return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def _options(**kw) -> render.ReportOptions:
    base = {"client": "Acme Retail Ltd", "prepared_by": "J. Consultant", "firm": "Example Privacy LLP"}
    return render.ReportOptions(**{**base, **kw})


# --------------------------------------------------------------------------- the five samples, rendered once

@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Each sample policy as PDF + HTML (CCPA), written by write_all: {name: (report, pdf_text, html)}."""
    out = tmp_path_factory.mktemp("reports")
    res = {}
    for p in SAMPLES:
        rep = pipeline.analyze(p, laws=["ccpa"], as_of=AS_OF)
        paths = render.write_all(rep, out, ["pdf", "html"], _options())
        assert [x.name for x in paths] == [f"{p.stem}-ccpa-20261122.pdf", f"{p.stem}-ccpa-20261122.html"]
        res[p.name] = (rep, _pdf_text(paths[0].read_bytes()), paths[1].read_text(encoding="utf-8"),
                       paths[0].read_bytes())
    return res


def test_five_samples_are_found():
    assert len(SAMPLES) == 5


@pytest.mark.parametrize("name", [p.name for p in SAMPLES])
def test_pdf_has_sections_citations_and_quotes(rendered, name):
    rep, text, _html, _ = rendered[name]
    flat = _norm(text)
    for s in SECTIONS:
        assert _norm(s) in flat, s
    assert "AcmeRetailLtd" in flat and "22November2026" in flat
    gaps = [r for r in rep.results if r.status in (Status.MISSING, Status.PARTIAL)]
    for r in gaps:
        assert _norm(r.requirement.citation) in flat, r.requirement.id
        for e in r.evidence:
            assert _norm(e.quote) in flat, (r.requirement.id, e.quote)
        if not r.evidence:
            assert "Nothingfound" in flat
    for f in rep.findings:
        assert _norm(f.quote) in flat, f


@pytest.mark.parametrize("name", [p.name for p in SAMPLES])
def test_pdf_pages_header_and_bookmarks(rendered, name):
    import pypdf

    _rep, text, _html, data = rendered[name]
    reader = pypdf.PdfReader(io.BytesIO(data))
    n = len(reader.pages)
    assert n >= 5
    assert f"Page 2 of {n}" in text and f"Page {n} of {n}" in text
    titles = {o.title for o in reader.outline if not isinstance(o, list)}
    assert {"Cover", "Contents", "Executive summary", "Gaps and recommendations", "Drafting defects"} <= titles
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 by default
    fonts = set()
    for page in reader.pages[:3]:
        for f in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(f.get_object()["/BaseFont"]))
    assert fonts and all("GapcheckSans" in f or "GapcheckMono" in f or "DejaVu" in f for f in fonts), fonts


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.refs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for k, v in attrs:
            if k in ("src", "href", "xlink:href", "action", "srcset", "poster", "data") or k.startswith("on"):
                self.refs.append((tag, k, v or ""))


def _assert_self_contained(html: str) -> None:
    p = _Refs()
    p.feed(html)
    assert "script" not in p.tags and "link" not in p.tags and "iframe" not in p.tags
    for tag, k, v in p.refs:
        assert not k.startswith("on"), (tag, k)
        assert v.startswith("#") or v.startswith("data:image/"), (tag, k, v)
    style = "".join(re.findall(r"<style>(.*?)</style>", html, re.S))
    assert "@import" not in style
    assert not re.search(r"url\(", style), "the HTML page must not load fonts or images by URL"


@pytest.mark.parametrize("name", [p.name for p in SAMPLES])
def test_html_is_self_contained(rendered, name):
    rep, _text, html, _ = rendered[name]
    _assert_self_contained(html)
    assert "<svg" in html and "Coverage by law and area" in html
    for r in rep.results:
        assert r.requirement.id in html


# --------------------------------------------------------------------------- hostile policy text

@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    policy = d / "hostile.md"
    policy.write_text(HOSTILE, encoding="utf-8")
    return pipeline.analyze(policy, laws=["ccpa"], as_of=AS_OF)


def test_hostile_text_is_escaped_in_html(hostile):
    html = render.to_html(hostile, _options())
    _assert_self_contained(html)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html
    assert '<img src="http://evil.example' not in html and "<img src=file:" not in html


def test_a_headings_pictograph_stays_out_of_the_reports_title(tmp_path):
    """No report font has emoji: '🛡️ Privacy Policy' would print an empty box on every page's running head."""
    policy = tmp_path / "shield.md"
    policy.write_text("# \U0001F6E1\uFE0F Privacy Policy\n\nLast updated: 1 June 2026\n\nWe collect your name.\n",
                      encoding="utf-8")
    rep = pipeline.analyze(policy, laws=["gdpr"], as_of=AS_OF)
    assert rep.document.title.startswith("\U0001F6E1")  # the document keeps its text as written
    html = render.to_html(rep, _options(client=""))
    assert '<h1 class="cover-title">Privacy Policy</h1>' in html and '<p class="run-title">Privacy Policy</p>' in html
    assert render._display_title(rep.document.title) == "Privacy Policy"


def test_hostile_text_is_text_in_pdf_and_nothing_is_fetched(hostile, tmp_path, asset_calls):
    calls = asset_calls
    logo = tmp_path / "logo.png"
    _png(logo)
    data = render.to_pdf(hostile, _options(logo=logo))
    text = _norm(_pdf_text(data))
    assert _norm("<script>alert(1)</script>") in text
    assert _norm("{{ 7*7 }}") in text
    assert calls, "the PDF must be drawn through the asset fetcher"
    assert all(u.startswith("gapcheck-asset:") for u in calls), calls
    assert "gapcheck-asset:logo" in calls
    assert not any("evil" in u or "passwd" in u for u in calls)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://evil.example/x.png", "https://evil.example/",
                                 "gapcheck-asset:../../etc/passwd", "gapcheck-asset:fonts/../../pyproject.toml",
                                 "gapcheck-asset:logo", "data:image/png;base64,AAAA", "relative.png"])
def test_asset_fetcher_refuses_everything_else(url):
    with pytest.raises(ValueError):
        render.resolve_asset(url, render.ReportOptions())  # no logo configured


def test_url_fetcher_blocks_urls_in_markup(asset_calls):
    """Even markup that did reach WeasyPrint could not make it open a file or a URL."""
    import weasyprint

    calls = asset_calls
    page = ('<p>x</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
            '<link rel="stylesheet" href="https://127.0.0.1:9/a.css">')
    weasyprint.HTML(string=page, base_url=render.ASSET_SCHEME,
                    url_fetcher=render.url_fetcher(render.ReportOptions())).write_pdf()
    assert any("passwd" in c for c in calls)  # asked, and refused by resolve_asset (it raises)
    with pytest.raises(ValueError):
        render.resolve_asset("file:///etc/passwd", render.ReportOptions())  # the spy passes it on


# --------------------------------------------------------------------------- options, branding, paper

def _png(path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (120, 40), "#0b6e4f").save(path)


@pytest.fixture(scope="module")
def small_report(tmp_path_factory):
    return pipeline.analyze(SAMPLES[1], laws=["gdpr"], as_of=AS_OF)


@pytest.mark.parametrize(("paper", "size"), [("letter", (612, 792))])  # A4 (the default): test_pdf_pages_...
def test_paper_sizes(small_report, paper, size):
    import pypdf

    data = render.to_pdf(small_report, _options(paper=paper))
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == size


def test_branding_logo_and_accent_in_html(small_report, tmp_path):
    logo = tmp_path / "logo.png"
    _png(logo)
    html = render.to_html(small_report, _options(logo=logo, accent_color="#0b6e4f", disclaimer="Our own note."))
    assert 'src="data:image/png;base64,' in html and "--accent: #0b6e4f" in html
    assert "Our own note." in html and "Example Privacy LLP" in html
    _assert_self_contained(html)


def test_config_file_and_overrides(tmp_path):
    logo = tmp_path / "brand" / "logo.png"
    logo.parent.mkdir()
    _png(logo)
    cfg = tmp_path / "report.yaml"
    cfg.write_text("report:\n  client: Config Client\n  prepared_by: A. Person\n  logo: brand/logo.png\n"
                   "  accent_color: '#123456'\n  paper: Letter\n  disclaimer: Not advice.\n")
    o = render.load_options(cfg, client="CLI Client")
    assert (o.client, o.prepared_by, o.paper, o.accent_color) == ("CLI Client", "A. Person", "letter", "#123456")
    assert o.logo == logo


@pytest.mark.parametrize(("content", "needle"), [
    ("client: [x\n", "invalid YAML"),
    ("colour: red\n", "unknown key 'colour'"),
    ("accent_color: 'red; } body { display: none'\n", "accent_color"),
    ("logo: missing.png\n", "cannot read file"),
    ("logo: notes.txt\n", "use a .png"),
    ("paper: a3\n", "paper 'a3'"),
])
def test_bad_config_is_one_clear_error(tmp_path, content, needle):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(content)
    with pytest.raises(GapcheckError, match=re.escape(needle)):
        render.load_options(cfg)


def test_fake_png_logo_is_refused(tmp_path):
    fake = tmp_path / "logo.png"
    fake.write_text("<svg onload=alert(1)>")
    with pytest.raises(GapcheckError, match="not a valid png"):
        render.ReportOptions(logo=fake)


# --------------------------------------------------------------------------- xlsx and md

def test_xlsx_has_coloured_coverage_and_findings(small_report):
    from openpyxl import load_workbook

    evil = Finding("draft-unresolved-notes", Severity.HIGH, 1, 1, '=HYPERLINK("http://evil.example","x")', "m")
    rep = dataclasses.replace(small_report, findings=(*small_report.findings, evil))
    wb = load_workbook(io.BytesIO(render.to_xlsx(rep, _options())))
    assert wb.sheetnames[:2] == ["Coverage", "Findings"]
    cov = wb["Coverage"]
    header = [c.value for c in cov[1]]
    assert header[:4] == ["law", "id", "title", "citation"]
    scol = header.index("status")
    statuses = [row[scol] for row in cov.iter_rows(min_row=2)]
    assert len(statuses) == len(rep.results)
    for cell in statuses:
        assert cell.value in render.STATUS_COLOUR
        assert cell.fill.fgColor.rgb.endswith(render.STATUS_COLOUR[cell.value][1:].upper())
    fs = wb["Findings"]
    assert fs.max_row == len(rep.findings) + 1
    quotes = [c.value for c in fs["F"][1:]]
    assert evil.quote in quotes
    cell = fs["F"][1 + quotes.index(evil.quote)]
    assert cell.data_type == "s"  # text, not a formula


def test_markdown_report(hostile):
    md = render.to_md(hostile, _options())
    assert md.startswith("# Privacy policy gap analysis")
    for s in ("## Executive summary", "## Coverage", "## Gaps", "## Drafting defects"):
        assert s in md
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "| Requirement | Citation | Status | Evidence lines |" in md


# --------------------------------------------------------------------------- .docx input

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _p(text: str, style: str | None = None, num: bool = False) -> str:
    ppr = ""
    if style or num:
        ppr = ("<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "")
               + ('<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>' if num else "") + "</w:pPr>")
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def build_docx(extra_body: str = "", extra_comments: str = "") -> bytes:
    """A Word file with a heading, a list, a table, a reviewer comment and tracked changes."""
    body = "".join([
        _p("Acme Privacy Policy", "Heading1"),
        _p("Last updated: 1 March 2026"),
        _p("What we collect", "Heading2"),
        _p("Contact details such as your name and e-mail address.", num=True),
        _p("Device identifiers and IP address.", num=True),
        '<w:p><w:r><w:t xml:space="preserve">We keep your data </w:t></w:r><w:commentRangeStart w:id="0"/>'
        '<w:r><w:t>for as long as necessary</w:t></w:r><w:commentRangeEnd w:id="0"/>'
        '<w:r><w:commentReference w:id="0"/></w:r>'
        '<w:r><w:t xml:space="preserve"> to provide the service.</w:t></w:r></w:p>',
        '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Category</w:t></w:r></w:p></w:tc>'
        '<w:tc><w:p><w:r><w:t>Purpose</w:t></w:r></w:p></w:tc></w:tr>'
        '<w:tr><w:tc><w:p><w:r><w:t>Identifiers</w:t></w:r></w:p></w:tc>'
        '<w:tc><w:p><w:r><w:t>Account management</w:t></w:r></w:p></w:tc></w:tr></w:tbl>',
        '<w:p><w:r><w:t xml:space="preserve">Write to us at </w:t></w:r>'
        '<w:ins w:id="5" w:author="Bob"><w:r><w:t>privacy@acme.example</w:t></w:r></w:ins>'
        '<w:del w:id="6" w:author="Bob"><w:r><w:delText>info@acme.example</w:delText></w:r></w:del>'
        '<w:r><w:t>.</w:t></w:r></w:p>',
        extra_body,
    ])
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W_NS}><w:body>{body}'
           '</w:body></w:document>')
    comments = (f'<?xml version="1.0" encoding="UTF-8"?><w:comments {W_NS}>'
                '<w:comment w:id="0" w:author="Jane Reviewer" w:initials="JR">'
                '<w:p><w:r><w:t>Please confirm the retention period with IT.</w:t></w:r></w:p></w:comment>'
                f'{extra_comments}</w:comments>')
    styles = (f'<?xml version="1.0" encoding="UTF-8"?><w:styles {W_NS}>'
              '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>'
              '</w:styles>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", doc)
        z.writestr("word/comments.xml", comments)
        z.writestr("word/styles.xml", styles)
    return buf.getvalue()


def test_docx_structure_and_reviewer_comment(tmp_path):
    path = tmp_path / "draft-policy.docx"
    path.write_bytes(build_docx())
    rep = pipeline.analyze(path, laws=["ccpa"], as_of=AS_OF)
    doc = rep.document
    assert doc.fmt == "docx" and doc.title == "Acme Privacy Policy"
    assert doc.lines[0] == "# Acme Privacy Policy"
    assert "## What we collect" in doc.lines
    assert "- Contact details such as your name and e-mail address." in doc.lines
    assert "| Category | Purpose |" in doc.lines and "| Identifiers | Account management |" in doc.lines
    assert "Write to us at privacy@acme.example." in doc.lines  # insertion kept, deletion dropped
    notes = [f for f in rep.findings if f.id == "draft-unresolved-notes" and "Jane Reviewer" in f.message]
    assert len(notes) == 1
    n = notes[0]
    assert n.quote == "for as long as necessary"
    assert "Please confirm the retention period with IT." in n.message
    assert n.quote in doc.lines[n.line_start - 1]
    tracked = [f for f in rep.findings if f.id == "draft-tracked-changes"]
    assert {("insertion" in f.message, "deletion" in f.message) for f in tracked} == {(True, False), (False, True)}
    for f in rep.findings:  # every quote an exact substring of its line
        assert f.quote in doc.lines[f.line_start - 1], f
    assert [f.line_start for f in rep.findings] == sorted(f.line_start for f in rep.findings)
    html = render.to_html(rep, _options())
    assert "Jane Reviewer" in html and "for as long as necessary" in html


def test_docx_comment_spanning_paragraphs(tmp_path):
    extra = ('<w:p><w:commentRangeStart w:id="1"/><w:r><w:t>Children under 13.</w:t></w:r></w:p>'
             '<w:p><w:r><w:t>We do not sell data.</w:t></w:r><w:commentRangeEnd w:id="1"/></w:p>')
    data = build_docx(extra, '<w:comment w:id="1" w:author="Max"><w:p><w:r><w:t>Check age.</w:t></w:r></w:p>'
                             "</w:comment>")
    text, notes = readers.read_docx(data, "x.docx")
    lines = text.splitlines()
    n = next(f for f in notes if "Max" in f.message)
    assert n.quote == "Children under 13." and lines[n.line_start - 1] == "Children under 13."
    assert lines[n.line_end - 1] == "We do not sell data."


def test_docx_guards(tmp_path, monkeypatch):
    with pytest.raises(InputError, match="not a .docx file"):
        ingest.from_bytes(b"This is plain text pretending to be Word.", "fake.docx", ".docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="no word/document.xml"):
        ingest.from_bytes(buf.getvalue(), "empty.docx", ".docx")
    monkeypatch.setattr(readers.docx, "MAX_UNCOMPRESSED", 1000)
    with pytest.raises(InputError, match="limit"):
        ingest.from_bytes(build_docx(), "bomb.docx", ".docx")
    monkeypatch.undo()
    bad = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(build_docx())) as src, zipfile.ZipFile(bad, "w") as dst:
        for i in src.infolist():
            blob = src.read(i)
            if i.filename == "word/document.xml":
                blob = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + blob.split(b"?>", 1)[1]
            dst.writestr(i, blob)
    with pytest.raises(InputError, match="DTD"):
        ingest.from_bytes(bad.getvalue(), "dtd.docx", ".docx")
    with pytest.raises(InputError, match="legacy .doc"):
        ingest.from_bytes(b"\xd0\xcf\x11\xe0 old word", "old.doc", ".doc")


# --------------------------------------------------------------------------- .pdf input

def _weasy_pdf(body_html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=f"<html><body>{body_html}</body></html>",
                           url_fetcher=render.url_fetcher(render.ReportOptions())).write_pdf()


def test_pdf_input_text_layer(tmp_path):
    path = tmp_path / "policy.pdf"
    path.write_bytes(_weasy_pdf(
        "<h1>Example Privacy Policy</h1><p>Last updated: 1 March 2026</p>"
        "<p>We collect your name, e-mail address and IP address to provide the service.</p>"
        "<p>You may request access to or deletion of your personal information by e-mailing "
        "privacy@example.com.</p>"))
    rep = pipeline.analyze(path, laws=["ccpa"], as_of=AS_OF)
    assert rep.document.fmt == "pdf"
    assert rep.document.title == "Example Privacy Policy"
    assert any("privacy@example.com" in ln for ln in rep.document.lines)
    for r in rep.results:
        for e in r.evidence:
            assert e.quote in "\n".join(rep.document.lines[e.line_start - 1:e.line_end])


def test_pdf_input_errors(tmp_path):
    with pytest.raises(InputError, match="scanned PDF without a text layer"):
        ingest.from_bytes(_weasy_pdf('<div style="height:200px;background:#000"></div>'), "scan.pdf", ".pdf")
    with pytest.raises(InputError, match="damaged PDF|not a PDF"):
        ingest.from_bytes(b"%PDF-1.7\n garbage that is not a pdf", "broken.pdf", ".pdf")
    with pytest.raises(InputError, match="not a PDF"):
        ingest.from_bytes(b"hello, this is text", "text.pdf", ".pdf")
    import pypdf

    w = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(_weasy_pdf("<p>Secret policy text here.</p>"))))
    w.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    w.write(buf)
    with pytest.raises(InputError, match="encrypted") as ei:
        ingest.from_bytes(buf.getvalue(), "locked.pdf", ".pdf")
    assert len(str(ei.value).splitlines()) == 1


# --------------------------------------------------------------------------- command line

def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, GAPCHECK_HISTORY=str(Path(cwd or ROOT) / ".gapcheck-test-history.db"))
    return subprocess.run([sys.executable, "-m", "gapcheck", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=180)


def test_cli_default_is_pdf_and_options(tmp_path):
    sample = SAMPLES[3]
    p = _run("run", str(sample), "--law", "ccpa", "-o", str(tmp_path / "a"), "--as-of", "2026-11-22",
             "--client", "Clicentrix Inc.", "--prepared-by", "Jane Doe", "--paper", "letter", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    # stderr carries only the one-line-per-law summary (no warnings, no traceback)
    assert all(ln.startswith(("ccpa: score", "gdpr: score", "dpdp: score", "drafting defects:", "since check"))
               for ln in p.stderr.splitlines()), p.stderr
    out = sorted((tmp_path / "a").iterdir())
    assert [x.name for x in out] == [f"{sample.stem}-ccpa-20261122.pdf"]
    text = _norm(_pdf_text(out[0].read_bytes()))
    assert "ClicentrixInc." in text and "JaneDoe" in text
    p = _run("run", str(sample), "--law", "ccpa", "--format", "xlsx,md", "--format", "html",
             "-o", str(tmp_path / "b"), "--as-of", "2026-11-22", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert sorted(x.suffix for x in (tmp_path / "b").iterdir()) == [".html", ".md", ".xlsx"]
    assert not list((tmp_path / "b").glob(".*.tmp"))


def test_cli_bad_config_and_logo_exit_2(tmp_path):
    sample = SAMPLES[0]
    cfg = tmp_path / "c.yaml"
    cfg.write_text("report:\n  logo: nowhere/logo.png\n")
    for args in (["--config", str(cfg)], ["--config", str(tmp_path / "missing.yaml")]):
        p = _run("run", str(sample), "--law", "ccpa", "-o", str(tmp_path / "out"), *args, cwd=tmp_path)
        assert p.returncode == 2, p.stderr
        assert len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr
        assert not (tmp_path / "out").exists()


def test_cli_reads_report_section_of_gapcheck_yaml(tmp_path):
    (tmp_path / "gapcheck.yaml").write_text("report:\n  client: Folder Client Ltd\n  firm: Folder Firm\n")
    p = _run("run", str(SAMPLES[2]), "--law", "ccpa", "--format", "html", "-o", "out", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    html = next((tmp_path / "out").glob("*.html")).read_text(encoding="utf-8")
    assert "Folder Client Ltd" in html and "Folder Firm" in html


def test_startup_stays_lean():
    code = ("import sys, gapcheck.cli, gapcheck.render, gapcheck.readers, gapcheck.ingest, gapcheck.fetch; "
            "print(sorted(m for m in ('pandas', 'weasyprint', 'openpyxl', 'pypdf', 'trafilatura', 'lxml') "
            "if m in sys.modules))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "[]"


def test_runtime_dependencies_declared():
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {re.split(r"[<>=!~ \[]", d)[0].lower() for d in deps}
    assert {"jinja2", "weasyprint", "pandas", "pypdf", "openpyxl", "trafilatura", "lxml"} <= names
