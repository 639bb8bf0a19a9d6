"""Split a Document into clauses: headings, bullets and paragraphs, each with its heading path.

Clauses never overlap and every non-blank line belongs to exactly one clause, so a line number
always points to one clause and its heading context.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from gapcheck.ingest import front_matter_end
from gapcheck.models import Clause, Document
from gapcheck.prefilter import lowered, start_scanner
from gapcheck.scope import ALL, clause_scope, heading_scope, sentence_scope

# (also behind a list number a page converter put before it: "10. #### California Privacy Rights")
_MD_HEADING = re.compile(r"^\s{0,3}(?:\d{1,3}\.\s+)?(#{1,6})\s+(.*?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?\s*$")
_OPEN_EMPHASIS = re.compile(r"^(?:__|\*\*)(?=[A-Za-z0-9])([^_*\n]{2,120})$")
#: Nothing but links to anchors on the same page: a table-of-contents entry, not a section heading.
_ANCHOR_ONLY = re.compile(r"^(?:\[[^\]\n]{1,200}\]\(#[^)\s]*\)[\s,|]*)+$")
_EMPHASIS_MARKS = re.compile(r"[*_]+")
_NUMBERED = re.compile(r"^\s*(?:(\d{1,2}(?:\.\d{1,2})*)\.?|([A-Z])\.|([IVX]{1,5})\.)[\s\u00a0]+(\S.*)$")
# (\uf0b7, \uf0a7, \uf0d8: the Symbol and Wingdings bullets a PDF's text keeps)
_BULLET = re.compile(r"^\s*(?:[•·▪◦●○■□➢►✓\-–—*+\uf0b7\uf0a7\uf0d8]|\(?[a-z]{1,3}\)|\(?\d{1,3}\)|\d{1,3}\.|[a-z]\.)"
                     r"[\s\u00a0]+\S")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$")
#: the rule under the header of a table written without outer pipes ("---|---|---", ":--- | ---:")
_PIPELESS_RULE = re.compile(r"^\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")
#: a row of such a table: a non-blank line with a '|' in it
_PIPELESS_ROW = re.compile(r"^(?=.*\|)\s*\S")


def _pipeless_table_at(lines: tuple[str, ...], i: int) -> bool:
    """Whether a Markdown table without outer pipes starts at line `i` ("Purpose | Data | Legal basis" over
    "---|---|---"): its header has as many cells as the rule under it. Read as one paragraph, the rows of a
    purposes table ran together, and a word in one row met a word in another."""
    line = lines[i]
    if "|" not in line or _TABLE_ROW.match(line) or i + 1 >= len(lines):
        return False
    rule = lines[i + 1]
    if not _PIPELESS_RULE.match(rule):
        return False
    return line.strip().strip("|").count("|") == rule.strip().strip("|").count("|")
_SMALL = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to",
          "with", "your", "our", "we", "you", "is", "are", "do", "does", "how", "what", "who", "this",
          "that", "under", "about", "into", "use", "not", "per", "via", "its", "their", "my"}
MAX_HEADING_WORDS = 14
#: the opening of a sentence, not of a title: a subject or a subordinate clause ("We will retain ...", "In this
#: Section 3 we have set out:", "If you ...")
_LEAD_IN_SENTENCE = re.compile(r"(?:we|you|your|our|they|it|this|these|in this|if|when|where|"
                               r"the following|subject to)\b", re.I)
_SOLELY = re.compile(r"\bapplies (?:solely|only|exclusively) to\b", re.I)
# ("These Additional U.S. State Privacy Disclosures supplement the above information ...": a supplement's
# opening sentence names it and says what it does)
_ANNOUNCES = re.compile(r"\b(?:this section|the following|below|these rights|this part|this segment)\b|:\s*$|"
                        r"\bthese\b[\w .’'-]{0,60}\b(?:disclosures|notices?|addend(?:um|a)|supplements?)\s+"
                        r"(?:supplement|appl(?:y|ies)|describe|explain|provide|set out)\b|" + _SOLELY.pattern, re.I)
#: a group's opening grant of "certain rights" under a heading that names no group, which the section's
#: paragraphs then spell out: "If you are located in the EEA, ... you have certain rights with respect to
#: your personal data."
_GRANTS_RIGHTS = re.compile(r"\b(?:have|has|enjoy|are entitled to|may exercise) (?:certain|some|several|various|"
                            r"a number of|specific|additional) (?:[\w-]+ )?rights\b|"
                            # "The GDPR provides our users in the EU new and important rights"
                            r"\b(?:provides?|gives?|grants?|confers?|affords?)\b[^.;]{0,80}\brights\b", re.I)
_GENERAL_TOPIC = re.compile(
    r"\b(?:contact|changes?|updates?|amendments?|children|child|minors|cookies|security|retention|international|"
    r"transfers?|questions|effective|definitions|about (?:us|this)|governing law|disputes?|miscellaneous|links?|"
    r"last updated)\b", re.I)
_CLOSING_TOPIC = re.compile(
    r"^\W*(?:\d+(?:\.\d+)*\.?\s*)?(?:how to contact|contact|changes?|updates?|amendments?|questions|effective|"
    r"definitions|about (?:us|this)|governing law|disputes?|miscellaneous|last updated)\b", re.I)
_CONTACTISH = re.compile(r"\d|@|https?://|www\.|\[at\]|\(at\)")


def _found(rx: re.Pattern[str], text: str) -> bool:
    """`rx.search(text) is not None`, tried only where the pattern's leading words occur (its `:\\s*$`
    and `\\b`-led alternatives gave the search no first character to skip to: every position was tried)."""
    low = lowered(text)
    sc = start_scanner(rx) if low is not None else None
    return (sc.first(text, low) if sc is not None else rx.search(text)) is not None


def _words(s: str) -> list[str]:
    return re.findall(r"[A-Za-zÀ-ÿ][\wÀ-ÿ'’&-]*", s)


def _is_caps(s: str) -> bool:
    # "GDPR);" or "(CCPA)," ends a sentence's wrapped line: a heading does not end in a comma or semicolon
    # ("GDPR)." closes a parenthesis opened on the line before)
    if s.rstrip().endswith((",", ";")) or s.count(")") > s.count("("):
        return False
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters) and len(_words(s)) <= MAX_HEADING_WORDS


def _is_title_case(s: str) -> bool:
    w = _words(s)
    if not w or len(w) > MAX_HEADING_WORDS or len(s) > 100:
        return False
    if s.rstrip().endswith((".", ",", ";")) or s.count(". ") > 0:
        return False
    if not w[0][0].isupper():
        return False
    significant = [x for x in w if x.lower() not in _SMALL]
    if not significant:
        return True
    caps = sum(1 for x in significant if x[0].isupper())
    return caps / len(significant) >= 0.6 or (len(w) <= 4 and caps >= 1)


def _content_row(line: str) -> bool:
    """A table row with some cell text (not a "| --- |" rule nor a row of empty cells)."""
    return bool(_TABLE_ROW.match(line)) and not _TABLE_RULE.match(line)


#: A one-row table whose first cell is a bold title and whose other cell is a toggle mark ("+", "-").
_ACCORDION_ROW = re.compile(r"^\|\s*\*\*([^*|]+?)\*\*\s*\|\s*(?:\*\*)?[+\-−–]?(?:\*\*)?\s*\|\s*$")


#: A link back up the page ("[Back to top](#top)", "[↑ Return to top](#)"), left between sections by a converter.
_BACK_TO_TOP = re.compile(r"^\[\W*(?:back|return|go|jump|scroll)?\s*(?:up\s+)?to\s+(?:the\s+)?top(?:\s+of\s+(?:the\s+)?"
                          r"page)?\W*\]\(#[^)\s]*\)\W*$", re.I)
#: The section number of a heading "8. Title" / "8\\. Title" (a Markdown converter escapes the dot).
_SECTION_NO = re.compile(r"^\s*(\d{1,2})\\?\.[\s\u00a0]+\S")


def _bold_level(inner: str) -> int:
    """A bold heading's level: a numbered one ("**8\\. State Disclosures**") is a section as "8. State
    Disclosures" is (level 2), above the bold headings without numbers inside it (level 3)."""
    return 2 if _SECTION_NO.match(inner) else 3


#: `_SECTION_NO` on a whole line, past a Markdown heading's '#' or the opening bold marks
_SECTION_LINE = re.compile(r"^\s*(?:#{1,6}\s+|\*\*|__)?" + _SECTION_NO.pattern.removeprefix(r"^\s*"))


def _section_starts(lines: tuple[str, ...]) -> dict[int, int]:
    """Section number -> the last line index where a heading with that number ("8. ...", "**8\\. ...**",
    "## 8. ...") stands."""
    last: dict[int, int] = {}
    for i, line in enumerate(lines):
        m = _SECTION_LINE.match(line)
        if m and heading_of(line) is not None:
            last[int(m.group(1))] = i
    return last


def _anchor_only(line: str) -> bool:
    """The line is nothing but links to places on the same page, emphasis aside."""
    return "](#" in line and _ANCHOR_ONLY.match(_EMPHASIS_MARKS.sub("", line.strip())) is not None


def _next_text(lines: tuple[str, ...], i: int, step: int) -> str:
    """The nearest non-blank line after (step 1) or before (step -1) line i, or ""."""
    j = i + step
    while 0 <= j < len(lines):
        if lines[j].strip():
            return lines[j]
        j += step
    return ""


def heading_of(line: str) -> tuple[int, str] | None:
    """(level, heading text) when a line reads as a heading, else None."""
    s = line.strip().replace("\u00a0", " ")
    if not s or len(s) > 140:
        return None
    if _TABLE_ROW.match(s):  # "| Right | How |" is the header row of a table, not a section heading
        # ... unless it is a collapsible section's toggle captured as a one-row table: "| **6\\. European
        # Territory Visitors** | **+** |" heads the section below it (its scope included)
        m = _ACCORDION_ROW.match(s)
        if m and len(_words(m.group(1))) <= 2 * MAX_HEADING_WORDS:
            return 2, m.group(1).replace("\\", "").strip()
        return None
    if s.startswith(">") and not _MD_HEADING.match(s.lstrip("> ")):
        # a quoted block ("> Bird & Bird GDPR Representative Services", "> USA"): an address or a quote,
        # content of the paragraph it sits in, not a section heading (a "USA" heading would scope what follows)
        return None
    m = _MD_HEADING.match(s)
    if m:
        return len(m.group(1)), m.group(2).strip("*_ ") or s
    if _BACK_TO_TOP.match(s):  # "[Back to top](#top)": the page's navigation, no section
        return None
    m = _BOLD_LINE.match(s)
    if m and len(_words(m.group(1))) <= MAX_HEADING_WORDS:
        return _bold_level(m.group(1)), m.group(1).strip()
    m = _OPEN_EMPHASIS.match(s)  # "__EU privacy rights": a converted heading whose closing marks were lost
    if m and len(_words(m.group(1))) <= MAX_HEADING_WORDS and not m.group(1).rstrip().endswith((".", ",", ";")):
        return _bold_level(m.group(1)), m.group(1).strip()
    m = _NUMBERED.match(s)
    if m:
        rest = m.group(4).strip()
        if rest.endswith((".", ";", ",")) or len(_words(rest)) > MAX_HEADING_WORDS:
            return None
        if _ANCHOR_ONLY.match(rest):  # "9. [How Long We Retain Your Data](#retention)": a contents entry
            return None
        titled = _is_title_case(rest.rstrip(":")) or _is_caps(rest)
        # "6. **Retaining and deleting personal data**": the bold marks make it a title whatever its case
        bold = _BOLD_LINE.match(rest) is not None and not rest.strip("*_ :").endswith((".", ";", ","))
        if not (rest.endswith(":") or titled or bold):
            return None
        # "3.1 In this Section 3 we have set out:" / "6.3 We will retain your personal data as follows:": a numbered
        # paragraph that opens a list, not a section's title
        if not titled and not bold and _LEAD_IN_SENTENCE.match(rest) and len(_words(rest)) >= 4:
            return None
        num = m.group(1)
        level = 2 + (num.count(".") if num else 0)
        return level, s
    if _BULLET.match(s):
        return None
    if _CONTACTISH.search(s):  # addresses, e-mails, URLs and phone lines are content, not headings
        return None
    if _is_caps(s):
        return 1, _unemphasised(s)
    if _is_title_case(s.rstrip(":")) and (not s.endswith(":") or len(_words(s)) <= 8):
        return 2, _unemphasised(s)
    if s.endswith("?") and s[0].isupper() and len(_words(s)) <= 10:  # "What data do we gather?"
        return 2, _unemphasised(s)
    return None


def _unemphasised(s: str) -> str:
    """The heading's words without the emphasis marks around them ("_Data Protection Officer:_"), as a
    Markdown heading's are stripped above: "_" is a word character and would hide the first word from a
    pattern's \\b."""
    return s.strip("*_ ") or s


#: a heading that names the document itself ("Acme U.S. Privacy Policy", "Security and privacy policy")
POLICY_TITLE = re.compile(r"\b(?:privacy|data protection)\s+(?:policy|notice|statement|declaration)\b", re.I)
#: a notice for residents of some states ("U.S. State Privacy Notice") is a section's audience even at the top
_STATES = re.compile(r"\bstate\b|\bstate-specific\b|\b(?:certain|other|some|several|applicable|specific|particular|"
                     r"various|select|many) (?:U\.?S\.? )?states\b", re.I)


def _before_body(clauses: list[Clause]) -> bool:
    """True while the document has had at most two headings and no text after the first of them (a
    preamble before any heading, such as an archive's note, is not the policy's text)."""
    heads = [i for i, c in enumerate(clauses) if c.kind == "heading"]
    return len(heads) <= 2 and all(c.kind == "heading" for c in clauses[heads[0]:]) if heads else True


@dataclasses.dataclass
class _Nest:
    """A list item ending in ':' that introduces the items nested under it. A converted page may lose the
    nested list's indent but keep its restart ("18. ... you may have the following rights:" over "1. To
    access ...", "2. To request we correct ..."): an item at the same indent carrying `next_no` stays
    nested."""

    indent: int
    lead: str
    next_no: int = 1


# (also behind a bullet marker: "*     1. Your contact details", a numbered list opening inside a bullet)
_ORDINAL = re.compile(r"^\s*(?:[*\-+•][\s\u00a0]+)?\(?(?:(\d{1,3})|([a-z]))[.)][\s\u00a0]")


def _ordinal(text: str) -> int | None:
    """The number of a numbered or lettered list item ("1.", "(b)", "c)"), else None."""
    m = _ORDINAL.match(text)
    if not m:
        return None
    return int(m.group(1)) if m.group(1) else ord(m.group(2)) - 96


_FRONT_MATTER_KEY = re.compile(r"^[A-Za-z_][\w-]*:(?:\s|$)")  # "title: Privacy Policy", "intro:"


_OUTLINE_NO = re.compile(r"^[\W_]*(\d{1,2}(?:\.\d{1,2})+)\.?(?=[\s\u00a0])")


def _outline_no(text: str) -> tuple[str, ...] | None:
    m = _OUTLINE_NO.match(text)
    return tuple(m.group(1).split(".")) if m else None


def _outline_level(text: str, level: int, stack: list[tuple[int, str, bool]]) -> int:
    """The level of a heading numbered like "2.2", no deeper than an open heading its number makes a sibling
    (or a sibling's sub-section) of, and deeper than its numbered parent: "#### 2.2 What we collect" after
    "### 2.1 Legal basis" is the next section, not a sub-section of 2.1, and "#### 2.2.1" after "#### 2.2" is
    a sub-section of 2.2, whatever the '#' counts say (the author's numbers are the outline)."""
    no = _outline_no(text)
    if no is None:
        return level
    for lv, heading, _md in reversed(stack):
        other = _outline_no(heading)
        if other is None:
            continue
        if other == no[:len(other)] and len(other) < len(no):
            # its parent section ("2.2" over "2.2.1"): nested as numbered, even at the same '#' count
            return max(level, lv + 1)
        if other[:len(no) - 1] == no[:-1] and len(other) >= len(no):
            level = min(level, lv)
    return level


_QUOTE_MARK = re.compile(r"^[ \t]{0,3}>[ \t]?")


def _unquoted(lines: tuple[str, ...]) -> tuple[str, ...] | None:
    """The lines without their '>' mark when the whole policy sits in a Markdown blockquote (an archive that quoted
    the page: "> Personal Information" / "> " / "> Personal information about visitors ..."), else None. A quoted
    line inside a policy (an address, a quoted notice) stays as it is."""
    body = [ln for ln in lines if ln.strip()]
    quoted = sum(1 for ln in body if _QUOTE_MARK.match(ln))
    if quoted < 10 or quoted < 0.6 * len(body):
        return None
    return tuple(_QUOTE_MARK.sub("", ln, count=1) for ln in lines)


_HTML_BLOCK = re.compile(r"^\s*</?(?:h[1-6]|p|ul|ol|li|div|table|thead|tbody|tr|td|th|section|article|blockquote|"
                         r"dl|dt|dd|address|header|footer|main|figure)\b[^<>]*>", re.IGNORECASE)
_HTML_HEADING = re.compile(r"^\s*<h([1-6])\b[^<>]*>(.*?)(?:</h\1\s*>)?\s*$", re.IGNORECASE)
_HTML_ITEM = re.compile(r"^(\s*)<(?:li|dt|dd)\b[^<>]*>", re.IGNORECASE)
_HTML_CLOSES = re.compile(r"</(?:p|div|ul|ol|dl|table|tr|blockquote|address|section|article|li|dd)\s*>\s*$",
                          re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def _html_view(lines: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[int, ...]] | None:
    """A Markdown reading of a Markdown or text file written in HTML block tags (a docs site's page source:
    "<h3>Data Protection</h3>" / "<p>We respect ...</p>" / "<ul>" / "<li>..."), with, for each of its lines, the
    policy line it comes from; None for an ordinary file. Without it the whole page has no blank line and no
    Markdown heading, and reads as one paragraph."""
    body = [ln for ln in lines if ln.strip()]
    blocks = sum(1 for ln in body if _HTML_BLOCK.match(ln))
    if blocks < 10 or blocks < 0.4 * len(body):
        return None
    view: list[str] = []
    origin: list[int] = []
    for i, ln in enumerate(lines):
        h = _HTML_HEADING.match(ln)
        if h:
            view += ["", "#" * int(h[1]) + " " + _HTML_TAG.sub("", h[2]).strip(), ""]
            origin += [i, i, i]
            continue
        text = _HTML_TAG.sub("", ln).rstrip()
        item = _HTML_ITEM.match(ln)
        if item:
            text = item[1] + "- " + text.lstrip()
        elif _HTML_BLOCK.match(ln):
            view.append("")
            origin.append(i)
        if text.strip():
            view.append(text)
            origin.append(i)
        if not item and _HTML_CLOSES.search(ln):
            view.append("")
            origin.append(i)
    return tuple(view), tuple(origin)


def segment(doc: Document) -> tuple[Clause, ...]:
    """Clauses in document order; ids are c1, c2, ... stable for the same text.

    A policy quoted as a whole is segmented as the text inside the quote (its "> " lines are its blank
    lines), and one written in HTML block tags as their Markdown reading; each clause's text stays the
    policy's own lines, so quotes and line numbers are unchanged."""
    view = _unquoted(doc.lines)
    if view is not None:
        return tuple(dataclasses.replace(c, text="\n".join(doc.lines[c.line_start - 1:c.line_end]))
                     for c in _segment(view))
    html = _html_view(doc.lines)
    if html is None:
        return _segment(doc.lines)
    return _on_lines(doc.lines, _segment(html[0]), html[1])


def _on_lines(lines: tuple[str, ...], clauses: tuple[Clause, ...], origin: tuple[int, ...]) -> tuple[Clause, ...]:
    """The clauses of a view moved back onto the policy's lines. A line the view left blank (a lone "<ul>" or
    "</p>") joins the clause before it, so every line with text still belongs to one clause."""
    spans = [[origin[c.line_start - 1] + 1, origin[c.line_end - 1] + 1] for c in clauses]
    for k, span in enumerate(spans):
        nxt = spans[k + 1][0] if k + 1 < len(spans) else len(lines) + 1
        span[1] = max(span[1], nxt - 1)
        while span[1] > span[0] and not lines[span[1] - 1].strip():
            span[1] -= 1
    if spans and spans[0][0] > 1:
        spans[0][0] = 1
        while spans[0][0] < spans[0][1] and not lines[spans[0][0] - 1].strip():
            spans[0][0] += 1
    return tuple(dataclasses.replace(c, line_start=a, line_end=b, text="\n".join(lines[a - 1:b]))
                 for c, (a, b) in zip(clauses, spans, strict=True))


def _segment(lines: tuple[str, ...]) -> tuple[Clause, ...]:
    clauses: list[Clause] = []
    stack: list[tuple[int, str, bool]] = []  # (level, heading, is a '#' heading)
    # per stack entry: the group its opening paragraph restricts the section to ("Residents of
    # Colorado, ... and Virginia have the right to submit the following requests"), else None
    intro: list[str | None] = []
    i, n = 0, len(lines)

    # the scope a lead-in sets for itself, worked out once per lead-in and document: every item of a list asks
    lead_scope = lru_cache(maxsize=None)(sentence_scope)

    lead_in = ""  # the "... the right to:" sentence that introduces the list items below it
    lead_group: str | None = None  # the group an earlier sentence of that paragraph gives the list

    # A US company's title "Acme U.S. Privacy Statement" names its national notice, not a group of
    # readers within it: that first top-level heading sets no scope (a "U.S. residents" section does).
    title: list[str] = []

    # "2. Your rights. You may have the right to:" as a list item introduces the items nested under
    # it: (indent of the introducing item, its lead-in sentence), innermost last
    nested: list[_Nest] = []

    # underlined ('---') headings have one level below the title, so a page converted to Markdown loses its
    # outline; where the sections are in capitals and their sub-sections are not ("ADDITIONAL DISCLOSURES FOR
    # INDIVIDUALS IN EUROPE" over "Data Retention" and "Data Subject Requests"), the case keeps it
    sub_setext = _setext_sub_sections(lines)
    caps_section_seen = False

    # numbered sections ("8. State Disclosures" ... "9. Contact Us"): a heading without a number between
    # section N and section N+1 is inside N, whatever its look ("NOTICE OF COLLECTION" in capitals under a bold
    # "**8\\. State-Specific Privacy Disclosures**", which would otherwise rank above it)
    section_at = _section_starts(lines)

    def add(kind: str, a: int, b: int, path: tuple[str, ...], header: str = "", indent: int = 0) -> None:
        nonlocal lead_in, lead_group
        text = "\n".join(lines[a:b + 1])
        if kind == "bullet":
            while nested and nested[-1].indent >= indent:
                if nested[-1].indent == indent and _ordinal(text) == nested[-1].next_no:
                    nested[-1].next_no += 1
                    break
                nested.pop()
        else:
            nested.clear()
        own_lead = (nested[-1].lead if nested else lead_in) if kind == "bullet" else header
        is_title = kind == "heading" and not title and heading_scope(text) == "us-states" and (
            (not path and not any(c.kind == "heading" for c in clauses))
            # "# Privacy Policy | Acme" then "## Acme U.S. Privacy Policy": the national title under a
            # page title, before any text of the policy
            or (POLICY_TITLE.search(text) is not None and not _STATES.search(text) and _before_body(clauses)))
        if is_title:
            title.append(text)
        spath = tuple(h for h in path if not title[0].strip().endswith(h)) if title else path
        scope = clause_scope(spath, None if kind != "heading" or is_title else text, own_lead, lead_scope)
        if kind == "bullet" and not nested and lead_group and own_lead == lead_in and not lead_scope(lead_in):
            scope = lead_group
        if scope == ALL:
            scope = next((x for x in reversed(intro) if x), ALL)
        clauses.append(Clause(id=f"c{len(clauses) + 1}", kind=kind, heading_path=path,
                              line_start=a + 1, line_end=b + 1, text=text, lead_in=own_lead, scope=scope))
        stripped = text.rstrip()
        if kind == "bullet":
            # an item ending in ':' introduces the items nested under it, and so does a short question
            # standing as an item ("* What information do we collect?" over "*  1. Your contact details")
            if stripped.endswith(":") or (stripped.endswith("?") and "\n" not in stripped and len(stripped) <= 160):
                nested.append(_Nest(indent, _last_sentence(stripped)))
            return
        # a paragraph ending in ':' introduces the list that follows, and so does one that stops mid-
        # sentence ("users and data subjects have the right" over "* to correct ..."); anything else
        # ends that list
        # ("These rights are –" over "* To access your data"); a short line ending in ':' is read as a
        # heading ("Your rights include:") and introduces its list as well
        last = _last_sentence(stripped)
        opens = kind == "paragraph" and (stripped.endswith(":") or _open_end(stripped)
                                         or _FOLLOWING_END.search(stripped, max(0, len(stripped) - 80)) is not None)
        opens = opens or (kind == "heading" and stripped.rstrip("*_ ").endswith(":"))
        # a plain line that stops mid-sentence, read as a heading for its shortness ("You have the right to" over
        # "1. receive information ..." / "2. require the rectification of your data;"), introduces its list too
        opens = opens or (kind == "heading" and not stripped.lstrip().startswith("#")
                          and _CUT_HEADING.search(stripped) is not None)
        # a group's grant of rights closed by a full stop still heads the list of rights under it ("You have a
        # number of rights under European data protection law if you are an EU citizen." over "1. Right of
        # access ..."): the items are that group's
        opens = opens or (kind == "paragraph" and _HAS_RIGHTS.search(last) is not None
                          and lead_scope(last) not in (None, ALL))
        lead_in = last if opens else ""
        lead_group = _lead_group(stripped, lead_in) if opens else None

    def path() -> tuple[str, ...]:
        return tuple(h for _, h, _md in stack)

    # Plain-text headings all look alike ("California Consumer Rights", then "Access to Personal
    # Information"). When a section for one group opens by announcing what follows ("This section
    # describes your CCPA rights:"), the look-alike headings after it are its sub-sections, until a
    # heading with its own scope, a marked-up one, or a general topic (contact, changes, ...).
    sticky: tuple[int, str] | None = None  # (level, heading) of such a section
    # a section that says it "applies solely to" its group keeps even general topics (transfers,
    # retention) as its sub-sections: they are that notice's own
    sticky_strong = False
    # a group's heading followed at once by another heading ("If you live in Brazil" over "Data
    # Sharing") opens a section of sub-sections: only a closing topic (contact, changes, ...) or a
    # heading with its own scope ends it
    sticky_heads = False

    prev_blank = True
    # YAML front matter of a Markdown source ("---" / "title: Privacy Policy" / "intro: ..." / "---") is
    # the page's metadata, one block: a "(GDPR)" line inside it is no heading that scopes the notice
    end = front_matter_end(lines)
    if end > 2 and _FRONT_MATTER_KEY.match(lines[1]):
        add("paragraph", 0, end - 1, ())
        i = end
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            prev_blank = True
            continue
        nxt_blank = i + 1 >= n or not lines[i + 1].strip()
        address = False  # the block is an address announced by a lead-in: its short lines are not headings
        setext = _setext_heading(line, lines[i + 1] if i + 1 < n else "")
        h = setext or heading_of(line)
        if h and _anchor_only(line) and (_anchor_only(_next_text(lines, i, 1))
                                         or _anchor_only(_next_text(lines, i, -1))):
            # "**_[Record Retention](#_Record_Retention)_**" among lines like it: a contents entry, which heads
            # nothing (one such line over its own text is a page's self-linked heading, "[Data retention](#data)")
            h = None
        # a toggle row heads a section only standing alone, not as a row of a real table
        if h and _TABLE_ROW.match(line) and ((i > 0 and _content_row(lines[i - 1]))
                                            or (i + 1 < n and _content_row(lines[i + 1]))):
            h = None
        # a Markdown hard line break ("1 Hatch Street Upper  ") continues the block: address lines
        # ("Dublin", "United States") are not headings
        if h and not setext and not _MD_HEADING.match(line.strip()) and i > 0 and _HARD_BREAK.search(lines[i - 1]):
            h = None
        # nor is the first line of an address block announced by a lead-in: "... contact the person responsible
        # for data protection directly:" over "Acme AG  " / "Main Street 2  " (the block is the lead-in's)
        # (in plain text without hard breaks, a name over a line with an address, e-mail or phone number:
        # "Jane Roe" / "jane.roe@example.com")
        if h and not setext and not _MD_HEADING.match(line.strip()) and not nxt_blank \
                and (_HARD_BREAK.search(line) or (len(lines[i + 1]) <= 80 and _CONTACT_LINE.search(lines[i + 1]))) \
                and clauses and (clauses[-1].kind != "heading" or not _HARD_BREAK.search(line)) \
                and _BR_END.sub("", clauses[-1].text).rstrip(" \t*_").endswith(":"):
            h = None
            address = True
        # A plain Title-Case line counts as a heading only when it stands apart or leads text.
        if h and not setext and not _MD_HEADING.match(line.strip()) and h[0] == 2 \
                and not _NUMBERED.match(line.strip()) and not _SECTION_NO.match(h[1]):
            if not prev_blank and not nxt_blank and _is_sentence_like(line):
                h = None
        # nor a line whose sentence runs on into the next ("According to the Data Protection Act, you have
        # the right" over "to information about your data ..."): text wrapped at a fixed width
        if h and not setext and not _MD_HEADING.match(line.strip()) and not nxt_blank \
                and not line.rstrip(" *_").endswith(":") and _runs_on(line, lines[i + 1]):
            h = None
        if h is None and prev_blank and nxt_blank and _is_sentence_case_heading(line, lines, i):
            h = (2, line.strip())
        if h:
            level, text = h
            if setext and sub_setext and level == 2:
                if _is_caps(text):
                    caps_section_seen = True
                elif caps_section_seen:
                    level = 3
            is_md = bool(setext or _MD_HEADING.match(line.strip()) or _ACCORDION_ROW.match(line.strip()))
            # In a Markdown document a heading the author did not mark up (a bold-only line "**The
            # Right to Access**", a plain "For users incorporated in the USA") is a minor heading
            # inside the current '#' section, not a sibling of "### U.S. State Privacy Notice" that
            # would close it.
            md_level = next((lv for lv, _h, md in reversed(stack) if md), None)
            if not is_md and md_level is not None:
                level = max(level, md_level + 1)
            plain = not is_md and not _NUMBERED.match(line.strip()) and not _SECTION_NO.match(text) and level >= 2
            if plain and stack and clauses and clauses[-1].kind == "heading" and level <= stack[-1][0] \
                    and heading_scope(stack[-1][1]) not in (None, ALL) and heading_scope(text) is None:
                sticky, sticky_strong, sticky_heads = stack[-1][:2], False, True
            ends = _CLOSING_TOPIC if sticky_heads else _GENERAL_TOPIC
            if sticky and plain and level <= sticky[0] and heading_scope(text) is None \
                    and (sticky_strong or not ends.search(text)) and sticky[1] in path():
                level = sticky[0] + 1
            else:
                sticky = None
            level = _outline_level(text, level, stack)
            if not is_md and section_at and not _SECTION_NO.match(text):
                for lv, head, _md in reversed(stack):
                    sec = _SECTION_NO.match(head)
                    if sec:
                        if section_at.get(int(sec.group(1)) + 1, -1) > i:
                            level = max(level, lv + 1)
                        break
            # a Markdown '#' heading closes the plain-text look-alike headings opened inside the
            # previous '#' section (their levels are guesses, not the author's outline)
            while stack and (stack[-1][0] >= level or (is_md and not stack[-1][2])):
                stack.pop()
                intro.pop()
            add("heading", i, i + 1 if setext else i, path())
            stack.append((level, text, is_md))
            intro.append(None)
            i += 2 if setext else 1
            prev_blank = False
            continue
        pipeless = _pipeless_table_at(lines, i)
        if pipeless or _TABLE_ROW.match(line):
            # a table without outer pipes ("Purpose | Data | Legal basis" over "---|---|---") runs to a line with
            # no '|'; a piped one to a line that is no piped row
            is_row = _PIPELESS_ROW if pipeless else _TABLE_ROW
            j = i
            while j + 1 < n and is_row.match(lines[j + 1]):
                j += 1
            # a toggle row under an empty header and a rule ("|   |   |" / "| --- | --- |" / "| **6. Title** | + |"):
            # the rule rows are the table's, the toggle row heads the section (read at the top of the loop)
            content = [k for k in range(i, j + 1) if _content_row(lines[k])]
            if len(content) == 1 and content[0] > i and content[0] == j and heading_of(lines[j]):
                for k in range(i, j):
                    add("table", k, k, path(), "")
                i = j
                prev_blank = False
                continue
            # a table's rows are read under its header row ("| Purpose | Data | Legal basis |"),
            # the way list items are read under their lead-in
            header = ""
            for k in range(i, j + 1):
                # the "| --- | --- |" rule is a row of the table too (every line belongs to a clause),
                # but it is not the header the rows below are read under
                add("table", k, k, path(), header)
                if not _TABLE_RULE.match(lines[k]):
                    header = header or lines[k].strip()
            i = j + 1
            prev_blank = False
            continue
        kind = "bullet" if _BULLET.match(line) else "paragraph"
        j = i
        base_indent = len(line) - len(line.lstrip())
        while j + 1 < n:
            nl = lines[j + 1]
            if not nl.strip() or _TABLE_ROW.match(nl) or _BULLET.match(nl):
                break
            # (a line that stops mid-sentence or inside a parenthesis, "... concerning them (cf. also Art. 17",
            # runs on into the next)
            if heading_of(nl) and (_MD_HEADING.match(nl.strip()) or not (
                    _HARD_BREAK.search(lines[j]) or (address and len(nl) <= 80) or _open_end(lines[j].rstrip())
                    or lines[j].count("(") > lines[j].count(")"))):
                break
            if kind == "bullet" and len(nl) - len(nl.lstrip()) < base_indent:
                break
            j += 1
        add(kind, i, j, path(), indent=base_indent)
        # a section's opening paragraph that announces what follows ("This section describes ...:")
        if kind == "paragraph" and stack and clauses[-2:-1] and clauses[-2].kind == "heading":
            unscoped = heading_scope(stack[-1][1]) in (None, ALL)
            if _found(_ANNOUNCES, clauses[-1].text) or (unscoped and _found(_GRANTS_RIGHTS, clauses[-1].text)):
                if unscoped:
                    # the heading names no group but the opening sentence does: the whole section is that group's
                    first = _first_sentence(clauses[-1].text)
                    group = sentence_scope(first)
                    # "If you are in the EEA ..., please refer to the dedicated sections below. Otherwise, ...
                    # we will:": the group is sent elsewhere and the section is for everyone else
                    if group and group != ALL and not _SENT_ELSEWHERE.search(first) \
                            and not _OTHERWISE.search(" ".join(clauses[-1].text.split())[len(first):]):
                        intro[-1] = group
                        if clauses[-1].scope == ALL:
                            clauses[-1] = dataclasses.replace(clauses[-1], scope=group)
                else:
                    sticky = stack[-1][:2]
                    sticky_strong = bool(_SOLELY.search(clauses[-1].text))
                    sticky_heads = False
        i = j + 1
        prev_blank = False
    return tuple(clauses)


# a paragraph that stops mid-sentence: it ends on a comma or on a word that cannot end a sentence
# ("... have the right", "... including"), not on . ! ? ) or a quote
_OPEN_END = re.compile(r"(?:\b(?:the|a|an|to|of|and|or|right|rights|including|following|include|includes|can|may|"
                       r"are|is|be|have|has|with|for)|,|\s[-–—]|\bas follows\.?)\s*$", re.IGNORECASE)


#: the end of a short line that stops mid-sentence: a verb's or preposition's object still to come ("You have the
#: right to", "Our users may"); not "Your rights" or "Data we collect"
_CUT_HEADING = re.compile(r"\b\w+\s+\w+\s+(?:to|the|a|an|of|and|or|including|include|includes|can|may|are|is|be|"
                          r"have|has|with|for)\s*$", re.IGNORECASE)


_BR_END = re.compile(r"\s*<br\s*/?>\s*$", re.IGNORECASE)

# a paragraph that announces what follows and closes with a full stop: "Please contact us at ... in any of the
# following cases." over "1. If your information changes ..."
_FOLLOWING_END = re.compile(r"\b(?:the|these) following(?: [\w-]+){0,3}\.$", re.IGNORECASE)


def _runs_on(line: str, nxt: str) -> bool:
    """Whether `line` is the first line of a sentence wrapped onto `nxt` rather than a heading over it: `nxt`
    goes on in lower case, or `line` leaves bold text open, or a numbered line's text carries on indented
    under it ("1.  **Request Access to and Portability of Your Personal" / "        Information,** ...")."""
    if nxt.lstrip()[:1].islower() or (line.count("**") % 2 and nxt.strip(" *_")):
        return True
    # (not "1.  ****COOKIES****" or "2. **Creating an account**" over their indented text: they end there)
    m = _NUMBERED.match(line)
    return m is not None and len(nxt) - len(nxt.lstrip()) > len(line) - len(line.lstrip()) \
        and len(line.strip()) >= 40 and not line.rstrip().endswith(("**", "__", "?", "!", ".")) \
        and not _is_caps(m.group(4))


def _open_end(stripped: str) -> bool:
    """`_OPEN_END` matches the end of `stripped` (a text without trailing space). Any match is a suffix
    of at most 11 characters ("as follows."), so only the last few positions are tried: searching
    from the start tried every position of a long paragraph ('\b' still sees the character before)."""
    return _OPEN_END.search(stripped, max(0, len(stripped) - _OPEN_END_TAIL)) is not None


_OPEN_END_TAIL = 32  # more than the longest match, "as follows."
# a line of an address block: an e-mail address, a web address, a phone number, a street number or postcode
_CONTACT_LINE = re.compile(r"\S@\S|https?://|\bwww\.|\b(?:e-?mail|phone|tel|fax)\b|\d", re.IGNORECASE)
# a Markdown hard line break: two spaces, a backslash or an HTML <br> at the end ("Acme GmbH <br/>")
_HARD_BREAK = re.compile(r"\S(?: {2,}|\\)$|<br\s*/?>\s*$", re.IGNORECASE)
_SETEXT_RULE = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")


def _setext_sub_sections(lines: tuple[str, ...]) -> bool:
    """Whether the '---' underlined headings come in two styles, a heading in capitals followed directly by one
    that is not at least twice: then the ones not in capitals are the sub-sections of the capitalised one
    before them (a line such as "Effective date: ..." before the first capitalised heading keeps its level)."""
    opened = 0
    prev_caps = False
    for i in range(len(lines) - 1):
        h = _setext_heading(lines[i], lines[i + 1])
        if h is None or h[0] != 2:
            continue
        is_caps = _is_caps(h[1])
        opened += prev_caps and not is_caps
        prev_caps = is_caps
    return opened >= 2


def _setext_heading(line: str, nxt: str) -> tuple[int, str] | None:
    """A Markdown heading underlined on the next line ("13\\. Your Rights" over "-----"): level 1 for
    '=', 2 for '-'. Only a short line that is not a list item, a table row or a sentence."""
    s = line.strip()
    if not s or not _SETEXT_RULE.match(nxt) or len(nxt.strip()) < 3 or len(s) > 120:
        return None
    if _BULLET.match(s) and not re.match(r"^\d{1,3}\\\.", s) or _TABLE_ROW.match(s) or _SETEXT_RULE.match(s):
        return None
    if s.endswith((".", ",", ";")) or len(_words(s)) > 15:
        return None
    return (1 if "=" in nxt else 2), _MD_ESCAPE.sub(r"\1", s).strip("*_ ")


def _is_sentence_case_heading(line: str, lines: tuple[str, ...], i: int) -> bool:
    """'Your rights', 'How we use your data': a short capitalised line without end punctuation that
    stands alone between blank lines and is followed by longer text."""
    s = line.strip()
    w = _words(s)
    if not (1 <= len(w) <= 8) or not s[0].isupper() or s.endswith((".", ",", ";", ":", "!")) or len(s) > 70:
        return False
    if _BULLET.match(s) or _TABLE_ROW.match(s) or _CONTACTISH.search(s):
        return False
    nxt = next((ln for ln in lines[i + 1:i + 4] if ln.strip()), "")
    return len(nxt.strip()) > len(s) + 20 and not heading_of(nxt)


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+", " ".join(text.split()), maxsplit=1)[0][:400]


_SENT_ELSEWHERE = re.compile(r"\b(?:refer to|see|go to|read|consult)\b[^.]{0,60}\b(?:sections?|below|addend\w*|"
                             r"supplement\w*|notices?)\b", re.IGNORECASE)
_OTHERWISE = re.compile(r"(?:^|[.;]\s+)Otherwise\b")
#: a sentence giving a group rights ("Residents of specific states have certain rights ..."): with the
#: list announced by the sentence after it, the group is whom the list is for
_HAS_RIGHTS = re.compile(r"\b(?:have|has|are\s+entitled\s+to|enjoy|are\s+granted|may\s+exercise)\b[^.]{0,30}"
                         r"\brights?\b", re.IGNORECASE)


def _lead_group(text: str, last: str) -> str | None:
    """The group a list is for when its lead-in paragraph names it in an earlier sentence that also
    announces the list ("If you are located in the EEA you may have the following additional rights
    under the GDPR. To the extent required, we will grant you the following rights:"); the last
    sentence alone, the lead-in proper, names no one."""
    if sentence_scope(last) or _OTHERWISE.search(last):  # "Otherwise, ... we will:" is for everyone else
        return None
    parts = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))[:-1]
    last_announces = _found(_ANNOUNCES, last)
    for p in reversed(parts):
        # "the following", "below", "these rights"; or "X residents have certain rights. You may exercise
        # the following rights:"
        if (_found(_ANNOUNCES, p) or (last_announces and _HAS_RIGHTS.search(p))) and not _SENT_ELSEWHERE.search(p):
            got = sentence_scope(p)
            if got not in (None, ALL):
                return got
    return None


_POINTS_BACK = re.compile(r"(?:this|these|that|those|they|it|such|which|for example|for instance|e\.g\.|including|"
                          r"specifically|namely|in particular)\b[^.:;]{0,40}:$", re.IGNORECASE)


def _last_sentence(text: str) -> str:
    """The sentence that introduces a list; a bare pointer ("This includes:", "For example:") brings the
    sentence it points back to ("We use your data to ensure the safety and security of our services. This
    includes:"), which says what the items are."""
    parts = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    if len(parts) > 1 and _POINTS_BACK.match(parts[-1]):
        return (parts[-2] + " " + parts[-1])[-600:]
    return parts[-1][-600:]


def _is_sentence_like(line: str) -> bool:
    return len(_words(line)) > 8
