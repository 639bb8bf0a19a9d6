"""Label each clause with data practices from one taxonomy (collection, retention, rights, ...).

Labels are found per sentence and keep the spans that triggered them, so a checklist item that
matches on a label can quote the exact sentence as evidence. Headings contribute context labels:
a paragraph under "Data Retention" is about retention even when it never says "retain".
"""

from __future__ import annotations

import re
from functools import lru_cache
from types import MappingProxyType

from gapcheck.models import AnnotatedClause, Clause, Span
from gapcheck.prefilter import INDEX, LOWER_KEY, StartScanner, compile_need, fold, leading, lowered, required
from gapcheck.scope import scope_patterns, sentence_forms, sentence_scope

_F = re.IGNORECASE

NUM = (r"(?:\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
       r"fifteen|eighteen|twenty|twenty-four|thirty|thirty-six|forty|forty-five|fifty|sixty|ninety|"
       r"hundred|a|an)")
DURATION = rf"\b{NUM}(?:\s*\(\d+\))?[\s-]+(?:calendar\s+|business\s+|working\s+|full\s+)?(?:days?|weeks?|months?|years?|hours?)\b"

#: The taxonomy: label -> regex. Order does not matter; a sentence may carry many labels.
TAXONOMY: dict[str, str] = {
    "collection": r"\b(collect\w*|gather\w*|obtain\w*|receiv\w*|record\w*|captur\w*|process\w*)\b",
    "data_items": (r"\b(e-?mail address(es)?|(full |first |last )?names?|phone number|mobile (phone )?number|"
                   r"telephone number|postal address|(home |billing |shipping )?address(es)?|ip address|"
                   r"device (id|identifier)s?|date of birth|birth ?date|age|gender|payment (card |)"
                   r"(information|details|data)|credit card|bank (account|details)|geo-?location|location data|"
                   r"browser type|operating system|cookie id|username|password|aadhaar|photo\w*|"
                   r"purchase history|transaction (history|information)|social security number|"
                   r"driver'?s licen[cs]e|passport|biometric\w*)\b"
                   r"|(?-i:\bPAN\b)"),
    "purposes": (r"(\b(use|process)\w*\b[^.]{0,80}\b(to|for|in order to)\b|\bpurposes?\b|\bin order to\b|"
                 r"\bso that we can\b|\bwe use (this|your|the|such)\b)"),
    "legal_basis": (r"\b(legal (basis|bases|ground)|lawful (basis|bases|ground)|art(icle)?\.?\s*6|"
                    r"legitimate interests?|performance of (a|the|our)? ?contract|legal obligation|"
                    r"vital interests?|public (interest|task)|rechtsgrundlage)\b"),
    "legitimate_interest": r"\blegitimate interests?\b|\bart(icle)?\.?\s*6\s*\(?1\)?\s*\(?f\)?",
    "recipients": (r"\b(share|shares|shared|sharing|disclos\w*|transfer\w*|provide[sd]?|pass(ed)? on|"
                   r"make available)\b[^.]{0,120}\b(third[- ]part(y|ies)|service providers?|processors?|"
                   r"partners?|affiliates?|vendors?|contractors?|authorities|companies|recipients?|"
                   r"subsidiar\w+|group)\b|\brecipients?\b"),
    "service_providers": r"\b(service providers?|processors?|vendors?|contractors?|sub-?processors?)\b",
    "sale": r"\b(sell|sells|selling|sold|sale of (your )?(personal|information|data))\b",
    "sharing_ccpa": (r"\b(cross[- ]context behaviou?ral advertising|targeted advertising|interest[- ]based "
                     r"advertising|share[sd]? (your )?personal information)\b"),
    "retention": (r"\b(retain\w*|retention|keep|kept|store[sd]?|storage (period|duration|limitation)|"
                  r"delete[sd]?|deletion|erase[sd]?|purge[sd]?|anonymi[sz]\w*|as long as)\b"),
    "duration": DURATION,
    # retention with no end: "indefinitely", "as needed to provide the services", "for a reasonable period"
    "open_ended_retention": (r"\b(indefinitely|permanently|forever|in perpetuity|as needed (to|for)\b|"
                             r"for (a|an|such) (reasonable|appropriate|longer|extended) (period|time)|"
                             r"for as long as (we|it is|is) (deem|consider|need|think)\w*)"),
    "as_long_as_necessary": (r"\b(as long as|for (the|such) period|for so long as|no longer than)\b[^.]{0,40}"
                             r"\b(necessary|needed|required|reasonabl\w*|permitted)\b"),
    # a right or request, not "our employees have access to the data"
    "right_access": (r"\b(right (of|to) access|(request|obtain|ask for|receive|get) (access|a copy)|"
                     r"copy of (your|the) (personal )?(data|information)|right to know|"
                     r"confirmation (as to )?whether|(you|users?) (can|may|have the right to) access (your|the) "
                     r"(personal )?(data|information))\b"),
    "right_rectification": r"\b(rectif\w*|correct\w*|updat\w+ (your|any|the) (personal )?(data|information))\b",
    "right_erasure": r"\b(eras(e|ed|ure|ing)|delet(e|ed|ion|ing)\b(?! (your |the |all |any )?cookies)|right to be forgotten)\b",
    "right_restriction": r"\b(restrict\w*|limit(ation)? (of |the )?processing|block\w*)\b",
    "right_portability": r"\b(portab\w+|machine[- ]readable|structured,? commonly used|transmit (it|them|those data) to another)\b",
    "right_object": r"\b(object|objection|opt[- ]?out|unsubscribe\w*)\b",
    "withdraw_consent": r"\b(withdraw\w*|revok\w*|revocation)\b[^.]{0,60}\bconsent\b|\bconsent\b[^.]{0,60}\b(withdraw\w*|revok\w*)",
    "right_limit": r"\blimit the use\b|\bright to limit\b",
    "non_discrimination": r"\b(discriminat\w*|retaliat\w*)\b",
    "right_nominate": r"\bnominat\w+\b",
    "rights": r"\b(your|these|the following|data subject|privacy|consumer|california) rights?\b|\bright (to|of)\b",
    "request_methods": (r"\b(toll[- ]free|1[- ]?\(?8\d\d\)?[- ]\d{3}[- ]\d{4}|web ?form|online form|request form|"
                        r"submit (a|your) (verifiable )?(consumer )?request|privacy portal|by (e-?mail|phone|"
                        r"calling|mail|post|writing))\b"),
    "verification": r"\b(verif\w+|authenticat\w+)\b",
    "authorized_agent": r"\bauthori[sz]ed agent\b|\bagent\b[^.]{0,60}\bon (your|their|the consumer'?s) behalf\b",
    "contact": (r"\b(contact (us|our|the)|reach us|write to us|get in touch|questions?|e-?mail|phone|"
                r"telephone|address)\b"),
    # a usable address, including deliberate human-readable obfuscation ("x (at) y [dot] de")
    "email": r"[\w.+-]+@[\w-]+(\.[\w-]+)+|\b[\w.-]+\s*[\[(]\s*at\s*[\])]\s*[\w-]+(\s*[\[(]\s*dot\s*[\])]\s*\w+|\.\w+)+",
    # Cloudflare e-mail obfuscation residue: looks like a contact, reaches nobody
    "broken_email": r"\[email(\s|\u00a0)protected\]",
    "dpo": (r"\b(data protection officer|\bDPO\b|datenschutzbeauftragte\w*|délégué à la protection des "
            r"données|privacy officer)\b"),
    "grievance": r"\b(grievance\w*|nodal officer|redress\w*|escalation matrix)\b",
    "complaint_authority": (r"\b(supervisory authority|data protection (authority|regulator|commission\w*)|"
                            r"(lodge|file|make) a complaint|complain\w*|information commissioner|\bICO\b|"
                            r"\bCNIL\b|\bDPC\b|data protection board|regulator)\b"),
    "transfers": (r"\b(transfer\w*|outside (of )?(the )?(EEA|EU|European|your country|india|united states)|"
                  r"international(ly)?|cross[- ]border|third countr\w+|other countries|abroad)\b"),
    "safeguards": (r"\b(standard contractual clauses|model clauses|\bSCCs?\b|adequacy decision|binding corporate "
                   r"rules|privacy shield|data privacy framework|art(icle)?\.?\s*4[5-9])\b"),
    # not "parent company" or "minor changes"
    "children": (r"\b(child\w*|minors?\b(?! (changes?|updates?|modifications?|amendments?|edits?|corrections?))|"
                 r"under (the age of )?\d{1,2}|parental|parents?(?! company| companies| entity)|guardians?|coppa)\b"),
    "security": (r"\b(secur\w+|encrypt\w*|ssl|tls|safeguard\w*|firewall\w*|access controls?|pseudonymi\w+|"
                 r"protect\w*)\b"),
    "breach": r"\b(breach\w*|security incident|unauthori[sz]ed access)\b",
    "cookies": r"\b(cookies?|pixels?|web beacons?|tracking technolog\w+|local storage|tags?|sdks?)\b",
    "dnt": r"\bdo[- ]not[- ]track\b|\bDNT\b",
    "gpc": (r"\b(global privacy control|\bGPC\b|opt[- ]out preference signals?|universal opt[- ]out|"
            r"browser[- ]based opt[- ]out|sec-gpc)\b"),
    "changes": (r"\b(chang\w+|updat\w+|modif\w+|amend\w+|revis\w+)\b[^.]{0,60}\b(this|our|the) "
                r"(privacy )?(policy|notice|statement)\b|\b(policy|notice|statement) (may|will) be (changed|"
                r"updated|modified|amended|revised)\b"),
    "date": r"\b(last (updated|modified|revised)|effective (date|as of|from|on))\b",
    "automated_decisions": r"\b(automated (decision|processing|individual)\w*|profiling|solely automated)\b",
    "deemed_consent": (r"\bby (using|visiting|accessing|continuing|registering|submitting|browsing)\b[^.]{0,120}"
                       r"\b(consent\w*|agree\w*|accept\w*)\b|\bcontinued use\b[^.]{0,120}\b(accept\w*|agree\w*|"
                       r"consent\w*)\b|\byou hereby (expressly )?consent\b"),
    "consent": r"\bconsent\w*\b",
    "sensitive": (r"\b(sensitive (personal )?(data|information)|special categor\w+|health|biometric|racial|"
                  r"ethnic|religio\w+|sexual orientation|genetic|precise geolocation|social security)\b"),
    "financial_incentive": (r"\b(financial incentive|loyalty (program|scheme)|rewards? program|discount\w*|"
                            r"price or service difference|promotions?)\b"),
    "california": r"\b(california|ccpa|cpra|cal\.? civ\.? code|shine the light)\b",
    "india": r"\b(india|dpdp|digital personal data protection|grievance officer|data fiduciar\w+|it act)\b",
    "eu": r"\b(gdpr|general data protection regulation|european (union|economic area)|\beea\b|\beu\b)\b",
    "controller": (r"\b(controller|responsible (party|body|person)|verantwortliche\w*|operator of|"
                   r"data fiduciary)\b|\b(gmbh|ltd|limited|inc|llc|ag|sa|bv|oü|plc|corp|private limited)\b"),
    "representative": r"\b(representative in the (eu|union|european union)|art(icle)?\.?\s*27|eu representative)\b",
    "language": (r"\b(hindi|bengali|tamil|telugu|marathi|gujarati|kannada|malayalam|odia|punjabi|urdu|assamese|"
                 r"eighth schedule|other languages?|language of your choice)\b"),
}

#: Heading words -> context labels for the clauses below a heading.
HEADING_TOPICS: dict[str, str] = {
    "collection": r"\b(collect|gather|information we|data we|what (data|information))\b",
    "purposes": r"\b(use|uses|purpose|why we)\b",
    "legal_basis": r"\b(legal basis|lawful basis|legal grounds?|conditions for processing)\b",
    "recipients": r"\b(shar\w+|disclos\w+|recipients?|third part\w+|service providers?)\b",
    "retention": r"\b(retention|retain|storage|how long|keep)\b",
    "rights": r"\b(rights?|choices|your options|access|opt[- ]out)\b",
    "contact": r"\b(contact|questions|reach us|get in touch)\b",
    "dpo": r"\b(data protection officer|dpo)\b",
    "grievance": r"\bgrievance\b",
    "transfers": r"\b(transfer|international|cross[- ]border|outside)\b",
    "children": r"\b(child\w*|minors?|kids)\b",
    "security": r"\b(secur\w+|protect\w*)\b",
    "cookies": r"\b(cookies?|tracking|analytics)\b",
    "dnt": r"\bdo not track\b",
    "changes": r"\b(changes?|updates?|amendments?|revisions?)\b",
    "california": r"\b(california|ccpa|cpra)\b",
    "india": r"\b(india|dpdp)\b",
    "eu": r"\b(gdpr|eea|european)\b",
    "sale": r"\b(sell|sale)\b",
    "complaint_authority": r"\b(complaints?|supervisory)\b",
}

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


_TAX = {k: re.compile(flexible_spaces(v), _F) for k, v in TAXONOMY.items()}
# the words one of which each label needs: a clause without any of them is not searched for it
_TAX_NEEDS = {k: required(rx.pattern, rx.flags) for k, rx in _TAX.items()}
for _need in _TAX_NEEDS.values():
    INDEX.add(_need)
_TAX_POSSIBLE = {k: compile_need(n) for k, n in _TAX_NEEDS.items() if n is not None}


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
_SENT = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"“(\[]?[A-Z0-9•])|\n")

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
_LAST_TOKEN = re.compile(r"([\w.]+)\.$")
_LIST_NUMBER = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*|[A-Za-z]|[ivxIVX]{1,4})\.$")


def _is_false_stop(text: str, start: int, stop: int) -> bool:
    """True when the full stop before `stop` belongs to an abbreviation or a list number."""
    head = text[start:stop].rstrip("\"'”’) \t")
    if not head.endswith("."):
        return False
    if _LIST_NUMBER.match(head):
        return True
    m = _LAST_TOKEN.search(head)
    return bool(m and m.group(1).lower() in ABBREVIATIONS)


_INVISIBLE = re.compile("[" + "".join(map(chr, INVISIBLE_AS_SPACE)) + "]")
LONG_RUN = 300
_LONG_RUN = re.compile(rf"[^\s]{{{LONG_RUN},}}")


def mask_long_runs(text: str) -> str:
    """The text with runs of 300+ non-space characters blanked, offsets unchanged.

    No word, e-mail address or URL in a policy is that long; such runs are binary residue or
    junk, and patterns like `[\\w.+-]+@` would scan them quadratically. Matching runs on the masked
    text; quotes are always taken from the real text.
    """
    if text.isascii() or _INVISIBLE.search(text):  # (str.translate is slow on other text: only when needed)
        text = text.translate(INVISIBLE_AS_SPACE)  # one character for one: offsets unchanged
    if len(text) < LONG_RUN or not _LONG_RUN.search(text):
        return text
    return _LONG_RUN.sub(lambda m: " " * len(m.group(0)), text)


_NEXT_ITEM = re.compile(r"\s*(?:[•·▪◦●○■□➢►✓\-–—*+|#>]|\(?[a-z0-9]{1,3}[.)]\s)")


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


def annotate_clause(clause: Clause) -> AnnotatedClause:
    """Labels for one clause (with the sentence spans that carry them) plus heading context."""
    text = mask_long_runs(clause.text)
    sents = sentences(text)
    labels: dict[str, list[Span]] = {}
    present = INDEX.present(fold(text))
    low = lowered(text)
    starts = _tax_starts()
    for name, rx in _TAX.items():
        can = _TAX_POSSIBLE.get(name)
        if can is not None and not can(present):
            continue
        sc = starts.get(name) if low is not None else None
        got = sc.spans(text, low) if sc is not None else None  # type: ignore[arg-type]
        if got is None:  # every match, as finditer gives them (the start scanner's are never empty)
            got = [(m.start(), m.end()) for m in rx.finditer(text)]
        if got:
            labels[name] = [Span(a, b) for a, b in got]
    heading = " / ".join(clause.heading_path)
    if clause.kind == "heading":
        heading = (heading + " / " + text) if heading else text
    hl = heading_topics(heading)
    ents = {k: tuple(m.group(0) for m in rx.finditer(text)) for k, rx in ENTITY_RES.items()
            if k not in _ENTITY_POSSIBLE or _ENTITY_POSSIBLE[k](present)}
    return AnnotatedClause(
        sentence_scopes=sentence_scopes(clause, text, sents, present),
        clause=clause,
        match_text=text,
        labels=MappingProxyType({k: tuple(v) for k, v in labels.items()}),
        heading_labels=hl,
        sentences=sents,
        entities=MappingProxyType({k: v for k, v in ents.items() if v}),
        memo={INDEX.key(): present, LOWER_KEY: low},  # the literal scan and lower-cased text, for the matchers
    )


# "..., the following applies:", "you have a number of rights": the opening sentence frames the paragraph
_FRAMING = re.compile(r"(?::\s*$|\b(?:the following|below|this section|these rights|in addition)\b|"
                      r"\b(?:have|has|enjoy|are (?:granted|given))\b[^.;]{0,40}\brights\b)", _F)


def sentence_scopes(clause: Clause, text: str, sents: tuple[Span, ...],
                    present: frozenset[str] | None = None) -> tuple[str, ...]:
    """Each sentence's scope: its own condition ("If you are in the EEA, ..."), else the clause's.

    A paragraph that opens by framing a group ("If you are a California resident, the following
    applies:") speaks to that group throughout. `present` (the clause's literals) lets a clause
    with no word of a scope phrase skip the per-sentence search.
    """
    out: list[str] = []
    base = clause.scope
    scoped = clause.kind != "heading" and (present is None or _SCOPE_POSSIBLE(present))
    forms, everyone = None, True
    if scoped and present is not None:  # only the forms whose words the clause has
        forms = tuple(k for k, can in enumerate(_FORM_POSSIBLE) if can(present))
        everyone = _EVERYONE_POSSIBLE(present)
    for k, s in enumerate(sents):
        own = sentence_scope(text[s.start:s.end], forms, everyone) if scoped else None
        if own and k == 0 and clause.kind == "paragraph" and _FRAMING.search(text[s.start:s.end]):
            base = own
        out.append(own or base)
    return tuple(out)


def annotate(clauses: tuple[Clause, ...]) -> tuple[AnnotatedClause, ...]:
    """Annotate every clause of a document."""
    return tuple(annotate_clause(c) for c in clauses)
