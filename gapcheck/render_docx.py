"""The report as an editable Word document (`--format docx`), same content and order as the PDF.

Consultants edit a report before it goes out (a finding reworded, the firm's template applied), so
this is built from real Word structures, not a picture of the PDF: heading styles (the navigation
pane and a table of contents work), real tables with shaded status cells that also say the status
in words, real bulleted and numbered lists, and the coverage chart as a PNG drawn here with Pillow
(already installed with WeasyPrint). `--docx-template FIRM.docx` supplies the firm's styles, header
and footer: its body is cleared and the report written in its place.

python-docx is imported inside the functions, so `import gapcheck` stays cheap. Every string from
the policy passes through `xml_text`, which drops the characters XML 1.0 cannot carry (python-docx
would raise on them); lxml escapes the rest (`<`, `&`, `]]>`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gapcheck.errors import GapcheckError
from gapcheck.models import Report

if TYPE_CHECKING:
    from gapcheck.render import ReportOptions

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
STATUS_SYMBOL = {"met": "✓", "partial": "◐", "missing": "✗", "review": "?", "not_applicable": "–"}
HEADINGS = ("Executive summary", "Changes since the last check", "Coverage by law and area", "Coverage table",
            "Gaps and recommendations", "Points to confirm", "Drafting defects", "Appendix A. Clause map",
            "Appendix B. Method and versions")


def xml_text(s: Any) -> str:
    """Text that XML 1.0 can hold: control characters and lone surrogates dropped, tabs kept."""
    return _XML_ILLEGAL.sub("", "" if s is None else str(s))


def _lines(a: int, b: int) -> str:
    return f"{a}" if a == b else f"{a}–{b}"


# --------------------------------------------------------------------------- document scaffolding

def _new_document(template: Path | None) -> Any:
    """A python-docx Document: the firm's template with its body cleared, or python-docx's default."""
    import docx
    from docx.oxml.ns import qn

    if template is None:
        return docx.Document()
    try:
        doc = docx.Document(_as_document(Path(template)))
    except GapcheckError:
        raise
    except Exception as e:  # noqa: BLE001 - python-docx raises several types for a bad package
        raise GapcheckError(f"{template}: not a usable Word template ({e.__class__.__name__}: {e})") from None
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def _as_document(path: Path) -> Any:
    """A firm's .dotx template opened as a document (python-docx only opens documents): the main part's
    content type is swapped in memory; a .docx is passed through."""
    import zipfile

    if path.suffix.lower() in (".dotm", ".docm"):
        raise GapcheckError(f"{path}: a macro-enabled template cannot style a .docx; save it as .dotx or .docx")
    if path.suffix.lower() != ".dotx":
        return str(path)
    src = io.BytesIO(path.read_bytes())
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            blob = zin.read(info)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(b"wordprocessingml.template.main+xml", b"wordprocessingml.document.main+xml")
            zout.writestr(info, blob)
    return io.BytesIO(out.getvalue())


def _ensure_styles(doc: Any) -> set[str]:
    """Make sure the styles the report uses exist (a firm template may lack some); returns list styles found.

    A missing 'Heading N' is added with its outline level, so Word's navigation pane and TOC still work.
    """
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    names = {s.name for s in doc.styles}
    for level, size in ((1, 16), (2, 13), (3, 11)):
        name = f"Heading {level}"
        if name in names:
            continue
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = doc.styles["Normal"]
        st.font.bold = True
        st.font.size = Pt(size)
        st.paragraph_format.space_before = Pt(12)
        st.paragraph_format.keep_with_next = True
        ppr = st.element.get_or_add_pPr()
        lvl = OxmlElement("w:outlineLvl")
        lvl.set(qn("w:val"), str(level - 1))
        ppr.append(lvl)
    for name in ("Title", "Quote", "Caption"):
        if name not in names:
            st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            st.base_style = doc.styles["Normal"]
            if name == "Title":
                st.font.size, st.font.bold = Pt(24), True
            elif name == "Quote":
                st.font.italic = True
                st.paragraph_format.left_indent = Pt(18)
            else:
                st.font.size, st.font.italic = Pt(9), True
    return {n for n in ("List Bullet", "List Number", "Table Grid") if n in names}


class _Writer:
    """Small helpers over a python-docx Document, so the report body reads like the HTML template."""

    def __init__(self, doc: Any, accent: str):
        from docx.shared import RGBColor

        self.doc = doc
        self.have = _ensure_styles(doc)
        hexa = accent.lstrip("#").upper()
        hexa = "".join(c * 2 for c in hexa) if len(hexa) == 3 else hexa  # '#abc' is '#aabbcc'
        self.accent = RGBColor.from_string(hexa if len(hexa) == 6 else "1F3A5F")

    # ---- paragraphs
    def heading(self, text: str, level: int) -> Any:
        return self.doc.add_heading(xml_text(text), level)

    def para(self, text: str = "", style: str | None = None, bold: bool = False, italic: bool = False,
             muted: bool = False) -> Any:
        p = self.doc.add_paragraph(style=style)
        if text:
            self.run(p, text, bold=bold, italic=italic, muted=muted)
        return p

    def run(self, p: Any, text: str, bold: bool = False, italic: bool = False, muted: bool = False,
            size: float | None = None) -> Any:
        from docx.shared import Pt, RGBColor

        r = p.add_run(xml_text(text))
        r.bold = bold or None
        r.italic = italic or None
        if muted:
            r.font.color.rgb = RGBColor(0x5F, 0x5F, 0x5F)
        if size:
            r.font.size = Pt(size)
        return r

    def labelled(self, label: str, text: str) -> Any:
        p = self.para()
        self.run(p, f"{label}: ", bold=True)
        self.run(p, text)
        return p

    def item(self, numbered: bool = False) -> Any:
        """A list paragraph: Word's List Bullet / List Number (a firm template without them gets '•')."""
        style = "List Number" if numbered else "List Bullet"
        if style in self.have:
            return self.doc.add_paragraph(style=style)
        p = self.doc.add_paragraph()
        p.add_run("• ")
        return p

    def quote(self, line_a: int, line_b: int, text: str, where: str = "") -> Any:
        p = self.para(style="Quote")
        self.run(p, f"line {_lines(line_a, line_b)}{', ' + where if where else ''}  ", bold=True, muted=True,
                 size=8.5)
        self.run(p, text)
        return p

    # ---- tables
    def table(self, header: list[str], rows: list[list[Any]], widths: list[float] | None = None) -> Any:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm

        t = self.doc.add_table(rows=1, cols=len(header))
        if "Table Grid" in self.have:
            t.style = "Table Grid"
        for i, h in enumerate(header):
            cell = t.rows[0].cells[i]
            cell.text = ""
            self.run(cell.paragraphs[0], h, bold=True)
        trpr = t.rows[0]._tr.get_or_add_trPr()  # repeat the header row on every page
        hdr = OxmlElement("w:tblHeader")
        hdr.set(qn("w:val"), "true")
        trpr.append(hdr)
        for row in rows:
            cells = t.add_row().cells
            for i, v in enumerate(row):
                if callable(v):
                    v(cells[i])
                else:
                    cells[i].text = xml_text(v)
        if widths:  # Word reads the cell widths, LibreOffice the grid: set both
            t.autofit = False
            for i, w in enumerate(widths):
                t.columns[i].width = Cm(w)
            for row in t.rows:
                for i, w in enumerate(widths):
                    row.cells[i].width = Cm(w)
        return t

    def shade(self, cell: Any, colour: str, text: str) -> None:
        """A status cell: filled with the status colour and labelled in words (white, bold)."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import RGBColor

        tcpr = cell._tc.get_or_add_tcPr()
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), colour.lstrip("#").upper())
        tcpr.append(shd)
        cell.text = ""
        r = cell.paragraphs[0].add_run(xml_text(text))
        r.bold = True
        r.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)

    # ---- fields
    def field(self, p: Any, instr: str, shown: str = "") -> None:
        """A Word field (PAGE, TOC ...): begin, instruction, separate, current result, end."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        def fld(kind: str) -> Any:
            r = OxmlElement("w:r")
            c = OxmlElement("w:fldChar")
            c.set(qn("w:fldCharType"), kind)
            r.append(c)
            return r

        p._p.append(fld("begin"))
        r = OxmlElement("w:r")
        it = OxmlElement("w:instrText")
        it.set(qn("xml:space"), "preserve")
        it.text = f" {instr} "
        r.append(it)
        p._p.append(r)
        p._p.append(fld("separate"))
        p.add_run(shown)
        p._p.append(fld("end"))


# --------------------------------------------------------------------------- the report

def to_docx(report: Report, options: ReportOptions | None = None, template: Path | None = None) -> bytes:
    """The report as .docx bytes; `template` is a firm's .docx whose styles, header and footer are kept."""
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm

    from gapcheck.render import STATUS_COLOUR, STATUS_LABEL, ReportOptions, build_context

    options = options or ReportOptions()
    ctx = build_context(report, options)
    doc = _new_document(template)
    w = _Writer(doc, options.accent_color)
    if template is None:  # the firm's accent colour on the title and headings (a template keeps its own)
        for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
            doc.styles[name].font.color.rgb = w.accent
    d = report.document
    label = STATUS_LABEL

    def badge(status: str) -> str:
        return f"{STATUS_SYMBOL[status]} {label[status]}"

    # ---- cover
    if options.logo is not None and options.logo.suffix.lower() in (".png", ".jpg", ".jpeg", ".gif"):
        try:  # the logo was checked when the options were made; Word cannot embed an SVG, so that one is left out
            doc.add_picture(str(options.logo), height=Cm(1.6))
        except Exception as e:  # noqa: BLE001 - python-docx/Pillow raise several types for a bad image
            raise GapcheckError(f"logo {options.logo}: cannot be placed in the Word report ({e})") from None
    if options.firm:
        w.para(options.firm, bold=True, muted=True)
    w.para("Privacy policy gap analysis", muted=True)
    w.para(ctx["policy_name"], style="Title")
    if ctx["client"]:
        w.para(ctx["client"], bold=True)
    policy_desc = (f"{ctx['policy_name']} ({d.source} · {len(d.lines)} lines · {d.fmt} · "
                   + (f"policy dated {d.last_updated.isoformat()})" if d.last_updated
                      else "no date stated in the policy)"))
    prepared = (options.prepared_by or "Not stated") + (f", {options.firm}" if options.firm else "")
    w.table(["Item", "Detail"], [
        ["Client", ctx["client"] or "Not stated"], ["Policy", policy_desc],
        ["Laws and checklists", "; ".join(f"{x['name']}, checklist version {x['version']}" for x in ctx["laws"])],
        ["Date of the check", ctx["check_date"]], ["Prepared by", prepared]], widths=[4.5, 11.5])
    w.para()
    w.table(["Law", "Score", "Counts"], [
        [x["name"], f"{x['score']:.0f} / 100",
         f"{x['counts']['met']} met · {x['counts']['partial']} partial · {x['counts']['missing']} missing"
         + (f" · {x['counts']['review']} to confirm" if x["counts"]["review"] else "")] for x in ctx["laws"]],
        widths=[7, 3, 6])
    w.para("Overall score: severity-weighted share of the judged requirements (met 1, partial ½, missing 0; "
           "high, medium and low severity weigh 3, 2 and 1).", muted=True)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # ---- contents: a TOC field whose current result is the list of chapters (Word refreshes it on F9)
    w.para("Contents", bold=True)
    toc = doc.add_paragraph()
    chapters = [h for h in HEADINGS if (h != "Changes since the last check" or ctx["changes"])
                and (h != "Points to confirm" or ctx["review"])]
    w.field(toc, 'TOC \\o "1-2" \\h \\z \\u', "; ".join(chapters) + " (update the field to add page numbers)")

    # ---- executive summary
    w.heading("Executive summary", 1)
    n_laws = len(ctx["laws"])
    w.para(f"We checked {ctx['policy_name']}" + (f" for {ctx['client']}" if ctx["client"] else "")
           + f" on {ctx['check_date']} against {n_laws} {'law' if n_laws == 1 else 'laws'}.")
    for x in ctx["laws"]:
        c = x["counts"]
        p = w.para()
        w.run(p, f"{x['name']}. ", bold=True)
        text = (f"Of {x['total']} requirements, {c['met']} {'is' if c['met'] == 1 else 'are'} met, "
                f"{c['partial']} partly met and {c['missing']} missing")
        if c["review"]:
            text += f"; {c['review']} depend on facts about the business that the text cannot settle"
        if c["not_applicable"]:
            text += f"; {c['not_applicable']} do not apply"
        text += (f". Score {x['score']:.0f} out of 100, with {x['high_gaps']} high-severity "
                 f"{'gap' if x['high_gaps'] == 1 else 'gaps'}.")
        w.run(p, text)
    w.table(["Law", "Score", "Met", "Partial", "Missing", "To confirm", "N/A"], [
        [f"{x['name']} (checklist {x['version']})", f"{x['score']:.0f}", x["counts"]["met"], x["counts"]["partial"],
         x["counts"]["missing"], x["counts"]["review"], x["counts"]["not_applicable"]] for x in ctx["laws"]],
        widths=[4.6, 1.6, 1.4, 1.9, 2.2, 2.4, 1.5])
    w.heading("High-severity gaps", 2)
    if ctx["high_gaps"]:
        for r in ctx["high_gaps"]:
            p = w.item(numbered=True)
            w.run(p, f"{badge(r.status.value)}: ", bold=True)
            w.run(p, r.requirement.title + " ")
            w.run(p, f"({r.requirement.citation})", muted=True)
    else:
        w.para("No high-severity requirement is missing or only partly met.")
    rest = len(ctx["gaps"]) - len(ctx["high_gaps"])
    if rest:
        w.para(f"{rest} further gaps of medium or low severity follow in Gaps and recommendations.", muted=True)
    w.heading("Drafting defects to fix before publication", 2)
    if ctx["blocking"]:
        for f in ctx["blocking"]:
            p = w.item()
            w.run(p, f"line {_lines(f.line_start, f.line_end)} ", bold=True, muted=True)
            w.run(p, f"{ctx['finding_titles'][f.id]}: “{xml_text(f.quote)}”")
    else:
        w.para("No high-severity drafting defect was found.")
    more = len(report.findings) - len(ctx["blocking"])
    if more:
        w.para(f"{more} further drafting {'defect' if more == 1 else 'defects'} of medium or low severity "
               f"{'is' if more == 1 else 'are'} listed in Drafting defects.", muted=True)
    if ctx["upcoming"]:
        w.heading("Obligations not yet in force", 2)
        n = len(ctx["upcoming"])
        dates = ", ".join(f"{k} from {dd}" for dd, k in ctx["upcoming_dates"])
        w.para(f"{n} {'requirement applies' if n == 1 else 'requirements apply'} only from a later date ({dates}). "
               f"{'It is' if n == 1 else 'They are'} judged now so the policy can be ready in time, and marked "
               "with their date in the coverage table.")

    # ---- changes since the last check
    ch = ctx["changes"]
    if ch:
        w.heading("Changes since the last check", 1)
        text = f"Compared with the check of {ch.from_time[:16].replace('T', ' ')}"
        if ch.score_before is not None and ch.score_after is not None:
            text += f" (score {ch.score_before:.0f} then, {ch.score_after:.0f} now)"
        w.para(text + "." + (" The policy text has changed." if ch.text_changed else ""))
        for title, items, default_before, default_after in (("New gaps", ch.new_gaps, "new requirement", ""),
                                                            ("Gaps closed", ch.gaps_closed, "", "removed"),
                                                            ("Other status changes", ch.moved, "new requirement",
                                                             "removed")):
            if items:
                w.heading(title, 2)
                for c in items:
                    w.run(w.item(), f"{c.title} ({c.before or default_before} → {c.after or default_after})")
        if ch.checklist_changed:
            w.para(f"Checklists updated since then: {', '.join(ch.checklist_changed)}.")
        if ch.findings_new or ch.findings_fixed:
            w.para(f"Drafting defects: {len(ch.findings_new)} new, {len(ch.findings_fixed)} fixed.")
        if ch.text_diff:
            w.heading("Changed text", 2)
            for ln in ch.text_diff[:40]:
                p = w.para()
                w.run(p, ln, size=8.5).font.name = "Courier New"
            if len(ch.text_diff) > 40:
                w.para(f"… {len(ch.text_diff) - 40} more lines (gapcheck diff shows all)", muted=True)

    # ---- chart

    w.heading("Coverage by law and area", 1)
    w.para("Each bar shows the requirements of one area that could be judged from the text: met, partly met and "
           "missing. The percentage counts a partial as half; unlike the score it does not weigh severity.")
    png, width_px = chart_png(ctx["area_counts"], report)
    pic = doc.add_picture(io.BytesIO(png), width=Cm(min(16.0, width_px / 2 / 96 * 2.54)))
    pic._inline.docPr.set("descr", xml_text("Coverage by law and area: " + "; ".join(
        f"{x['name']}: {x['counts']['met']} met, {x['counts']['partial']} partial, {x['counts']['missing']} missing"
        for x in ctx["laws"])))  # alternative text for screen readers
    w.para("Figure 1. Coverage by law and area (met, partial, missing).", style="Caption")

    # ---- coverage table
    w.heading("Coverage table", 1)
    w.para("Evidence lines refer to the numbered policy text (gapcheck text POLICY prints it).", muted=True)
    for x in ctx["laws"]:
        w.heading(f"{x['name']} (checklist {x['version']})", 2)
        rows: list[list[Any]] = []
        for row in x["rows"]:
            st = str(row["status"])
            shown = badge(st) + (f" (from {row['effective_from']})" if row["upcoming"] else "")

            def status_cell(cell: Any, st: str = st, shown: str = shown) -> None:
                w.shade(cell, STATUS_COLOUR[st], shown)

            def req_cell(cell: Any, row: dict = row) -> None:
                cell.text = ""
                w.run(cell.paragraphs[0], row["title"])
                w.run(cell.add_paragraph(), row["id"], muted=True, size=8)

            rows.append([req_cell, row["citation"], row["severity"], status_cell, row["evidence_lines"] or "—"])
        w.table(["Requirement", "Citation", "Severity", "Status", "Evidence lines"], rows,
                widths=[5.1, 3.2, 2.4, 2.7, 2.6])

    # ---- gaps
    w.heading("Gaps and recommendations", 1)
    w.para("Missing requirements first within each severity, high severity first.")
    for r in ctx["gaps"]:
        q = r.requirement
        w.heading(f"{badge(r.status.value)}: {q.title}", 2)
        meta = (f"{ctx['law_names'][q.law]} · {q.severity.value} severity · {q.kind.value.replace('_', ' ')} · {q.id}"
                + (f" · in force from {q.effective_from.isoformat()}" if r.upcoming and q.effective_from else ""))
        w.para(meta, muted=True)
        marks = ctx["marks"][q.id]
        if marks["override"]:
            o = marks["override"]
            w.para("Verdict set by the reviewer" + (f" ({o['by']})" if o.get("by") else "")
                   + (f": {o['reason']}" if o.get("reason") else ""), italic=True)
        if marks["waiver"]:
            v = marks["waiver"]
            w.para("Accepted gap" + (f", by {v['by']}" if v.get("by") else "")
                   + (f", until {v['until']}" if v.get("until") else "")
                   + (f": {v['reason']}" if v.get("reason") else ""), italic=True)
        w.labelled("What the law requires", f"{q.citation}: {q.title}.")
        p = w.para()
        w.run(p, "What the policy says:", bold=True)
        if r.evidence:
            for e in r.evidence:  # whose text the quote is ("in the section for California residents")
                w.quote(e.line_start, e.line_end, e.quote, ctx["scope_note"](e.scope))
        else:
            w.para("Nothing found." + (" Nearest text on this topic, for reference:" if r.related else ""),
                   italic=True)
            for e in r.related:
                w.quote(e.line_start, e.line_end, e.quote)
        w.labelled("Why this is a gap", r.rationale)
        w.labelled("Recommendation", r.recommendation)
    if not ctx["gaps"]:
        w.para("No gaps found: every requirement that could be judged is met.")

    # ---- points to confirm
    if ctx["review"]:
        w.heading("Points to confirm", 1)
        w.para("These requirements apply only in some situations (for example if the business sells personal "
               "information). The text does not settle whether they apply; confirm the facts with the client (or "
               "pass them with --profile) and the verdict follows.")
        rows = []
        for r in ctx["review"]:
            what = r.rationale + (f" Policy, line {r.evidence[0].line_start}: “{r.evidence[0].quote}”"
                                  if r.evidence else "")
            rows.append([f"{r.requirement.title} ({r.requirement.id})", r.requirement.citation, what])
        w.table(["Requirement", "Citation", "What to confirm"], rows, widths=[5.5, 3.5, 7])

    # ---- drafting defects
    w.heading("Drafting defects", 1)
    w.para("Defects in the text itself, independent of any law: what must be fixed before the policy is published.")
    if report.findings:
        w.table(["Lines", "Defect", "Offending text", "What to fix"],
                [[_lines(f.line_start, f.line_end), f"{ctx['finding_titles'][f.id]} ({f.severity.value})",
                  f.quote, f.message] for f in report.findings], widths=[1.6, 3.4, 5.5, 5.5])
    else:
        w.para("No drafting defects found.")

    # ---- appendices
    w.heading("Appendix A. Clause map", 1)
    w.para("The policy's sections as gapcheck read them, with the line numbers and the topics (labels) found in each.")
    w.table(["Section", "Lines", "Labels found"],
            [[c["heading"], _lines(c["line_start"], c["line_end"]), ", ".join(c["labels"]) or "—"]
             for c in ctx["clause_map"]], widths=[7, 2, 7])
    w.heading("Appendix B. Method and versions", 1)
    w.para("gapcheck reads the policy, splits it into clauses under their headings, labels what each clause talks "
           "about, and evaluates every requirement of each checklist against the labelled text. A requirement is met "
           "when the policy says what the law asks, partial when it deals with the topic but falls short, missing "
           "when nothing addresses it, to confirm when it applies only on facts the text does not settle, and not "
           "applicable when the text or the client's profile shows it does not apply. Every quotation is an exact "
           "extract of the policy text, on the line it names.")
    w.para("The score per law is the severity-weighted share of the judged requirements: met counts 1, partial ½ "
           "and missing 0; high, medium and low severity weigh 3, 2 and 1. Requirements to confirm and those that "
           "do not apply are left out.")
    w.table(["Law", "Checklist version", "Requirements"],
            [[x["name"], x["version"], x["total"]] for x in ctx["laws"]], widths=[9, 4, 3])
    w.para()
    w.table(["Item", "Value"], [
        ["Policy file", f"{d.source} ({d.fmt}, {len(d.lines)} lines)"], ["Policy SHA-256", d.sha256],
        ["Date of the check", report.as_of.isoformat()],
        ["Generated", f"{ctx['generated']} by gapcheck {report.tool_version}"]], widths=[4, 12])
    w.heading("Note", 2)
    w.para(options.disclaimer)

    # ---- running header and footer (a firm template keeps its own)
    if template is None:
        sec = doc.sections[0]
        hp = sec.header.paragraphs[0]
        w.run(hp, f"{ctx['running_title']} · Privacy policy gap analysis · {ctx['check_date']}", muted=True, size=8)
        fp = sec.footer.paragraphs[0]
        w.run(fp, "Page ", muted=True, size=8)
        w.field(fp, "PAGE", "1")
    props = doc.core_properties
    props.title = xml_text(f"Privacy policy gap analysis: {ctx['policy_name']}")[:250]
    props.author = xml_text(options.prepared_by or "gapcheck")[:250]
    props.comments = f"gapcheck {report.tool_version}"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- chart (PNG)

def chart_png(area_counts: Mapping[str, Mapping[str, Mapping[str, int]]], report: Report,
              scale: int = 2) -> tuple[bytes, int]:
    """The coverage chart of the PDF as a PNG (stacked met / partial / missing bars with counts in words).

    Drawn with Pillow and the packaged DejaVu fonts; returns the PNG and its width in pixels.
    """
    from PIL import Image, ImageDraw, ImageFont

    from gapcheck.render import _clip, _law_short
    from gapcheck.resources import data_dir

    fonts = data_dir("templates") / "fonts"

    def font(bold: bool, size: float) -> Any:
        name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
        try:
            return ImageFont.truetype(str(fonts / name), int(size * scale))
        except OSError:
            return ImageFont.load_default()

    fills = {"met": "#1e7b34", "partial": "#e3a73b", "missing": "#f6d3cf"}
    label_w, bar_w, text_w, row_h, gap = 150, 300, 230, 20, 8
    rows: list[tuple[str, dict[str, int], bool]] = []
    for lr in report.laws:
        law = lr.checklist.law
        sub = area_counts.get(law)
        total = {k: sum(c[k] for c in sub.values()) if sub else 0 for k in ("met", "partial", "missing")}
        rows.append((f"{_law_short(lr.checklist.name, law)}: all areas", total, True))
        for area, counts in (sub or {}).items():
            rows.append((str(area).replace("_", " ").capitalize(),
                         {k: int(counts[k]) for k in ("met", "partial", "missing")}, False))
    legend_h = 26
    height = legend_h + sum(row_h + (gap + 6 if is_law else gap // 2) for *_, is_law in rows) + 6
    width = label_w + bar_w + text_w
    s = scale
    img = Image.new("RGB", (width * s, height * s), "white")
    dr = ImageDraw.Draw(img)
    x = label_w
    for key, name in (("met", "Met"), ("partial", "Partial"), ("missing", "Missing")):
        dr.rectangle([x * s, 4 * s, (x + 14) * s, 16 * s], fill=fills[key], outline="#333333")
        dr.text(((x + 19) * s, 4 * s), name, fill="black", font=font(False, 10))
        x += 90
    y = legend_h
    for label, counts, is_law in rows:
        if is_law:
            y += 6
        n = sum(counts.values())
        f = font(is_law, 10 if is_law else 9.5)
        text = _clip(label, 26)
        tw = dr.textlength(text, font=f)
        dr.text(((label_w - 8) * s - tw, (y + 4) * s), text, fill="black", font=f)
        dr.rectangle([label_w * s, (y + 2) * s, (label_w + bar_w) * s, (y + row_h - 2) * s], fill="white",
                     outline="#555555")
        bx = float(label_w)
        for key in ("met", "partial", "missing"):
            if n and counts[key]:
                bw = bar_w * counts[key] / n
                dr.rectangle([int(bx * s), (y + 2) * s, int((bx + bw) * s), (y + row_h - 2) * s], fill=fills[key],
                             outline="#333333")
                bx += bw
        share = (counts["met"] + 0.5 * counts["partial"]) / n if n else None
        pct = f"{share * 100:.0f}%" if share is not None else "n/a"
        desc = f"{pct} · {counts['met']} met, {counts['partial']} partial, {counts['missing']} missing"
        dr.text(((label_w + bar_w + 8) * s, (y + 5) * s), desc, fill="black", font=font(is_law, 9))
        y += row_h + (gap if is_law else gap // 2)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue(), width * s
