"""Word deliverables: the report as .docx, the policy marked up with comments, and the replies read back."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from gapcheck import markup, pipeline, render
from gapcheck.models import Status

from .conftest import FIXTURES, run_cli

AS_OF = dt.date(2026, 11, 22)
POLICY = FIXTURES / "policies" / "003_e29ff102ab8d4a64.txt"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
CHAPTERS = ["Executive summary", "Coverage by law and area", "Coverage table", "Gaps and recommendations",
            "Points to confirm", "Drafting defects", "Appendix A. Clause map", "Appendix B. Method and versions"]
OURS = ("word/document.xml", "word/comments.xml", "word/commentsExtended.xml", "[Content_Types].xml",
        "word/_rels/document.xml.rels")


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def _xml(data: bytes, part: str) -> etree._Element:
    return etree.fromstring(_parts(data)[part])


def _ranges(data: bytes) -> dict[str, str]:
    """Comment id -> the document text its range covers (commentRangeStart ... commentRangeEnd)."""
    root = _xml(data, "word/document.xml")
    open_: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for el in root.iter():
        if el.tag == f"{W}commentRangeStart":
            open_[el.get(f"{W}id")] = []
        elif el.tag == f"{W}commentRangeEnd":
            cid = el.get(f"{W}id")
            out[cid] = "".join(open_.pop(cid, []))
        elif el.tag == f"{W}t" and el.text:
            for buf in open_.values():
                buf.append(el.text)
        elif el.tag == f"{W}p":
            for buf in open_.values():
                buf.append("\n")
    return out


def _comments(data: bytes) -> dict[str, str]:
    root = _xml(data, "word/comments.xml")
    return {c.get(f"{W}id"): "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in c.findall(f"{W}p"))
            for c in root.iter(f"{W}comment")}


@pytest.fixture(scope="module")
def report():
    return pipeline.analyze(POLICY, laws=["ccpa", "gdpr"], as_of=AS_OF)


# --------------------------------------------------------------------------- the Word report

@pytest.fixture(scope="module")
def report_docx(report) -> bytes:
    opts = render.ReportOptions(client="Acme <Retail> & Co", prepared_by="J. Consultant", firm="Example LLP")
    return render.to_docx(report, opts)


def test_report_docx_has_the_chapters_in_order_with_heading_styles(report_docx):
    d = docx.Document(io.BytesIO(report_docx))
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert h1 == CHAPTERS
    assert any(p.style.name == "Title" for p in d.paragraphs)
    assert any(p.style.name == "List Number" for p in d.paragraphs)  # real lists, not typed numbers
    assert d.inline_shapes and d.inline_shapes[0].width > 0  # the chart as a picture
    png = [v for k, v in _parts(report_docx).items() if k.startswith("word/media/")]
    assert png and png[0].startswith(b"\x89PNG")
    assert "TOC" in _parts(report_docx)["word/document.xml"].decode()


def test_report_docx_coverage_table_has_one_row_per_requirement_with_status_words(report, report_docx):
    d = docx.Document(io.BytesIO(report_docx))
    tables = [t for t in d.tables if t.rows[0].cells[0].text == "Requirement" and len(t.columns) == 5]
    rows = [r for t in tables for r in t.rows[1:]]
    assert len(rows) == len(report.results)
    ids = [r.cells[0].text.splitlines()[-1] for r in rows]
    assert ids == [r.requirement.id for r in report.results]
    words = {"met": "Met", "partial": "Partial", "missing": "Missing", "review": "To confirm",
             "not_applicable": "Not applicable"}
    for row, res in zip(rows, report.results, strict=True):
        cell = row.cells[3]
        assert words[res.status.value] in cell.text
        shd = cell._tc.tcPr.find(f"{W}shd")
        assert shd is not None and shd.get(f"{W}fill") == render.STATUS_COLOUR[res.status.value][1:].upper()


def test_report_docx_shows_every_evidence_quote_and_gap(report, report_docx):
    d = docx.Document(io.BytesIO(report_docx))
    text = "\n".join(p.text for p in d.paragraphs)
    gaps = [r for r in report.results if r.status in (Status.PARTIAL, Status.MISSING)]
    for r in gaps:
        assert r.requirement.title in text and r.recommendation in text
        for e in r.evidence:
            assert f"line {e.line_start}" in text and e.quote in text
    cells = "\n".join(c.text for t in d.tables for row in t.rows for c in row.cells)
    for f in report.findings:
        assert f.quote in cells


def test_report_docx_has_the_logo_on_the_cover(report, tmp_path):
    from PIL import Image

    Image.new("RGB", (200, 80), "navy").save(tmp_path / "logo.png")
    d = docx.Document(io.BytesIO(render.to_docx(report, render.ReportOptions(logo=tmp_path / "logo.png"))))
    assert len(d.inline_shapes) == 2  # the logo and the chart


def test_report_docx_uses_the_accent_colour(report):
    d = docx.Document(io.BytesIO(render.to_docx(report, render.ReportOptions(accent_color="#0b6e4f"))))
    assert str(d.styles["Heading 1"].font.color.rgb) == "0B6E4F"


def test_report_docx_escapes_hostile_text(tmp_path):
    p = tmp_path / "hostile.txt"
    p.write_text("# Privacy <Policy> & ]]> \x01\x02\n\nWe keep data for as long as necessary <b>&amp;</b> ]]>.\n"
                 "[A1] Please confirm \x0b the <retention> ]]> period.\n", encoding="utf-8")
    rep = pipeline.analyze(p, laws=["gdpr"], as_of=AS_OF)
    data = render.to_docx(rep, render.ReportOptions(client="A <b> & ]]> \x07"))
    d = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "A <b> & ]]>" in text and "\x07" not in text
    marked = markup.markup(rep, None, "Rev <i> & ]]>")
    d2 = docx.Document(io.BytesIO(marked))
    assert any("<retention> ]]>" in p.text for p in d2.paragraphs)
    assert {c.author for c in d2.comments} == {"Rev <i> & ]]>"} and len(list(d2.comments)) > 1


def test_report_docx_with_firm_template_keeps_its_header_and_styles(report, tmp_path):
    tpl = docx.Document()
    tpl.sections[0].header.paragraphs[0].text = "FIRM LETTERHEAD"
    tpl.styles["Heading 1"].font.name = "Georgia"
    tpl.add_paragraph("template body text that must go")
    path = tmp_path / "firm.docx"
    tpl.save(path)
    data = render.to_docx(report, render.ReportOptions(docx_template=path))
    d = docx.Document(io.BytesIO(data))
    assert d.sections[0].header.paragraphs[0].text == "FIRM LETTERHEAD"
    assert d.styles["Heading 1"].font.name == "Georgia"
    assert "template body text that must go" not in "\n".join(p.text for p in d.paragraphs)


def test_report_docx_with_a_bare_template_adds_the_missing_heading_styles(report, tmp_path):
    from docx.oxml.ns import qn

    tpl = docx.Document()
    for st in list(tpl.styles.element.findall(qn("w:style"))):  # like a Word file whose headings are latent
        if st.find(qn("w:name")).get(qn("w:val")) in ("heading 1", "heading 2", "heading 3", "Title", "Quote",
                                                       "List Bullet", "List Number", "Table Grid", "caption"):
            tpl.styles.element.remove(st)
    path = tmp_path / "bare.docx"
    tpl.save(path)
    d = docx.Document(io.BytesIO(render.to_docx(report, render.ReportOptions(docx_template=path))))
    assert [p.text for p in d.paragraphs if p.style.name == "Heading 1"] == CHAPTERS
    assert d.styles["Heading 1"].element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "0"


def test_report_docx_accepts_a_dotx_template(report, tmp_path):
    tpl = docx.Document()
    tpl.sections[0].header.paragraphs[0].text = "DOTX HEADER"
    buf = io.BytesIO()
    tpl.save(buf)
    path = tmp_path / "firm.dotx"
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin, zipfile.ZipFile(path, "w") as zout:
        for i in zin.infolist():
            blob = zin.read(i)
            if i.filename == "[Content_Types].xml":
                blob = blob.replace(b"wordprocessingml.document.main", b"wordprocessingml.template.main")
            zout.writestr(i, blob)
    data = render.to_docx(report, render.ReportOptions(docx_template=path))
    assert docx.Document(io.BytesIO(data)).sections[0].header.paragraphs[0].text == "DOTX HEADER"
    assert b"wordprocessingml.document.main+xml" in _parts(data)["[Content_Types].xml"]


def test_docx_template_from_config_is_relative_to_it(tmp_path):
    (tmp_path / "brand").mkdir()
    docx.Document().save(tmp_path / "brand" / "firm.docx")
    cfg = tmp_path / "report.yaml"
    cfg.write_text("report:\n  docx_template: brand/firm.docx\n", encoding="utf-8")
    assert render.load_options(cfg).docx_template == tmp_path / "brand" / "firm.docx"
    with pytest.raises(render.GapcheckError, match="no such file"):
        render.load_options(None, search_cwd=False, docx_template=tmp_path / "nope.docx")


def test_report_docx_has_the_changes_chapter_on_a_recheck(tmp_path):
    policy = tmp_path / "p.txt"
    text = POLICY.read_text(encoding="utf-8")
    policy.write_text(text, encoding="utf-8")
    args = ["--law", "gdpr", "--format", "docx", "--history", str(tmp_path / "h.sqlite"), "--as-of", "2026-11-22"]
    assert run_cli("run", str(policy), *args, "--output", str(tmp_path / "a")).returncode == 0
    policy.write_text(text + "\nYou may lodge a complaint with a supervisory authority.\n", encoding="utf-8")
    r = run_cli("run", str(policy), *args, "--output", str(tmp_path / "b"))
    assert r.returncode == 0, r.stderr
    d = docx.Document(next((tmp_path / "b").glob("*.docx")))
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert h1[:2] == ["Executive summary", "Changes since the last check"]


def test_cli_writes_docx_atomically(tmp_path):
    out = tmp_path / "out"
    r = run_cli("run", str(POLICY), "--law", "gdpr", "--format", "docx", "--output", str(out), "--no-history",
                "--as-of", "2026-11-22")
    assert r.returncode == 0, r.stderr
    files = list(out.iterdir())
    assert [f.suffix for f in files] == [".docx"]
    docx.Document(files[0])


# --------------------------------------------------------------------------- markup of a text policy

@pytest.fixture(scope="module")
def marked_txt(report) -> bytes:
    return markup.markup(report, None, "A. Consultant, CIPP/E")


def test_markup_has_one_comment_per_partial_missing_and_defect(report, marked_txt):
    d = docx.Document(io.BytesIO(marked_txt))
    comments = list(d.comments)
    partial = [r for r in report.results if r.status == Status.PARTIAL]
    missing = [r for r in report.results if r.status == Status.MISSING]
    assert len(comments) == len(partial) + len(missing) + len(report.findings)
    assert {c.author for c in comments} == {"A. Consultant, CIPP/E"} and {c.initials for c in comments} == {"AC"}
    texts = _comments(marked_txt)
    for r in partial + missing:
        assert sum(t.startswith(f"[{r.requirement.id}]") for t in texts.values()) == 1


def test_markup_comments_are_anchored_on_the_quoted_evidence(report, marked_txt):
    texts, ranges = _comments(marked_txt), _ranges(marked_txt)
    by_id = {t.split("]")[0][1:]: cid for cid, t in texts.items()}
    for r in report.results:
        cid = by_id.get(r.requirement.id)
        if r.status == Status.PARTIAL and r.evidence:
            # a '- item' line is a Word list item: its marker is the bullet, not text
            assert ranges[cid].strip() == re.sub(r"^\s*[-*•]\s+", "", r.evidence[0].quote.strip())
            assert r.requirement.citation in texts[cid] and r.recommendation in texts[cid]
        elif r.status == Status.MISSING:
            line = report.document.lines[markup.section_line(report, r) - 1]
            assert ranges[cid].strip() and ranges[cid].strip() in line  # the section's heading
    for cid, t in texts.items():
        if t.startswith("[draft-"):
            key = t.split("]")[0][1:]
            assert any(f.id == key and f.quote.strip() in ranges[cid] or ranges[cid].strip() in f.quote
                       for f in report.findings)


def test_markup_clean_document_has_headings_and_one_paragraph_per_line(report, marked_txt):
    d = docx.Document(io.BytesIO(marked_txt))
    nonblank = [ln for ln in report.document.lines if ln.strip()]
    assert len(d.paragraphs) == len(nonblank)
    assert sum(p.style.name.startswith("Heading") for p in d.paragraphs) >= 5


def test_markup_clean_document_makes_list_items_word_lists(tmp_path):
    p = tmp_path / "p.md"
    p.write_text("# Privacy Policy\n\n## Your rights\n\nYou have the right to:\n\n- access your data;\n"
                 "- erase your data.\n\nWe keep data for as long as necessary.\n", encoding="utf-8")
    rep = pipeline.analyze(p, laws=["gdpr"], as_of=AS_OF)
    d = docx.Document(io.BytesIO(markup.markup(rep, None, "X")))
    styles = {q.text: q.style.name for q in d.paragraphs}
    assert styles["access your data;"] == "List Bullet" and styles["Your rights"].startswith("Heading")
    assert styles["Privacy Policy"] == "Title"


# --------------------------------------------------------------------------- markup of a client's .docx

def _client_docx(path: Path) -> Path:
    """A client's Word policy: styles, a list, a table, an existing reviewer comment and a tracked insertion."""
    d = docx.Document()
    d.styles["Normal"].font.name = "Garamond"
    lines = POLICY.read_text(encoding="utf-8").splitlines()
    first = True
    for ln in lines:
        if not ln.strip():
            continue
        if first:
            d.add_heading(ln.strip(), 0)
            first = False
        elif re.match(r"^\d+\.\s", ln) or ln.isupper():
            d.add_heading(ln.strip(), 1)
        else:
            d.add_paragraph(ln.strip())
    d.add_paragraph("Cookies we set", style="List Bullet")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Data", "Kept for"
    t.cell(1, 0).text, t.cell(1, 1).text = "Logs", "90 days"
    p = d.paragraphs[3]
    d.add_comment(p.runs[0], "Client: is this still right?", author="Client Counsel", initials="CC")
    ins = etree.SubElement(d.paragraphs[4]._p, f"{W}ins")
    ins.set(f"{W}id", "900")
    ins.set(f"{W}author", "Client Counsel")
    ins.set(f"{W}date", "2026-10-01T00:00:00Z")
    r = etree.SubElement(ins, f"{W}r")
    tt = etree.SubElement(r, f"{W}t")
    tt.text = " Added later."
    d.save(path)
    return path


def _signature(p: etree._Element, new_ids: set[str]) -> list:
    """A paragraph's content with gapcheck's comment marks removed and split runs joined again."""
    out: list = []

    def walk(el: etree._Element) -> None:
        for c in el:
            if c.tag in (f"{W}commentRangeStart", f"{W}commentRangeEnd") and c.get(f"{W}id") in new_ids:
                continue
            if c.tag == f"{W}r":
                refs = [x for x in c if x.tag == f"{W}commentReference" and x.get(f"{W}id") in new_ids]
                if refs and len(c) == len(refs):
                    continue
                rpr = c.find(f"{W}rPr")
                key = etree.tostring(rpr) if rpr is not None else b""
                text = "".join(x.text or "" if x.tag == f"{W}t" else f"<{etree.QName(x).localname}>"
                               for x in c if x.tag != f"{W}rPr")
                attrs = dict(c.attrib)
                if out and out[-1][0] == "r" and out[-1][1] == key and out[-1][3] == attrs:
                    out[-1] = ("r", key, out[-1][2] + text, attrs)
                else:
                    out.append(("r", key, text, attrs))
            else:
                out.append(("el", c.tag, dict(c.attrib), (c.text or "").strip()))
                walk(c)
                out.append(("end", c.tag))

    walk(p)
    return out


@pytest.fixture(scope="module")
def client_case(tmp_path_factory):
    path = _client_docx(tmp_path_factory.mktemp("client") / "client policy.docx")
    rep = pipeline.analyze(path, laws=["ccpa", "gdpr"], as_of=AS_OF)
    return path, rep, markup.markup(rep, path.read_bytes(), "A. Consultant")


def test_markup_of_docx_keeps_everything_but_adds_comments(client_case):
    path, rep, out = client_case
    before, after = _parts(path.read_bytes()), _parts(out)
    for name, blob in before.items():  # styles, numbering, settings, media: byte for byte
        if name not in OURS:
            assert after[name] == blob, name
    old = _xml(path.read_bytes(), "word/comments.xml")
    new = _xml(out, "word/comments.xml")
    old_c = [etree.tostring(c) for c in old.iter(f"{W}comment")]
    assert [etree.tostring(c) for c in new.iter(f"{W}comment")][:len(old_c)] == old_c  # existing comment intact
    new_ids = {c.get(f"{W}id") for c in new.iter(f"{W}comment")} - {c.get(f"{W}id") for c in old.iter(f"{W}comment")}
    notes = markup.notes_for(rep)
    assert len(new_ids) == len(notes)
    p_old = list(_xml(path.read_bytes(), "word/document.xml").iter(f"{W}p"))
    p_new = list(_xml(out, "word/document.xml").iter(f"{W}p"))
    assert len(p_old) == len(p_new)
    for a, b in zip(p_old, p_new, strict=True):
        touched = any(x.get(f"{W}id") in new_ids for x in b.iter(f"{W}commentRangeStart", f"{W}commentRangeEnd"))
        if not touched:
            assert etree.tostring(a) == etree.tostring(b)
        else:
            assert _signature(a, new_ids) == _signature(b, new_ids)
    assert b"w:ins" in after["word/document.xml"] and b"Added later." in after["word/document.xml"]


def test_markup_of_docx_anchors_on_the_evidence(client_case):
    _, rep, out = client_case
    texts, ranges = _comments(out), _ranges(out)
    d = docx.Document(io.BytesIO(out))
    assert len(list(d.comments)) == 1 + len(markup.notes_for(rep))
    mine = {t.split("]")[0][1:]: cid for cid, t in texts.items() if t.startswith("[")}
    for r in rep.results:
        if r.status == Status.PARTIAL and r.evidence:
            # the reader folds the Word text's no-break spaces: compare with whitespace folded
            assert " ".join(r.evidence[0].quote.split()) == " ".join(ranges[mine[r.requirement.id]].split())
        elif r.status == Status.MISSING:
            assert ranges[mine[r.requirement.id]].strip()


def test_marking_up_a_marked_up_file_adds_only_new_points(client_case, tmp_path):
    _, _, out = client_case  # marked up for CCPA and GDPR
    path = tmp_path / "again.docx"
    path.write_bytes(out)
    rep = markup.analyze_reviewed(path, laws=["ccpa", "gdpr", "dpdp"], as_of=AS_OF)
    twice = markup.markup(rep, out, "Second Pass")
    ex_old = [etree.tostring(e) for e in _xml(out, "word/commentsExtended.xml")]
    ex_new = [etree.tostring(e) for e in _xml(twice, "word/commentsExtended.xml")]
    dpdp = [r for r in rep.results if r.requirement.law == "dpdp" and r.status in (Status.PARTIAL, Status.MISSING)]
    assert ex_new[:len(ex_old)] == ex_old and len(ex_new) == len(ex_old) + len(dpdp)  # appended, DPDP only
    new_texts = set(_comments(twice).values()) - set(_comments(out).values())
    assert {t.split("]")[0][1:] for t in new_texts} == {r.requirement.id for r in dpdp}
    ids = [p.get(f"{W14}paraId") for p in _xml(twice, "word/comments.xml").iter(f"{W}p")]
    assert len(ids) == len(set(ids))  # every comment paragraph has its own paraId
    assert _parts(twice)["[Content_Types].xml"].count(b"comments+xml") == 1
    path.write_bytes(twice)
    rep3 = markup.analyze_reviewed(path, laws=["ccpa", "gdpr", "dpdp"], as_of=AS_OF)
    assert len(_comments(markup.markup(rep3, twice, "Third Pass"))) == len(_comments(twice))  # nothing new


# --------------------------------------------------------------------------- round trip

def _reply(data: bytes, parent_prefix: str, text: str, author: str) -> bytes:
    """What Word writes when a reviewer replies to a comment: a comment on the same range, threaded in
    commentsExtended.xml by w15:paraIdParent."""
    parts = _parts(data)
    comments = etree.fromstring(parts["word/comments.xml"])
    parent = next(c for c in comments.iter(f"{W}comment")
                  if "".join(t.text or "" for t in c.iter(f"{W}t")).startswith(parent_prefix))
    pid = parent.findall(f"{W}p")[-1].get(f"{W14}paraId")
    new_id = str(max(int(c.get(f"{W}id")) for c in comments.iter(f"{W}comment")) + 1)
    reply = copy.deepcopy(parent)
    for p in reply.findall(f"{W}p")[1:]:
        reply.remove(p)
    reply.set(f"{W}id", new_id)
    reply.set(f"{W}author", author)
    rp = reply.find(f"{W}p")
    rp.set(f"{W14}paraId", f"7{len(new_id):01d}{int(new_id):06X}"[:8])
    rp.findall(f".//{W}t")[-1].text = text
    comments.append(reply)
    ext = etree.fromstring(parts["word/commentsExtended.xml"])
    ex = etree.SubElement(ext, f"{W15}commentEx")
    ex.set(f"{W15}paraId", rp.get(f"{W14}paraId"))
    ex.set(f"{W15}paraIdParent", pid)
    ex.set(f"{W15}done", "0")
    body = etree.fromstring(parts["word/document.xml"])
    start = next(x for x in body.iter(f"{W}commentRangeStart") if x.get(f"{W}id") == parent.get(f"{W}id"))
    end = next(x for x in body.iter(f"{W}commentRangeEnd") if x.get(f"{W}id") == parent.get(f"{W}id"))
    s2 = etree.Element(f"{W}commentRangeStart")
    s2.set(f"{W}id", new_id)
    start.addnext(s2)
    e2 = etree.Element(f"{W}commentRangeEnd")
    e2.set(f"{W}id", new_id)
    end.addnext(e2)
    ref = etree.Element(f"{W}r")
    etree.SubElement(ref, f"{W}commentReference").set(f"{W}id", new_id)
    e2.addnext(ref)
    parts["word/comments.xml"] = etree.tostring(comments, xml_declaration=True, encoding="UTF-8", standalone=True)
    parts["word/commentsExtended.xml"] = etree.tostring(ext, xml_declaration=True, encoding="UTF-8", standalone=True)
    parts["word/document.xml"] = etree.tostring(body, xml_declaration=True, encoding="UTF-8", standalone=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in parts.items():
            z.writestr(k, v)
    return buf.getvalue()


def test_round_trip_replies_become_waiver_and_override(report, tmp_path):
    partial = next(r for r in report.results if r.status == Status.PARTIAL and r.evidence)
    missing = next(r for r in report.results if r.status == Status.MISSING)
    reviewed = tmp_path / "policy.reviewed.docx"
    hist = tmp_path / "h.sqlite"
    r = run_cli("markup", str(POLICY), "--law", "ccpa", "--law", "gdpr", "-o", str(reviewed),
                "--prepared-by", "A. Consultant", "--as-of", "2026-11-22")
    assert r.returncode == 0, r.stderr
    data = reviewed.read_bytes()
    data = _reply(data, f"[{partial.requirement.id}]", "Accepted: the client keeps this wording until 2027.",
                  "B. Partner")
    data = _reply(data, f"[{missing.requirement.id}]", "Not a gap: covered by the separate EU notice.", "C. Counsel")
    data = _reply(data, "[draft-", "accepted: fine", "B. Partner")  # a reply to a drafting comment: ignored
    reviewed.write_bytes(data)
    cr = markup.read_replies(data)
    assert {(d.id, d.kind, d.by) for d in cr.decisions} == {(partial.requirement.id, "accepted", "B. Partner"),
                                                            (missing.requirement.id, "not_a_gap", "C. Counsel")}
    out = tmp_path / "out"
    r = run_cli("run", str(reviewed), "--law", "ccpa", "--law", "gdpr", "--review-from-comments", "--format",
                "json,docx", "--output", str(out), "--history", str(hist), "--as-of", "2026-11-22")
    assert r.returncode == 0, r.stderr
    assert "from Word replies: 1 accepted, 1 not a gap" in r.stderr
    doc = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    req = {x["id"]: x for x in doc["requirements"]}
    w = req[partial.requirement.id]
    assert w["status"] == "partial" and w["accepted"] and w["waiver"]["by"] == "B. Partner"
    assert w["waiver"]["reason"] == "the client keeps this wording until 2027."
    o = req[missing.requirement.id]
    assert o["status"] == "met"
    assert o["override"] == {"by": "C. Counsel", "reason": "covered by the separate EU notice.",
                             "automatic_status": "missing"}
    # gapcheck's own comments and the replies are not drafting findings
    assert not [f for f in doc["findings"] if "A. Consultant" in f["message"] or "B. Partner" in f["message"]]
    # recorded in history
    r = run_cli("history", str(reviewed), "--history", str(hist))
    assert r.returncode == 0 and len(r.stdout.strip().splitlines()) == 2
    # the Word report shows the decisions
    text = "\n".join(p.text for p in docx.Document(next(out.glob("*.docx"))).paragraphs)
    assert "Accepted gap, by B. Partner" in text


def test_round_trip_on_a_client_docx(tmp_path, client_case):
    _, rep, out = client_case
    gap = next(r for r in rep.results if r.status == Status.PARTIAL and r.requirement.law == "gdpr")
    path = tmp_path / "client.reviewed.docx"
    path.write_bytes(_reply(out, f"[{gap.requirement.id}]", "not a gap - the DPA covers it", "D. Reviewer"))
    again = markup.analyze_reviewed(path, laws=["gdpr"], as_of=AS_OF)
    res = next(r for r in again.results if r.requirement.id == gap.requirement.id)
    assert res.status == Status.MET and res.override["by"] == "D. Reviewer"
    assert res.override["reason"] == "the DPA covers it"
    assert any("Client Counsel" in f.message for f in again.findings)  # the client's own comment is still one


def test_without_the_flag_comments_stay_drafting_findings(tmp_path, client_case):
    _, rep, out = client_case
    path = tmp_path / "reviewed.docx"
    path.write_bytes(out)
    again = pipeline.analyze(path, laws=["gdpr"], as_of=AS_OF)
    assert any("Client Counsel" in f.message for f in again.findings)
    with_flag = markup.analyze_reviewed(path, laws=["gdpr"], as_of=AS_OF)
    msgs = [f.message for f in with_flag.findings]
    assert any("Client Counsel" in m for m in msgs)  # not a reply to gapcheck: still a finding
    assert not any("A. Consultant" in m for m in msgs)


def test_bracketed_notes_of_others_are_not_gapcheck_comments(report, marked_txt):
    d = docx.Document(io.BytesIO(marked_txt))
    d.add_comment(d.paragraphs[1].runs[0], "[A1] Please confirm with legal", author="Client", initials="C")
    d.add_comment(d.paragraphs[2].runs[0], "[acme-house-rule] our own tag", author="Client", initials="C")
    buf = io.BytesIO()
    d.save(buf)
    cr = markup.read_replies(buf.getvalue(), known={r.requirement.id for r in report.results})
    assert len(cr.gapcheck_ids) == len(list(d.comments)) - 2
    assert not cr.reply_ids and not cr.decisions


def test_review_from_comments_needs_a_docx(tmp_path):
    r = run_cli("run", str(POLICY), "--review-from-comments", "--no-history", "--output", str(tmp_path))
    assert r.returncode == 2 and "docx" in r.stderr


def test_markup_cli_default_name_and_config_author(tmp_path):
    cfg = tmp_path / "gapcheck.yaml"
    cfg.write_text("report:\n  prepared_by: Dana Reviewer\n", encoding="utf-8")
    r = run_cli("markup", str(POLICY), "--law", "gdpr", "--as-of", "2026-11-22", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = tmp_path / "003_e29ff102ab8d4a64.reviewed.docx"
    d = docx.Document(out)
    assert {c.author for c in d.comments} == {"Dana Reviewer"} and {c.initials for c in d.comments} == {"DR"}
    assert not list(tmp_path.glob(".*.tmp"))
