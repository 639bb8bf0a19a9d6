"""Label each clause with data practices from one taxonomy (collection, retention, rights, ...).

Labels are found per sentence and keep the spans that triggered them, so a checklist item that
matches on a label can quote the exact sentence as evidence. Headings contribute context labels:
a paragraph under "Data Retention" is about retention even when it never says "retain".
"""

from __future__ import annotations

import re
from functools import lru_cache, reduce
from itertools import repeat
from operator import or_
from types import MappingProxyType

from gapcheck import textcache
from gapcheck.lexicon import Concept, lexicon
from gapcheck.models import AnnotatedClause, Clause, Span
from gapcheck.prefilter import (
    INDEX,
    LOWER_KEY,
    WORDS_KEY,
    StartScanner,
    compile_need,
    first_cut,
    fold,
    leading,
    lowered,
    required,
    suffix_gate,
    word_index,
)
from gapcheck.scope import (
    ELSEWHERE,
    MINORS,
    elsewhere_sentence,
    minors_sentence,
    scope_patterns,
    sentence_forms,
    sentence_scope,
)
from gapcheck.segment import POLICY_TITLE, heading_of

_F = re.IGNORECASE


def _from_lexicon(prefix: str) -> dict[str, str]:
    """`<prefix>.<name>` concepts of the shared vocabulary (checklists/lexicon/labels.yaml) as name -> regex,
    in file order; a concept has one pattern (several would be one alternation)."""
    return {name[len(prefix) + 1:]: _pattern_of(c) for name, c in lexicon().items() if name.startswith(prefix + ".")}


def _pattern_of(c: Concept) -> str:
    """A concept's patterns as one alternation (its one pattern as it stands)."""
    return c.patterns[0] if len(c.patterns) == 1 else "|".join(f"(?:{p})" for p in c.patterns)


#: The taxonomy: label -> regex (the `label.*` concepts). Order does not matter; a sentence may carry many labels.
TAXONOMY: dict[str, str] = _from_lexicon("label")

#: Heading words -> context labels for the clauses below a heading (the `topic.*` concepts).
HEADING_TOPICS: dict[str, str] = _from_lexicon("topic")

#: A length of time ("six months", "30 days"), also found as an entity of every clause.
DURATION = TAXONOMY["duration"]


def flexible_spaces(pattern: str) -> str:
    """A pattern whose literal spaces match any run of whitespace ("third  party", "third\\tparty").

    Policies carry double spaces, tabs and no-break spaces (mapped to spaces for matching); a
    pattern author writes one space. Spaces inside character classes and escaped spaces are kept;
    a space followed by a quantifier becomes `\\s` with that quantifier.
    """
    out: list[str] = []
    i, n, in_class = 0, len(pattern), False
    while i < n:
        c = pattern[i]
        if not in_class and pattern.startswith(("(?<=", "(?<!"), i):  # look-behinds must stay fixed-width
            j, depth = i, 0
            while j < n:
                if pattern[j] == "\\":
                    j += 2
                    continue
                depth += pattern[j] == "("
                depth -= pattern[j] == ")"
                j += 1
                if depth == 0:
                    break
            out.append(pattern[i:j])
            i = j
            continue
        if c == "\\" and i + 1 < n:
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]" or (out and out[-1] in ("[", "[^"))
            out.append(c)
        elif c == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "^":
                out.append("[^")
                i += 2
                continue
            out.append(c)
        elif c == " ":
            out.append(r"\s" if i + 1 < n and pattern[i + 1] in "?*+{" else r"\s+")
        else:
            out.append(c)
        i += 1
    return "".join(out)


#: Spacing and invisible characters that read as a space (or nothing) to a person: matching sees
#: a plain space, so "personal\u00a0information" and "personal\u200b information" read as words.
INVISIBLE_AS_SPACE = {ord(c): " " for c in "\t\u00a0\u2007\u202f\u200b\u200c\u200d\u2060\ufeff\u00ad"
                      "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"}
#: Unicode hyphens (U+2010 hyphen, U+2011 non-breaking hyphen, U+2212 minus) are typed by word
#: processors for an ordinary hyphen ("opt\u2010out", "third\u2011party"): matching sees "-".
MATCH_FOLD = {**INVISIBLE_AS_SPACE, 0x2010: "-", 0x2011: "-", 0x2212: "-"}


_TAX = {k: re.compile(flexible_spaces(v), _F) for k, v in TAXONOMY.items()}
# the words one of which each label needs: a clause without any of them is not searched for it
_TAX_NEEDS = {k: required(rx.pattern, rx.flags) for k, rx in _TAX.items()}
for _need in _TAX_NEEDS.values():
    INDEX.add(_need)
_TAX_POSSIBLE = {k: compile_need(n) for k, n in _TAX_NEEDS.items() if n is not None}
#: The labels in _TAX order, and per literal the bit mask (bit k: label k) of the labels whose first cut
#: (prefilter.first_cut: one of these words is in every match) holds it: a clause's literals then name
#: the few labels worth testing in full, where testing each of the 55 needs cost some 60,000 calls per
#: ten notices. Labels without a need have their bit in _TAX_ALWAYS.
_TAX_ORDER = tuple(_TAX)
_TAX_ALWAYS = sum(1 << k for k, name in enumerate(_TAX_ORDER) if name not in _TAX_POSSIBLE)
_TAX_BY_LITERAL: dict[str, int] = {}
for _k, _name in enumerate(_TAX_ORDER):
    if _TAX_NEEDS[_name] is not None:
        for _lit in first_cut(_TAX_NEEDS[_name]):  # type: ignore[arg-type]
            _TAX_BY_LITERAL[_lit] = _TAX_BY_LITERAL.get(_lit, 0) | (1 << _k)


#: Labels without leading words are searched at every position; where the tail every match ends with
#: (prefilter.suffix_gate) is absent from the clause, they are not searched.
_TAX_GATES = {k: g for k, rx in _TAX.items() if (g := suffix_gate(rx.pattern, rx.flags)) is not None}


@lru_cache(maxsize=1)
def _tax_starts() -> dict[str, StartScanner]:
    """Labels whose matches start with a leading form are searched only where such a form occurs
    (made on first use, not at import: a command that reads no policy does not pay for it)."""
    return {k: StartScanner(rx, st) for k, rx in _TAX.items() if (st := leading(rx.pattern, rx.flags))}
_TOPICS = {k: re.compile(v, _F) for k, v in HEADING_TOPICS.items()}
# sentence_scope finds nothing in a clause where neither of its patterns can match
_SCOPE_NEEDS = [required(rx.pattern, rx.flags) for rx in (scope_patterns())]
for _need in _SCOPE_NEEDS:
    INDEX.add(_need)
_SCOPE_POSSIBLE = ((lambda p: True) if any(n is None for n in _SCOPE_NEEDS)
                   else compile_need(("or", tuple(_SCOPE_NEEDS))))  # type: ignore[arg-type]
_EVERYONE_POSSIBLE = (lambda p: True) if _SCOPE_NEEDS[0] is None else compile_need(_SCOPE_NEEDS[0])
_FORM_NEEDS = [required(rx.pattern, rx.flags) for rx in sentence_forms()]
for _need in _FORM_NEEDS:
    INDEX.add(_need)
_FORM_POSSIBLE = tuple((lambda p: True) if n is None else compile_need(n) for n in _FORM_NEEDS)


@lru_cache(maxsize=4096)
def heading_topics(heading: str) -> frozenset[str]:
    """Topics of a heading path (many clauses share one, so each is matched once)."""
    return frozenset(k for k, rx in _TOPICS.items() if heading and rx.search(heading))


#: Sentence ends: a stop, then the next sentence's first letter (a sentence may open in bold or italics, or with a
#: template variable: "... the delivery. **{{% legal name %}}** is not responsible"), or a line break.
_SENT = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"“(\[]?[A-Z0-9•]|[*_]{1,2}[\"“(\[]?[A-Z0-9{]|\{\{)|\n")

ENTITY_RES = {
    "emails": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "urls": re.compile(r"\bhttps?://[^\s)<>\]]+|\bwww\.[^\s)<>\]]+", _F),
    "phones": re.compile(r"(?:\+\d{1,3}[\s.-]?)?\(?\d{2,4}\)?[\s.-]\d{3,4}[\s.-]\d{3,4}\b"),
    "durations": re.compile(DURATION, _F),
}


_ENTITY_NEEDS = {k: required(rx.pattern, rx.flags) for k, rx in ENTITY_RES.items()}
for _need in _ENTITY_NEEDS.values():
    INDEX.add(_need)
_ENTITY_POSSIBLE = {k: compile_need(n) for k, n in _ENTITY_NEEDS.items() if n is not None}


#: Tokens before a full stop that do not end a sentence ("Art. 6", "e.g. cookies", "Ms. Smith").
ABBREVIATIONS = frozenset("""
art arts para paras no nos nr sec secs ss s subs cl ch p pp vol fig cf vs etc e.g i.e viz approx incl
ms mr mrs dr prof st bzw ggf z.b u.a d.h abs lit sent rn
jan feb mar apr jun jul aug sep sept oct nov dec
""".split())
#: The first half of a two-word company form ("Pvt. Ltd.", "Pty. Ltd.", "Sdn. Bhd.", "Co. Ltd."), split only when
#: the second half follows.
_FORM_FIRST = frozenset({"pvt", "pty", "sdn", "co", "corp", "pte"})
_FORM_SECOND = re.compile(r"\s+(?:Ltd|Limited|Bhd|Berhad|LLC|Inc)\b")
_LAST_TOKEN = re.compile(r"([\w.]+)\.$")
_LIST_NUMBER = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*|[A-Za-z]|[ivxIVX]{1,4})\.$")


def _is_false_stop(text: str, start: int, stop: int) -> bool:
    """True when the full stop before `stop` belongs to an abbreviation or a list number."""
    head = text[start:stop].rstrip("\"'”’) \t")
    if not head.endswith("."):
        return False
    if _LIST_NUMBER.match(head):
        return True
    # the token is the run of word characters and dots that ends the head: searched from the last space or
    # line break before it (the same leftmost match; from the start, every word of the sentence was tried)
    m = _LAST_TOKEN.search(head, max(head.rfind(" "), head.rfind("\n"), head.rfind("\t")) + 1)
    if m and m.group(1).lower() in _FORM_FIRST and _FORM_SECOND.match(text, stop):
        return True  # "NextBillion Technology Pvt. Ltd.": one company name
    return bool(m and m.group(1).lower() in ABBREVIATIONS)


_INVISIBLE = re.compile("[" + "".join(map(chr, MATCH_FOLD)) + "]")
LONG_RUN = 300
_LONG_RUN = re.compile(rf"[^\s]{{{LONG_RUN},}}")


def mask_long_runs(text: str) -> str:
    """The text with runs of 300+ non-space characters and Markdown emphasis marks blanked,
    offsets unchanged.

    No word, e-mail address or URL in a policy is that long; such runs are binary residue or
    junk, and patterns like `[\\w.+-]+@` would scan them quadratically. Matching runs on the masked
    text; quotes are always taken from the real text.
    """
    if text.isascii() or _INVISIBLE.search(text):  # (str.translate is slow on other text: only when needed)
        text = text.translate(MATCH_FOLD)  # one character for one: offsets unchanged
    if "_" in text:
        text = _EMPHASIS.sub(_spaces, text)
    if "*" in text:
        text = _STAR_EMPHASIS.sub(_spaces, text)
    if "email-protection" in text:
        text = _CF_EMAIL.sub(_spaces, text)
    if len(text) < LONG_RUN or not _LONG_RUN.search(text):
        return text
    return _LONG_RUN.sub(_spaces, text)


# The link of a Cloudflare-obfuscated address ("[\\[email protected\\]](https://host/cdn-cgi/l/email-protection#...)"):
# the page script that shows the real address did not run, so the link leads nowhere a person can
# write to; it is not read as a web link or form. The words "[email protected]" stay readable: the
# text still points to an e-mail channel, only a broken one (hygiene reports it).
_CF_EMAIL = re.compile(r"(?:https?://[^\s)\]]*)?/cdn-cgi/l/email-protection[^\s)\]]*", re.I)


def _spaces(m: re.Match[str]) -> str:
    """A match replaced by as many spaces (masking keeps every offset)."""
    return " " * len(m.group(0))


def _blank(text: str) -> str:
    """The text with every character but line breaks turned into a space (not read, offsets kept)."""
    return re.sub(r"[^\n]", " ", text)


# Markdown emphasis by underscores ("_Last Revised: July 17th, 2024_", "__Your rights__"): "_" is a
# word character, so `\blast` and `2024\b` would not match beside it. Underscores inside a word
# (user_id, {{site_name}}) are kept.
_EMPHASIS = re.compile(r"(?<!\w)_+(?=\w)|(?<=\w)_+(?!\w)")
# Markdown emphasis by stars closed and reopened between two words: a capture that bolds each fragment
# ("**Limit the** **processing**", "*right to* *object*") splits a phrase with marks that are not
# spaces. Only that join is blanked: a bold run-in label ("**Access.** You can ...") and a bold line
# keep their marks, which sentence splitting reads.
_STAR_EMPHASIS = re.compile(r"(?<=\w)\*{1,3}[ \t]+\*{1,3}(?=\w)")


_NEXT_ITEM = re.compile(r"\s*(?:[•·▪◦●○■□➢►✓\-–—*+|#>\uf0b7\uf0a7\uf0d8]|\(?[a-z0-9]{1,3}[.)]\s)")


def _is_soft_wrap(text: str, nl: int) -> bool:
    """A line break inside a sentence: hard-wrapped text (plain-text mail, PDF extraction), where the
    line before ends mid-sentence and the next line does not start a new list item."""
    before = text[:nl].rstrip(" \t")
    if not before or before[-1] in ".!?:;" or before.endswith(("**", "|")):
        return False
    return not _NEXT_ITEM.match(text, nl + 1)


def sentences(text: str) -> tuple[Span, ...]:
    """Sentence spans of a clause text: split at sentence ends and at line breaks, except line
    breaks that fall inside a sentence (hard-wrapped paragraphs keep their sentences whole)."""
    spans: list[Span] = []
    start = 0
    for m in _SENT.finditer(text):
        if m.group(0) == "\n":
            if _is_soft_wrap(text, m.start()):
                continue
        elif _is_false_stop(text, start, m.start()):
            continue
        if text[start:m.start()].strip():
            spans.append(_trim(text, start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return tuple(spans)


def _trim(text: str, a: int, b: int) -> Span:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return Span(a, b)


#: A table-of-contents entry: nothing but links to anchors on the same page ("* [Your rights](#rights)").
# (also as a full address with the fragment: "10. [Changes in Privacy Policy](https://example.com/privacy#changes)")
_NAV_LINKS = re.compile(r"^\s*(?:(?:[-*+•]|\d{1,3}(?:\.\d{1,3})*[.)]?)\s+)?"
                        r"(?:[*_]{0,3}\[[^\]\n]{1,200}\]\((?:https?://[^)\s#]*)?#[^)\s]*\)[*_]{0,3}[\s,|]*)+$")
#: A site-menu entry kept by the page capture: a list item that is nothing but one short link to another
#: page ("* [Sell with Klarna](https://...)", "* [Kids & Family](https://...)"). It names a page, it states
#: nothing. Links about privacy are kept: the choice links a footer must carry ("Do Not Sell or Share My
#: Personal Information", "Your Privacy Choices") are the statement, and a list of supplemental notices
#: ("California Privacy Rights") is what a section refers the reader to.
_MENU_LINK = re.compile(r"^\s*(?:[-*+•]\s+)(?:\[([^\]\n]{1,60})\]\((?:https?:)?//[^)\s]*\)\s*)$")
#: A site menu captured as one line: three or more links run together, at most a short label before them
#: ("Resources[FAQs](https://...)[Messenger Comparison](https://...)[Cryptography Whitepaper](https://...)").
_LINK_RUN = re.compile(r'^\s*[\w&’\' -]{0,30}(?:\[([^\[\]\n]{1,80})\]\([^()\s]*(?:\s+"[^"\n]*")?\)[\s|·•,]*){3,}$')
_LINK_TEXT = re.compile(r'\[([^\[\]\n]{1,80})\]\(')
_CHOICE_LINK = re.compile(r"\b(?:do not sell|don[’']t sell|privacy|opt[- ]?out|limit the use|cookies?|rights?|polic(?:y|ies)|"
                          r"notices?|statements?|terms|data|personal information|consent)\b", re.I)


def annotate_clause(clause: Clause, contents_entry: bool = False, lead_in_lost: bool = False,
                    title: str | None = None) -> AnnotatedClause:
    """Labels for one clause (with the sentence spans that carry them) plus heading context.

    `contents_entry`: the clause is a line of a table of contents whose links were lost (see
    `contents_entries`), so it is read like a linked contents entry: as naming a section, not stating.
    `lead_in_lost`: its last sentence announces a list the page shows only as an image (see
    `image_lead_ins`); that sentence is not read.
    `title`: the document's title when it names the notice (see `notice_title`): of the topics its words
    carry, only a region passes to the clauses under it."""
    text = mask_long_runs(clause.text)
    if lead_in_lost:
        text = _blank_last_sentence(text)
    text = _blank_law_content(text)
    text = _blank_definitions(text)
    menu = _MENU_LINK.match(text) if clause.kind == "bullet" else None
    # a run of menu links names pages, it states nothing (unless one of them is a privacy choice)
    run = "](" in text and clause.kind != "heading" and _LINK_RUN.match(clause.text) is not None \
        and not any(_CHOICE_LINK.search(t) for t in _LINK_TEXT.findall(clause.text))
    # (tested on the clause's own text: masking turns "#_Toc520738032" into "# Toc520738032")
    if clause.kind != "heading" and (contents_entry or run or _NAV_LINKS.match(clause.text) or _NAV_LINKS.match(text)
                                     or (menu and not _CHOICE_LINK.search(menu.group(1)))):
        # a contents entry names a section; it says nothing the section does not (no evidence)
        text = _blank(text)
    shared = textcache.current()
    got = shared.get(text) if shared is not None else None
    if got is not None:  # a batch worker has seen this text: its text-only work is reused
        sents, labels_, ents_, memo = got
        present = memo.get(INDEX.memo_key)
        if present is None:
            present = present_of(memo, text)
    else:
        sents, labels_, ents_, memo, present = _text_work(text)
        if shared is not None:
            shared.put(text, (sents, labels_, ents_, memo))
    path = clause.heading_path
    if title is not None and path and path[0] == title:  # under the notice's title: only its region counts
        rest = " / ".join(path[1:])
        if clause.kind == "heading":
            rest = (rest + " / " + text) if rest else text
        topics = heading_topics(rest) | (heading_topics(title) & REGION_TOPICS)
    elif title is not None and clause.kind == "heading" and not path and heading_name(clause.text) == title:
        topics = heading_topics(text) & REGION_TOPICS  # the title itself
    else:
        heading = " / ".join(path)
        if clause.kind == "heading":
            heading = (heading + " / " + text) if heading else text
        topics = heading_topics(heading)
    return AnnotatedClause(
        sentence_scopes=sentence_scopes(clause, text, sents, present, memo),
        clause=clause,
        match_text=text,
        labels=labels_,
        heading_labels=topics,
        sentences=sents,
        entities=ents_,
        memo=memo,  # the literal scan and lower-cased text, for the matchers (and their scans, once made)
    )


def present_of(memo: dict, text: str) -> frozenset[str]:
    """The registered literals of `text`, stored in `memo` under the current literal set's key."""
    key, present = INDEX.keyed_present(fold(text))
    memo[key] = present
    return present


def _text_work(text: str) -> tuple[tuple[Span, ...], MappingProxyType, MappingProxyType, dict, frozenset[str]]:
    """What annotation derives from a clause's (masked) text alone: sentences, labels, entities and the
    memo the matchers start from (literal scan, lower-cased text), and the literals found."""
    sents = sentences(text)
    labels: dict[str, list[Span]] = {}
    lits_key, present = INDEX.keyed_present(fold(text))
    low = lowered(text)
    words = word_index(text, low) if low is not None else None
    starts = _tax_starts()
    cands = reduce(or_, map(_TAX_BY_LITERAL.get, present, repeat(0)), _TAX_ALWAYS)
    k = -1
    while cands:  # the labels that may match, in _TAX order (lowest bit first)
        low_bit = cands & -cands
        k += low_bit.bit_length()
        cands >>= low_bit.bit_length()
        name = _TAX_ORDER[k]
        rx = _TAX[name]
        can = _TAX_POSSIBLE.get(name)
        if can is not None and not can(present):
            continue
        sc = starts.get(name) if low is not None else None
        got = sc.spans(text, low, 0, None, words) if sc is not None else None  # type: ignore[arg-type]
        if got is None:  # every match, as finditer gives them (the start scanner's are never empty)
            gate = _TAX_GATES.get(name) if sc is None else None
            if gate is not None and gate.search(text) is None:  # no match can end with its tail: none at all
                continue
            got = [(m.start(), m.end()) for m in rx.finditer(text)]
        if got:
            labels[name] = [Span(a, b) for a, b in got]
    ents = {k: tuple(m.group(0) for m in rx.finditer(text)) for k, rx in ENTITY_RES.items()
            if k not in _ENTITY_POSSIBLE or _ENTITY_POSSIBLE[k](present)}
    return (sents, MappingProxyType({k: tuple(v) for k, v in labels.items()}),
            MappingProxyType({k: v for k, v in ents.items() if v}), {lits_key: present, LOWER_KEY: low, WORDS_KEY: words}, present)


# "..., the following applies:", "you have a number of rights": the opening sentence frames the paragraph
_FRAMING = re.compile(r"(?::\s*$|\b(?:the following|below|this section|these rights|in addition)\b|"
                      r"\b(?:have|has|enjoy|are (?:granted|given))\b[^.;]{0,40}\brights\b|"
                      r"\b(?:provides?|gives?|grants?|confers?|affords?)\b[^.;]{0,80}\brights\b|"
                      # a bracketed group tag after a label: "**Delete Your Information** (CO, CT Residents)."
                      r"\([^()]{0,80}\b(?:residents?|consumers?|users?)(?:\s+only)?\s*\))", _F)


def sentence_scopes(clause: Clause, text: str, sents: tuple[Span, ...],
                    present: frozenset[str] | None = None, memo: dict | None = None) -> tuple[str, ...]:
    """Each sentence's scope: its own condition ("If you are in the EEA, ..."), else the clause's.

    A paragraph that opens by framing a group ("If you are a California resident, the following
    applies:") speaks to that group throughout. `present` (the clause's literals) lets a clause
    with no word of a scope phrase skip the per-sentence search. What each sentence says of itself
    depends on its text alone: it is kept in `memo` (the clause text's memo, see gapcheck.textcache),
    and only the clause's own scope and kind are applied here.
    """
    base = clause.scope
    if clause.kind == "heading":  # a heading speaks for its section's group: no sentence of its own
        return tuple(base for _ in sents)
    parts = memo.get(_SCOPE_PARTS) if memo is not None else None
    if parts is None:
        parts = _sentence_parts(text, sents, present)
        if memo is not None:
            memo[_SCOPE_PARTS] = parts
    out: list[str] = []
    for k, (own, framing, fallback) in enumerate(parts):
        if own and k == 0 and clause.kind == "paragraph" and framing:
            base = own
        if own is None:
            own = fallback
        out.append(own or base)
    return tuple(out)


_SCOPE_PARTS = "sentence-scope-parts"


def _sentence_parts(text: str, sents: tuple[Span, ...], present: frozenset[str] | None
                    ) -> tuple[tuple[str | None, bool, str | None], ...]:
    """Per sentence of a clause that is no heading: its own scope condition, whether (the first
    sentence) it frames the paragraph, and, without a condition, whether it speaks of a child's data
    (MINORS) or of another organisation's offer (ELSEWHERE)."""
    scoped = present is None or _SCOPE_POSSIBLE(present)
    forms, everyone = None, True
    if scoped and present is not None:  # only the forms whose words the clause has
        forms = tuple(k for k, can in enumerate(_FORM_POSSIBLE) if can(present))
        everyone = _EVERYONE_POSSIBLE(present)
    out = []
    for k, s in enumerate(sents):
        sent = text[s.start:s.end]
        own = sentence_scope(sent, forms, everyone) if scoped else None
        framing = bool(own and k == 0 and _FRAMING.search(sent))
        fallback = None
        if own is None:
            if minors_sentence(sent):
                fallback = MINORS  # a parent's right over a child's data is not the reader's own
            elif elsewhere_sentence(sent):
                fallback = ELSEWHERE  # "should direct his or her query to the Client": another's offer, not ours
        out.append((own, framing, fallback))
    return tuple(out)


_ENTRY_MARKS = re.compile(r"^[\s*_#>•\-+]*(?:\d{1,3}(?:\.\d{1,3})*[.)]?\s+)?|[\s*_:]+$")


def _entry_key(text: str) -> str:
    return " ".join(_ENTRY_MARKS.sub("", text).split()).casefold()


def contents_entries(clauses: tuple[Clause, ...]) -> frozenset[int]:
    """Clauses that are a plain-text table of contents: short lines that are not headings but repeat,
    word for word, the text of a heading further down ("In the EU you have a 'right to be forgotten'"
    listed before the section of that title). A page capture that drops the contents' links leaves
    such lines; read as statements, a contents line "Your right to erasure" would make the right met.
    One such line can be coincidence, so at least three are needed."""
    later: dict[str, int] = {}  # heading text -> index of its last occurrence
    for i, c in enumerate(clauses):
        if c.kind == "heading":
            later[_entry_key(c.text)] = i
    if len(later) < 3:
        return frozenset()
    # (a short contents line may itself pass for a heading: it counts towards the three, and stays a heading)
    found = [i for i, c in enumerate(clauses)
             if "\n" not in c.text.strip() and len(c.text) <= 150 and (k := _entry_key(c.text))
             and later.get(k, -1) > i]
    if len(found) < 3:
        return frozenset()
    return frozenset(i for i in found if clauses[i].kind != "heading")


#: A thematic break ("* * *", "---", "___") between a lead-in and what it announces.
_RULE = re.compile(r"^\s*(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
#: A clause that is nothing but an image, linked or not ("[![](https://.../table.png)](https://...)").
_IMAGE_ONLY = re.compile(r"^\s*(?:\[\s*)?!\[[^\]\n]{0,300}\]\([^)\s]*\)(?:\s*\]\([^)\s]*\))?\s*$|^\s*<img\b[^>]*>\s*$", re.I)
_LEAD_IN_END = re.compile(r":[\s*_]*$")


def image_lead_ins(clauses: tuple[Clause, ...]) -> frozenset[int]:
    """Paragraphs that announce a list ("... follow below:", "we have made the following disclosures:")
    where the page shows an image instead: past rules and a title, the next clause is only a picture.
    The list (often a table drawn as an image) did not survive as text, so the lead-in alone must not
    stand for the categories it announces (a false met)."""
    out: list[int] = []
    n = len(clauses)
    for i, c in enumerate(clauses):
        if c.kind == "heading" or not _LEAD_IN_END.search(c.text):
            continue
        j = i + 1
        while j < n and (clauses[j].kind == "heading" or _RULE.match(clauses[j].text)):
            j += 1
        if j < n and _IMAGE_ONLY.match(clauses[j].text):
            out.append(i)
    return frozenset(out)


@lru_cache(maxsize=8)
def _concept_rx(name: str) -> re.Pattern[str]:
    """A lexicon concept as one compiled pattern, on first use (the blanking steps below test a few concepts
    outside the checklists: `notice.law_content`, `notice.term_definition`, `org.legal_entity`)."""
    return re.compile(flexible_spaces(_pattern_of(lexicon()[name])), _F)


_LAW_CONTENT_WORDS = ("provision", "rules", "regulations", "requirements", "exceptions", "restrictions")


def _blank_law_content(text: str) -> str:
    """The text with each sentence that describes what a law contains blanked ("The BDSG contains special
    provisions on the right to information, the right to deletion, ..."): it names rights as a statute's
    subject, and read as a statement it would make them rights the policy grants."""
    low = text.lower()
    if not any(w in low for w in _LAW_CONTENT_WORDS):
        return text
    rx = _concept_rx("notice.law_content")
    if rx.search(text) is None:
        return text
    for sp in sentences(text):
        if rx.search(text, sp.start, sp.end) is not None:
            text = text[:sp.start] + _blank(text[sp.start:sp.end]) + text[sp.end:]
    return text


_DEFINITION_WORDS = ("mean", "refer", "defined")
#: The verbs notice.term_definition ends in (a gate: the concept itself decides).
_DEFINING_VERB = re.compile(r"\b(?:means?|refers?\s+to|refer|have\s+the\s+meaning|(?:is|are)\s+defined)\b", _F)


def _blank_definitions(text: str) -> str:
    """The text with each sentence that defines a term blanked ('"Vendor Partner" shall mean third party
    providers ...'): a definition names parties and data types as what a word means, and read as a
    statement it would make them recipients the data go to or data the business collects. A definition that
    names a company with its legal form ('"Company" shall mean Acme Private Limited') stays: it identifies
    the business."""
    low = text.lower()
    if not any(w in low for w in _DEFINITION_WORDS):
        return text
    if _DEFINING_VERB.search(text) is None:  # ("preferences" holds "refer"): no defining verb, no definition
        return text
    rx = _concept_rx("notice.term_definition")
    entity = _concept_rx("org.legal_entity")
    for sp in sentences(text):
        if rx.match(text, sp.start, sp.end) is not None and entity.search(text, sp.start, sp.end) is None:
            text = text[:sp.start] + _blank(text[sp.start:sp.end]) + text[sp.end:]
    return text


def _blank_last_sentence(text: str) -> str:
    """The text with its last sentence (the lead-in) blanked, offsets unchanged."""
    spans = sentences(text)
    if not spans:
        return text
    a = spans[-1].start
    return text[:a] + _blank(text[a:])


#: Topics a title passes to the whole notice: its region ("Privacy Notice for California Residents").
REGION_TOPICS = frozenset({"california", "india", "eu"})


def heading_name(text: str) -> str:
    """A heading clause's text as the heading paths of the clauses under it give it."""
    h = heading_of(text)
    return h[1] if h else text.strip()


def notice_title(clauses: tuple[Clause, ...]) -> str | None:
    """The document's first heading when it names the notice ("Security and privacy policy", "Privacy and
    Cookie Policy"). Its other words describe the whole document, not a section: every clause under
    "Security and privacy policy" is not a statement about security."""
    for c in clauses:
        if c.kind == "heading":
            name = heading_name(c.text)
            return name if POLICY_TITLE.search(name) else None
    return None


def annotate(clauses: tuple[Clause, ...]) -> tuple[AnnotatedClause, ...]:
    """Annotate every clause of a document."""
    entries = contents_entries(clauses)
    lost = image_lead_ins(clauses)
    title = notice_title(clauses)
    return tuple(annotate_clause(c, i in entries, i in lost, title) for i, c in enumerate(clauses))
