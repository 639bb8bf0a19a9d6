"""Drafting defects, independent of any law: what a lawyer must fix before the notice is published.

Each rule looks for one kind of defect that a reviewer would otherwise have to spot by eye:
drafting notes left in the text, broken contact details, residue of format conversion, vague
retention, a stale or missing date, consent deemed from mere use, legal instruments cited as current
after they were invalidated or repealed, and text far from plain language (including
machine-paraphrased, "spun" text). Every finding quotes an exact substring of the lines
it names, so the report can show the defect in place. Patterns are compiled once, and each rule
first narrows the text to candidate lines with plain substring searches, which keeps the whole
module at a few milliseconds per policy.

`readability_by_section` gives the per-section Flesch reading ease for the report; Flesch alone
cannot tell spun text from ordinary legalese (both score ~30-36), so draft-readability relies on
a lexicon of synonym-spinner substitutions (`SPIN_LEXICON`) with a density threshold.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from gapcheck.ingest import (
    ADOPTED_OR_STATUS,
    APPLIES_FROM,
    AS_OF,
    DATE_RE,
    DATED,
    LAST_CHANGED,
    NOT_A_LAWS_DATE,
    clause_goes_on,
    front_matter_end,
    parse_date,
)
from gapcheck.models import AnnotatedClause, Document, Finding, Severity
from gapcheck.prefilter import gate_of, lowered, start_scanner

__all__ = ["check", "readability_by_section", "flesch", "spin_hits", "SPIN_LEXICON", "STALE_AFTER_MONTHS",
           "DPDP_REPLACES_SPDI"]

STALE_AFTER_MONTHS = 12
MAX_QUOTE = 160

NOTES = "draft-unresolved-notes"
CONTACT = "draft-broken-contact"
CONVERSION = "draft-conversion-artifacts"
RETENTION = "draft-vague-retention"
STALE = "draft-stale-date"
CONSENT = "draft-consent-by-use"
READABILITY = "draft-readability"
OUTDATED = "draft-outdated-reference"

SEVERITY = {NOTES: Severity.HIGH, CONTACT: Severity.HIGH, CONVERSION: Severity.MEDIUM,
            RETENTION: Severity.MEDIUM, STALE: Severity.MEDIUM, CONSENT: Severity.MEDIUM,
            READABILITY: Severity.LOW, OUTDATED: Severity.MEDIUM}

_I = re.IGNORECASE
_M = re.MULTILINE


def _rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    r"""Compile with `\s` (outside character classes) unable to cross a line break.

    The patterns run over the whole text, and a match must stay within one line so that its
    quote is an exact substring of the line it is reported at.
    """
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            pair = pattern[i:i + 2]
            out.append(r"[^\S\n]" if pair == r"\s" and not in_class else pair)
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    return re.compile("".join(out), flags)


# --------------------------------------------------------------------------- shared helpers

#: Header that web-archive corpora put above the policy text; it is not policy text.
CORPUS_HEADER = re.compile(
    r"^[^\w\n]*(?:the\s+following\s+text\s+(?:is|was|has\s+been)\s+(?:extracted|transformed|converted|"
    r"copied|scraped)\b[^\n]{0,200}?\b(?:archived|retrieved|captured|crawled)\b|"
    r"this\s+(?:text|document|page)\s+(?:is|was|has\s+been)\s+(?:extracted|archived|captured)\s+from\b)",
    _I)


def _is_corpus_header(line: str) -> bool:
    return bool(CORPUS_HEADER.match(line))


def _clip(s: str, limit: int = MAX_QUOTE) -> str:
    """A prefix of `s` of at most `limit` chars, cut at a word boundary (still an exact substring)."""
    s = s.strip()
    if len(s) <= limit:
        return s
    cut = s[:limit]
    sp = cut.rfind(" ")
    return (cut[:sp] if sp > limit // 2 else cut).rstrip()


def _around(line: str, a: int, b: int, before: int = 25, after: int = 12) -> str:
    """The match line[a:b] widened to whole words on both sides, for a readable quote."""
    qa = line.rfind(" ", 0, max(0, a - before)) + 1 if a > before else 0
    qb = line.find(" ", b + after) if b + after < len(line) else -1
    return line[qa: qb if qb > 0 else len(line)].strip() or line[a:b]


def _also_on(at: list[int], said: str) -> str:
    """For one finding that names every line a repeated defect is on: `said` with the count filled in ("Such
    links are on {} lines") and the other lines after the first (up to five); nothing for a single line."""
    if len(at) < 2:
        return ""
    later = ", ".join(str(k) for k in at[1:6]) + (", ..." if len(at) > 6 else "")
    return f" {said.format(len(at))} (also lines {later})."


def _finding(fid: str, line: int, quote: str, message: str, line_end: int | None = None) -> Finding:
    return Finding(id=fid, severity=SEVERITY[fid], line_start=line, line_end=line_end or line,
                   quote=quote, message=message)


#: A negation that turns a defect pattern into its opposite ("does not constitute consent").
_NEGATED = re.compile(r"\b(?:not|never|no\s+longer|without)\b|n[’']t\b", _I)
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")


def _sentences(line: str) -> Iterator[tuple[int, int]]:
    """Sentence spans within one line (a policy keeps a paragraph on one line)."""
    start = 0
    for m in _SENT_END.finditer(line):
        if m.start() > start:
            yield start, m.start()
        start = m.end()
    if start < len(line):
        yield start, len(line)


def _sentence_at(line: str, pos: int) -> tuple[int, int]:
    for a, b in _sentences(line):
        if a <= pos < b:
            return a, b
    return 0, len(line)


@dataclass
class _Text:
    """The document plus what every rule needs: lower-cased text, line offsets, headings."""

    doc: Document
    offsets: tuple[int, ...]
    heading_lines: set[int]
    headings: list[str]
    low: str = ""
    own_name: str | None = "?"  # the business's own name, found on first use ("?": not looked for yet)
    lowered: str | None = "?"  # prefilter.lowered(text) for start scanning, made on first use
    low_lines: dict[int, str | None] = field(default_factory=dict)  # prefilter.lowered of lines, on first use
    line_scopes: dict[int, str] = field(default_factory=dict)  # first line of a clause -> its scope

    def __post_init__(self) -> None:
        self.low = self.doc.text.lower()

    @property
    def lines(self) -> tuple[str, ...]:
        return self.doc.lines

    def lines_with(self, gates: tuple[str, ...]) -> list[int]:
        """1-based numbers of the lines whose lower-cased text contains any gate substring.

        A plain substring search is far cheaper than a regex, so every rule first narrows the
        text to the few lines where it could match."""
        low, offs, hit = self.low, self.offsets, set()
        if len(low) != len(self.doc.text):  # lower-casing changed offsets: check line by line
            return [i for i, ln in enumerate(self.doc.lines, start=1) if any(g in ln.lower() for g in gates)]
        for g in gates:
            k = low.find(g)
            while k >= 0:
                i = bisect_right(offs, k)
                hit.add(i)
                nxt = offs[i] if i < len(offs) else len(low)
                k = low.find(g, max(nxt, k + 1))
        return sorted(hit)

    def finditer(self, rx: re.Pattern[str]) -> Iterable[re.Match[str]]:
        """`rx.finditer` over the whole text, tried only where the pattern's leading words occur (and not at all
        where the tail every match ends with is absent)."""
        text = self.doc.text
        sc = start_scanner(rx)
        if sc is not None:
            if self.lowered == "?":
                self.lowered = lowered(text)
            if self.lowered is not None:
                found = sc.matches(text, self.lowered)
                if found is not None:
                    return found
        if (gate := gate_of(rx)) is not None and gate.search(text) is None:
            return ()  # no match can end with the pattern's tail: none at all
        return rx.finditer(text)

    def scan(self, rx: re.Pattern[str], gates: tuple[str, ...] | None = None
             ) -> Iterator[tuple[int, str, re.Match[str]]]:
        """(1-based line, line text, match in that line) for `rx`, over the gated lines only."""
        if gates is None:  # one pass over the whole text, then the same match within its line
            for m in self.finditer(rx):
                if "\n" in m.group(0):
                    continue
                i = bisect_right(self.offsets, m.start())
                line = self.doc.lines[i - 1]
                m2 = rx.match(line, m.start() - self.offsets[i - 1])
                if m2:
                    yield i, line, m2
            return
        sc = start_scanner(rx)
        for i in self.lines_with(gates):
            line = self.doc.lines[i - 1]
            low = None
            if sc is not None:
                low = self.low_lines.get(i, "?")
                if low == "?":
                    low = self.low_lines[i] = lowered(line)
            found = sc.matches(line, low) if sc is not None and low is not None else None  # type: ignore[union-attr]
            if found is None and (gate := gate_of(rx)) is not None and gate.search(line) is None:
                continue
            yield from ((i, line, m) for m in (rx.finditer(line) if found is None else found))


# --------------------------------------------------------------------------- unresolved notes

def _in_code_id(line: str, a: int, b: int) -> bool:
    """Whether line[a:b] is the wildcard part of an identifier in a code span ("`_dc_gtm_UA-XXXXXXX-X`", a cookie name
    with its account number masked, "`__lc.visitor_id.XXXXXXX`"): part of a word joined by '_', '-' or '.', between
    backticks."""
    joined = (a > 0 and line[a - 1] in "_-.") or (b < len(line) and line[b] in "_-.")
    return joined and line.count("`", 0, a) % 2 == 1 and "`" in line[b:]


#: A row of sample data with cells masked ("xxxxxx | xxxxxxxx | 5.0 | USD | 2016-12-09 10:38:23"): a table
#: that shows what a record holds, its identifiers x-ed out on purpose, not a template's blank.
_MASKED_SAMPLE_ROW = re.compile(r"^(?=[^|\n]*\|)(?=.*(?:(?<![\w.])\d+(?:[.:/-]\d+)+(?![\w.])|\b\d{6,}\b))")
_ROMAN_CTX = re.compile(r"(?:chapter|part|article|art\.|title|section|schedule|annex|appendix|book|"
                        r"volume|vol\.|no\.|clause|rule|century|tome|world\s+war)\s*$", _I)
_NOTE_PATTERNS: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = (
    # Word comment anchors such as [A1], [BJ1]; not markdown links [A1](url), not footnotes [1].
    (_rx(r"\[[A-Z]{1,3}\d{1,3}\](?![(\[:])"), "comment anchor", ("[",)),
    (_rx(r"\b(?:TBD|TBC|TODO|FIXME)\b"), "placeholder", ("tbd", "tbc", "todo", "fixme")),
    (_rx(r"(?<![A-Za-z])X{2,}(?![A-Za-z])|(?<![A-Za-z])x{3,}(?![A-Za-z])"), "placeholder", ("xx",)),
    (_rx(r"\((?:include|insert|add|confirm|check|complete|fill\s+in|enter|tbd|tbc|todo|placeholder|draft|"
         r"please\s+(?:confirm|check|advise|update|insert|complete|add)|to\s+be\s+(?:confirmed|inserted|"
         r"completed|added|drafted|determined|updated)|insert\s[^()\n]{1,40}|add\s+(?:details|link|name|date|"
         r"address)[^()\n]{0,30}|(?:delete|select|choose|amend)\s+(?:as\s+(?:appropriate|applicable|required|"
         r"necessary)|one|if\s+not\s+applicable|whichever\s+(?:is\s+)?applies))\)", _I), "placeholder",
     ("(include", "(insert", "(add", "(confirm", "(check", "(complete", "(fill", "(enter", "(tbd", "(tbc",
      "(todo", "(placeholder", "(draft", "(please", "(to be", "(delete", "(select", "(choose", "(amend")),
    (_rx(r"\binsert\s+(?:the\s+|your\s+|our\s+)?(?:company\s+|business\s+|organi[sz]ation\s+|legal\s+entity\s+|"
         r"controller\s+)?(?:name|date|address|link|url|e-?mail|phone(?:\s+number)?|details|contact|"
         r"jurisdiction|country|website|here)\b", _I), "placeholder", ("insert",)),
    (_rx(r"\blorem\s+ipsum\b", _I), "template placeholder", ("lorem",)),
    # an instruction to the web editor left in place of a link: "... provided online from Adobe: Put the new URL"
    (_rx(r"\b(?:Put|Insert|Paste|Place)\s+(?:the|a)\s+(?:new|correct|final|updated|right|actual|relevant)\s+(?:URL|link|"
         r"web\s+address|address|e-?mail(?:\s+address)?|phone\s+number)(?:\b|(?=[A-Z]))"), "editor's instruction",
     ("put ", "insert ", "paste ", "place ")),
    # a capitalised fill-in marker in emphasis or braces: "registration number: ***INSERT***", "{{ADD ADDRESS}}"
    (_rx(r"(?:\*{2,3}|\{\{?|_{2,})\s*(?:INSERT|ADD|ENTER|FILL\s+IN|TBC|TBD)\b[^\n*{}]{0,40}?(?:\*{2,3}|\}\}?|_{2,})"),
     "placeholder", ("insert", "add", "enter", "fill", "tbc", "tbd")),
    # a one-character blank where a name or detail belongs ("you consent to [ ] ("we") using ...", "[●] Limited");
    # mid-sentence only for the empty box, so a Markdown task list ("- [ ] item") is not a blank
    (_rx(r"(?<=[\w,;:)\u201d\"'\u2019] )\[[ _\u25cf\u2022]\](?![(\[:])|"
         r"(?<![\]!\\\w\[])\[[\u25cf\u2022\u25aa\u25a0]\](?![(\[:])"), "blank left to fill in", ("[",)),
    # a policy generator's instruction left in: "Once this privacy policy is created, we will add a link to it"
    (_rx(r"\bonce\s+this\s+privacy\s+(?:policy|notice|statement)\s+(?:is|has\s+been)\s+(?:created|generated|"
         r"drafted|written)\b", _I), "template instruction", ("once this",)),
    # a link the drafter meant to make: "[link to: http://www.aboutads.info/]", "[insert link: ...]"
    (_rx(r"\[(?:insert\s+)?(?:hyper)?link(?:\s+to)?\s*:\s*[^\[\]\n]{1,160}\](?!\()", _I), "link placeholder",
     ("link",)),
    # a field left open: "Grievance Officer: To be appointed", "DPO: to be confirmed"
    (_rx(r"(?:(?<=:)|(?<=: )|(?<=:\*\*)|(?<=:\*\* )|(?<=:\* )|(?<=:__ )|(?<=:_ ))"
         r"to\s+be\s+(?:appointed|confirmed|determined|decided|announced|nominated|designated|"
         r"inserted|added|updated|completed)\b(?=[*_\s.]*$)", _I | _M), "placeholder", ("to be",)),
)
#: (not a Markdown footnote reference, "Regulation,[^1] we are")
_BRACKET = _rx(r"(?<![\]!\\\[])\[(?P<body>(?!\^)[^\[\]\n]{2,60})\](?![(\[:]|\s+\((?:https?://|www\.|/|#|mailto:))")
#: A bracketed slot that says what to put there: "[Your Contact Email Address - e.g., you@yourdomain.com]",
#: "[Insert e-mail, e.g. privacy@company.com]".
_SLOT_DESCRIPTION = re.compile(r"^\s*(?:your|insert|enter|add|type)\b|\be\.\s?g\.|\byourdomain\b|\byourcompany\b", _I)
_FIELD_SLOT = re.compile(r"^[\s*_>-]*[A-Za-z][\w .-]{0,25}:\s*\[[^\[\]\s]+@[^\[\]\s]+\]\s*$")
_CODE_OBJECTS = re.compile(r'\s*\{\s*[A-Za-z_]\w*\s*:\s*["\'\d\[{]')
_BRACKET_OK = re.compile(
    r"^\s*(?:at|dot|ät|punkt|\.|@|sic|…|\.\.\.|x|\d+|[ivx]+|[a-z]|email(?:\s|\u00a0)protected|"
    r"[A-Z]{1,3}\d{1,3}|emphasis\s+added|redacted|pdf|opens\s+in\s+a\s+new\s+(?:tab|window))\s*$", _I)
_NOTE_LINE = _rx(
    r"^[^\w\n]*(?P<anchor>\[[A-Z]{1,3}\d{1,3}\]\s*)?(?:please\s+(?P<verb>confirm|check|verify|advise|clarify)|"
    r"note\s+to\s+(?:draft|drafter|self|client|reviewer|legal)|drafting\s+note|"
    r"comment\s*\[[A-Z]{1,3}\d{1,3}\]\s*:|to\s+do\s*:)[^\n]*$", _I | _M)
_NOTE_LINE_GATES = ("please c", "please v", "please a", "note to", "drafting note", "comment", "to do")
_TO_READER = re.compile(r"\b(?:you|your|us|our|back|regularly|periodically|this\s+page)\b", _I)
NOTE_LINE_MAX_WORDS = 10


#: Unrendered template variables of the common engines: Liquid/Jinja/Mustache `{{ x }}` and
#: `{% x %}`, ERB/EJS `<% x %>`, `<<Company>>`, `${var}`, printf-style `%{name}s` / `%(name)s`, `%COMPANY%`,
#: `$COMPANY_NAME`, and single-brace `{company_name}` / `{Company Name}`. Single braces are taken only
#: around an identifier (snake_case, dotted, camelCase or a placeholder noun), so prose braces,
#: kramdown attributes (`{: #id }`) and JSON (`{"a": 1}`) do not match.
_PLACEHOLDER_NOUN = (r"company|name|email|domain|website|url|phone|address|country|brand|product|service|site|"
                     r"business|organi[sz]ation|controller|entity|date|app|city|state|jurisdiction")
_TEMPLATE_VAR = _rx(
    # (not a JSX style object, "{{ padding: 10 }}": a name and a colon, no filter before it)
    r"\{\{-?\s*[A-Za-z_](?!\w*\s*:)[^{}\n]{0,100}?\s*-?\}\}|\{%-?\s*[A-Za-z_][^{}\n]{0,100}?\s*-?%\}|"
    r"<<\s*[A-Za-z][^<>\n]{0,40}>>|\$\{\s*[A-Za-z_][\w.\-]{0,40}\s*\}|"
    # ERB / EJS: "Please enter the password for the account <% email %>", "<%= user.name %>"
    r"<%[=-]?\s*[A-Za-z_][\w.]{0,40}\s*-?%>|"
    # PHP: "<?= $this->element("nav-dark") ?>", "<?php echo $company; ?>", "<? include cookie/link ?>"
    r"<\?(?:php\b|=|\s*(?:include|require|echo|print)\b)[^\n]{0,200}?\?>|"
    # FreeMarker and JSP directives: '<#include "head.ftl">', "<#assign m = messages>", '<%@ include file="x.jsp" %>'
    # Laravel Blade directives: "@include('en.navbar-fixed')", "@extends('layouts.app')", "@csrf"
    r"(?<![\w.@])@(?:include|extends|section|endsection|yield|stack|push|endpush|component|endcomponent|csrf|lang|"
    r"php|endphp)\b(?:\(\s*['\"][^'\"\n]{1,80}['\"][^()\n]{0,80}\))?|"
    r"<#(?:include|assign|import|if|elseif|else|list|macro|ftl|setting|global|local|compress|/if|/list|/macro)\b"
    r"[^<>\n]{0,120}>|<@[A-Za-z][\w.]{0,40}\b[^<>\n]{0,120}>|<%@\s*(?:include|page|taglib)\b[^\n]{0,200}?%>|"
    r"%\{[A-Za-z_][\w.]{0,40}\}[sdif]?|%\([A-Za-z_][\w.]{0,40}\)[sdif]|%[A-Z][A-Z_]{2,30}%|"
    r"\$[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\$(?:COMPANY|BRAND|DOMAIN|WEBSITE|SITE|EMAIL|URL|PHONE|ADDRESS|PRODUCT|"
    r"SERVICE|APP|CONTROLLER|ENTITY)(?:_?NAME)?\b|"
    rf"(?<![{{\w$%\\]){{(?:[a-z][a-z0-9]*(?:[_.][a-z0-9]+)+|[a-z]+[A-Z][A-Za-z0-9]*|(?i:{_PLACEHOLDER_NOUN})|"
    # a generator's slots, Markdown-escaped and listed: "{Notifications\_Provider, Provider\_City}"
    r"[A-Za-z][A-Za-z0-9]*(?:\\?_[A-Za-z0-9]+)+(?:,\s*[A-Za-z][A-Za-z0-9]*(?:\\?_[A-Za-z0-9]+)+)*|"
    r"[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,3})\}(?!\})")
_TEMPLATE_GATES = ("{", "<<", "%", "$", "<?", "<#", "<@", "@")
#: A variable that stands for a way to reach the business: its name says so, or the words before it do.
_CONTACT_VAR = re.compile(r"contact|e-?mail|(?<![a-z])(?:mail|tel|form|dpo)(?![a-z])|mailto|url|link|phone|"
                          r"address|support|website|web_site|officer|helpdesk", _I)
_CONTACT_LEAD = re.compile(r"(?:contact(?:ing)?|e-?mail|write(?:\s+to)?|reach|call|visit|send)\s+(?:us\s+)?"
                           r"(?:at|via|on|using|through|by|to)?\s*(?:the\s+|our\s+|a\s+)?$", _I)


def _code_lines(t: _Text) -> set[int]:
    """Lines inside fenced code blocks (``` or ~~~): examples, not policy prose."""
    out: set[int] = set()
    fence = ""
    for i, line in enumerate(t.lines, start=1):
        s = line.lstrip()
        if fence:
            out.add(i)
            if s.startswith(fence):
                fence = ""
        elif s.startswith(("```", "~~~")):
            fence = s[:3]
            out.add(i)
    return out


def _in_inline_code(line: str, pos: int) -> bool:
    """True when `pos` lies between backticks (inline code in Markdown)."""
    return line.count("`", 0, pos) % 2 == 1 and "`" in line[pos:]


def _template_vars(t: _Text) -> Iterator[tuple[int, str, re.Match[str], bool]]:
    """(line, line text, match, stands for a contact) for every unrendered template variable."""
    code = _code_lines(t)
    ticks: dict[int, bool] = {}  # does the line have backticks at all (most have none)
    for i, line, m in t.scan(_TEMPLATE_VAR, _TEMPLATE_GATES):
        if i not in ticks:
            ticks[i] = "`" in line and not _is_corpus_header(line)
            if _is_corpus_header(line):
                code.add(i)
        if i in code or (ticks[i] and _in_inline_code(line, m.start())):
            continue
        # a directive that pulls in a page part ('<#include "header.ftl">', "<? include cookie/settings-link ?>")
        # stands for page furniture, not for a way to reach the business
        contact = not _INCLUDE_DIRECTIVE.match(m.group(0)) and bool(
            _CONTACT_VAR.search(m.group(0)) or _CONTACT_LEAD.search(line, max(0, m.start() - 40), m.start()))
        # the reader's own address in a captured login dialog ("the password for the account <% email %>") is
        # no way to reach the business: an unrendered variable, not a broken contact
        if contact and _READER_OWN.search(line, max(0, m.start() - 30), m.start()):
            contact = False
        yield i, line, m, contact


_INCLUDE_DIRECTIVE = re.compile(r"<[#?%]@?\s*(?:include|import|assign|require)\b", _I)
_READER_OWN = re.compile(r"\b(?:your|the\s+user'?s?|the\s+account|for\s+the\s+account|signed\s+in\s+as|"
                         r"logged\s+in\s+as)\s*$", _I)
_YAML_LIST = re.compile(r"^\s*[\w-]+:\s*\[[^\[\]]*\]\s*$")


def _notes(t: _Text) -> Iterator[Finding]:
    """Drafting notes and placeholders that were never resolved before publication."""
    taken: dict[int, list[tuple[int, int]]] = {}

    def free(i: int, a: int, b: int) -> bool:
        """Claim line i's span [a, b) unless an earlier finding overlaps it; the claimed spans are
        disjoint and kept sorted, so two neighbours decide (a line with thousands stays fast)."""
        spans = taken.setdefault(i, [])
        k = bisect_right(spans, (a, b))
        if (k and spans[k - 1][1] > a) or (k < len(spans) and spans[k][0] < b):
            return False
        spans.insert(k, (a, b))
        return True

    # a YAML list in the page's front matter ("keywords: [privacy, registrar, controller]") is metadata, no insert
    for i in range(1, front_matter_end(t.lines)):
        if _YAML_LIST.match(t.lines[i - 1]):
            taken[i] = [(0, len(t.lines[i - 1]) + 1)]

    for i, line, m in t.scan(_NOTE_LINE, _NOTE_LINE_GATES):
        s = line.strip()
        # "Please check back regularly." speaks to the reader; "Please confirm" alone is a note to the drafter.
        to_reader = m.group("verb") and not m.group("anchor") and (
            _TO_READER.search(s) or m.group("verb").lower() == "check")
        if len(s.split()) <= NOTE_LINE_MAX_WORDS and not to_reader and not _is_corpus_header(line):
            free(i, 0, len(line))
            yield _finding(NOTES, i, _clip(s, 120), f"Remove the drafting note \"{_clip(s, 40)}\" left in the "
                           "text and resolve the question it raises before publishing.")
    # one finding per variable, at its first line, naming the others: a template's "{{ company }}" on forty lines is one
    # thing to fix, not forty
    seen: dict[str, tuple[str, bool, list[int]]] = {}
    for i, _line, m, contact in _template_vars(t):
        if not free(i, m.start(), m.end()):
            continue
        q = m.group(0)
        at = seen.setdefault(" ".join(q.split()).lower(), (q, contact, []))[2]
        if not at or at[-1] != i:  # (twice on one line: one line to name)
            at.append(i)
    for q, contact, at in seen.values():
        also = _also_on(at, "It is on {} lines")
        if contact:
            yield _finding(CONTACT, at[0], q, f"Replace the unrendered template variable \"{_clip(q, 50)}\" with the "
                           "contact details it stands for; readers see the placeholder, not a way to reach you." + also,
                           line_end=at[-1])
        else:
            yield _finding(NOTES, at[0], q, f"Replace the unrendered template variable \"{_clip(q, 50)}\" with the "
                           "final text; the template was published without its values." + also, line_end=at[-1])
    for rx, what, gates in _NOTE_PATTERNS:
        for i, line, m in t.scan(rx, gates):
            a, b = m.start(), m.end()
            if m.group(0)[:2] in ("XX", "xx") and (_ROMAN_CTX.search(line, max(0, a - 20), a)
                                                   or _MASKED_SAMPLE_ROW.search(line) or _in_code_id(line, a, b)):
                continue
            if _is_corpus_header(line) or not free(i, a, b):
                continue
            q = m.group(0)
            yield _finding(NOTES, i, q, f"Remove or complete the {what} \"{_clip(q, 40)}\" left in the text; "
                           "a published notice must not contain drafting notes.")
    for i, line, m in t.scan(_BRACKET, ("[",)):
        body = m.group("body")
        if _BRACKET_OK.match(body):
            continue
        # "Email: [support@example.com]" as a whole contact field is a template slot filled in with its
        # brackets left, as "Phone: [+91 ...]" is; elsewhere an address in brackets is left alone
        # (but a slot that describes what goes there keeps its example: "[Your Contact Email Address - e.g.,
        # steven@yourdomain.com]")
        if re.search(r"@|://|www\.|\(at\)", body, _I) and not _FIELD_SLOT.match(line) \
                and not _SLOT_DESCRIPTION.search(body):
            continue
        # a data list of quoted strings (site front matter) or a bracketed definition ("referred to as"), or a
        # code array of objects (a page's JSX source: 'breadcrumb={[{ label: "Home", href: "/" }]}')
        if re.fullmatch(r'\s*(?:"[^"\n]*"\s*,?\s*)+', body) or _DEFINES.search(body) or _CODE_OBJECTS.match(body):
            continue
        if _in_quotes(line, m.start()) or _SUBJECT_LINE.search(line, 0, m.start()):
            continue  # 'use the subject line "Data Access Request - [Your Name]"': the reader fills it in
        a, b = m.start(), m.end()
        if _is_corpus_header(line) or not free(i, a, b):
            continue
        yield _finding(NOTES, i, m.group(0), f"Resolve the bracketed insert \"{_clip(m.group(0), 50)}\": make it "
                       "part of the sentence or replace the placeholder with the final text.")
    # a template's slot kept as literal brackets in Markdown ("We may process \\[data about your use of our
    # website and services\\]"): the escapes show the brackets are text, not a link; a blank line of
    # underscores left to be filled in ("033-22815483,__________")
    for i, line, m in t.scan(_ESCAPED_SLOT, ("\\[", "_____")):
        a, b = m.start(), m.end()
        if _is_corpus_header(line) or _BRACKET_OK.match(m.group("body") or "") \
                or _EXAMPLE_BEFORE.search(line, max(0, a - 80), a) or not free(i, a, b):
            continue
        yield _finding(NOTES, i, _clip(m.group(0)), f"Fill in or remove the template slot \"{_clip(m.group(0), 50)}\" "
                       "left in the text: readers see the drafting form, not the final wording.")
    # ... or opened and never closed: "with respect to \\[the data protection laws of each of these countries. Transfers
    # ..." (the template's choice half made: its closing bracket deleted with the other option)
    for i, line, m in t.scan(_UNCLOSED_SLOT, ("\\[",)):
        a, b = m.start(), m.end()
        if _is_corpus_header(line) or _EXAMPLE_BEFORE.search(line, max(0, a - 80), a) or not free(i, a, b):
            continue
        q = _clip(m.group(0), 60)
        yield _finding(NOTES, i, q, f"Resolve the template slot opened at \"{_clip(q, 50)}\" and never closed: "
                       "its bracket is left in the text, so the reader cannot tell which wording was chosen.")
    # a template's alternatives left side by side, marked by a capital OR in a sentence in lower case ("The legal basis
    # for this processing is consent OR our legitimate interests"); not in a line written in capitals
    for i, line, m in t.scan(_TEMPLATE_OR, (" or ",)):
        a, b = m.start(), m.end()
        letters = [c for c in line if c.isalpha()]
        # (a run of cases joined by OR over and over, "... with the Site OR when you ... OR when you ...", is emphasis)
        if sum(c.isupper() for c in letters) > 0.2 * len(letters) or line.count(" OR ") > 1 \
                or _is_corpus_header(line) or not free(i, a, b):
            continue
        q = _around(line, a, b, 40, 30).strip()
        yield _finding(NOTES, i, q, f"Choose between the template's alternatives in \"{_clip(q, 60)}\" and delete "
                       "the other: both are left in the text, joined by \"OR\".")
    # whole sentences left in square brackets: a template's optional text, never decided on ("[We have a
    # clear cookies notice on the home page of the website.]")
    for i, line, m in t.scan(_BRACKET_SENTENCE, ("[",)):
        a, b = m.start(), m.end()
        if _is_corpus_header(line) or not free(i, a, b):
            continue
        yield _finding(NOTES, i, _clip(m.group(0)), "Decide on the optional template text left in square "
                       f"brackets (\"{_clip(m.group(0), 50)}\"): keep it without the brackets or delete it.")
    # a contact block left as the template's empty form: "Name:", "Address:", "Phone Number:", "E-mail:" with
    # nothing after them
    yield from _blank_fields(t, free)


#: A form field with no value: the label and its colon alone on the line ("Phone Number:", "**E-mail:**").
_BLANK_FIELD = re.compile(r"[ \t]*(?:[-*][ \t]+)?(?:\*\*)?"
                          r"(?:full |postal |contact |mobile |phone |telephone |e-?mail )?"
                          r"(?:name|address|phone|telephone|mobile|number|fax|e-?mail|email id|date|designation|"
                          r"signature|organi[sz]ation|company|website|person)(?:\*\*)?[ \t]*:(?:\*\*)?[ \t]*$", _I)
_BLANK_FIELD_GATES = ("name:", "address:", "phone:", "number:", "mobile:", "fax:", "mail:", "id:", "date:",
                      "designation:", "signature:", "tion:", "company:", "website:", "person:")
#: What an empty contact block sits under; a form the reader is to fill in ("request form") is not one.
_CONTACT_BLOCK_LEAD = re.compile(r"\b(?:contact|officer|controller|reach us|details of|address of)", _I)
_READER_FORM = re.compile(r"\bforms?\b|\btemplate\b|\bapplicant\b|\byour (?:request|letter)\b", _I)


def _blank_fields(t: _Text, free: Callable[[int, int, int], bool]) -> Iterator[Finding]:
    """Three or more empty fields in a row (blank lines between allowed) under a contact heading or lead-in."""
    hits = [i for i, _line, _m in t.scan(_BLANK_FIELD, _BLANK_FIELD_GATES)]
    lines = t.lines
    k = 0
    while k < len(hits):
        run = [hits[k]]
        while k + 1 < len(hits) and all(not ln.strip() for ln in lines[run[-1]:hits[k + 1] - 1]):
            k += 1
            run.append(hits[k])
        k += 1
        if len(run) < 3:
            continue
        lead = next((lines[j].strip() for j in range(run[0] - 2, max(-1, run[0] - 6), -1) if lines[j].strip()), "")
        if not _CONTACT_BLOCK_LEAD.search(lead) or _READER_FORM.search(lead):
            continue
        first = lines[run[0] - 1]
        if not free(run[0], 0, len(first)):
            continue
        names = ", ".join(lines[i - 1].strip().strip("*-").strip() for i in run[:5])
        yield _finding(NOTES, run[0], first.strip(), f"Fill in the empty contact fields ({_clip(names, 70)}"
                       f"{', ...' if len(run) > 5 else ''}) or remove them: the template's blank form was published.")


#: A template slot kept as literal, escaped brackets in Markdown ("\\[data about your use of our services\\]"),
#: or a run of underscores left blank after a detail ("033-22815483,__________"), not a Markdown rule.
_ESCAPED_SLOT = re.compile(r"\\\[(?P<body>[a-z][^\[\]\n]{8,300}?)\\\](?!\()|"
                           r"(?<=[^\W_]|[,:;.)])\s?(?<!_)_{5,}(?=\s*$|\s*[,;])", re.M)
#: Alternatives joined by a capital OR between words in lower case ("consent OR our legitimate interests").
_TEMPLATE_OR = re.compile(r"(?<=[a-z]) OR (?=[a-z]|[A-Z][a-z])")
#: An escaped bracket opened and not closed on its line ("\\[the data protection laws of each of these countries. ...").
_UNCLOSED_SLOT = re.compile(r"\\\[(?P<body>[a-z][^\\\n\]]{8,})$", re.M)
#: an illustration of a record's shape ("e.g., \\[username\\] deleted \\[title of post\\]"), not a slot left open
_EXAMPLE_BEFORE = re.compile(r"\b(?:e\.\s?g\.|for example|for instance|such as|i\.\s?e\.)", _I)
#: A sentence (or several) in square brackets, not a link: "[Acme is registered under the Act. The Act ...]".
_BRACKET_SENTENCE = re.compile(r"(?<![\]!\\\w])\[[A-Z][^\[\]\n]{20,400}[.!?]\](?![(\[:])")
_DEFINES = re.compile(r"\b(?:referred\s+to\s+as|hereinafter|hereafter|collectively\s+(?:the|as))\b", _I)
_SUBJECT_LINE = re.compile(r"\b(?:subject(?: line)?|format|template|e\.g\.|for example)\s*:", _I)


def _in_quotes(line: str, at: int) -> bool:
    """Whether position `at` lies inside a quoted phrase of the line ("..." or curly quotes)."""
    before = line[:at]
    if before.count('"') % 2:
        return True
    return before.rfind("\u201c") > before.rfind("\u201d")


# --------------------------------------------------------------------------- carried-over text

#: Places where a notice names the business it speaks for: a definition ('Acme Ltd ("Acme", "we")'),
#: 'this Acme Privacy Policy', 'Welcome to Acme', 'Acme (that's us)'.
_SELF_NAME = _rx(
    r"(?P<def>\b[A-Z][\w&'’.-]*(?:\s+(?:[A-Z][\w&'’.-]*|&|of|and)){0,5})\s*,?\s*\([^()\n]{0,60}?[“\"'‘]"
    r"(?:we|us|our)[”\"'’]|"
    r"\b(?:[Tt]his|[Oo]ur)\s+(?P<this>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,2}?)\s+[Pp]rivacy\s+"
    r"(?:[Pp]olicy|[Ss]tatement|[Nn]otice)|"
    r"\b[Ww]elcome\s+to\s+(?P<welcome>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,2})|"
    r"\b(?P<thats>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,2})\s+\((?:that|which)(?:['’]s|\s+is)\s+us\)")
#: Words that qualify a notice without naming a business ("this California Privacy Notice").
_GENERIC_QUALIFIERS = frozenset(
    "global online website web mobile app apps customer customers consumer employee employees candidate applicant "
    "job supplemental supplementary general master main full short summary updated new current complete data "
    "personal health recruitment marketing service services platform site standard group corporate vendor partner "
    "member members user users visitor visitors product products international worldwide state privacy cookie "
    "cookies children's kids california ccpa cpra gdpr eu eea uk us u.s. european canadian australian indian "
    "india america american brazil brazilian japan japanese china chinese swiss nevada virginia colorado "
    "connecticut utah texas oregon the a an inc ltd llc gmbh corp co plc sa ag bv company"
    .replace(".", "").split())  # compared without dots: "U.S." is "us"
_LEGAL_SUFFIX = re.compile(r"\b(?:Inc|Ltd|LLC|GmbH|Corp|Co|plc|S\.?A|AG|B\.?V|Limited|Corporation|Company)\b\.?")


#: A reference to a named section of the notice: "Matched Ads (defined in the Analytics and Advertising section
#: above)", "as described in the "Your Choices" section below". The name is Title Case or quoted (a lower-case "the
#: sharing section" is a topic, not a title).
_SECTION_REF = re.compile(
    r"\b(?:defined|described|explained|set\s+out|listed|detailed|discussed|outlined)\s+(?:in|under)\s+(?:the\s+)?"
    r"(?:(?P<q>[\"“][^\"”\n]{3,70}[\"”])|(?P<t>(?-i:[A-Z][\w’'&-]*(?:,?\s+(?:[A-Z][\w’'&-]*|and|or|of|the|to|for|"
    r"with|we|your|our|&)){0,8})))\s+(?:section|heading|part)\s+(?:above|below)\b")
#: A short line that is a sentence or another reference, not a title: it ends in a stop or a conjunction, or points
#: up or down the page ("* Targeted advertising ("Matched Ads" in Analytics and Advertising, above); and").
_NOT_A_TITLE = re.compile(r"[.;,]\W*$|\b(?:and|or)\W*$|\b(?:above|below)\b", _I)
_BOLD_SPAN = re.compile(r"(?:\*\*|__)([^*_\n]{3,100})(?:\*\*|__)")
_REF_STOP = {"the", "and", "our", "your", "for", "with", "this", "that", "what", "how", "who", "why", "when", "where"}


def _ref_words(text: str) -> set[str]:
    """The significant words of a title, by their first four letters ("Sharing" and "Share" alike)."""
    return {w[:4] for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in _REF_STOP}


def _dangling_reference(t: _Text) -> Iterator[Finding]:
    """A section referred to by name that the notice does not have: text carried over from the notice it was copied
    from ("defined in the Analytics and Advertising section above" in a notice without such a section)."""
    titles: list[set[str]] | None = None
    ends: list[str] = []  # lines that are no reference, without their closing marks (see below)
    for i in t.lines_with(("section above", "section below", "heading above", "heading below", "part above",
                           "part below")):
        line = t.lines[i - 1]
        for m in _SECTION_REF.finditer(line):
            name = (m.group("q") or m.group("t") or "").strip("\"“” ")
            want = _ref_words(name)
            if len(want) < 2:
                continue
            if titles is None:  # headings, and short lines that may be headings or contents entries
                # (a reference's own line is none of them: it points "above" or "below")
                short = [ln for k, ln in enumerate(t.lines, start=1)
                         if 0 < len(ln.split()) <= 14 and k not in t.heading_lines and not _NOT_A_TITLE.search(ln)]
                # (and any bold or underlined span: a run-in heading "**10\\. California Residents.** California ...")
                bold = _BOLD_SPAN.findall(t.doc.text)
                titles = [_ref_words(h) for h in (*t.headings, *short, *bold)]
                ends = [ln.rstrip(" *_#:.") for ln in t.lines if not _SECTION_REF.search(ln)]
            if any(want <= have for have in titles):
                continue
            # a title run into the end of another line by a page capture ("... visitors to our site. Sharing Your
            # Information"): the name, in its own capitals, ending a line that is no reference to it
            if name[:1].isupper() and any(e.endswith(name) for e in ends):
                continue
            yield _finding(NOTES, i, _clip(line[max(0, m.start() - 40):m.end()].strip(), 160),
                           f"The notice refers to a section \"{_clip(name, 50)}\" that it does not contain: text "
                           "carried over from another notice. Point to the right section or add the missing one.")


def _carried_over(t: _Text) -> Iterator[Finding]:
    """Another business's name where the notice names itself: text carried over and never adapted.

    Conservative: the notice must use its own name at least five times, and the other name must
    share no word with it, be no generic qualifier, and appear at most twice in the whole text."""
    cands = list(t.scan(_SELF_NAME, ("(", "privacy", "welcome", "that")))
    own = _own_name(t) if cands else None
    text = t.doc.text
    if not own or len(re.findall(rf"\b{re.escape(own)}\b", text)) < 5:
        return
    reported: set[str] = set()
    for i, _line, m in cands:
        name = next(g for g in (m.group("def"), m.group("this"), m.group("welcome"), m.group("thats")) if g)
        words = [w for w in re.findall(r"[\w&'’.-]+", _LEGAL_SUFFIX.sub(" ", name)) if w.strip(".")]
        key = " ".join(words).lower()
        if not words or key in reported or any(w.lower().replace(".", "") in _GENERIC_QUALIFIERS for w in words[:1]):
            continue
        if any(w.lower() == own.lower() or own.lower() in w.lower() for w in words):
            continue
        # the term the parenthesis defines is the name the notice speaks for: "... Teladoc Behavioral Health, P.A.
        # (collectively referred to as “Teladoc”, “we”, ...)"
        defined = re.search(r"\([^()\n]{0,60}?[“\"'‘]([^”\"'’\n]{2,40})[”\"'’]", m.group(0))
        if m.group("def") and defined and own.lower() in defined.group(1).lower():
            continue
        if len(re.findall(rf"\b{re.escape(words[0])}\b", text)) > 2:
            continue
        reported.add(key)
        q = m.group(0)
        yield _finding(NOTES, i, q, f"The notice names \"{' '.join(words)}\" where it otherwise speaks for {own}; "
                       "the passage looks carried over from another notice: adapt it or confirm the name.")


# --------------------------------------------------------------------------- broken contact

_CF_EMAIL = _rx(r"\[\s*email(?:\s|\u00a0|&nbsp;)+protected\s*\]|/cdn-cgi/l/email-protection\S*|__cf_email__", _I)
_CONTACT_REF = _rx(
    r"\b(?:in|under|at|see|to)\s+(?:the\s+|our\s+|this\s+)?[\"“‘']?(?P<name>[A-Za-z][^\"“”‘’'.;:()\n]{2,50}?)"
    r"[\"”’']?\s+(?:section|segment|part|heading|paragraph|area)\b", _I)
_CONTACT_BELOW = _rx(
    r"\bcontact\s+(?:us\s+)?(?:(?:details|data|information|info|address(?:es)?)\s+)?"
    r"(?:as\s+(?:indicated|set\s+out|shown|listed|provided|given)\s+)?"
    r"(?:below|underneath|beneath|hereunder)\b", _I)
#: an e-mail address whose "@" was lost: a mailbox name run into the domain after "email us at"
_EMAIL_NO_AT = _rx(r"\b(?:e-?mail(?:\s+us)?|write\s+to(?:\s+us)?)(?:\s+at|\s+to)?\s+"
                   r"(?P<addr>(?:privacy|support|info|dpo|legal|contact|help|hello|gdpr|dataprotection|compliance)"
                   r"[a-z0-9-]{3,}\.(?:com|org|net|io|co|de|eu|uk|fr|nl|dk|se|in|au|ca|es|it|ch|at|be))\b(?![@\w])", _I)
_CONTACT_DANGLING = _rx(r"\bcontact\s+(?:us|our\s+\w+(?:\s+\w+)?)\s+(?:at|via|on|by\s+e-?mail(?:\s+at)?)"
                        r"[ \t\u00a0]*[:.]?[ \t\u00a0]*$", _I | _M)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+|"
                   r"(?<![\w.-])[\w.-]+\s*[\[(]\s*(?:at|ät|@)\s*[\])]\s*[\w-]+", _I)
PHONE = re.compile(r"(?:\+|\b00)\d[\d ()./-]{6,}\d|\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b|\b1[- ]?8\d\d\b|"
                   # a national number after its trunk "0", in groups: "0860 60 50 40", "020 7946 0958"
                   r"\b\d{4}\s\d{3}\s\d{3}\b|\b0\d{2,3}(?:[ .-]\d{2,4}){2,4}\b")
URL = re.compile(r"https?://\S+|\bwww\.\S+", _I)
POSTAL = re.compile(r"\b\d{4,5}\s+[A-Z][a-zä-ü]+|\b\d{4}\s?[A-Z]{2}\s+[A-Z][a-z]+|"  # 1118 BG Schiphol
                    r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\b[A-Z]{2}\s+\d{5}\b|"
                    r"\bP\.?\s?O\.?\s+Box\b")


def _has_channel(text: str) -> bool:
    return bool(EMAIL.search(text) or PHONE.search(text) or URL.search(text) or POSTAL.search(text))


def _norm_words(s: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", s.lower()))


def _broken_contact(t: _Text) -> Iterator[Finding]:
    """Contact details a reader cannot use: obfuscation residue, references to nothing."""
    lines = t.lines
    for i, line, m in t.scan(_CF_EMAIL, ("protected", "email-protection", "__cf_email__")):
        a, b = m.start(), m.end()
        sa, _sb = _sentence_at(line, a)  # quote the words leading up to it, within its sentence
        start = line.rfind(" ", sa, a - 35) + 1 if a - sa > 40 else sa
        q = line[max(sa, start):b].strip()
        yield _finding(CONTACT, i, q or m.group(0), "Replace the \"[email protected]\" residue (left by a "
                       "website's e-mail obfuscation) with the contact e-mail address written out in full.")
    heads: list[str] | None = None  # made for the first reference that names a contact section: most have none
    for i, line, m in t.scan(_CONTACT_REF, ("contact",)):
        name = _norm_words(m.group("name"))
        if "contact" not in name:
            continue
        if heads is None:  # headings, plus short title-like lines that the segmenter may not have taken as headings
            heads = [_norm_words(h) for h in t.headings]
            heads += [_norm_words(ln) for ln in lines if 0 < len(ln.split()) <= 8 and not ln.rstrip().endswith(".")]
        if any(name in h or "contact" in h for h in heads):
            continue
        # "the contact information listed in Section 22 (How to contact Kiva)" where section 22 opens with a run-in
        # label in bold rather than a heading ("**22. How to contact Kiva**. ...")
        num = re.match(r"\s*(\d{1,3})\b", line[m.end():])
        if num and re.search(rf"^\W{{0,4}}{num.group(1)}\.?\s[^\n]{{0,80}}?\bcontact", t.doc.text, _I | _M):
            continue
        a, b = m.start(), m.end()
        sa, _sb = _sentence_at(line, a)
        k = max(line.rfind(" or ", sa, a), line.rfind(", ", sa, a))
        start = k + 1 if k >= 0 and a - k < 80 else max(sa, a - 60)
        q = line[start:b].strip()
        yield _finding(CONTACT, i, q, f"The text refers to a contact section (\"{m.group('name').strip()}\") "
                       "that does not exist; add that section with a postal address and e-mail, or correct "
                       "the reference.")
    yield from _truncated_emails(t)
    yield from _misspelt_email_domains(t)
    # an address whose "@" was lost in copying: "you can email privacytrustpilot.com"
    for i, _line, m in t.scan(_EMAIL_NO_AT, ("mail", "write to")):
        yield _finding(CONTACT, i, m.group(0), f"The e-mail address \"{m.group('addr')}\" has lost its \"@\": write "
                       "it out in full so that a reader can use it.")
    for i, _line, m in t.scan(_MAILTO_MISMATCH, ("mailto:",)):
        shown, target = m.group("shown").strip(".,;"), m.group("target")
        # "[_privacy@example.com_](mailto:privacy@example.com)": Markdown italics around the address shown
        em = re.fullmatch(r"(_{1,2})(?P<inner>.+)\1", shown)
        if shown.lower() != target.lower() and not (em and em.group("inner").lower() == target.lower()):
            yield _finding(CONTACT, i, m.group(0), f"The e-mail address shown ({shown}) is not the one the link "
                           f"opens ({target}): a reader who copies it and one who clicks it write to different "
                           "mailboxes; make them the same.")
    for i, _line, m in t.scan(_CONTACT_BELOW, ("below", "underneath", "beneath", "hereunder")):
        if _has_channel(t.doc.text[t.offsets[i - 1] + m.end():]):
            continue
        yield _finding(CONTACT, i, m.group(0), "The text points to contact details below, but none follow; "
                       "add the contact details or remove the reference.")
    for i, _line, m in t.scan(_PHONE_CUT, ("tel", "phone", "fax", "mobile")):
        yield _finding(CONTACT, i, m.group(0).strip(), f"The telephone number \"{m.group('num').strip()}\" is cut "
                       "off after its area code; write out the full number or remove the field.")
    for i, line, m in t.scan(_CONTACT_DANGLING, ("contact",)):
        # the address block that follows ("Acme / 580 Main Street / ... / privacy@acme.example")
        nxt = " ".join([ln for ln in lines[i:i + 24] if ln.strip()][:8])  # blank lines between do not count
        if _has_channel(line) or _has_channel(nxt):
            continue
        yield _finding(CONTACT, i, m.group(0).strip(), "The contact sentence ends without an address (the link "
                       "or e-mail was lost); write out the contact e-mail or postal address.")


#: A telephone field whose number stops after the area code and its separator ("Telefon: 06201/", "Phone: (030) -").
_PHONE_CUT = re.compile(r"\b(?:tel(?:efon|ephone)?|phone|fax|mobile)\b\.?\s*(?:no\.?|number)?\s*:\s*"
                        r"(?P<num>\+?[\d ()]{2,8}[/-])[ \t]*$", _I)


# a Markdown e-mail link: "[info@example.fi](mailto:info@example.com)"
_MAILTO_MISMATCH = re.compile(r"\[(?P<shown>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)\]"
                              r"\(mailto:(?P<target>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)(?:\?[^)\s]*)?\)", _I)


_DOMAIN = re.compile(r"(?:@|https?://|\bwww\.)((?:[\w-]+\.)+[a-z]{2,})\b", _I)


def _unaccented(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _one_edit_apart(a: str, b: str) -> bool:
    """One wrong letter or two neighbouring letters swapped turns a into b (a letter more or less is left
    alone: "example.com" and "examples.com" may well both exist)."""
    if a == b or len(a) != len(b) or _unaccented(a) == _unaccented(b):
        return False  # ("24sèvres.com" for "24sevres.com" is the brand's spelling, shown with its accent)
    diff = [k for k in range(len(a)) if a[k] != b[k]]
    return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                              and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])


def _name_uses(t: _Text, domain: str) -> int:
    """How often the domain's name (its first label without digits, "ireland" for "3ireland.ie") occurs."""
    core = re.sub(r"[\d-]+", "", domain.split(".")[0])
    return len(re.findall(re.escape(core), t.doc.text, _I)) if len(core) >= 4 else 0


#: An e-mail address with no dot after the "@" and nothing after it but punctuation and a space or the line's end.
_NO_TLD_EMAIL = _rx(r"(?<![\w.+/-])[A-Za-z0-9][\w.+-]*@[A-Za-z][\w-]{2,}(?=[.,;:)\]*_]*(?:\s|$))", _I | _M)


def _truncated_emails(t: _Text) -> Iterator[Finding]:
    """An address cut off before its top-level domain ("Email address: DPO@prepaysolutions"): mail to it goes
    nowhere."""
    for i, _line, m in t.scan(_NO_TLD_EMAIL, ("@",)):
        yield _finding(CONTACT, i, m.group(0), f"The e-mail address \"{m.group(0)}\" has no domain ending (such as "
                       "\".com\"); write the address out in full.")


def _misspelt_email_domains(t: _Text) -> Iterator[Finding]:
    """An e-mail address whose domain is one typing slip away from a domain the policy uses elsewhere
    ("privacy@3irleand.ie" beside "www.3ireland.ie"): mail to it goes nowhere."""
    if "@" not in t.doc.text:
        return
    # (searched where "@", "http" or "www." occurs: the pattern's `\\b` alternative kept a plain search from skipping)
    domains = {m.group(1).lower().removeprefix("www.") for m in t.finditer(_DOMAIN)}
    done: set[str] = set()
    for i, _line, m in t.scan(EMAIL, ("@",)):
        d = m.group(0).partition("@")[2].lower()  # "" for an "name [at] domain" spelling
        if len(d) < 6 or d in done:
            continue
        near = [o for o in domains if o != d and _one_edit_apart(d, o)
                and d.rsplit(".", 1)[-1] == o.rsplit(".", 1)[-1]]
        # of two spellings, the misspelt one is the one the rest of the text does not use: its name
        # ("3irleand") appears nowhere else, the other's ("Ireland") does
        if near and _name_uses(t, near[0]) > _name_uses(t, d):
            done.add(d)
            yield _finding(CONTACT, i, m.group(0), f"The e-mail domain \"{d}\" looks like a misspelling of "
                           f"\"{near[0]}\", used elsewhere in the policy; correct the address.")


#: A link a reader can use to reach the business: mailto:, a contact/support-request address or
#: a link whose text offers contact ("contact form", "write to us").
_CONTACT_LINK = re.compile(r"mailto:|https?://\S*(?:contact|/requests?/|/support/(?:new|request|ticket))|"
                           r"\[[^\]\n]*\b(?:contact|write\s+to\s+us|get\s+in\s+touch|reach\s+us|form)\b[^\]\n]*\]",
                           _I)
_ELSEWHERE = _rx(r"\bprivacy\s+(?:policy|notice|statement)\b[^\n]{0,80}?(?:\]\(|https?://|www\.)|"
                 r"(?:https?://|www\.)[^\s)]*privacy[^\n]{0,40}", _I)


#: an address label over the address, a part per line with no number in it ("Our registered address is :" over
#: "Customer Services" / "Airside Business Park" / "Swords" / "Co. Dublin"), as lexicon contact.address_block
_ADDRESS_BLOCK = _rx(r"\b(?:registered|postal|mailing|office|business|our|head\s+office|correspondence)\s+address"
                     r"(?:\s+is)?[ \t]*:[ \t]*\n[^\n:@]{2,60}\n[^\n:@]{2,60}\n[^\n:@]{2,60}", _I)

_ASKS_TO_CONTACT = _rx(r"\bplease\s+(?:e-?mail|contact|write\s+to|call|reach\s+out\s+to|get\s+in\s+touch\s+with)\b", _I)


def _no_contact(t: _Text) -> Iterator[Finding]:
    """A notice with no way at all to reach the business: no e-mail, phone, postal address or contact
    link anywhere. Reported once, where the text asks the reader to get in touch, else where it sends the
    reader elsewhere (another privacy policy), else at the title."""
    text = t.doc.text
    if _any_line_has_channel(t.lines) or _CONTACT_LINK.search(text) or _CF_EMAIL.search(text) \
            or _ADDRESS_BLOCK.search(text):
        return
    if any(contact for _i, _line, _m, contact in _template_vars(t)):
        return  # an unrendered contact variable is reported as that
    # where the text asks the reader to get in touch ("please email Customer Service ..."), else where it sends
    # the reader to another privacy policy (never an archive's header line)
    where = next((w for w in t.scan(_ASKS_TO_CONTACT, ("please",)) if not _is_corpus_header(w[1])), None) \
        or next((w for w in t.scan(_ELSEWHERE, ("privacy",)) if not _is_corpus_header(w[1])), None)
    if where:
        i, line, m = where
        a, b = _sentence_at(line, m.start())
        q = _clip(line[a:b])
    else:
        title = _title_line(t.doc)
        if title is None:
            return
        i, q = title
    yield _finding(CONTACT, i, q, "The notice gives no way to contact the business (no e-mail, postal address, "
                   "phone or contact form); add the privacy contact details to the notice itself.")


def _has_contact_channel(text: str) -> bool:
    return bool(EMAIL.search(text) or PHONE.search(text) or POSTAL.search(text))


def _any_line_has_channel(lines: tuple[str, ...]) -> bool:
    """`any(map(_has_contact_channel, lines))` from one search per pattern over the joined lines, line by
    line only when that cannot settle it (searching each line cost some 1,300 searches per ten notices).

    Exact for EMAIL, PHONE and POSTAL, whose only assertions are `\b` and look-behinds for classes
    without a line break: a line's match is a match of the joined text (so none there means none in any
    line), and a match of the joined text without a line break in it is one of its line."""
    joined = "\n".join(lines)
    spanning = False
    for rx in (EMAIL, PHONE, POSTAL):
        # where the tail every match ends with is absent (prefilter.suffix_gate), no match: EMAIL alone tried
        # every word of a notice without an address
        gate = gate_of(rx)
        m = rx.search(joined) if gate is None or gate.search(joined) is not None else None
        if m is not None:
            if "\n" not in m.group(0):
                return True
            spanning = True
    return spanning and any(map(_has_contact_channel, lines))


# --------------------------------------------------------------------------- conversion artifacts

_TOOL_RESIDUE = _rx(
    r"\b(?:converted|exported|transformed|generated)\s+(?:to|into|from)\s+(?:html|pdf|text|markdown|word|"
    r"docx?)\s+(?:with|by|using|via)\s+\S+(?:\s+\S+)?|\bWordToHTML(?:\.net)?\b|"
    r"\bMicrosoft\s+Word\s+-\s+\S+\.docx?\b|\bPage\s+\d{1,3}\s+of\s+\d{1,3}\b|"
    r"\bSave\s+as\s+Web\s+Page\b|\bdocument\s+converted\s+by\b|"
    r"\{\s*[\"'](?:\s|&nbsp;)*[\"']\s*\}", _I)  # {" "}: a JSX space left in when the page source was copied
_UI_LINE = _rx(
    r"^[^\w\n]*(?:select\s+(?:your\s+)?(?:country|language|region|location)\b[^\n]{0,60}|"
    r"choose\s+(?:your\s+)?(?:country|language|region)\b[^\n]{0,60}|skip\s+to\s+(?:main\s+)?content|"
    r"back\s+to\s+top|skip\s+to\s+main\b|print\s+(?:this\s+)?page|share\s+(?:this\s+page|on\s+\w+)|"
    r"toggle\s+navigation|"
    r"(?:open|close)\s+menu|scroll\s+to\s+top|javascript\s+(?:is\s+)?(?:required|disabled)\b[^\n]{0,60}|"
    # (a link's target after the label: "[Skip to main](#content)")
    r"you\s+need\s+to\s+enable\s+javascript\b[^\n]{0,60}|loading\.\.\.)(?:\]\([^)\n]*\))?[^\w\n]*$", _I | _M)
_TOOL_GATES = ("converted", "exported", "transformed", "generated", "wordtohtml", "microsoft word", "page ",
               "save as web", '{"', "{'", '{ "', "{ '")
_EXPAND_TOGGLE = re.compile(r"[\s*_>\[]*(?:see|read|show|view)\s+(?:more|all|details)[\s.…*_\]]*|"
                            r"[\s*_]*(?:expand|\+)[\s*_]*", re.I)
_UI_GATES = ("select", "choose", "skip to", "back to top", "print", "share", "toggle", "menu", "scroll to",
             "javascript", "loading")
_LONG_WORD = re.compile(r"\S{24,}")  # `\s` is the whitespace str.split() splits at (Py_UNICODE_ISSPACE)
_RUN_ON = re.compile(r"(?<![\w/@.#=&%-])[A-Za-z]{24,}(?![\w/@.=&%-])")
_CASE_FLIP = re.compile(r"[a-z][A-Z]|[A-Z][a-z]")
# Words run together at punctuation, or split at a ligature (ff, fi, fl) by PDF extraction.
_PUNCT_JOINED = re.compile(r"[,;](?=[a-z]{3,}\b)")
#: a date label run into its month when a conversion lost the space: "UpdatedNovember 14, 2023"
_LABEL_GLUED = re.compile(r"\b(?:Updated|Effective|Revised|Modified|Amended|Published|Dated)(?:January|February|March|"
                          r"April|May|June|July|August|September|October|November|December)\b")
#: a word run into a web address ("GDPRhttps://prighter.com/verify/13361347"): the space before the link was lost
_URL_GLUED = re.compile(r"(?<![\w/@.#=&%:\"'(\[<-])[A-Za-z]{2,}(?=https?://)")
_LIGATURE = re.compile(
    r"\b(?!(?:off|staff|stuff|tariff|cliff|sheriff|bluff|diff|buff|cuff|puff|riff|sniff|scoff|chaff|gaff|"
    r"toff|wifi|hifi|scifi)\b)[a-z]*(?:ff|fi|fl)[ ](?:ective|ectively|ice|ices|icial|ered|ers|ort|orts|ect|"
    r"ects|erent|erence|icult|iculty|cial|ication|ications|ied|ow|ows|ile|iles|ight|ights|irm|orm|ormation|"
    r"uence|exible)\b")
_INVISIBLE_CHARS = "\u200b\u200c\u2060\ufeff\ufffd"
#: A letter's accent left as a character of its own inside a word ("D¨sseldorf", "Gr¨ngasse" for Düsseldorf,
#: Grüngasse): the conversion split the accented letter and lost its base. (Not the acute accent used as an
#: apostrophe, "don´t".)
_ACCENT_CHARS = "\u00a8\u02dc\u02c6\u00b8\u02dd"
_SPLIT_ACCENT = re.compile(f"(?<=[A-Za-z])[{_ACCENT_CHARS}](?=[a-z])")
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
# (also an empty bold pair beside the text, "... our system automatically registers data. ****", not a "****" rule line)
_STRAY_MARKUP = _rx(r"(?<=\s)\*\*(?=[\s,.;:])|\*\*\s+\*\*(?=\S)|(?<=[^\s*] )\*{4}(?!\*)|(?<!\*)\*{4}(?= [^\s*])")
_SLUG = re.compile(r"(?<![\w/.#-])(?P<slug>[a-z]{2,}(?:-[a-z]{2,})+)(?![\w/.-])")
# "click here" whose address follows ("click here [https://...]", "click here: www...") kept its target
_CLICK_HERE = _rx(r"\b(?:click(?:ing)?|tap(?:ping)?)\s+(?:on\s+)?here\b(?!\s*\]\()(?![\s:(\[<]{0,4}(?:https?://|www\.))",
                  _I)
_LIST_NUM = re.compile(r"^(?P<ind>[ \t]*)(?P<num>\d{1,2})\.[ \t\u00a0]+\S", _M)
_SUBSEC = re.compile(r"^[ \t]*(?P<num>\d{1,2}\.\d{1,2})[ \t\u00a0]+\S", _M)
_ANNOUNCE = _rx(r"\b(?:go\s+to|visit|see|at|here|following|below|as\s+follows|these)\s*:[ \t\u00a0]*$", _I | _M)
_PAGE_NUM = re.compile(r"(?P<n>\d{1,3})(?= [a-z])")
_PAGE_NUM_BEFORE = re.compile(
    r"\b(?:of|than|within|to|age|ages|over|under|least|about|approximately|up|first|last|section|article|"
    r"paragraph|code|the|after|before|for|every|each|next|past|only|all|top|and|or|by|in|at|per|aged|number|"
    r"no|rule|chapter|schedule|annex|part|title|step|level|version|days?|months?|years?|approx|around|some|"
    r"nearly|almost|exactly|additional|another|these|those|with|from|on|is|are|be|was|were)\s$", _I)
_PAGE_NUM_AFTER = re.compile(
    r"\s(?:days?|weeks?|months?|years?|hours?|minutes?|seconds?|times?|percent|per|or|and|to|of|business|"
    r"calendar|working|digits?|characters?|cookies?|countries|states|languages|people|persons|users|customers|"
    r"employees|million|billion|thousand|hundred|members?|companies|categories|sites|stores|locations|kb|mb|"
    r"gb|am|pm|a\.m|p\.m)\b", _I)


#: Markdown links broken in the source: a space between "]" and "(" (the link shows as literal text),
#: or "[text](url" never closed on its line. Well-formed links and reference links are not matched.
_BROKEN_LINK = _rx(
    r"(?<![\]\\])!?\[[^\[\]\n]{1,200}\]\s+\((?:https?://|www\.|/|#|mailto:)[^()\s]*\)|"
    r"(?<![\]\\])!?\[[^\[\]\n]{1,200}\]\((?:https?://|www\.|/|#|mailto:)[^()\n]*$", _I | _M)
#: A Markdown link whose address scheme is misspelt, so it leads nowhere: "[Cookies](linkto:#ps-t3)",
#: "(htps://...)", "(http//...)".
_BAD_SCHEME_LINK = _rx(r"(?<![\]\\])!?\[[^\[\]\n]{1,200}\]\((?P<scheme>linkto:|link:|htps?://|htp://|htttps?://|https?//|"
                       r"https?:/(?!/)|https?;//|mailto//)[^()\s]*\)", _I)
_HTML_TAGS = (r"p|br|div|span|a|b|i|u|em|strong|ul|ol|li|dl|dt|dd|table|tr|td|th|tbody|thead|tfoot|h[1-6]|font|"
              r"img|hr|sup|sub|section|article|header|footer|nav|blockquote|small|center|label|input|button|form|"
              r"iframe|script|style|meta|link|o:p|st1:\w+")
_HTML_ENTITIES = (r"nbsp|amp|lt|gt|quot|apos|[lr]squo|[lr]dquo|[sb]dquo|ndash|mdash|hellip|copy|reg|trade|sect|"
                  r"para|middot|bull|euro|pound|laquo|raquo|shy|zwn?j|[ae]nsp|emsp|thinsp|szlig|"
                  r"[a-zA-Z](?:uml|acute|grave|circ|tilde|cedil)|#\d{2,6}|#x[0-9a-fA-F]{2,5}")
#: A closing tag in a Markdown source, residue when its element never opens anywhere in the text.
_STRAY_CLOSING_TAG = re.compile(r"</(li|p|div|span|ul|ol|td|tr|th|table|strong|em|b|i|u|a|h[1-6]|br|font)\s*>", _I)
#: Markup a reader would see: raw tags and entities in plain text (a Markdown source may use them,
#: its renderer turns them into formatting), and escaped tags or double-escaped entities in any source.
_RAW_MARKUP = _rx(rf"</?(?:{_HTML_TAGS})(?:\s[^<>\n]{{0,200}}?)?/?>|&(?:{_HTML_ENTITIES});", _I)
_ESCAPED_MARKUP = _rx(rf"&lt;/?(?:{_HTML_TAGS})\b[^&\n]{{0,200}}?/?&gt;|&amp;(?:{_HTML_ENTITIES});", _I)
_MD_LINK = re.compile(r"\]\([^)\s]+\)|^#{1,6}\s+\S", _M)
#: In a Markdown source, inline tags (<br>, <strong>, <sup>) are syntax its renderer turns into formatting;
#: a web page's own structure is not: layout elements (<section>, <header>, <div>, <script>) and tags carrying
#: page styling (class=, style=, align=): the page's code was saved with the text ('<section class="top">',
#: '<h1 style="text-align: center;">PRIVACY POLICY</h1>').
_PAGE_MARKUP = _rx(r"</?(?:section|header|footer|nav|div|main|aside|article|body|html|head|script|style|iframe|"
                   r"form|noscript|svg)\b[^<>\n]{0,200}>|"
                   rf"<(?:{_HTML_TAGS})\s[^<>\n]{{0,200}}?\b(?:class|style|align|bgcolor|width)\s*="
                   r"[^<>\n]{0,200}>", _I)


#: A web address broken by a space after its dot ("http://www. networkadvertising.org/managing/opt_out.asp"): a
#: line wrapped or re-flowed inside the address, so it no longer works as typed or clicked.
_SPLIT_URL = _rx(r"\b(?:https?://)?www\.[ \t]+[a-z0-9-]+\.(?:com|org|net|gov|edu|info|io|co|de|uk|in|eu|fr|ie|au|ca)\b",
                 _I)
_TOKEN_REST = re.compile(r"[^\s)\]]*")  # the rest of an address after its host
#: A link that goes nowhere: the target is a bare "#", about:blank or a javascript: call ("[Your Privacy
#: Choices](#)", "click this [link](http://about:blank)"): the page's script or address was lost.
_DEAD_LINK = _rx(r"(?<![\]\\])\[([^\[\]\n]{1,200})\]\((?:|#|(?:https?://)?about:blank|javascript:[^)\s]*)\)", _I)
_LINKS = re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)+|[*\-•]")
#: A link with no text ("[](#nav__mobile)", "[](https://example.org/cert/98.html)", "### [](#1-intro)1. Intro"):
#: an icon, logo or heading anchor captured without its image, so the reader sees nothing to follow.
_EMPTY_LINK = re.compile(r"(?<![!\]\\\w])\[[ \t\u00a0]*\]\((?P<target>[^()\s]+)(?:\s+\"[^\"\n]*\")?\)")
#: A link whose address a script failed to fill in ("[Terms](https://example.com/undefined)"), or one
#: rewritten by a mail filter when it was pasted from an e-mail ("https://eur01.safelinks.protection.outlook.com/?url=").
_SCRIPT_LINK = _rx(r"\]\((?:https?:)?//?[^()\s]*?/(?:undefined|null|NaN|%5Bobject%20Object%5D|\[object%20Object\])"
                   r"(?=[/?#)])[^()\s]*\)", _I)
_MAIL_FILTER_LINK = _rx(r"https?://[\w.-]*safelinks\.protection\.outlook\.com/[^\s)\]]*", _I)
#: The dead link is how to reach the business or make a request: a broken contact, not only markup.
_REQUEST_WORDS = _rx(r"\b(?:contact|request|submit|opt[- ]?out|privacy choices|form|e-?mail|write to|reach|exercise|"
                     r"delet\w*|access)\b", _I)


def _is_markdown(t: _Text) -> bool:
    """A Markdown source (by name, front matter, or its links and headings), where inline HTML is syntax."""
    if t.doc.fmt == "markdown" or (t.lines and t.lines[0].strip() == "---"):
        return True
    return len(_MD_LINK.findall(t.doc.text, 0, 200_000)) >= 3


def _markup(t: _Text) -> Iterator[Finding]:
    """Raw HTML tags or entities, and broken Markdown links, left in the published text."""
    code = _code_lines(t)
    markdown = _is_markdown(t)
    rx = _ESCAPED_MARKUP if markdown or t.doc.fmt == "html" else _RAW_MARKUP
    seen: set[int] = set()
    if markdown and t.doc.fmt != "html":
        # one finding for the page's structure, however many lines carry it (a saved page has dozens)
        page = [(i, line, m) for i, line, m in t.scan(_PAGE_MARKUP, ("<",))
                if i not in code and not _in_inline_code(line, m.start())]
        if page:
            i, line, m = page[0]
            at = sorted({k for k, _l, _m in page})
            seen.update(at)
            more = _also_on(at, "Page code of this kind is on {} lines")
            yield _finding(CONVERSION, i, _around(line, m.start(), m.end(), 20, 10),
                           f"Remove the web page's code \"{_clip(m.group(0), 40)}\" saved with the text; the "
                           f"reader of the notice sees the code, not the page.{more}", line_end=at[-1])
    for i, line, m in t.scan(rx, ("<", "&")):
        if i in code or i in seen or _in_inline_code(line, m.start()):
            continue
        seen.add(i)
        q = _around(line, m.start(), m.end(), 20, 10)
        yield _finding(CONVERSION, i, q, f"Remove the HTML markup \"{_clip(m.group(0), 40)}\" left in the text "
                       "(or render it); the reader sees the code instead of formatting.")
    if markdown and t.doc.fmt != "html":
        # a closing tag whose element never opens ("- the browser and browser version in use, and</li>"): Markdown
        # may hold HTML, but not half of it
        for i, line, m in t.scan(_STRAY_CLOSING_TAG, ("</",)):
            if i in code or i in seen or _in_inline_code(line, m.start()) or f"<{m.group(1).lower()}" in t.low:
                continue
            seen.add(i)
            yield _finding(CONVERSION, i, _around(line, m.start(), m.end(), 20, 10), f"Remove the stray closing "
                           f"tag \"{m.group(0)}\" left in the text: its element never opens, so the reader sees code.")
    anchors: list[int] = []  # headings numbered through empty links: "## [1.]() What personal data we collect"
    for i, line, m in t.scan(_SPLIT_URL, ("www. ", "www.\t")):
        if i in code or _in_inline_code(line, m.start()):
            continue
        end = m.end() + len(_TOKEN_REST.match(line, m.end()).group(0).rstrip(".,;:!?"))  # the rest of the address
        yield _finding(CONVERSION, i, _clip(line[m.start():end], 120),
                       "Repair the web address: a space after \"www.\" breaks it, so it does not work as typed or "
                       "clicked.")
    for i, line, m in t.scan(_DEAD_LINK, ("](",)):
        if i in code or _in_inline_code(line, m.start()):
            continue
        if line.lstrip().startswith("#") and line.count("](") == 1 and m.group(0).endswith("()"):
            anchors.append(i)
            continue
        # a script-driven menu ("* [Support](#)") is site furniture; a dead link inside a sentence is a defect
        if len(_LINKS.sub(" ", line).split()) < 4:
            continue
        sa, sb = _sentence_at(line, m.start())
        lead = " ".join(t.lines[max(0, i - 3):i - 1])  # the lead-in of a list item: "To submit a request:"
        if _REQUEST_WORDS.search(line[sa:sb]) or (line.lstrip()[:1] in "*-•" and _REQUEST_WORDS.search(lead)):
            yield _finding(CONTACT, i, _clip(line[sa:sb].strip(), 200), f"The link \"{_clip(m.group(1), 60)}\" "
                           "goes nowhere (its address was lost); give the working address of the page, form or "
                           "e-mail it stands for.")
        else:
            yield _finding(CONVERSION, i, _clip(m.group(0), 200), "Repair the link: it points nowhere (\"#\", "
                           "about:blank or a script call), so the reader cannot follow it.")
    if anchors:
        first = t.lines[anchors[0] - 1].strip()
        many = f"{len(anchors)} headings" if len(anchors) > 1 else "a heading"
        yield _finding(CONVERSION, anchors[0], _clip(first, 120), f"Remove the empty link markup from {many} "
                       f"(e.g. \"{_clip(first, 40)}\"): the anchors lost their targets in conversion.",
                       line_end=anchors[-1])
    empty = [(i, m.group(0)) for i, line, m in t.scan(_EMPTY_LINK, ("[](", "[ ](", "[\u00a0]("))
             if i not in code and not _in_inline_code(line, m.start())]
    if empty:
        start = min(i for i, _q in empty)
        q = next(q for i, q in empty if i == start)  # the first such link on the first such line
        many = f"{len(empty)} links" if len(empty) > 1 else "a link"
        yield _finding(CONVERSION, start, _clip(q, 120), f"Remove or repair {many} with no text (e.g. "
                       f"\"{_clip(q, 50)}\"): icons or heading anchors copied without their images, so the "
                       "reader sees nothing to follow.", line_end=max(i for i, _q in empty))
    for i, line, m in t.scan(_SCRIPT_LINK, ("undefined", "null", "nan", "object")):
        if i in code or _in_inline_code(line, m.start()):
            continue
        a = line.rfind("[", 0, m.start())
        q = line[a:m.end()] if a >= 0 and m.start() - a <= 200 else m.group(0)
        yield _finding(CONVERSION, i, _clip(q, 200), "Repair the link: its address ends in a script's missing "
                       "value (\"undefined\", \"null\"), so it leads to an error page.")
    for i, _line, m in t.scan(_MAIL_FILTER_LINK, ("safelinks",)):
        yield _finding(CONVERSION, i, _clip(m.group(0), 80), "Replace the link rewritten by an e-mail filter "
                       "(\"safelinks.protection.outlook.com\") with the plain address; it was pasted from an "
                       "e-mail and may expire or be blocked.")
    bad = [(i, m) for i, line, m in t.scan(_BAD_SCHEME_LINK, ("](",))
           if i not in code and not _in_inline_code(line, m.start())]
    if bad:  # one finding for all of them: a page converted with one wrong scheme has it in every link
        (i, m), at = bad[0], sorted({k for k, _m in bad})
        more = _also_on(at, "Such links are on {} lines")
        yield _finding(CONVERSION, i, _clip(m.group(0), 200), f"Repair the link address: \"{m.group('scheme')}\" is "
                       f"no web, e-mail or page address, so the link leads nowhere.{more}", line_end=at[-1])
    for i, line, m in t.scan(_BROKEN_LINK, ("[",)):
        if i in code or _in_inline_code(line, m.start()):
            continue
        yield _finding(CONVERSION, i, _clip(m.group(0), 200), "Repair the broken link syntax (no space between "
                       "\"]\" and \"(\", and a closing \")\"); as written the address shows as text and the link "
                       "does not work.")


#: A cross-reference whose link text was lost: "see" with nothing to see ("you can unsubscribe at any time
#: - see for further information", "by contacting us – see or by completing", "... database  see.").
_LOST_SEE = _rx(r"\b(?:check out|visit|see|read|review|consult|refer to|go to)\s+(?:our|the)\s+(?=for\b|to learn\b|"
                r"to find\b|[.,;)])|"
                r"(?:[–—:(]\s*|\s-\s*|\s{2,})see\s*(?=(?:for (?:further|more)\b|or\b|and\b|[.,;)]|$))|"
                r"(?<!you can )(?<!you will )(?<!we )\bsee for (?:further|more) (?:information|details)\b", _I | _M)


#: An image with no alt text whose address is a spacer or a tracking pixel.
_PIXEL = re.compile(r"!\[\]\((?:[^)\s]*?/)?(?:[^)\s/]*?(?:spacer|pixel|blank|clear|transparent|1x1)[^)\s/]*"
                    r"|0|t|s|p|1)\.(?:gif|png)(?:\?[^)\s]*)?\)|!\[\]\([^)\s]*/(?:track|pixel|conv|tr|beacon)[/?][^)\s]*\)|"
                    r"!\[\]\([^)\s]*[?&]noscript=1\b[^)\s]*\)|"
                    # no alt text, no file type, a query string: a measurement beacon ("/p?c1=2&c2=78...")
                    r"!\[\]\(https?://[^)\s]*/[^)\s/.?]*\?[^)\s]*\)",
                    re.IGNORECASE)

#: A reference to a table or chart that should follow ("set out in the table below", "the following chart").
_TABLE_BELOW = _rx(r"\b(?:tables?|charts?)\s+(?:below|underneath|that follows)\b|"
                   r"\b(?:following|below)\s+(?:tables?|charts?)\b", _I)


_LOST_SEE_GATES = ("see", "check out", "visit", "read", "review", "consult", "refer to", "go to")


def _conversion(t: _Text) -> Iterator[Finding]:
    """Residue of copying the notice out of another format (Word, PDF, a web page, an archive)."""
    lines = t.lines
    links_kept = t.doc.fmt != "html"  # from HTML our own extraction drops links: not the drafter's fault
    if links_kept:
        for i, line, m in t.scan(_LOST_SEE, _LOST_SEE_GATES):
            yield _finding(CONVERSION, i, _around(line, m.start(), m.end(), 30, 25).strip(), "Restore the link or "
                           "reference that was lost in conversion (\"see ...\", \"check out our ...\"): the reader "
                           "is sent nowhere.")
    for i, line in enumerate(lines[:5], start=1):
        m = CORPUS_HEADER.match(line)
        if m:
            q = line[m.start():].lstrip("> *_")
            k = q.find(" that was archived")
            q = _clip(q[:k] if k > 20 else q, 120)
            yield _finding(CONVERSION, i, q, "Delete the archive/extraction header, which is not part of the "
                           "policy text.")
    for i, _line, m in t.scan(_TOOL_RESIDUE, _TOOL_GATES):
        yield _finding(CONVERSION, i, m.group(0).strip(), f"Delete the conversion-tool residue "
                       f"\"{_clip(m.group(0), 50)}\" from the published notice.")
    # one finding per label, however often the page repeats it ("Back to top" under every section): fifteen
    # identical rows would bury the report's other findings
    labels: dict[str, list[int]] = {}
    for i, line, _m in t.scan(_UI_LINE, _UI_GATES):
        s = line.strip()
        if len(s) <= 70 and not s.endswith("."):  # a label, not an instruction sentence
            labels.setdefault(s, []).append(i)
    for s, at in labels.items():
        more = _also_on(at, "It appears {} times")
        yield _finding(CONVERSION, at[0], s, f"Delete the website control label \"{_clip(s, 50)}\", which was "
                       f"copied in with the text and means nothing in the notice.{more}")
    # sections captured collapsed: "See more" under each heading, the text behind it not in the copy
    toggles = [i for i, ln in enumerate(lines, start=1) if len(ln) <= 24 and _EXPAND_TOGGLE.fullmatch(ln)]
    if len(toggles) >= 2:
        yield _finding(CONVERSION, toggles[0], lines[toggles[0] - 1].strip(), f"The page was copied with its "
                       f"sections collapsed (\"{lines[toggles[0] - 1].strip()}\" {len(toggles)} times): the text "
                       "behind them is not in this copy, so what it says could not be checked; copy the expanded page.")
    # the lines with a word (a run without whitespace, as str.split sees it) of 24 characters or more, found by
    # one search of the document's text (its lines joined by "\n", which t.offsets index) instead of splitting
    # every line
    long_lines = sorted({bisect_right(t.offsets, m.start()) for m in _LONG_WORD.finditer(t.doc.text)})
    for i, m in ((k, m) for k in long_lines for m in _RUN_ON.finditer(lines[k - 1])):
        w = m.group(0)
        if len(w) >= 30 or len(_CASE_FLIP.findall(w)) >= 2:
            yield _finding(CONVERSION, i, w, f"Restore the missing spaces in \"{_clip(w, 40)}\"; the words were "
                           "run together when the text was converted.")
    joined: set[int] = set()
    for i, line, m in (*t.scan(_PUNCT_JOINED), *t.scan(_LIGATURE, ("ff ", "fi ", "fl ")), *t.scan(_LABEL_GLUED),
                       *t.scan(_URL_GLUED, ("http",))):
        if i in joined or (m.re is _PUNCT_JOINED and not re.search(r"(?<![\w.@/&-])[a-z]{3,}$", line[:m.start()])):
            continue
        joined.add(i)
        q = _around(line, m.start(), m.end(), 12, 4)
        yield _finding(CONVERSION, i, q, f"Repair the broken or run-together words in \"{_clip(q, 50)}\" left by "
                       "the conversion.")
    invisible: set[int] = set()
    for i, line, m in t.scan(_INVISIBLE, tuple(_INVISIBLE_CHARS)):
        if i in invisible:
            continue
        invisible.add(i)
        q = _around(line, m.start(), m.end(), 30, 12)
        yield _finding(CONVERSION, i, q, "Remove the invisible characters (zero-width spaces or replacement "
                       "characters) that the conversion left in this line.")
    split = list(t.scan(_SPLIT_ACCENT, tuple(_ACCENT_CHARS)))
    if split:
        i, line, m = split[0]
        at = sorted({k for k, _l, _m in split})
        w = re.search(r"\S*$", line[:m.start()]).group(0) + re.match(r"\S*", line[m.start():]).group(0)
        more = _also_on(at, "It is on {} lines")
        yield _finding(CONVERSION, i, w, f"Restore the accented letters in \"{_clip(w, 40)}\": the conversion left the "
                       f"accent as a character of its own and lost the letter.{more}", line_end=at[-1])
    marks: set[int] = set()
    empty: list[tuple[int, str, int, int]] = []  # empty bold pairs ("****"): one finding for all of them
    for i, line, m in t.scan(_STRAY_MARKUP, ("**",)):
        if i in marks:
            continue
        if m.group(0) == "****":
            if not empty or empty[-1][0] != i:
                empty.append((i, line, m.start(), m.end()))
            continue
        # "**Acme Ltd,** **Attn: Privacy**": the first pair closes an open bold run, the second opens one
        if m.group(0).startswith("**") and m.group(0).strip() != "**" and line[:m.start()].count("**") % 2 == 1:
            continue
        # "... [**this form**](url) **, contact us at** [...]": a bold run reopened after a link, closed
        # later on the line, is Markdown, not a stray mark
        if m.group(0) == "**" and line[:m.start()].rstrip().endswith((")", "**")) \
                and line[:m.start()].count("**") % 2 == 0 and line[m.end():].count("**") % 2 == 1:
            continue
        marks.add(i)
        q = _around(line, m.start(), m.end(), 20, 10)
        yield _finding(CONVERSION, i, q, f"Remove the stray formatting marks (\"**\") in \"{_clip(q, 50)}\", "
                       "which break up the text the reader sees.")
    if empty:
        i, line, a, b = empty[0]
        q = _around(line, a, b, 20, 10)
        at = [k for k, *_ in empty]
        more = _also_on(at, "They are on {} lines")
        yield _finding(CONVERSION, i, q, f"Remove the empty formatting marks (\"****\") in \"{_clip(q, 50)}\", left "
                       f"by the conversion.{more}", line_end=at[-1])
    if links_kept:
        for i, line, m in t.scan(_SLUG, ("-",)):
            words = m.group("slug").split("-")
            a = m.start()
            before = re.findall(r"[A-Za-z]+", line[max(0, a - 80):a])[-len(words):]
            if [w.lower() for w in before] == words:
                q = _around(line, a, m.end(), 25, 0)
                yield _finding(CONVERSION, i, q, f"Replace the bare link text \"{m.group('slug')}\" with a working "
                               "link or the full address of the referenced document.")
        for i, line, m in t.scan(_CLICK_HERE, ("click", "tap")):
            a = m.start()
            sa, _sb = _sentence_at(line, a)
            q = line[max(sa, line.rfind(" ", sa, max(sa, a - 50)) + 1): m.end()].strip()
            yield _finding(CONVERSION, i, q, "The \"click here\" link has lost its target; give the web address "
                           "or say where the reader finds the setting.")
    # A sentence announcing a list or links, followed directly by a heading: the list was lost.
    for i, line in enumerate(lines, start=1):
        if not line.rstrip().endswith(":") or i in t.heading_lines or len(line.split()) < 6:
            continue
        if not _ANNOUNCE.search(line):
            continue
        if _section_ends_after(t, i):
            sa, _sb = _sentence_at(line, len(line.rstrip()) - 1)
            yield _finding(CONVERSION, i, _clip(line[sa:]), "The sentence announces a list or links that are "
                           "missing; restore the omitted items or delete the announcement.")
    # a spacer image or tracking pixel captured with the text ("![](/libs/cq/ui/resources/0.gif)")
    for i, _line, m in t.scan(_PIXEL, ("![",)):
        yield _finding(CONVERSION, i, m.group(0), "Delete the spacer image or tracking pixel that was captured "
                       "with the text; it is page code, not part of the notice.")
    # "... set out in the table below." followed directly by the next section: the table was lost.
    for i, line, m in t.scan(_TABLE_BELOW, ("table", "chart")):
        if i in t.heading_lines:
            continue
        if _section_ends_after(t, i):
            sa, sb = _sentence_at(line, m.start())
            q = line[sa:sb].strip() if sb - sa <= 120 else _around(line, m.start(), m.end(), 60, 10).strip()
            yield _finding(CONVERSION, i, q, "The sentence refers to a table that is "
                           "not in the text; restore the table or rewrite the passage without it.")
    yield from _markup(t)
    yield from _flattened_tables(t)
    yield from _merged_items(t)
    yield from _duplicate_lines(t)
    yield from _lost_numbering(t)
    yield from _page_numbers(t)


def _section_ends_after(t: _Text, i: int) -> bool:
    """Whether line i is the last text of its section: the next non-empty line is a '#' heading of the
    same or a higher level, or there is none. A deeper heading ("the following types:" then "#### 12.1
    Transient cookies") opens the sub-sections that hold what line i announced."""
    lines = t.lines
    nxt = next((k for k in range(i + 1, len(lines) + 1) if lines[k - 1].strip()), None)
    if nxt is None:
        return True
    return nxt in t.heading_lines and lines[nxt - 1].lstrip().startswith("#") and not _subsection_follows(lines, i, nxt)


def _heading_level(line: str) -> int:
    s = line.lstrip()
    return len(s) - len(s.lstrip("#"))


def _subsection_follows(lines: list[str] | tuple[str, ...], i: int, nxt: int) -> bool:
    """Whether the heading after line i is deeper than the heading of i's own section."""
    level = _heading_level(lines[nxt - 1])
    if not level:
        return False
    own = next((_heading_level(lines[k - 1]) for k in range(i - 1, 0, -1) if _heading_level(lines[k - 1])), 0)
    return own > 0 and level > own


_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$", _M)


def _flattened_tables(t: _Text) -> Iterator[Finding]:
    """A table whose header cells were put one per line, with lone "|" lines between them: the reader
    sees a column of fragments instead of a table (an HTML table flattened by the conversion)."""
    lines = t.lines
    for i, _line, _m in t.scan(_TABLE_RULE, ("--",)):
        start, pipes = None, 0
        for k in range(i - 1, 0, -1):
            s = lines[k - 1].strip()
            if not s:
                continue
            if s == "|":
                pipes += 1
            elif "|" in s or s.startswith("#") or len(s) > 60 or s.endswith((".", ":")):
                break
            start = k
        if start is None or not pipes:
            continue
        yield _finding(CONVERSION, start, _clip(lines[start - 1].strip(), 60), "Restore this table: its header "
                       "cells were put on separate lines with stray \"|\" marks between them when the text was "
                       "converted, so the reader cannot see which cell belongs to which column.", line_end=i)


_BULLET_ITEM = re.compile(r"^[ \t]*(?:[*\-•·▪◦●]|\d{1,2}[.)])[ \t\u00a0]+(?P<body>\S.*)$", _M)


def _merged_items(t: _Text) -> Iterator[Finding]:
    """Two list items run into one ("Right to object Right to portability"): the line break was lost."""
    items = [(i, m.group("body")) for i, _line, m in t.scan(_BULLET_ITEM)]
    counts = Counter(" ".join(body.split()[:2]) for _i, body in items if len(body.split()) >= 3)
    leads = [lead for lead, n in counts.items() if n >= 3 and lead[:1].isupper() and " " in lead]
    for i, body in items:
        for lead in leads:
            k = body.find(" " + lead + " ", len(lead))
            if k > 0 and body[k - 1].isalpha() and body[k - 1].islower():
                end = body.find(" ", k + len(lead) + 2)
                q = body[: end if end > 0 else len(body)]
                yield _finding(CONVERSION, i, q, f"Split \"{_clip(q, 60)}\" into separate list items; two items "
                               "were merged when the text was converted.")
                break


_BASIS_SENTENCE = re.compile(r"\b(?:art(?:icle)?\.?\s*6|legal basis|lawful basis|legal ground|legitimate interests?|"
                            r"performance of (?:a|the) contract|necessary for the performance)\b", re.IGNORECASE)


def _duplicate_lines(t: _Text) -> Iterator[Finding]:
    """The same full sentence repeated as separate paragraphs: copy-paste or extraction residue. Two
    parallel sections may share a sentence ("The legal basis is Art. 6(1)(b) GDPR." under both
    "Facebook" and "Google"): a repeat counts when it is in the same section, or three times or more."""
    where: dict[str, list[int]] = {}
    for i, line in enumerate(t.lines, start=1):
        s = line.strip()
        if len(s) < 30 or not s.endswith((".", "!", "?")) or s[0] in "*-•" or i in t.heading_lines:
            continue
        key = " ".join(s.split()).lower()
        if len(key.split()) < 6:
            continue
        where.setdefault(key, []).append(i)
    # a contact line repeated (a footer, an address under each section) is not a stray copy; asked
    # only of repeated lines, since the channel search costs more than the grouping
    where = {key: [i for i in at if not _has_channel(t.lines[i - 1].strip())] if len(at) > 1 else at
             for key, at in where.items()}
    heads = sorted(t.heading_lines)

    def section_title(i: int) -> str:
        k = bisect_right(heads, i) - 1
        return " ".join(t.lines[heads[k] - 1].split()).lower() if k >= 0 else ""

    found = []
    for key, at in where.items():
        if len(at) < 2:
            continue
        pairs = list(zip(at, at[1:], strict=False))
        # "This processing is necessary for the performance of the contract (Art. 6(1)(b) GDPR)." closes
        # each processing operation's paragraph: the same basis stated again is not a stray copy
        # (unless the copies are back to back)
        if _BASIS_SENTENCE.search(key) and all(b - a > 4 for a, b in pairs):
            continue
        # the same text in the sections for different groups ("If you live in the EEA" and "If you
        # live in Brazil", one per US state) is repeated by design
        scopes = {t.line_scopes.get(i, "all") for i in at}
        if len(scopes) == len(at) > 1:
            continue
        same_section = any(not any(a < h < b for h in heads) for a, b in pairs)
        # the same heading again above the copy: a section (or the whole notice) pasted twice
        same_title = any(section_title(a) and section_title(a) == section_title(b) for a, b in pairs)
        if len(at) >= 3 or same_section or same_title:
            found.append(at)
    if len(found) > 5:  # a whole block pasted twice: one finding, not one per paragraph
        first, again = min(found)[0], min(found)[1]
        yield _finding(CONVERSION, first, _clip(t.lines[first - 1]), f"The text from line {first} is repeated "
                       f"from line {again} on ({len(found)} paragraphs); delete the second copy.")
        return
    for at in sorted(found):
        first, again = at[0], at[1]
        s = t.lines[again - 1].strip()
        yield _finding(CONVERSION, first, _clip(t.lines[first - 1]), f"The paragraph \"{_clip(s, 50)}\" is "
                       f"repeated (line {first}, again at line {again}); delete the stray copies.")


def _lost_numbering(t: _Text) -> Iterator[Finding]:
    """Sections all numbered "1." (numbering lost in conversion), and stray sub-numbers like "2.6"."""
    lines = t.lines
    prev: dict[str, int] = {}
    prev_line: dict[str, int] = {}
    restarts: list[int] = []
    ones = others = 0
    markdown = _is_markdown(t) and t.doc.fmt != "html"
    for m in _LIST_NUM.finditer(t.doc.text):
        i = bisect_right(t.offsets, m.start())
        ind, num = m.group("ind").replace("\t", "    "), int(m.group("num"))
        ones += num == 1
        others += num != 1
        # "1." again at the same indentation, after text that is not part of the list (in Markdown, text indented
        # under the item is its body: "1. **What Is Covered?**" over "   This notice ..." is one list that renders
        # 1, 2, 3 ..., the source's own auto-numbering)
        if num == 1 and prev.get(ind) == 1 and i >= 2 and not _LIST_NUM.match(lines[i - 2]) and not (
                markdown and _item_bodies_only(lines[prev_line[ind]:i - 1], len(ind))):
            restarts.append(i)
        prev[ind] = num
        prev_line[ind] = i
    if len(restarts) < 3 or ones < 4 or ones < others:
        return
    first = restarts[0]
    yield _finding(CONVERSION, first, _clip(lines[first - 1], 80), f"Section numbering was lost in conversion "
                   f"({len(restarts) + 1} sections are all numbered \"1.\"); renumber the sections so that "
                   "cross-references work.")
    stray = list(_SUBSEC.finditer(t.doc.text))
    for m in stray if len(stray) <= 2 else ():  # many "2.1", "2.2" are real sub-numbering
        i = bisect_right(t.offsets, m.start())
        yield _finding(CONVERSION, i, m.group("num"), f"The stray section number \"{m.group('num')}\" does not "
                       "fit the numbering around it; renumber this paragraph.")


def _item_bodies_only(between: tuple[str, ...] | list[str], indent: int) -> bool:
    """Whether the lines between two list items are blank or indented under the item (its Markdown body)."""
    return all(not ln.strip() or len(ln) - len(ln.lstrip()) >= indent + 2 for ln in between)


def _page_numbers(t: _Text) -> Iterator[Finding]:
    """Bare page numbers from a PDF source stranded inside sentences, rising through the text."""
    cands: list[tuple[int, int, int, int]] = []  # (line, value, start col, end col)
    for i, line, m in t.scan(_PAGE_NUM):
        a, b = m.start(), m.end()
        if a < 2 or line[a - 1] != " " or not (line[a - 2] == "," or "a" <= line[a - 2] <= "z"):
            continue
        if _PAGE_NUM_BEFORE.search(line, max(0, a - 16), a) or _PAGE_NUM_AFTER.match(line, b):
            continue
        cands.append((i, int(m.group("n")), a, b))
    best: list[tuple[int, int, int, int]] = []
    for k in range(min(len(cands), 60)):  # longest chain of numbers rising in small steps
        chain = [cands[k]]
        for c in cands[k + 1:]:
            if 1 <= c[1] - chain[-1][1] <= 4 and c[0] > chain[-1][0]:
                chain.append(c)
        if len(chain) > len(best):
            best = chain
    if len(best) < 3 or best[0][1] > 40:
        return
    for i, n, a, b in best:
        q = _around(t.lines[i - 1], a, b, 20, 8)
        yield _finding(CONVERSION, i, q, f"Delete the stray page number \"{n}\" that the PDF conversion left "
                       "inside this sentence.")


# --------------------------------------------------------------------------- vague retention

# "kept private", "kept confidential": how data is treated, not how long it is kept
_RETAIN_WORDS = (r"\b(?:retain\w*|retention|keep|keeps|kept|stor(?:e|es|ed|ing)|hold|holds|held|"
                 # (not "verify, maintain, and improve the quality of our Services")
                 r"sav(?:e|es|ed)|maintain\w*(?!,?\s+(?:and\s+)?(?:improve|the\s+(?:quality|security|integrity|"
                 r"accuracy)|our\s+(?:services?|site|website|platform|systems?|business)))|preserv\w+|archiv\w+|"
                 # "we will process your data for as long as necessary to achieve the purposes", "we process your
                 # personal data for the time required for the performance of the above purposes"
                 r"process(?:es|ed)?(?=\s+(?:your\s+|the\s+|this\s+|such\s+)?(?:personal\s+)?(?:data|information)\s+"
                 r"for\s+as\s+long\s+as|[^.]{0,300}?\bfor\s+the\s+(?:time|period)\s+(?:strictly\s+|reasonably\s+)?"
                 r"(?:necessary|needed|required)\b|[^.]{0,300}?\bfor\s+(?:the\s+)?(?:necessary|needed|requisite)\s+"
                 r"(?:time\s+)?(?:period|time)\b))\b")
_RETAIN = re.compile(_RETAIN_WORDS + r"(?!\s+(?:private|confidential|secure|safe|secret|anonymous|up[- ]to[- ]date|"
                     r"accurate)\b)", _I)
#: `_RETAIN` without its look-ahead: a clause where it matches nowhere has no sentence `_RETAIN` matches
#: (a sentence starts after a space or a line break and ends at a stop or its line's end, so a word
#: matched in a sentence is matched at the same place in the clause's text)
_RETAIN_CORE = re.compile(_RETAIN_WORDS, _I)
_VAGUE = re.compile(
    r"\b(?:(?:as|so)\s+long\s+as\s+(?!(?:\w+\s+){0,3}?no\s+longer\b)(?:[\w’']+\s+){0,3}?"
    r"(?:necessary|needed|need|needs|required|require|requires|useful|expected|appropriate|relevant|permitted|"
    r"deem\w*|consider\w*)|"
    r"however\s+long\s+(?:is\s+)?(?:expected|needed|necessary|required|vital|important)|"
    r"for\s+(?:the|such|a)\s+(?:period|time|duration)\s+(?:(?:as|that|which)\s+)?(?:is\s+|may\s+be\s+|are\s+)?"
    r"(?:reasonably\s+|strictly\s+)?(?:necessary|needed|required|appropriate)|"
    # the adjective first: "processed for the necessary period of time to answer the question"
    r"for\s+(?:the\s+|such\s+|a\s+)?(?:necessary|needed|requisite)\s+(?:time\s+)?(?:period|time|duration)\b(?!\s+(?:of\s+)?\d)|"
    r"no\s+longer\s+than\s+(?:is\s+)?(?:reasonably\s+|strictly\s+)?(?:necessary|needed|required)|"
    # a period put as "that necessary" (Spanish "plazo de conservación" in translation): "The period of preservation of
    # your data will be that necessary for the maintenance of the contractual relationship"
    r"(?:will\s+be|is|shall\s+be)\s+(?:that|the\s+one|the\s+(?:time|period))\s+(?:strictly\s+|reasonably\s+)?"
    r"(?:necessary|needed|required)\b(?!\s+(?:by|under)\s+(?:law|statute))|"
    # the same rule negated: "We do not retain any personal data for longer than necessary"
    r"(?:not|never)\s+(?:retain|keep|store|hold)\w*\b[^.;\n]{0,60}?\b(?:for\s+)?longer\s+than\s+(?:is\s+)?"
    r"(?:reasonably\s+|strictly\s+)?(?:necessary|needed|required)\b(?!\s+(?:by|under)\s+(?:law|statute))|"
    # "retain your personally identifiable information only to the extent that it is necessary to fulfil our
    # services" (not a legal hold: "to the extent necessary to comply with our legal obligations")
    r"only\s+(?:to\s+the\s+extent|insofar\s+as|in\s+so\s+far\s+as)\s+(?:that\s+)?(?:it\s+is\s+|this\s+is\s+|is\s+)?"
    r"(?:strictly\s+|reasonably\s+)?(?:necessary|needed|required)(?!\s+(?:to\s+comply|for\s+compliance|by\s+law|"
    r"under\s+(?:applicable\s+)?law|for\s+(?:legal|tax)))|"
    # "we'll never keep it for longer than we need to"
    # ("LINAGORA never keeps collected data any longer than strictly necessary")
    r"(?:never|not)\s+(?:\w+\s+){0,3}?(?:for\s+)?(?:any\s+)?longer\s+than\s+(?:(?:we|is|it\s+is)\s+)?"
    r"(?:really\s+|strictly\s+|reasonably\s+|absolutely\s+)?(?:need|needs|needed|necessary|required)|"
    # kept under the business's own rules, which the notice does not give: "retained in accordance with our normal
    # document retention practices"
    r"(?:in\s+(?:accordance|line)\s+with|according\s+to|pursuant\s+to|as\s+per)\s+(?:[\w’'-]+\s+){0,3}?"
    r"(?:document\s+|data\s+|records?\s+|information\s+)?retention\s+(?:practices|polic(?:y|ies)|schedules?|procedures|"
    r"guidelines|standards)|"
    # an unstated stretch: "may need to be retained by Acme for a period of time following cancellation of your
    # account" (not "for a period of time of 30 days")
    r"(?:for|after)\s+an?\s+(?:certain\s+|reasonable\s+|limited\s+|further\s+|additional\s+|undefined\s+|unspecified\s+)?"
    r"(?:period|amount)\s+of\s+time\b(?![^.]{0,40}?\b\d+\s*(?:days?|weeks?|months?|years?)\b)|"
    # "retained as long as the purpose for which it was collected remains"
    r"(?:as|so)\s+long\s+as\s+the\s+purposes?\b[^.;\n]{0,60}?\b(?:remains?|continues?|exists?|persists?|subsists?)\b|"
    # "We retain personal information where we have an ongoing legitimate business need to do so"
    r"(?:where|while|when|whenever)\s+we\s+have\s+an?\s+(?:ongoing\s+|continuing\s+)?(?:legitimate\s+)?(?:business\s+)?"
    r"need\s+(?:to\s+do\s+so|for\s+it|to\s+(?:retain|keep|store|process)))\b", _I)
_VAGUE_GATES = ("long", "period", "time", "duration", "needed", "necessary", "required", "indefinite", "forever",
                "perpetuity", "permanent", "life", "account")
#: Other ways of saying "as long as we like": "as needed to provide you services", "indefinitely",
#: "for the life of your account" (the last only when said of personal data in general and the notice
#: gives no period anywhere, so data not tied to an account has no rule). Keeping data "as necessary
#: to comply with legal obligations" names a criterion and is not matched.
_AS_NEEDED = re.compile(
    r"\bas\s+(?:reasonably\s+|strictly\s+)?(?:needed|necessary|required|appropriate)\s+(?:(?:by\s+us\s+)?(?:to|for)\s+)"
    r"(?:(?:provide|deliver|operate|offer|run|perform|support|improve|maintain|resolve|fulfil|fulfill|facilitate|"
    r"personali[sz]e|enable|administer|manage)\b|(?:the\s+|our\s+|these\s+|such\s+)?"
    r"(?:purposes?|services?|business(?:\s+purposes)?|legitimate\s+(?:business\s+)?(?:purposes|interests)|"
    r"operations)\b)", _I)
# "permanently delete" is the end of retention, not keeping for ever
_INDEFINITE = re.compile(r"\b(?:indefinitely|forever|in\s+perpetuity|"
                         r"(?<!delete\s)(?<!deleted\s)(?<!erase\s)(?<!erased\s)(?<!removed\s)"
                         r"permanently(?!\s+(?:delet|eras|remov|destroy|purg|anonymi)\w*)|for\s+an?\s+(?:unlimited|undefined|"
                         r"indeterminate|unspecified|indefinite)\s+(?:period|time|length|duration)|without\s+(?:a\s+)?time\s+limit|"
                         # kept on past the end with no period: "your information may remain stored in archive on
                         # our servers even after the deletion or the termination of your account"
                         r"remain(?:s|ing)?\s+(?:stored|retained|kept|archived)\b[^.;\n]{0,60}?\b(?:even\s+)?"
                         r"after\s+(?:the\s+|your\s+)?(?:deletion|termination|closure|cancell?ation|"
                         r"you\s+(?:delete|close|cancel)))\b", _I)
_NOTHING_KEPT = re.compile(r"\b(?:none|nothing|no\s+(?:personal\s+|user\s+|customer\s+|account\s+)?"
                           r"(?:data|information|logs?|records?))\b", _I)
_ACCOUNT_LIFE = re.compile(
    r"\b(?:for\s+)?(?:the\s+)?(?:life(?:time)?|duration|existence)\s+of\s+(?:your|the|a\s+user(?:['’]s)?)\s+"
    r"account\b|\b(?:as|so)\s+long\s+as\s+(?:you\s+(?:have|hold|maintain|keep)\s+an?\s+(?:active\s+|open\s+)?"
    r"account|your\s+account\s+(?:is|remains|stays)\s+(?:active|open)|you\s+(?:are|remain)\s+an?\s+"
    r"(?:active\s+|registered\s+)?(?:user|member|customer))\b", _I)
_GENERAL_DATA = re.compile(r"\b(?:(?:your|all|the|any|user)\s+)?(?:personal\s+(?:data|information)|user\s+data|"
                           r"(?:the\s+)?(?:data|information)\s+(?:we\s+(?:collect|hold|process|have)|about\s+you))\b",
                           _I)
_ANONYMOUS = re.compile(r"\b(?:anonymi[sz]\w*|de-?identif\w*|aggregat\w*|pseudonymi[sz]\w*)\b", _I)
#: a period in numbers ("30 days", "seven (7) years", "12 calendar months")
_PERIOD_IN_NUMBERS = (  # (Markdown's "_5 years_" in italics too: "_" is a word character, so no \b there)
    r"(?<![^\W_])(?:\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty|thirty|"
    r"sixty|ninety)(?:\s*\(\d+\))?[\s-]+(?:calendar\s+|business\s+|working\s+|full\s+|rolling\s+|"
    r"consecutive\s+)?(?:days?|weeks?|months?|years?|hours?)(?![^\W_])(?![\s-]+(?:of\s+age|old)\b)")  # (not an age)
#: A period, statute or section that makes a whole clause's retention concrete, beside a vague sentence ("Invoices
#: are kept for ten years")
_CONCRETE_BESIDE_SRC = (_PERIOD_IN_NUMBERS + r"|§|\bart(?:icle)?\.?\s*\d|\bsection\s+\d|"
                        r"\bstatute\s+of\s+limitations?\b|\blimitation\s+periods?\b")
_CONCRETE_BESIDE = re.compile(_CONCRETE_BESIDE_SRC, _I)
#: ... and, in a sentence's own words, a trigger: "until ...", "unless you ..."
_CONCRETE = re.compile(
    # (not "isolate your data from further processing until deletion or anonymization is possible": backups)
    # (nor "until it is no longer necessary for any other legal or business purposes": the need again, no trigger)
    _CONCRETE_BESIDE_SRC + r"|\buntil\b(?!\s+(?:deletion|erasure|anonymi[sz]ation)(?:\s+or\s+\w+)?\s+"
    r"(?:is|are|becomes?)\s+possible)(?!\s+(?:it\s+is|they\s+are|such\s+time\s+as\s+it\s+is|the\s+time\s+it\s+is)"
    r"\s+no\s+longer\s+(?:reasonably\s+)?(?:necessary|needed|required)\b(?!\s+(?:by|under)\s+(?:law|statute)))|"
    r"\bunless\s+you\s+(?:delete|ask|request|close|cancel|withdraw|remove)\b", _I)

#: a cookie kept on the reader's own device ("permanently archived on your device (permanent cookies)"): not data the
#: business keeps
_ON_DEVICE = re.compile(r"\b(?:on|in)\s+(?:your|the\s+user'?s|a\s+user'?s|the)\s+(?:device|computer|browser|hard\s+"
                        r"(?:drive|disk)|terminal|end\s+device)s?\b", _I)

#: the right to restriction named: what follows explains it ("we will continue storing your data but not process it")
_RESTRICTION_RIGHT = re.compile(r"\bright\s+to\s+(?:the\s+)?restrict(?:ion)?\b|"
                                r"\brestriction\s+of\s+(?:the\s+)?processing\b", _I)
#: a limit the business puts on others, just before the keeping verb: "we do not authorize our service providers to"
_OTHERS_LIMITED = re.compile(r"\b(?:not|never)\s+(?:authori[sz]e|allow|permit)\b[^.;]{0,60}\bto\s+$|"
                             r"\b(?:prohibit|forbid|restrict)\w*\b[^.;]{0,60}\bfrom\s+$", _I)
#: the data a sentence's rule is left for: "other personal data", "all other information", "the remaining data"
_OTHER_DATA = re.compile(r"\b(?:all\s+|any\s+)?other\s+(?:personal\s+|user\s+|customer\s+)?"
                         r"(?:data|information|details)\b|"
                         r"\b(?:the\s+)?remaining\s+(?:personal\s+)?(?:data|information)\b", _I)
_DELETE = re.compile(r"\b(?:delet\w*|eras\w*|remov\w*|purg\w*|destroy\w*|anonymi[sz]\w*)\b", _I)
#: the notice's one rule for keeping data is need: "If we no longer need your personal information for any of the
#: purposes set out in this policy, we will take reasonable steps to destroy ... or de-identify it" (the condition
#: first, as Australian notices word it; the per-process "The data will be deleted as soon as it is no longer
#: necessary for the purpose of its collection" of German templates sits beside periods and is not matched), and
#: not the reader's right to have data erased once it is no longer needed
_NO_LONGER_NEEDED = re.compile(
    r"^(?![^.]*\b(?:request\w*|right|ask|may\s+(?:have|ask))\b)[^.]*?"
    r"\b(?:no\s+longer|not)\s+(?:need|needs|needed|required|requires|necessary)\b[^.]{0,60}\bpurposes?\b[^.]{0,160}"
    r"\b(?:destroy\w*|delet\w*|eras\w*|de-?identif\w*|anonymi[sz]\w*|dispos\w*)\b", _I)
#: a deletion whose time is only the need ending ("Personal information is destroyed securely when no longer required
#: by us"; not "... as soon as it is no longer necessary for the purpose of its collection") or is left open
#: ("destroyed/deleted after a reasonable period of time, as determined at our sole discretion"): vague only where the
#: notice gives no period anywhere (beside periods it is one more rule among concrete ones)
_DELETE_WHEN_DONE = re.compile(
    r"\b(?:destroy\w*|delet\w*|eras\w*|dispos\w*)\b[^.]{0,40}\b(?:when|once|after)\s+(?:it\s+is\s+|they\s+are\s+)?"
    r"no\s+longer\s+(?:reasonably\s+)?(?:required|needed|necessary)(?:\s+by\s+us)?\s*[.;]?\s*$|"
    r"\b(?:destroy\w*|delet\w*|eras\w*|dispos\w*)\b[^.]{0,40}\b(?:after|within)\s+an?\s+(?:reasonable|certain|limited)\s+"
    r"(?:period|amount)\s+of\s+time\b(?![^.]{0,40}?\b\d+\s*(?:days?|weeks?|months?|years?)\b)", _I)
#: periods in numbers: what turns a general "as long as we need it" lead into a schedule
_NUMERIC_PERIOD = re.compile(_PERIOD_IN_NUMBERS, _I)


#: Data deleted when the account is deleted or closed ("we delete or anonymize your information upon deletion of your
#: account"): a rule for the account's data, counted as one entry of a retention schedule (_scheduled_sections).
_ACCOUNT_END_DELETION = re.compile(
    r"\b(?:delet\w*|eras\w*|anonymi[sz]\w*|destroy\w*|remov\w*)\b[^.;\n]{0,60}?\b(?:upon|on|after|following|within\s+\w+\s+\w+\s+of)\s+"
    r"(?:the\s+)?(?:deletion|closure|closing|termination|cancell?ation|removal)\s+of\s+(?:your|the|a\s+user(?:['’]s)?)\s+"
    r"account\b", _I)
_RETENTION_HEADING = re.compile(r"\b(?:retain\w*|retention|keep|kept|how\s+long|storage\s+(?:period|duration)|"
                                r"delet\w*|eras\w*)\b", _I)


#: The criteria that set the period, stated ("The criteria we use to determine our retention periods include:", "To
#: determine the appropriate retention time for your information, we consider the amount, nature, and sensitivity",
#: "we will determine the period of retention based on the following criteria"): the catalog's "or criteria".
_RETENTION_CRITERIA = re.compile(
    r"\bcriteria\b[^.;]{0,60}?\b(?:determin|decid|set|establish)\w*\b[^.;]{0,40}?\b(?:retention|retain|storage|store|keep|"
    r"how\s+long)\b|\b(?:to|in|when)\s+(?:determin|decid|assess|set|establish)\w*\s+(?:the\s+)?(?:appropriate\s+)?"
    r"(?:retention|storage|how\s+long|period|length|duration)\b[^.;]{0,120}?\b(?:consider|take\s+into\s+account|"
    r"look\s+at|assess|based\s+on|criteria)\w*|\bdetermin\w*\s+(?:the\s+)?(?:retention\s+)?(?:period|length|duration)"
    r"(?:\s+of\s+(?:retention|storage))?\s+(?:based\s+on|by\s+reference\s+to|according\s+to)\b", _I)


#: words one of which `_RETENTION_CRITERIA` needs (its "to set the period" form aside): a clause without them is
#: not searched
_CRITERIA_GATES = ("criteri", "determin", "decid", "assess", "establish")


def _criteria_sections(ctx: tuple[AnnotatedClause, ...]) -> set[tuple[str, ...]]:
    """Heading paths of sections that state the criteria setting the retention period and lay them out (a list, or
    periods in numbers): there "as long as necessary" opens the criteria and is not the only rule the reader gets.
    The one-sentence boilerplate ("we consider the amount, nature, and sensitivity of the Personal Information")
    alone gives generic factors, not criteria, and leaves the rule vague."""
    stated = {ac.clause.heading_path for ac in ctx if ac.clause.kind != "heading" and ac.clause.heading_path
              and any(w in ac.clause.text.lower() for w in _CRITERIA_GATES)
              and _RETENTION_CRITERIA.search(ac.clause.text)}
    return {ac.clause.heading_path for ac in ctx if ac.clause.heading_path in stated
            and (ac.clause.kind == "bullet" or _NUMERIC_PERIOD.search(ac.clause.text))}


def _scheduled_sections(ctx: tuple[AnnotatedClause, ...]) -> set[tuple[str, ...]]:
    """Heading paths of retention sections that give periods in numbers at least three times over at
    least two paragraphs: there a general "we keep your data only as long as we need it" opens a
    schedule ("... analytics data for 1 year; merchant data 7 years after the contract ends; enquiries
    2 years") and is not the only rule the reader gets. One paragraph with a deletion deadline or two
    is not a schedule."""
    counts: dict[tuple[str, ...], list[int]] = {}
    for ac in ctx:
        c = ac.clause
        if c.kind != "heading" and c.heading_path and _RETENTION_HEADING.search(c.heading_path[-1]):
            # a deletion when the account goes counts as one entry of the schedule ("we delete or anonymize your
            # information upon deletion of your account, unless:" over the exceptions and their periods)
            n = len(_NUMERIC_PERIOD.findall(c.text)) + (1 if _ACCOUNT_END_DELETION.search(c.text) else 0)
            if n:
                counts.setdefault(c.heading_path, []).append(n)
    return {k for k, ns in counts.items() if sum(ns) >= 3 and len(ns) >= 2}


def _has(rx: re.Pattern[str], text: str) -> bool:
    """`rx.search(text) is not None`, trying only the positions of the pattern's leading words when it has
    them (prefilter.StartScanner): `_CONCRETE` tried every position of every retention clause."""
    sc = start_scanner(rx)
    if sc is not None:
        low = lowered(text)
        if low is not None:
            return sc.first(text, low) is not None
    return rx.search(text) is not None


def _retention_sentences(t: _Text, ctx: tuple[AnnotatedClause, ...]) -> Iterator[tuple[int, str, str]]:
    """(line, sentence, kind) for each sentence about keeping data: kind 'vague', 'account', 'weak' or ''."""
    # "... as long as required, namely:" over items that give the periods is not vague
    detailed = {ac.clause.lead_in for ac in ctx
                if ac.clause.kind == "bullet" and ac.clause.lead_in and _has(_CONCRETE, ac.clause.text)}
    scheduled = _scheduled_sections(ctx) | _criteria_sections(ctx)
    # ... or over a block of label lines that give them ("We retain your data only for as long as necessary:" over
    # "**Account Data:** Until account deletion" / "**Payment Data:** 7 years for tax obligations")
    announced = {k for k in range(len(ctx) - 1) if ctx[k].clause.text.rstrip(" *_").endswith(":")
                 and ctx[k + 1].clause.kind != "heading" and _has(_CONCRETE, ctx[k + 1].clause.text)}
    for k, ac in enumerate(ctx):
        c = ac.clause
        low = c.text.lower()
        if c.kind == "heading" or not any(g in low for g in _VAGUE_GATES + ("retain", "retention", "keep", "kept",
                                                                            "stor", "delet")):
            continue
        if not _has(_RETAIN_CORE, c.text) and not _has(_DELETE, c.text):
            continue  # no sentence keeps or deletes anything: nothing to yield
        # periods beside a vague sentence count for the clause ("Invoices are kept for ten years"); a trigger
        # ("until ...", "unless you ...") counts only in its own sentence: "We will only retain your personal data
        # for as long as necessary ... We may keep business contacts ... indefinitely, until you inform us ..."
        concrete = (_has(_CONCRETE_BESIDE, c.text) or any(lead in c.text for lead in detailed)
                    or c.heading_path in scheduled or k in announced)
        for off, line in enumerate(c.text.split("\n")):
            for a, b in _sentences(line):
                sent = line[a:b]
                rm = _RETAIN.search(sent)
                if not rm:  # a deletion period still counts as a period given
                    if _DELETE.search(sent):
                        # "If we no longer need your personal information for any of the purposes ..., we will
                        # destroy or de-identify it": the rule is need alone, as "as long as necessary" is
                        vague = not concrete and _NO_LONGER_NEEDED.search(sent) is not None
                        weak = not concrete and not vague and _DELETE_WHEN_DONE.search(sent) is not None
                        yield c.line_start + off, sent, "vague" if vague else "weak" if weak else ""
                    continue
                # the right to restriction explained ("we will continue storing your personal data, but we will not
                # process them ... for a period necessary for ... legal claims"): what a restriction does, not a rule
                if _RESTRICTION_RIGHT.search(sent):
                    continue
                # a limit put on others ("We do not authorize our service providers to retain, use or disclose the
                # data except as necessary to perform services"): not how long the business keeps data
                if _OTHERS_LIMITED.search(sent, 0, rm.start()):
                    continue
                kind = ""
                # "We store other personal data for as long as necessary ...": the periods beside it are for
                # some data, and the rest has only this rule
                here_concrete = _has(_CONCRETE, sent) or (concrete and not _OTHER_DATA.search(sent))
                m = _VAGUE.search(sent)
                if m and re.search(r"\bno\s+longer\s+(?:necessary|needed|required)\b",
                                   sent[max(0, m.start() - 5):m.end()], _I):
                    m = None
                ind = _INDEFINITE.search(sent)
                # "none of this information is permanently stored": nothing kept, so no vague period
                if ind and (_NEGATED.search(sent, 0, ind.start()) or _NOTHING_KEPT.search(sent, 0, ind.start())
                            or _ANONYMOUS.search(sent) or _ON_DEVICE.search(sent)):
                    ind = None
                if not here_concrete and (m or _AS_NEEDED.search(sent) or ind):
                    kind = "vague"
                elif not concrete and _ACCOUNT_LIFE.search(sent) and _GENERAL_DATA.search(sent):
                    kind = "account"
                yield c.line_start + off, sent, kind


def _vague_retention(t: _Text, ctx: tuple[AnnotatedClause, ...]) -> Iterator[Finding]:
    """Retention stated only as 'as long as necessary', with no period or criteria in that clause."""
    sents = list(_retention_sentences(t, ctx))
    any_period = any(_has(_CONCRETE, s) for _i, s, _k in sents)
    for i, sent, kind in sents:
        if kind == "vague" or (kind in ("account", "weak") and not any_period):
            yield _finding(RETENTION, i, _clip(sent), "State how long each category of data is kept (a period, "
                           "or the criteria that set it) instead of only \"as long as necessary\" or \"as "
                           "needed\" (GDPR Art. 13(2)(a)).")


# --------------------------------------------------------------------------- stale date

_DATE_KEY = re.compile(
    "(?:" + LAST_CHANGED + r"|(?:page|policy|notice|statement|document)"
    r"\s+(?:updated|revised|last\s+updated)|updated(?:\s+on|\s+as\s+of)?|version\s+(?:date|of|dated|from)|"
    r"revision\s+date|date\s+of\s+(?:last\s+)?(?:update|revision|version)|"
    + APPLIES_FROM + r"|effective(?:\s+date|\s+as\s+of|"
    r"\s+from|\s+on)?|revised(?:\s+on)?|stand|" + NOT_A_LAWS_DATE + r"as\s+at|" + NOT_A_LAWS_DATE + r"as\s+of|"
    + DATED + "|" + ADOPTED_OR_STATUS + r")\b"
    r"[\s:.,\-–—*_]{0,6}", _I)


def _title_line(doc: Document) -> tuple[int, str] | None:
    """The first non-empty line that is not an archive header or front matter, and its text without markup."""
    skip = front_matter_end(doc.lines)
    for i, line in enumerate(doc.lines, start=1):
        s = line.strip()
        if i <= skip:
            continue
        if not s or _is_corpus_header(line):
            continue
        q = re.sub(r"[*_\s#]+$", "", re.sub(r"^[#>*_\s]+", "", s))
        return i, _clip(q or s, 120)
    return None


_YEAR = re.compile(r"(?:19|20)\d\d\b")


def _find_date(doc: Document, offsets: tuple[int, ...]) -> tuple[dt.date, int, str] | None:
    """The policy's own date: ingest's, else a broader search ('version date:', 'Page Updated:')."""
    lu = doc.last_updated_line
    if doc.last_updated and lu and not _is_corpus_header(doc.lines[lu - 1]):
        return doc.last_updated, lu, _date_quote(doc.lines[lu - 1])
    for i in sorted({bisect_right(offsets, y.start()) for y in _YEAR.finditer(doc.text)}):
        line = doc.lines[i - 1]
        if len(line) > 400 or _is_corpus_header(line):
            continue
        for m in _DATE_KEY.finditer(line):
            dm = DATE_RE.search(line, m.end(), m.end() + 40)
            if dm and not re.fullmatch(r"[\s:.,\-–—*_(]*(?:on|from|as\s+of|is|was|:)?[\s:.,\-–—*_(]*",
                                       line[m.end():dm.start()], _I):
                dm = None
            # "As of June 2024, creators are able to offer ...": a date in a sentence about something else
            if dm and AS_OF.match(m.group(0)) and clause_goes_on(line, dm.end()):
                dm = None
            d = parse_date(dm.group(0)) if dm else None
            if d and dm:
                return d, i, _closed(line, m.start(), dm.end())
    return _bare_date(doc)


# a signature "Acme Republic, October 2022" may name the company before the date
_BARE_DATE = re.compile(r"^[^\w\n]*(?:[A-Z][\w&.'’ -]{1,40},\s+)?"
                        r"(?:(?:version|dated?|as\s+of|effective|updated|revised)\b[^\w\n]*"
                        r"(?:(?<=version )\d+(?:\.\d+)*[,;:]?\s+)?)?"  # "Version 1.6, 01-05-2023"
                        r"(?P<date>[^\n]{6,30}?)[^\w\n]*$", _I)
#: The policy's own title ("Privacy Policy", "# Privacy Notice") after a page capture's menus.
_POLICY_TITLE = re.compile(r"^[^\w\n]*(?:[\w&.'’-]+\s+){0,3}privacy\s+(?:policy|notice|statement)"
                           r"(?:\s*[,:–-]\s*[\w&.'’ -]{1,40})?[^\w\n]*$", _I)  # "Privacy policy, BankID service"


_UNDERLINE = re.compile(r"\s*[=-]{3,}\s*")  # a setext title's underline


def _bare_date(doc: Document) -> tuple[dt.date, int, str] | None:
    """A line that is only a date, just under the title or at the very end (a version date)."""
    nonblank = [i for i, ln in enumerate(doc.lines, start=1) if ln.strip() and not _is_corpus_header(ln)]
    # also just under the policy's own title when a captured page puts menus above it
    # (the last of the title lines at the top: "PRIVACY POLICY" over a logo over "Privacy Policy\n====")
    titles = {k for k, i in enumerate(nonblank[:400]) if _POLICY_TITLE.match(doc.lines[i - 1])}
    k = min(titles, default=None)
    while k is not None:
        if k + 1 in titles or (k + 1 < len(nonblank) and _UNDERLINE.fullmatch(doc.lines[nonblank[k + 1] - 1])):
            k += 1
        elif k + 2 in titles:  # a logo or a link between two title lines
            k += 2
        else:
            break
    under_title = nonblank[k + 1:k + 4] if k is not None and k >= 2 else []
    for i in nonblank[1:5] + under_title + nonblank[-3:]:
        line = doc.lines[i - 1]
        m = _BARE_DATE.match(line)
        dm = DATE_RE.fullmatch(m.group("date")) if m else None
        d = parse_date(dm.group(0)) if dm else None
        if d and m:
            return d, i, line.strip(" #*_>")
    return _change_log(doc)


def _change_log(doc: Document) -> tuple[dt.date, int, str] | None:
    """The latest entry of a change log: three or more lines that are only a date ("**September 29, 2024**"),
    each within a few lines of the one before, with the changes listed under them; the newest is the
    notice's last update."""
    dated: list[tuple[int, dt.date, str]] = []
    for i, line in enumerate(doc.lines, start=1):
        st = line.strip(" #*_>")
        if not st or len(st) > 30 or not st[-1].isdigit():
            continue
        dm = DATE_RE.fullmatch(st)
        d = parse_date(dm.group(0)) if dm else None
        if d:
            dated.append((i, d, st))
    run: list[tuple[int, dt.date, str]] = []
    best: list[tuple[int, dt.date, str]] = []
    for e in dated:
        run = run + [e] if run and e[0] - run[-1][0] <= 12 else [e]
        if len(run) >= 3 and len(run) > len(best):
            best = list(run)
    if not best:
        return None
    i, d, quote = max(best, key=lambda e: e[1])
    return d, i, quote


def _closed(line: str, a: int, b: int) -> str:
    """line[a:b], stripped, with the bracket the date sits in closed ("Last Updated: [21/11/25]")."""
    for o, c in ("[]", "()"):
        if line.count(o, a, b) > line.count(c, a, b) and line[b:b + 1] == c:
            b += 1
    return line[a:b].strip()


def _date_quote(line: str) -> str:
    for m in _DATE_KEY.finditer(line):
        dm = DATE_RE.search(line, m.end(), m.end() + 60)
        if dm:
            return _closed(line, m.start(), dm.end())
    dm = DATE_RE.search(line)
    return dm.group(0) if dm else _clip(line)


def _months_before(d: dt.date, months: int) -> dt.date:
    y, mth = divmod(d.year * 12 + d.month - 1 - months, 12)
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(y, mth + 1, day)
        except ValueError:
            continue
    return dt.date(y, mth + 1, 28)


def _stale(doc: Document, as_of: dt.date, offsets: tuple[int, ...]) -> Iterator[Finding]:
    """A last-updated date more than 12 months before the check date, or no date at all."""
    found = _find_date(doc, offsets)
    if found is None:
        title = _title_line(doc)
        if title:
            yield _finding(STALE, title[0], title[1], "No last-updated or effective date was found; add a \"Last "
                           "updated\" date to the notice and review it at least every 12 months.")
        return
    d, line, quote = found
    if d < _months_before(as_of, STALE_AFTER_MONTHS):
        yield _finding(STALE, line, quote, f"The notice was last updated on {d.isoformat()}, more than "
                       f"{STALE_AFTER_MONTHS} months before {as_of.isoformat()}; review it against current practice "
                       "and law, then update the date.")


# --------------------------------------------------------------------------- consent by use

_USE_VERB = (r"(?:us(?:e|es|ing)|access(?:es|ing)?|visit(?:s|ing)?|brows(?:e|es|ing)|utili[sz](?:e|es|ing)|"
             r"navigat(?:e|es|ing)|download(?:s|ing)?|install(?:s|ing)?|register(?:s|ing)?|continu(?:e|es|ing)|"
             r"submit(?:s|ting)?|provid(?:e|es|ing)|interact(?:s|ing)?|sign(?:s|ing)?\s+up|creat(?:e|es|ing)|"
             r"open(?:s|ing)?|shar(?:e|es|ing)|divulg(?:e|es|ing)|disclos(?:e|es|ing)|"
             # "By entering and sending the data you give us your consent"
             r"enter(?:s|ing)?(?!\s+into\b)|send(?:s|ing)?|"
             # "By watching the video content, you agree that we may share your video viewing with ..."
             r"watch(?:es|ing)?|view(?:s|ing)?|play(?:s|ing)?|listen(?:s|ing)?(?:\s+to)?|stream(?:s|ing)?|"
             # "By completing an order or signing up, you agree to receive ...": consent bundled with a purchase
             r"complet(?:e|es|ing)\s+(?:an?\s+|your\s+|the\s+)?(?:order|purchase|booking|checkout|transaction)|"
             r"plac(?:e|es|ing)\s+(?:an?\s+|your\s+)?order|purchas(?:e|es|ing)|order(?:s|ing)|book(?:s|ing)|"
             # "By availing the services you have agreed to the collection ...": Indian usage
             r"avail(?:s|ing)?(?:\s+of)?)")
#: Telling the business no: what the reader must do to undo consent presumed from silence.
_SILENCE = (r"(?:tell|ask|inform|notify|instruct|advise)\s+us\s+(?:not\s+to|otherwise)|object|opt[- ]?out|"
            r"say\s+otherwise|indicate\s+otherwise|withdraw|unsubscribe")
_PRESUME = (r"(?:assume|presume|take\s+it|consider|treat\s+(?:this|it)\s+as|deem)\s+(?:that\s+)?"
            r"(?:we\s+have\s+your\s+(?:permission|consent|agreement)|you\s+(?:are\s+happy|consent|agree|accept|"
            r"have\s+(?:no\s+objection|consented|agreed)|do\s+not\s+object|don[’']t\s+mind))")
# ("you signify your approval of the terms set out in this Privacy Policy")
_AGREE = r"(?:consent\w*|assent\w*|agree\w*|accept\w*|acknowledg\w*|authori[sz]\w*|deemed|bound|approv\w*)"
#: A character that does not end the sentence: not a full stop, semicolon or line break, except a dot inside a
#: name or address, with a letter, digit or slash right after it ("at Example.com you are authorizing", "By
#: visiting [www.concern.net](http://www.concern.net/) ... you are accepting and consenting").
_IN_SENTENCE = r"(?:[^.;\n]|\.(?=[\w/]))"
_CONSENT_RX = _rx(
    rf"\bby\s+(?:(?:merely|simply|just|continuing\s+to|otherwise|deciding\s+to|choosing\s+to|electing\s+to|agreeing\s+to)\s+|(?:the|your)\s+(?:(?:mere|simple|continued)\s+)?|(?:mere|simple|continued)\s+)?"
    rf"{_USE_VERB}\b{_IN_SENTENCE}{{0,220}}?"
    # (the group may be qualified by age: "users over 13 years of age authorise us")
    rf"\b(?:you|users?|visitors?|customers?|members?|subscribers?)\b(?:\s+(?:over|under|aged|above)\s+(?:the\s+age\s+of\s+)?"
    rf"\d+(?:\s+years(?:\s+of\s+age|\s+old)?)?)?(?:\s+\w+){{0,3}}?\s+{_AGREE}|"
    # "by using our Services you are providing us with irrevocable consent to use ..."
    rf"\bby\s+{_USE_VERB}\b{_IN_SENTENCE}{{0,120}}?\byou(?:(?:\s+are|[’']re)\s+(?:providing|giving|granting)|\s+(?:provide|give|grant))\s+(?:us\s+)?(?:with\s+)?"
    r"(?:your\s+)?(?:(?:irrevocable|unconditional|express|explicit|full)\s+)?(?:consent|permission|authori[sz]ation)|"
    # the condition set off inside the sentence: "the Google Privacy Policy, which you - by using this service - have
    # already agreed to"
    rf"\byou\s*[—–-]+\s*by\s+{_USE_VERB}\b[^.;\n—–]{{0,80}}?[—–-]+\s*(?:have\s+)?(?:already\s+|thereby\s+|hereby\s+)?"
    r"(?:agreed|consented|accepted|agree|consent|accept)\b|"
    # "By accessing or using our Service, you signify that you have read, understood and agree to ..."
    rf"\bby\s+{_USE_VERB}\b[^.;\n]{{0,120}}?\byou\s+(?:signify|indicate|confirm|acknowledge|represent|declare|certify)\w*\s+"
    rf"(?:that\s+)?you\s+(?:have\s+)?(?:read|understood|reviewed)\b[^.;\n]{{0,40}}?\b{_AGREE}|"
    r"\b(?:(?:continued|continuing|proceeded\s+with|further|ongoing)\s+(?:use|usage|utili[sz]ation|access|subscription|membership)|"
    r"your\s+(?:use\s+of|access\s+to|visit\s+to)|any\s+(?:further\s+|subsequent\s+)?use\s+of|"
    r"becoming\s+an?\s+(?:user|member|customer|subscriber))\b"
    r"[^.;\n]{0,200}?\b(?:indicat\w+|constitut\w+|signif\w+|mean\w*|establish\w*|deemed|represent\w*|gives?|amounts?\s+to|"
    r"express(?:es|ed)?|impl(?:y|ies|ied)|"
    rf"confirm\w*|will\s+be\s+(?:taken|considered|treated))\b[^.;\n]{{0,80}}?\b(?:{_AGREE}|acceptance|agreement)|"
    r"\byou\s+(?:hereby|thus|therefore|thereby|hence)\s+(?:expressly\s+|explicitly\s+|irrevocably\s+)?"
    r"(?:(?:give|provide|grant)\s+(?:us\s+)?(?:your\s+)?(?:(?:unconditional|express|explicit|full|irrevocable)\s+)?)?"
    r"(?:consent|agree|accept|authori[sz]e)\w*|"
    rf"\b(?:if|when|once|where)\s+you\s+(?:continue\s+to\s+)?{_USE_VERB}\b[^.;\n]{{0,120}}?"
    # (not a relative clause about the service: "when you use Services that are deemed telecommunications services")
    r"\b(?:we(?:'|’)ll\s+assume|we\s+(?:will\s+|shall\s+|may\s+)?assume|(?:you\s+)?(?<!that\s)(?<!which\s)(?:are|will\s+be|shall\s+be)\s+"
    r"deemed|(?:this|that|it)\s+(?:constitutes|signifies|indicates|means))\b|"
    rf"\b{_AGREE}[^.;\n]{{0,100}}?\bbefore\s+(?:you\s+)?(?:use|using|access|accessing|visit|visiting)\b|"
    # "When you use our Services, you are agreeing to our rules and policies, including this Privacy Policy"
    rf"\b(?:when|whenever|once)\s+you\s+{_USE_VERB}\b[^.;\n]{{0,60}}?,\s*you\s+(?:are\s+)?(?:agree|agreeing|consent|consenting|"
    r"accept|accepting)\b|"
    # with no comma, the account as the act: "When you create a Kraken Account you are agreeing to opt-in to all
    # communications"
    r"\b(?:when|whenever|once|by)\s+(?:you\s+)?(?:creat(?:e|ing)|open(?:ing)?|register(?:ing)?\s+(?:for\s+)?)\s+(?:an?|your)\s+"
    r"(?:[\w-]+\s+)?account\s+you\s+(?:are\s+)?(?:agree|agreeing|consent|consenting|accept|accepting)\b|"
    # "If you continue to use the app after those changes are in effect, you agree to the revised Privacy Notice"
    r"\b(?:if|when|once|should)\s+you\s+(?:continue\s+to|keep\s+(?:on\s+)?)\s*(?:use|using|access|accessing|visit|visiting)\b"
    r"[^.;\n]{0,160}?,\s*(?:then\s+)?you\s+(?:are\s+|will\s+be\s+|shall\s+be\s+)?(?:deemed\s+to\s+)?(?:hereby\s+)?"
    r"(?:agree|consent|accept|have\s+(?:accepted|agreed|consented))\w*\b|"
    r"\bif\s+you\s+do\s+not\s+(?:agree|consent|accept)\b[^.;\n]{0,120}?\b(?:do\s+not|don[’']t|must\s+not|"
    r"should\s+not|please\s+(?:do\s+not|stop|refrain\s+from))\s+(?:use|using|access|accessing|visit|continue)|"
    # acceptance as the condition of use: "You must accept the contents of this Policy in order to use or continue using
    # our site"
    r"\byou\s+must\s+(?:first\s+)?(?:accept|agree\s+(?:to|with)|consent\s+to)\b[^.;\n]{0,80}?\b(?:(?:in\s+order\s+)?to|before)\s+"
    r"(?:use|using|access|accessing|visit|visiting|continue|continuing)\b|"
    # "If you don't agree to those changes, ... we must ask you to cease using our services"
    r"\bif\s+you\s+do(?:\s+not|n[’']t)\s+(?:agree|consent|accept)\b[^.;\n]{0,160}?\b(?:cease|stop|discontinue)\s+"
    r"(?:using|to\s+use|your\s+use|use\s+of|accessing)|"
    # "your continued use of the Service after the effective date will be subject to the new Privacy Policy"
    r"\b(?:continued|continuing|further|ongoing)\s+(?:use|usage|access)\b[^.;\n]{0,160}?\b(?:is|will\s+be|shall\s+be|are)\s+"
    r"(?:subject\s+to|governed\s+by)\s+(?:the|this|these|such)\s+(?:updated|new|revised|amended|changed|modified)\b|"
    # consent bundled with accepting the terms: "By accepting the Terms you agree that we may collect and store
    # your Personal Information"; "By accepting this Privacy Policy and submitting your email address, you are
    # expressly consenting to ..."
    # ("By agreeing to our [terms of service](terms), you are also agreeing to this privacy policy")
    r"\bby\s+(?:accepting|agreeing\s+to)\s+(?:the|our|these|this)\s+\[?(?:terms|privacy\s+policy|policy|privacy\s+notice)\b"
    r"[^.;\n]{0,100}?\byou\s+(?:are\s+)?(?:hereby\s+|also\s+|thereby\s+)?(?:expressly\s+|explicitly\s+)?(?:agree|consent)\w*|"
    # "Any person utilizing the site ... shall be bound by this Privacy Policy"
    rf"\b(?:any\s+(?:person|user|visitor|individual)|all\s+(?:persons|users|visitors))\s+(?:who\s+)?{_USE_VERB}\b{_IN_SENTENCE}{{0,200}}?"
    r"\b(?:shall|will|is|are)\s+(?:be\s+)?(?:deemed\s+to\s+)?(?:be\s+)?bound\s+by\s+(?:this|the|our)\s+(?:privacy\s+)?(?:policy|notice|statement)|"
    # "you consent to this data sharing by continuing to use your account", or by using it: "The privacy
    # policy you agree to by using Acme apps and services"
    r"\b(?:you|users?)\s+(?:hereby\s+)?(?:consent|agree|accept)\w*\b[^.;\n]{0,120}?\b(?:by|in|through|upon)\s+(?:continuing\s+to\s+"
    r"(?:use|access|visit)|(?:your\s+)?continued\s+use|(?:simply\s+|merely\s+)?(?:using|accessing|visiting|browsing)\b"
    r"(?!\s+(?:the\s+|our\s+|this\s+)?(?:settings?|link|form|button|option|toggle|feature|unsubscribe|preference|"
    r"privacy\s+(?:settings|dashboard|center|centre|hub))))\b|"
    # the consent as a noun: "Your consent to such changes through your continued use of the Site."
    r"\byour\s+(?:consent|agreement|acceptance)\b[^.;\n]{0,80}?\b(?:through|by|via|is\s+shown\s+by)\s+(?:your\s+)?"
    r"(?:continued|continuing|further)\s+(?:use|usage|access)\b|"
    # being a visitor as consent: "As a visitor or customer of the www.example.com website, ..., you have given
    # your consent for our collection and use of your personal data"
    r"\bas\s+an?\s+(?:visitor|user|customer|member|subscriber)\s+(?:or\s+(?:a\s+)?\w+\s+)?of\b[^;\n]{0,200}?,\s*you\s+"
    r"(?:have\s+)?(?:(?:given|provided|granted)\s+(?:us\s+)?(?:your\s+)?(?:consent|permission)|(?:agree|consent|accept)\w*)\b|"
    # consent declared for the reader: "You understand and consent to having any information you provide
    # transferred to and processed in the United States"
    r"\byou\s+(?:understand|acknowledge|accept)\s+and\s+(?:consent|agree)\s+to\b[^.;\n]{0,120}?\b(?:transfer\w*|"
    r"process\w*|collect\w*|stor\w+|disclos\w+|shar\w+|us(?:e|ed|ing))\b|"
    # "such User hereby provides his/her/its consent to the changed practices"
    r"\b(?:hereby|thereby)\s+(?:provides?|gives?|grants?)\s+(?:[\w/]+\s+)?consent\b|"
    # consent to a transfer declared beside the fact of it: "you will be transferring your Personal Information into
    # India and you consent to that transfer", "and you consent to the transfer of information to the U.S."
    r"\b(?:and|,)\s+you\s+(?:hereby\s+)?(?:expressly\s+)?consent\s+to\s+(?:that|the|this|such|any)\s+transfers?\b|"
    # "By accessing and/or activating the functionalities of the Service, Users signify their understanding as well
    # as their irrevocable and complete acceptance of the Privacy policy"
    rf"\bby\s+{_USE_VERB}\b[^.;\n]{{0,120}}?\b(?:users?|visitors?|customers?|members?)\s+(?:signify|indicate|express|confirm)\w*\b"
    r"[^.;\n]{0,80}?\b(?:acceptance|agreement|consent)\b|"
    # consent presumed: "your consent to the collection is always assumed"
    r"\bconsent\b[^.;\n]{0,40}\b(?:is|are|will\s+be|shall\s+be)\s+(?:always\s+|therefore\s+|thus\s+)?(?:assumed|presumed|"
    r"implied|deemed\s+(?:given|granted))\b|"
    # objection waived for the reader: "You agree that you have no objection to such disclosure", "You confirm and
    # agree that you have no objection to the same"
    r"\byou\s+(?:hereby\s+)?(?:agree|confirm|acknowledge|accept)\w*(?:\s+and\s+(?:agree|confirm|acknowledge|accept)\w*)?"
    r"\s+that\s+you\s+(?:have|raise|shall\s+have|will\s+have|do\s+not\s+have)\s+no\s+objections?\b|"
    # consent declared as already given, with no act of giving it: "You have consented to sharing information."
    # (a sentence of its own, not a condition: "where (if applicable) you have consented to disclosure")
    r"(?:^|(?<=[.!?:*\u2022-]\s)|(?<=[.!?]\s\s))you\s+have\s+(?:already\s+|thereby\s+|hereby\s+)?(?:consented|agreed)\s+to\s+(?:the\s+|such\s+|this\s+|our\s+)?"
    r"(?:shar\w+|disclos\w+|transfer\w*|collect\w+|process\w*|us(?:e|ing))\b(?![^.;\n]{0,80}\b(?:by|when|if)\s+(?:ticking|checking|clicking|selecting|opting))|"
    # consent implied from not opting out: "if the User is given an opportunity to opt-out ..., but chooses not to do
    # so, PayFast implies consent"
    r"\bopportunity\s+to\s+opt[- ]?out\b[^.;\n]{0,120}?\b(?:chooses?|decides?|elects?|fails?)\s+not\s+to\b"
    r"[^.;\n]{0,60}?"
    r"\b(?:impl(?:y|ies|ied)|deem\w*|assum\w*|presum\w*|infer\w*)\b|"
    # consent presumed from silence (Recital 32): "Unless you tell us not to, we assume we have your
    # permission to ..."; "we will assume you are happy with this unless you object"
    rf"\b(?:unless|until)\s+you\s+(?:{_SILENCE})\b[^.;\n]{{0,60}}?\bwe\s+(?:will\s+|shall\s+|may\s+|can\s+)?"
    rf"{_PRESUME}|\bwe\s+(?:will\s+|shall\s+|may\s+|can\s+)?{_PRESUME}[^.;\n]{{0,100}}?\b(?:unless|until)\s+you\s+"
    rf"(?:{_SILENCE})\b",
    _I)


#: Deemed consent in other words: an action "means"/"constitutes" consent, "you are deemed to have
#: consented", or doing something with your data makes you "consent"/"agree" ("If you store ...
#: on our servers, you are consenting to our storage"). A negation in the match ("does not
#: constitute consent") drops it; a promise to the reader ("you agree that you have their consent")
#: is not consent to our processing.
_DEEMED_RX = _rx(
    # "By voluntarily providing us with Personal Data, you are consenting to our use of it"
    r"\bby\s+(?:voluntarily\s+|freely\s+|knowingly\s+|simply\s+)?(?:providing|submitting|giving|sharing|supplying|"
    r"entering|disclosing|uploading|sending)\b(?!\s+(?:us\s+)?(?:with\s+)?(?:your\s+)?(?:consent|permission|approval|agreement))"
    r"(?!\s+(?:us\s+)?(?:a|an|the|your|this|such)\s+(?:\w+\s+)?(?:request|question|enquiry|inquiry|complaint)s?\b)"
    r"[^.;\n]{0,120}?,\s*you\s+(?:are\s+|hereby\s+|thereby\s+){0,2}(?:expressly\s+|explicitly\s+)?"
    r"(?:consenting|consent|consents|agree|agreeing|authori[sz]e|authori[sz]ing)\b"
    r"(?!\s+(?:only\b|(?:that\s+)?you\s+(?:have|are|will|must|shall)))|"
    r"\b(?:if|when|whenever|once|where|by)\s+you\s+(?:do\s+)?(?:choose\s+to\s+|decide\s+to\s+|elect\s+to\s+)?"
    r"(?:store|upload|post|submit|provide|give|share|send|enter|disclose|transmit|make\s+available|supply|"
    r"include|place|put)\b(?!\s+(?:us\s+)?(?:your\s+)?(?:consent|permission|approval|agreement))"
    r"[^.;\n]{0,160}?,\s*(?:then\s+)?you\s+(?:are\s+|hereby\s+|thereby\s+){0,2}"
    r"(?:expressly\s+|explicitly\s+)?(?:consenting|consent|consents|agree|agreeing|accept|accepting|"
    r"authori[sz]e|authori[sz]ing)\b(?!\s+(?:only\b|(?:that\s+)?you\s+(?:have|are|will|must|shall)))|"
    # using the service as the condition: "If you are located outside the United States and choose to use the
    # Platform, you hereby irrevocably and unconditionally consent to such transfer", "if you use our Platform, you
    # must agree with the terms and conditions set out herein"
    r"\b(?:if|when|whenever|once)\s+you\b[^.;\n]{0,80}?\b(?:choose\s+to\s+|decide\s+to\s+|continue\s+to\s+)?"
    r"(?:use|access|visit|browse)\s+(?:the|our|this)\s+(?:[\w-]+\s+)?(?:platform|site|website|web\s+site|services?|app|"
    r"application)\b[^.;\n]{0,40}?,\s*you\s+(?:(?:are\s+|hereby\s+|thereby\s+){0,2}"
    r"(?:(?:expressly|explicitly|irrevocably|unconditionally|and)\s+){0,4}(?:consenting|consent|consents|agree|agreeing|"
    r"accept|accepting)|must\s+(?:agree|accept))\b(?!\s+(?:only\b|(?:that\s+)?you\s+(?:have|are|will|must|shall)))|"
    # consent confirmed as given by the notice itself: "Accordingly, you hereby confirm that you grant your specific
    # informed consent to our collection, use ... of your Personal Data"
    r"\bhereby\s+(?:confirm|acknowledge|agree|declare)\w*\s+that\s+you\s+(?:grant|give|provide)\s+(?:us\s+)?(?:your\s+)?"
    r"(?:(?:specific|informed|express|explicit|full|unconditional|and)\s+){0,3}consent\b|"
    r"\b(?:this|that|which|it|doing\s+so|such\s+(?:use|access|submission|provision|action))\s+"
    r"(?:means|constitutes|signifies|indicates|implies|(?:shall|will|would)\s+(?:constitute|mean|signify|"
    r"indicate|be\s+deemed\s+(?:to\s+be|as))|is\s+deemed\s+(?:to\s+be|as))\s+(?:that\s+)?(?:you(?:r)?\s+)?"
    r"(?:have\s+)?(?:express\s+|explicit\s+|implied\s+|full\s+|informed\s+|unconditional\s+)?"
    r"(?:consent\w*|accept\w*|agree\w*)|"
    r"\b(?:(?:us|access|visit|brows|navigat|download|install|register|continu|submitt|provid)ing|"
    r"(?:your\s+|the\s+|any\s+)?(?:(?:registration|use|usage|access)\s+(?:or|and|and/or)\s+)?"
    r"(?:use|usage|submission|provision|registration)\s+(?:of|for|on|with))\b[^.;\n]{0,240}?\b"
    r"(?:constitut\w+|signif\w+|indicat\w+|means|impl(?:y|ies)|represents?|includes?|entails?|deemed(?:\s+to\s+be)?|"
    r"taken\s+as|treated\s+as)\s+(?:that\s+)?(?:you(?:r)?\s+)?(?:have\s+|are\s+)?(?:(?:express|explicit|implied|full|informed|"
    r"unconditional|an?)\s+)?(?:consent\w*|accept\w*|agree\w*|approv\w*)|"
    # "Such consent is deemed to be provided by your registration with Acme"
    r"\bconsent\s+(?:is|shall\s+be|will\s+be|has\s+been)\s+(?:deemed|considered|taken|presumed)\s+(?:to\s+(?:be|have\s+been)\s+|as\s+)?"
    r"(?:provided|given|granted|obtained)\s+(?:by|through|upon|on|with)\s+(?:your\s+|the\s+)?(?:registration|use|usage|"
    r"access|visit|sign(?:ing)?[- ]up|download|installation|continued)\b|"
    # the approval as the subject, the use a little later: "the approval of the data subject is considered to have
    # been given by entering in a contract when using the respective function or service"
    r"\b(?:consent|approval|agreement|permission)\s+of\s+the\s+(?:data\s+subject|user|visitor|customer)\s+(?:is|shall\s+be|"
    r"will\s+be)\s+(?:deemed|considered|taken|presumed)\s+(?:to\s+(?:be|have\s+been)\s+|as\s+)?(?:provided|given|granted|"
    r"obtained)\s+(?:by|through|upon|on|with|when)\b[^.;\n]{0,80}?\b(?:us(?:e|ing|age)|registration|register\w*|access\w*|"
    r"visit\w*)\b|"
    # changes accepted by silence: "After this period of time, the changes are considered to be accepted."
    r"\b(?:changes?|amendments?|modifications?|updates?|(?:the|this|such)\s+(?:updated\s+|revised\s+|new\s+|amended\s+)?"
    r"(?:privacy\s+)?(?:policy|notice|statement))\s+(?:are|is|will\s+be|shall\s+be)\s+(?:then\s+)?(?:considered|deemed|"
    r"regarded|treated|taken)\s+(?:to\s+be\s+|as\s+|to\s+have\s+been\s+)?(?:accepted|approved|agreed(?:\s+to)?)|"
    # bound by changes one is deemed to know of: "You will be deemed to have been made aware of, and will be
    # subject to, any material changes to the Privacy Policy after such notice has been posted"
    r"\byou\s+(?:are|will\s+be|shall\s+be)\s+deemed\s+to\s+have\s+been\s+(?:made\s+aware|notified|informed)\s+of\b"
    r"[^.;\n]{0,40}?\b(?:subject\s+to|bound\s+by)\b|"
    r"\byou\s+(?:are|shall\s+be|will\s+be|would\s+be|have\s+been|may\s+be)\s+(?:deemed|considered|"
    r"taken|treated|regarded)\s+(?:as\s+)?(?:to\s+)?(?:have\s+|having\s+)?(?:given\s+(?:your\s+)?consent|"
    r"consent\w*|accept\w*|agree\w*|read\s+and\s+(?:accept|agree|understood)\w*)|"
    # a parent's consent presumed from the child's use: "It shall be automatically deemed that by allowing any person
    # below the age of 18 years to transact on Acme, their legal guardians have expressly consented to their use"
    r"\b(?:deemed|presumed|assumed)\s+that\b[^.;\n]{0,160}?\b(?:parents?|guardians?)\s+(?:have|has|had)\s+"
    r"(?:(?:expressly|explicitly|duly)\s+)?(?:consented|agreed|approved|authori[sz]ed)\b|"
    r"\b(?:parents?|guardians?)\s+(?:are|is|shall\s+be|will\s+be)\s+(?:deemed|presumed|assumed)\s+to\s+have\s+"
    r"(?:consented|agreed|approved|authori[sz]ed)\b", _I)

#: An affirmative act that is the opt-in itself, not use of the service: "By ... ticking the remain-logged-in box
#: and clicking the login button, you consent to the option".
_OPT_IN_ACT = re.compile(r"\b(?:tick|check|select|mark)\w*\s+(?:the\s+|a\s+|this\s+)?(?:[\w-]+\s+){0,3}?"
                         r"(?:box|checkbox|tick-?box)\b|\bclick\w*\s+(?:on\s+)?(?:the\s+)?[\"“'*]*(?:I\s+agree|I\s+consent|"
                         r"I\s+accept|accept|agree|allow|consent)\b", _I)

_OR = re.compile(r"\bor\b", _I)

_CONSENT_GATES = ("consent", "agree", "accept", "permission", "acknowledg", "authori", "deem", "bound", "assume",
                  "presume", "take it", "assent", "subject to", "governed by", "approv")


def _consent_by_use(t: _Text) -> Iterator[Finding]:
    """Consent deemed from mere use: not valid consent (freely given, specific, informed, unambiguous)."""
    done: set[tuple[int, int]] = set()
    deemed = ((i, line, m) for i, line, m in t.scan(_DEEMED_RX, _CONSENT_GATES) if not _NEGATED.search(m.group(0)))
    for i, line, m in sorted((*t.scan(_CONSENT_RX, _CONSENT_GATES), *deemed), key=lambda x: (x[0], x[2].start())):
        # (the opt-in act itself, not one of several ways that include mere use: "By registering an account,
        # clicking "I Agree", or completing a transaction ..., you ... agreed")
        if _OPT_IN_ACT.search(m.group(0)) and not _OR.search(m.group(0)):
            continue
        a, b = _sentence_at(line, m.start())
        if (i, a) in done:
            continue
        done.add((i, a))
        sent = line[a:b].strip()
        q = sent if len(sent) <= MAX_QUOTE else _clip(line[m.start():b])
        yield _finding(CONSENT, i, q, "Do not rely on consent deemed from use of the service or from reading the "
                       "notice; ask for a specific, informed opt-in where consent is the legal basis, or name "
                       "another legal basis.")


# --------------------------------------------------------------------------- outdated references

#: The day India's DPDP Act replaces IT Act s. 43A and the SPDI Rules 2011 (s. 44(2) DPDP Act, in force
#: with the bulk of the DPDP Rules 2025 eighteen months after their publication; see checklists/dpdp.yaml).
DPDP_REPLACES_SPDI = dt.date(2027, 5, 13)

_SHIELD = (r"(?:(?:EU|E\.U\.|Swiss|UK)\s*[-–‑/]?\s*(?:U\.?S\.?|United\s+States)\s*[-–‑]?\s*|"
           r"(?:U\.?S\.?)\s*[-–‑]\s*(?:EU|E\.U\.|Swiss)\s*[-–‑]?\s*)?(?i:Privacy\s+Shield)|"
           r"(?:(?:EU|E\.U\.|Swiss|U\.?S\.?)\s*[-–‑/]?\s*(?:U\.?S\.?|EU|E\.U\.|Swiss)?\s*[-–‑]?\s*)Safe\s+Harbou?r|"
           r"Safe\s+Harbou?r\s+(?i:Framework|Privacy\s+Principles|Principles|List|Agreement|"
           r"Certification)")
_SHIELD_RX = re.compile(_SHIELD)
#: The policy's own reliance: "we comply with / adhere to / are certified under ...", "we transfer ...
#: under Privacy Shield", recourse offered through it ("invoke binding Privacy Shield arbitration",
#: "the Privacy Shield Principles shall govern"). A recipient's certification counts as well
#: (_RECIPIENT_CERT): the policy offers it as the safeguard for the data it sends there.
_RELY_VERB = (r"(?:comply|complies|complied|compliant|adhere|adheres|adhering|participat\w+|(?:self-)?certif\w+|"
              r"rel(?:y|ies|ied|ying)|subscribe[sd]?|registered|committed|commit|abide|abides|follow|follows|join(?:s|ed)?|"
              r"align(?:s|ed)?|appl(?:y|ies|ied)|"
              r"transfer\w*|under|pursuant\s+to|in\s+accordance\s+with|on\s+the\s+basis\s+of|based\s+on|"
              r"consistent\s+with)")
_RECOURSE = re.compile(rf"(?:{_SHIELD})\s+(?:Principles\s+shall\s+govern|arbitration|(?:complaints?|claims?)\b)",
                       _I)
_HISTORICAL = re.compile(
    r"\bno\s+longer\b|\binvalidat\w*|\bstruck\s+down\b|\bannull?\w*|\bceased?\b|\bformerly\b|\bpreviously\b|"
    r"\breplaced\b|\bsuccessor\b|\bSchrems\b|C-311/18|C-362/14|\brepeal\w*|\bsupersed\w*|\bpredecessor\b|"
    r"\bData\s+Privacy\s+Framework\b|\bDPF\b|\bused\s+to\b|\bwas\s+(?:valid|in\s+force)\b|\bhistor\w+", _I)
_OLD_LAW: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (_rx(r"\b(?:Directive\s+)?95/46(?:/EC|/EG)?\b|\b(?:EU\s+|European\s+)?Data\s+Protection\s+Directive\b", _I),
     "the Data Protection Directive 95/46/EC, repealed by the GDPR on 25 May 2018",
     "Cite the GDPR (Regulation (EU) 2016/679) instead"),
    (_rx(r"\bData\s+Protection\s+Act,?\s+(?:of\s+)?1998\b|\b1998\s+Data\s+Protection\s+Act\b", _I),
     "the UK Data Protection Act 1998, replaced by the UK GDPR and the Data Protection Act 2018",
     "Cite the UK GDPR and the Data Protection Act 2018 instead"),
    (_rx(r"\bData\s+Protection\s+(?:\(Amendment\)\s+)?Acts?,?\s+1988\b(?:\s*(?:and|to|&|-|–)\s*2003\b)?|"
         r"\bData\s+Protection\s+\(Amendment\)\s+Act,?\s+2003\b", _I),
     "the Irish Data Protection Acts 1988 and 2003, replaced for most processing by the GDPR and the Data "
     "Protection Act 2018",
     "Cite the GDPR and the Irish Data Protection Act 2018 instead"),
    (_rx(r"\b(?:New\s+Zealand(?:'s|’s)?\s+)?Privacy\s+Act,?\s+(?:of\s+)?1993\b", _I),
     "the New Zealand Privacy Act 1993, repealed and replaced by the Privacy Act 2020 (in force 1 December 2020)",
     "Cite the Privacy Act 2020 instead"),
    (_rx(r"\bIntermediar(?:y|ies)\s+Guidelines\)?\s+Rules,?\s+2011\b", _I),
     "the Information Technology (Intermediaries Guidelines) Rules 2011, replaced by the Information Technology "
     "(Intermediary Guidelines and Digital Media Ethics Code) Rules 2021",
     "Cite the 2021 Rules instead"),
    (_rx(r"\bFederal\s+Act\s+on\s+Data\s+Protection\s+(?:\(FADP\)\s+)?of\s+19\s+June\s+1992\b", _I),
     "the Swiss Federal Act on Data Protection of 19 June 1992, replaced by the revised FADP of 25 September 2020 "
     "(in force 1 September 2023)",
     "Cite the revised Federal Act on Data Protection instead"),
    # the first-generation standard contractual clauses, repealed by Implementing Decision (EU) 2021/914 (usable
    # for existing contracts only until 27 December 2022)
    (_rx(r"\b(?:2001/497|2004/915|2002/16)/EC\b|\b2010/87/EU\b", _I),
     "the standard contractual clauses of Commission Decisions 2001/497/EC, 2004/915/EC and 2010/87/EU, repealed by "
     "Implementing Decision (EU) 2021/914 (the old clauses ceased to be valid on 27 December 2022)",
     "Cite the 2021 standard contractual clauses (Implementing Decision (EU) 2021/914)"),
    (_rx(r"(?:§+\s*|\bsection\s+|\bsec\.\s*)999\.\d{3}\b|\b(?:CCR|C\.C\.R\.|Code\s+Regs\.?|Code\s+of\s+Regulations)"
         r"[^.\n]{0,40}?\b999\.\d{3}\b", _I),
     "the pre-2023 CCPA regulations (11 CCR §999.xxx, renumbered §7000 ff. by the CPRA regulations)",
     "Cite the current regulations (11 CCR §7000 ff.)"),
)
_SPDI = _rx(r"\bSPDI\s+Rules\b|\bSensitive\s+Personal\s+Data\s+or\s+Information\)?\s+Rules\b|"
            r"\bReasonable\s+Security\s+Practices\s+and\s+Procedures\b|\b(?:section|sec\.|s\.)\s*43\s*-?A\b", _I)
_OUTDATED_GATES = ("privacy shield", "safe harbo", "95/46", "directive", "1998", "1988", "2003", "999.", "spdi", "43a",
                   "43 a", "43-a", "reasonable security", "sensitive personal data or information", "1993", "2011",
                   "1992", "2010/87", "2001/497", "2004/915", "2002/16")
_NAME_TOKEN = re.compile(r"\b[A-Z][A-Za-z0-9]*[A-Z]?[a-z0-9]+[A-Za-z0-9]*\b")
_URLISH = re.compile(r"\(?(?:https?://|www\.)[^\s)]*\)?|\S+@\S+")


def _own_name(t: _Text) -> str | None:
    if t.own_name == "?":
        t.own_name = _find_own_name(t)
    return t.own_name


def _find_own_name(t: _Text) -> str | None:
    """The business's name as the text uses it: a capitalised word that the text (almost) never uses in
    lower case (so 'Privacy' or 'Data' do not count), seen at least three times; a name in the title
    or the front matter wins over a more frequent one (a policy may name Facebook more than itself)."""
    text = _URLISH.sub(" ", t.doc.text)
    caps = Counter(_NAME_TOKEN.findall(text))
    lower = Counter(re.findall(r"\b[a-z][a-z0-9]+\b", text))
    names = [w for w, n in caps.most_common(40)
             if n >= 3 and lower[w.lower()] * 5 <= n and w.lower() not in _NOT_NAMES]
    head = " ".join(ln for ln in t.lines[:12] if not _is_corpus_header(ln))
    # a name written in capitals ("# Privacy Notice | AEGEAN") counts when the title carries it: elsewhere a
    # word in capitals is as often an acronym (DPO, EEA) as a name
    title = next((ln for ln in t.lines[:12] if ln.strip() and not _is_corpus_header(ln)), "")
    shouted = [w for w, n in Counter(_CAPS_TOKEN.findall(text)).most_common(10)
               if n >= 3 and w not in _ACRONYMS and not lower[w.lower()] and re.search(rf"\b{w}\b", title)]
    if shouted and not any(re.search(rf"\b{re.escape(w)}\b", title) for w in names):
        return shouted[0]
    return next((w for w in names if re.search(rf"\b{re.escape(w)}\b", head)), names[0] if names else None)


_CAPS_TOKEN = re.compile(r"\b[A-Z]{3,}\b")
_ACRONYMS = frozenset("GDPR EEA DPO CCPA CPRA DPDP USA URL FAQ API SMS PDF ISO SSL TLS NAI DAA EDAA GPS ICO PII SPI "
                      "KYC CCTV VAT LLC INC LTD GMBH THE AND FOR YOU YOUR OUR POLICY PRIVACY NOTICE DATA TERMS "
                      "STATEMENT PERSONAL INFORMATION COOKIE COOKIES".split())


_NOT_NAMES = {"we", "our", "us", "you", "your", "the", "this", "if", "for", "in", "to", "of", "and", "or", "it",
              "when", "where", "these", "those", "please", "information", "personal", "data", "privacy", "policy",
              "service", "services", "site", "website", "user", "users", "app", "company", "statement", "notice"}


_ABBR_END = re.compile(r"(?:\b[A-Za-z]\.){2,}$|\b(?:Inc|Ltd|Co|Corp|No|Nos|Art|Sec|Cal|Regs?|tit|Dept|St|Mr|Ms|Dr|"
                       r"etc|vs|cf)\.$")


def _full_sentences(line: str) -> Iterator[tuple[int, int]]:
    """Sentence spans that do not break after abbreviations ("the EU-U.S. Privacy Shield", "Cal. Code Regs.")."""
    start = None
    for a, b in _sentences(line):
        start = a if start is None else start
        if not _ABBR_END.search(line[a:b].rstrip()):
            yield start, b
            start = None
    if start is not None:
        yield start, len(line)


#: A recipient's certification offered as the safeguard for data sent to it ("Facebook Inc. is certified
#: under the Privacy Shield, which guarantees ...", "Zendesk has submitted to the EU-US Privacy Shield",
#: "X is enrolled in the Privacy Shield program"): the policy relies on it as the transfer mechanism.
_RECIPIENT_CERT = re.compile(
    r"\b(?:(?:self-)?certified|certification|enrolled|submitted|join(?:s|ed)|participat(?:es|ed|ing)|undertak\w+\s+to\s+(?:uphold|comply|"
    r"respect|observe)|adher\w+|compl(?:y|ies|iant)|signed\s+up|registered|subscribe[sd]?|member|"
    r"t(?:ake|akes|ook|aking)\s+part|subject\s+to)\b", _I)


#: The transfer itself resting on an instrument, with no subject named ("such transfer shall be based on ...").
_TRANSFER_BASED = re.compile(r"\btransfers?\b[^.;]{0,40}?\b(?:(?:shall|will|is|are|may)\s+(?:be\s+)?)?(?:based\s+on|"
                             r"made\s+(?:under|pursuant\s+to|on\s+the\s+basis\s+of)|covered\s+by|governed\s+by|"
                             r"rel(?:y|ies|ying)\s+on)\b", _I)


#: The instrument named in a list of the safeguards used ("Used safeguards are: EU-US Privacy Shield, ...").
_MECHANISM_LIST = re.compile(r"\b(?:safeguards?|mechanisms?|transfer\s+(?:tools?|instruments?))\b[^.;]{0,30}?"
                             r"\b(?:are|is|include|includes|comprise)\s*:?\s*(?:[^.;:]{0,80}?,\s*)?$", _I)


def _self_reliance(sent: str, own: str | None) -> bool:
    """The sentence says the business itself relies on the instrument (subject 'we' or its own name)."""
    subj = r"\bwe\b|\bour\s+(?:company|organi[sz]ation|business|group|firm)\b" + (
        rf"|\b{re.escape(own)}\b" if own else "")
    for m in _SHIELD_RX.finditer(sent):
        before = sent[:m.start()]
        # the business's own framework document: "please see our E.U. Safe Harbor Privacy Policy"
        if re.search(r"\bour\s+\[?(?:[\w.\-]+\s+){0,2}$", before, _I):
            return True
        # the subject's own verb: no comma or relative clause ("we use X, which is certified") in between
        # ("we will protect your personal information as described in this Privacy Notice and in a manner consistent
        # with the principles of the EU-US Privacy Shield": the verb may stand well after the subject)
        if re.search(rf"(?:{subj})(?:(?![,;]|\s(?:which|who|that|whose)\b).){{0,120}}?\b{_RELY_VERB}\b", before, _I):
            return True
        # the transfer itself rests on it, with no subject named: "such transfer shall be based on a legal basis
        # recognised ... including but not limited to the EU-U.S. Privacy Shield"
        if _TRANSFER_BASED.search(before):
            return True
        # named in the list of safeguards used: "Used safeguards are: EU-US Privacy Shield, adequacy decision ..."
        if _MECHANISM_LIST.search(before):
            return True
    return bool(_RECOURSE.search(sent))


def _outdated(t: _Text, as_of: dt.date) -> Iterator[Finding]:
    """Legal instruments cited as current although they no longer stand (invalidated or repealed).

    One finding per passage: hits on nearby lines (within four lines, e.g. consecutive paragraphs
    about the same transfer mechanism) are one defect to fix, reported at the first line."""
    hits: list[tuple[int, str, str, str]] = []  # (line, quote, what, fix)
    for i in t.lines_with(_OUTDATED_GATES):
        line = t.lines[i - 1]
        if _is_corpus_header(line) or _HISTORICAL.search(line):
            continue
        for a, b in _full_sentences(line):
            sent = line[a:b]
            m = _SHIELD_RX.search(sent)
            if m and (_self_reliance(sent, _own_name(t)) or _RECIPIENT_CERT.search(sent)):
                kind = "Safe Harbor" if "harbo" in m.group(0).lower() else "Privacy Shield"
                when = "2015 (CJEU C-362/14)" if kind == "Safe Harbor" else "16 July 2020 (CJEU C-311/18)"
                # a long sentence is quoted from the clause that names the framework, so the quote shows it
                stop = sent.rfind(". ", 0, m.start())  # (-1: the framework is named in the first sentence)
                cut = stop + 2 if stop >= 0 and len(sent.strip()) > MAX_QUOTE else 0
                if m.end() - cut > MAX_QUOTE:  # the name still out of reach: start late enough to end with it
                    sp = sent.find(" ", max(cut, m.end() - MAX_QUOTE + 10))
                    cut = sp + 1 if 0 <= sp < m.start() else cut
                hits.append((i, _clip(sent[cut:]), f"the {kind} framework, invalidated on {when}",
                             "Name the transfer mechanism now relied on (the EU-U.S. Data Privacy Framework, "
                             "standard contractual clauses or another Art. 46 GDPR safeguard)"))
                break
            for rx, what, fix in _OLD_LAW:
                if rx.search(sent):
                    hits.append((i, _clip(sent.strip()), what, fix))
                    break
            else:
                if as_of >= DPDP_REPLACES_SPDI and _SPDI.search(sent):
                    hits.append((i, _clip(sent.strip()), "IT Act s. 43A and the SPDI Rules 2011, replaced by the "
                                 "Digital Personal Data Protection Act 2023", "Cite the DPDP Act 2023 and the DPDP "
                                 "Rules 2025 instead"))
                continue
            break
    last: dict[str, int] = {}
    for i, quote, what, fix in hits:
        prev = last.get(what)
        last[what] = i
        if prev is not None and i - prev <= 4:
            continue
        yield _finding(OUTDATED, i, quote, f"The text relies on {what}, as if it were still in force. {fix}, "
                       "or say that the earlier instrument no longer applies.")


# --------------------------------------------------------------------------- readability

_WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:['’][A-Za-z]+)?")
_SENT_SPLIT = re.compile(r"[.!?;:]+(?=\s|$)|\n")


@lru_cache(maxsize=50000)
def _syllables(word: str) -> int:
    w = word.lower()
    n = len(re.findall(r"[aeiouyà-ÿ]+", w))
    if n > 1 and w.endswith("e") and not w.endswith(("le", "ee", "ye")):
        n -= 1
    return max(1, n)


def flesch(text: str) -> float | None:
    """Flesch reading ease (higher is easier; below 30 is 'very difficult'); None for under 5 words."""
    words = _WORD.findall(text)
    if len(words) < 5:
        return None
    sentences = max(1, sum(1 for p in _SENT_SPLIT.split(text) if _WORD.search(p)))
    syl = sum(map(_syllables, words))
    return round(206.835 - 1.015 * (len(words) / sentences) - 84.6 * (syl / len(words)), 1)


def readability_by_section(ctx: tuple[AnnotatedClause, ...]) -> list[tuple[str, int, float]]:
    """(section heading, first line, Flesch reading ease) per top-level section, for the report."""
    sections: list[tuple[str, int, list[str]]] = []
    for ac in ctx:
        c = ac.clause
        if c.kind == "heading" and not c.heading_path:
            name = re.sub(r"^[#>*_\s]+|[*_\s#]+$", "", c.text.strip()) or c.text.strip()
            sections.append((name, c.line_start, []))
            continue
        if not sections:
            sections.append(("(preamble)", c.line_start, []))
        if c.kind != "heading":
            sections[-1][2].append(c.text)
    out: list[tuple[str, int, float]] = []
    for name, first, texts in sections:
        score = flesch("\n".join(texts))
        if score is not None:
            out.append((name, first, score))
    return out


#: Substitutions that synonym-spinning tools make in standard privacy and legal phrases (spun
#: phrase -> the phrase it replaced). Each is wording a drafter would not choose; several together,
#: at a density no human text reaches, mark machine-paraphrased text. Patterns are lower case.
SPIN_LEXICON: dict[str, str] = {
    r"outsiders?(?:['’]s?)?(?!\s+(?:threat|attack|access|actor))": "third party",
    r"wellsprings?": "source(s)",
    r"assortment\s+of\s+(?:data|information|personal|individual)": "collection of data",
    r"(?:for|about|regarding|purposes\s+for)\s+(?:the\s+)?assortment": "collection",
    r"admittance\s+to\s+(?:the\s+)?(?:personal|your|data|information|software|our)": "access to",
    r"(?:administrative|shopper|purchaser|customer|buyer)\s+solicitation": "regulatory/consumer request",
    r"(?:your|the|this|a|an)\s+solicitation\s+(?:must|to|warrants|for)": "the request",
    r"legitimate\s+commitments?": "legal obligation",
    r"consistence\s+with": "compliance with",
    r"completely\s+(?:claimed|possessed)\s+(?:auxiliaries|subsidiaries)": "wholly owned subsidiaries",
    r"auxiliar(?:y|ies)\s+(?:organi[sz]ations?|companies)|(?:our|its)\s+auxiliaries": "subsidiaries",
    r"specialist\s+co-?ops?": "service providers",
    r"approved\s+specialists?": "authorised agent",
    r"irrefutable\s+(?:shopper|purchaser|buyer|customer|consumer)": "verifiable consumer",
    r"(?:evident|undeniable|obvious)\s+(?:shopper|purchaser|buyer)\s+(?:demand|solicitation|request)":
        "verifiable consumer request",
    r"shopper\s+(?:demand|solicitation)": "consumer request",
    r"independently\s+recogni[sz]able": "personally identifiable",
    r"information\s+assurance\s+(?:laws?|guidelines|regulations?)": "data protection laws",
    r"working\s+framework": "operating system",
    r"perusing\s+(?:occasions|history|information)": "browsing events/history",
    r"practic(?:e|ing)\s+(?:your\s+)?(?:privileges|rights|entitlements?)": "exercise your rights",
    r"entitlements?\s+to\s+(?:know|demand|erasure|access|delete)": "right to know/delete",
    r"reserve\s+the\s+privilege": "have the right",
    r"force\s+of\s+lawyer": "power of attorney",
    r"pull\s+out\s+(?:this\s+|your\s+)?(?:assent|consent)": "withdraw consent",
    r"recorded\s+as\s+a\s+hard\s+copy": "in writing",
    r"types\s+of\s+assistance": "services",
    r"if\s+it['’]s\s+not\s+too\s+much\s+trouble": "please",
    r"on\s+the\s+off\s+chance\s+that": "if",
    r"kindly\s+(?:audit|survey|peruse)": "please review",
    r"buy\s+in\s+to\s+our|(?:our|the)\s+pamphlet": "subscribe to our newsletter",
    r"believed\s+outsider": "trusted third party",
    r"distributed\s+computing\s+specialist": "cloud service provider",
    r"(?:legislative|administrative)\s+power": "governmental authority",
    r"follow\s+a\s+summon": "comply with a subpoena",
    r"lawful\s+measure": "legal process",
    r"bias\s+your\s+inclinations": "prejudice your interests",
    r"rights\s+and\s+opportunities": "rights and freedoms",
    r"genuine\s+interests": "legitimate interests",
    r"presentation\s+of\s+an?\s+agreement": "performance of a contract",
    r"proceeded\s+with\s+utili[sz]ation": "continued use",
    r"measure\s+your\s+personal\s+(?:information|data)": "process your personal data",
    r"preparing\s+(?:personal|your\s+personal|such\s+personal|as\s+per)": "processing",
    r"the\s+(?:classes|classifications)\s+of\s+(?:sources|personal)": "categories of",
    r"chapter\s+11\s+or\s+other\s+exchange": "bankruptcy or other transaction",
    r"as\s+legally\s+necessary": "as required by law",
    r"unidendtified|non-recogni[sz]able": "non-identifiable",
    r"(?:catalog|index)\s+names": "directory names",
    r"if\s+there\s+should\s+arise\s+an\s+occurrence": "in case of",
    r"inside\s+\d+\s+days": "within N days",
    r"customary\s+relationship\s+management": "customer relationship management",
    r"uncover\s+(?:your\s+|any\s+|the\s+)?(?:personal|individual)": "disclose personal data",
    r"motivations\s+for\s+(?:gathering|collecting|handling|preparing|assortment)": "purposes of collection",
    r"outsider\s+nations|nations\s+outside\s+the\s+european": "third countries",
    r"assemble\s+(?:your\s+)?personal\s+(?:information|data)": "collect personal data",
    r"(?:use|utili[sz]e|set|place|put)\s+treats": "use cookies",
    r"information\s+subjects?\b": "data subject",
    r"specialist\s+(?:organi[sz]ations|suppliers)": "service providers",
    r"as\s+per\s+real\s+interests|real\s+interests\s+would": "legitimate interests",
    r"individual\s+data\s+(?:from|about)\s+you": "personal data",
}
_SPIN = re.compile(r"\b(?=[a-z])(?:" + "|".join(f"(?:{p})" for p in SPIN_LEXICON) + ")")
#: Words that occur in most spun privacy texts and rarely elsewhere; a cheap pre-check.
SPIN_TRIGGERS = ("outsider", "wellspring", "assortment", "admittance", "solicitation", "specialist",
                 "shopper", "irrefutable", "auxiliar", "off chance", "pamphlet", "types of assistance")
SPIN_MIN_HITS = 8
SPIN_MIN_DISTINCT = 5
SPIN_PER_1000_WORDS = 2.0
FLESCH_FLOOR = 0.0  # below this the text is unreadable whatever the subject (e.g. lost sentence breaks)


def spin_hits(text: str) -> list[tuple[int, int, str]]:
    """(start, end, matched text) of known spinner substitutions in `text`."""
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lower-cased; stay exact
        rx = re.compile(_SPIN.pattern, _I)
        return [(m.start(), m.end(), m.group(0)) for m in rx.finditer(text)]
    return [(m.start(), m.end(), text[m.start():m.end()]) for m in _SPIN.finditer(low)]


def _readability(t: _Text, ctx: tuple[AnnotatedClause, ...]) -> Iterator[Finding]:
    """Machine-paraphrased ('spun') text, or text far below any plain-language readability."""
    text = t.doc.text
    n_words = len(text.split()) or 1
    if sum(t.low.count(w) for w in SPIN_TRIGGERS) < SPIN_MIN_HITS // 2:  # cheap pre-check
        return
    per_line: Counter[int] = Counter()
    first_hit: dict[int, str] = {}
    distinct: set[str] = set()
    for a, _b, txt in spin_hits(text):
        i = bisect_right(t.offsets, a)
        per_line[i] += 1
        first_hit.setdefault(i, txt)
        distinct.add(" ".join(txt.lower().split()))
    total = sum(per_line.values())
    if total >= SPIN_MIN_HITS and len(distinct) >= SPIN_MIN_DISTINCT and total * 1000 / n_words >= SPIN_PER_1000_WORDS:
        line = max(per_line, key=lambda k: (per_line[k], -k))
        examples = ", ".join(f"\"{e}\"" for e in sorted(distinct)[:3])
        yield _finding(READABILITY, line, first_hit[line], f"The text reads as machine-paraphrased (\"spun\"), with "
                       f"{total} garbled stock phrases such as {examples}; have the notice rewritten in clear, "
                       "plain language (GDPR Art. 12(1)).")
        return
    body = [ac.clause.text for ac in ctx if ac.clause.kind != "heading"]
    n_sent = sum(len(_SENT_SPLIT.findall(x)) + 1 for x in body)
    if n_words < 300 or n_words / max(1, n_sent) < 20:  # Flesch < 0 needs very long sentences
        return
    overall = flesch("\n".join(ac.clause.text for ac in ctx if ac.clause.kind != "heading"))
    title = _title_line(t.doc)
    if overall is not None and overall < FLESCH_FLOOR and title:
        yield _finding(READABILITY, title[0], title[1], f"The notice scores {overall:.0f} on the Flesch reading-"
                       "ease scale (far below plain language); shorten the sentences and use everyday words "
                       "(GDPR Art. 12(1)).")


# --------------------------------------------------------------------------- entry point

def check(doc: Document, ctx: tuple[AnnotatedClause, ...], as_of: dt.date) -> tuple[Finding, ...]:
    """All drafting findings in the document's text, in line order, without duplicates."""
    t = _Text(doc=doc, offsets=doc.line_offsets,
              heading_lines={ac.clause.line_start for ac in ctx if ac.clause.kind == "heading"},
              headings=[ac.clause.text for ac in ctx if ac.clause.kind == "heading"],
              line_scopes={ac.clause.line_start: ac.clause.scope for ac in ctx})
    out: list[Finding] = []  # the pipeline adds doc.ingest_notes (Word comments etc.) itself
    out += _notes(t)
    out += _carried_over(t)
    out += _dangling_reference(t)
    contact = list(_broken_contact(t))
    out += contact or _no_contact(t)  # a specific broken contact already says the rest
    out += _conversion(t)
    out += _vague_retention(t, ctx)
    out += _stale(doc, as_of, t.offsets)
    out += _consent_by_use(t)
    out += _outdated(t, as_of)
    out += _readability(t, ctx)
    return tuple(_dedupe(out))


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    seen: set[tuple[str, int, str]] = set()
    res: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.line_start, f.id, f.quote)):
        k = (f.id, f.line_start, f.quote)
        if k in seen or not f.quote:
            continue
        seen.add(k)
        res.append(f)
    return res
