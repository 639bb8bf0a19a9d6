"""Whose text is it? The audience (jurisdiction scope) of headings, lead-ins and sentences.

A right stated in a section "For residents of the EEA" is not a statement to Californians, and a
"California privacy rights" section is not a GDPR notice. Segmentation records each clause's scope
from its heading path and lead-in, annotation refines it per sentence ("If you are located in the
UK, you may ..."), and evaluation counts a clause fully only for the laws whose people it covers.

A scope is a string: ``all`` (no restriction) or region tags joined by ``+`` in a fixed order,
e.g. ``eea-uk``, ``california``, ``eea-uk+california``. Region tags:

- ``eea-uk``: EEA, EU, UK, Switzerland, "where the GDPR applies"
- ``california``: California, CCPA/CPRA, Shine the Light, CalOPPA
- ``us-states``: the United States or "certain US states" in general (includes California)
- ``us-other``: a named US state other than California (Nevada, Virginia, ...)
- ``india``: India, the DPDP Act
- ``other``: another named country or its law (Brazil/LGPD, Canada/PIPEDA, ...)
- ``minors``: a sentence about the data of a child, teen or ward ("a parent may review their
  child's information", "you can ask us to delete your child's account"): a parent's right over a
  child's data is not the reader's own right. No law's audience includes it; the children's items
  and the contacts read it in full (``evaluate.item_audience``). A heading of teens' or parents'
  rights ("Teen User Data Requests") scopes its section the same way.
- ``elsewhere``: a sentence that sends the person's request to another organisation ("An individual
  who seeks access ... should direct his or her query to the Client they deal with directly"): a
  processor pointing to the controller offers nothing itself. No law's audience includes it.

Merely naming a place ("we transfer data outside the EEA", "our EU representative", "Privacy
Shield") is not a scope: only headings and conditions about people or a local regime are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from gapcheck.prefilter import lowered, start_scanner

ALL = "all"
MINORS = "minors"
ELSEWHERE = "elsewhere"
ORDER = ("eea-uk", "california", "us-states", "us-other", "india", "other", "minors", "elsewhere")

_STATE_CODE = (r"(?:AL|AK|AZ|AR|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|"
               r"NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY)")

#: Region tag -> the names that denote it. Short acronyms are case-sensitive (``(?-i:...)``).
REGIONS: dict[str, str] = {
    "eea-uk": (r"European Economic Area|European Union|Europe|European|Switzerland|Swiss|United Kingdom|"
               r"Great Britain|Britain|British|General Data Protection Regulation|"
               r"(?-i:EEA|EU|UK|E\.U\.|U\.K\.|(?:UK |EU )?GDPR)"),
    "california": (r"California|Californian|Shine the Light|California Consumer Privacy Act|"
                   r"California Privacy Rights Act|(?-i:CCPA|CPRA|CalOPPA|CA)"),
    "us-states": (r"United States|America|American|"
                  r"(?:certain|other|some|several|applicable|specific|particular|various|select|many) "
                  r"(?:U\.?S\.? )?states|"
                  r"state (?:consumer )?privacy laws?|(?-i:U\.S\.A?\.?|USA|US)(?: state)?|"
                  r"state-specific(?= (?:privacy |consumer )?(?:rights|disclosures|notices?|laws?|addend))|"
                  # "Depending on your state of residency, you may be able to exercise ... the following rights"
                  r"(?<=depending on your )state of resid(?:ence|ency)|"
                  r"(?<=depending upon your )state of resid(?:ence|ency)|"
                  # "the state where you live", "your state's privacy law", "the laws of your state"
                  r"state (?:(?:in )?which |where )?you (?:live|reside|are located)|(?<=your )state's|"
                  r"(?<=laws of your )state|(?<=law of your )state"),
    "us-other": (r"Nevada|Virginia|Colorado|Connecticut|Utah|Texas|Oregon|Montana|Iowa|Delaware|Tennessee|"
                 r"Indiana|New Jersey|New Hampshire|Kentucky|Nebraska|Maryland|Minnesota|Rhode Island|"
                 r"Vermont|Florida|Illinois|New York|Massachusetts|Washington State|"
                 # postal codes, only as a run of two or more ("CO, CT, OR, TX, UT, VA Residents")
                 rf"(?-i:{_STATE_CODE}(?:,?\s+(?:and\s+|or\s+)?{_STATE_CODE})+\b)"),
    "india": r"India|Indian|Digital Personal Data Protection|(?-i:DPDPA?)",
    "other": (r"Brazil|Brazilian|Canada|Canadian|Quebec|Australia|Australian|Japan|Japanese|Singapore|China|"
              r"Chinese|South Korea|Korea|Korean|Mexico|Argentina|South Africa|Israel|New Zealand|Turkey|"
              r"Hong Kong|Taiwan|Philippines|Thailand|Russia|(?-i:LGPD|PIPEDA|APPI|PIPL|POPIA|PDPA|UAE)"),
}

_R = "(?:the\\s+)?(?:" + "|".join(f"(?:{p})" for p in REGIONS.values()) + ")"
# a run of regions: "EEA, UK and Switzerland", "California or Virginia"
_RS = rf"{_R}(?:\s*(?:,|/|&|\band\b|\bor\b)\s*(?:,\s*)?(?:and\s+|or\s+)?{_R})*"
_PEOPLE = (r"(?:residents?|users?|individuals?|visitors?|consumers?|customers?|citizens?|data subjects?|"
           r"people|persons?|members?|players?|clients?|patients?|applicants?|subscribers?|households?)")
_IN = r"(?:who\s+(?:are|live|reside)\s+)?(?:in|of|from|within|located\s+in|based\s+in|living\s+in|residing\s+in)"
_CA_LAW = (r"(?:CCPA|CPRA|California (?:law|Civil Code|Consumer Privacy Act|Privacy Rights Act)|Shine the Light|"
           r"Cal\.?\s*Civ\.?\s*Code|CalOPPA)")
_LOCAL_LAW = (rf"(?:{_CA_LAW}|GDPR|UK GDPR|General Data Protection Regulation|DPDP(?:A| Act)?|"
              r"Digital Personal Data Protection Act|LGPD|PIPEDA|(?:U\.?S\.?\s+)?state (?:privacy )?laws?)")
_HAVE = r"(?:have|has|may|can|also have|are entitled|are able)\b"
#: a law or the business giving rights, and the group it gives them to when no region names it ("you", "relevant
#: individuals")
_GIVES = r"(?:provides?|gives?|grants?|offers?|confers?|affords?)"
_UNNAMED_GROUP = rf"(?:to\s+)?(?:\w+\s+){{0,2}}?(?:{_PEOPLE}|you)\b"

_F = re.IGNORECASE
_REGION_RX = {tag: re.compile(rf"\b(?:{p})(?!\w)", _F) for tag, p in REGIONS.items()}  # "U.S." ends in a dot

#: Heading forms that restrict a section to a group.
_HEADING = re.compile("|".join([
    rf"\b{_RS}\s+(?:based\s+|located\s+|territory\s+|region\s+)?{_PEOPLE}\b",  # "California Residents"
    rf"\b{_PEOPLE}\s+{_IN}\s+{_RS}",                                          # "Users in the EEA"
    rf"\b(?:if|where|when)\s+you\s+(?:are|live|reside)\b[^.:;]{{0,40}}?{_RS}",  # "If you are in the UK"
    rf"^\W*(?:\d+(?:\.\d+)*\.?\s+)?(?:additional\s+|supplemental\s+|specific\s+)?(?:information\s+|disclosures?\s+|"
    rf"notice\s+|rights\s+)?for\s+{_RS}",                                     # "For California", "Notice for the EEA"
    rf"\b{_RS}(?:-specific)?\s+(?:[a-z]+\s*/\s*)?(?:specific\s+|consumer\s+|data\s+protection\s+|data\s+subject\s+)?(?:privacy\s+)?"
    rf"(?:rights?|notice|disclosures?|addendum|supplement|statement|policy|section|compliance)\b",
    rf"\b(?:rights?|disclosures?|obligations|notice|information)\s+(?:under|pursuant\s+to)\s+(?:the\s+)?{_LOCAL_LAW}",
    rf"\bwhere\s+(?:the\s+)?{_LOCAL_LAW}\s+applies",
    # "Your rights based on EU/EEA legislation", "Rights under UK data protection law"
    rf"\b(?:rights?|obligations|disclosures?|information|notice)\b[^.:;]{{0,20}}?\b(?:based\s+on|under|pursuant\s+to|"
    rf"according\s+to|in\s+accordance\s+with)\s+(?:the\s+)?{_RS}\s+(?:data\s+protection\s+)?(?:laws?|legislation|"
    rf"regulations?|rules)\b",
    rf"^\W*(?:\d+(?:\.\d+)*\.?\s+)?{_RS}(?:\s*\([^)]{{1,40}}\))?\W*$",         # a heading that is just "GDPR"
    # a region's data protection as the whole heading: "11 Indian Data Protection (DPDP Act 2023)"
    rf"^\W*(?:\d+(?:\.\d+)*\.?\s+)?{_RS}\s+(?:data\s+protection|privacy)(?:\s+(?:laws?|acts?|regulations?))?"
    rf"(?:\s*\([^)]{{1,40}}\))?\W*$",
]), _F)

#: Sentence forms that restrict one sentence (or a list's lead-in) to a group.
_SENTENCE_FORMS = [
    rf"\b(?:if|where|when|to the extent|insofar as|in case)\s+you\s+(?:are|live|reside|access|use)\b[^.;:,]{{0,60}}?"
    rf"(?<![-\w]){_RS}",                                                      # "If you are located in the EEA"
    rf"\b(?:if|where|when|to the extent|insofar as)\s+(?:the\s+)?{_LOCAL_LAW}\s+(?:applies|is applicable)",
    rf"\b{_RS}\s+{_PEOPLE}\s+(?:\([^)]{{0,30}}\)\s+)?{_HAVE}",
    rf"\b(?:as|for)\s+(?:an?\s+)?{_RS}\s+{_PEOPLE}\b",                      # "As a California resident"
    rf"\b{_PEOPLE}\s+{_IN}\s+{_RS}(?:\s+\([^)]{{0,30}}\))?\s*,?\s+{_HAVE}",
    rf"(?:^\W*|[,;]\s*)(?:under|pursuant to)\s+(?:the\s+)?{_CA_LAW}",
    rf"\brights?\b[^.:;]{{0,60}}\bto\s+(?:the\s+)?{_RS}\s+{_PEOPLE}\b",
    # "the CCPA permits consumers who are California residents to ask ..."
    rf"\b{_PEOPLE}\s+who\s+are\s+(?:an?\s+)?{_RS}\s+{_PEOPLE}\b",
    # a law or the business giving a group rights: "The GDPR provides our users in the European Union new and
    # important rights", "California law grants California residents the following rights"
    rf"\b{_GIVES}\s+(?:to\s+)?(?:our\s+|its\s+|the\s+)?"
    rf"(?:{_RS}\s+{_PEOPLE}\b|{_PEOPLE}\s+{_IN}\s+{_RS})[^.:;]{{0,60}}\brights?\b",
    # the law itself as the giver of rights beyond those just stated, its group unnamed: "The GDPR also provides
    # relevant individuals with additional rights including ...", "The CCPA gives you additional rights" (not a
    # European notice's own law: "The GDPR grants you comprehensive rights")
    rf"\b(?:the\s+)?{_LOCAL_LAW}\s+(?:also|further|additionally)\s+{_GIVES}\s+{_UNNAMED_GROUP}[^.:;]{{0,60}}\brights?\b",
    rf"\b(?:the\s+)?{_LOCAL_LAW}\s+{_GIVES}\s+{_UNNAMED_GROUP}[^.:;]{{0,30}}?\b(?:additional|further|extra|supplementary)"
    rf"\s+rights?\b",
    # "The below information applies to consumers in the United States", "This section applies only to
    # California residents", "The following is for users in the EEA"
    rf"\b(?:applies|apply|is|are|relates?)\s+(?:solely\s+|only\s+|exclusively\s+|specifically\s+)?(?:to|for)\s+"
    rf"(?:the\s+)?(?:{_RS}\s+{_PEOPLE}\b|{_PEOPLE}\s+{_IN}\s+{_RS})",
    # a group tag in brackets: "Delete Your Information (CO, CT, OR, TX, UT, VA Residents)"
    rf"\(\s*(?:for\s+|applies\s+to\s+)?{_RS}\s+{_PEOPLE}(?:\s+only)?\s*\)",
    # "Depending on your state of residency ..., you may be able to exercise some or all of the following rights";
    # rights under the law of the state one lives in: "Depending on the state where you live", "You may have these
    # rights under the laws of the state in which you reside", "Your state's privacy law may give you ..."
    r"\bdepending\s+(?:up)?on\s+your\s+state\s+of\s+resid(?:ence|ency)\b|"
    r"\b(?:depending\s+(?:up)?on|under\s+(?:the\s+)?(?:applicable\s+)?laws?\s+of|based\s+on)\s+(?:the|your)\s+"
    r"state\s+(?:(?:in\s+)?which\s+|where\s+)?you\s+(?:live|reside|are\s+located)\b|"
    r"\b(?:your\s+state's|the\s+laws?\s+of\s+your\s+state)\s+(?:(?:consumer\s+)?privacy\s+)?(?:laws?\b)?",
    # a group named by example: "In some regions (like the European Economic Area), you have certain rights",
    # "Residents of certain jurisdictions, such as the EU, may ..."
    rf"(?:^\W*(?:\w+\s+)?in|\b(?:live|are|reside|located)\s+in|\b{_PEOPLE}\s+(?:of|in|from))\s+(?:some|certain)\s+"
    rf"(?:other\s+)?(?:regions|countries|jurisdictions|territories|locations|parts\s+of\s+the\s+world)\s*[(,]?\s*"
    rf"(?:like|such\s+as|including|e\.g\.,?|for\s+example,?)\s+{_RS}",
    # "If you are located in certain countries, including those under the GDPR, ..."
    rf"\b(?:if|where|when)\s+you\s+(?:are|live|reside)\b[^.;:]{{0,30}}?\bcertain\s+(?:other\s+)?(?:countries|"
    rf"jurisdictions|regions|territories)\b[^.;:]{{0,120}}?(?<![-\w]){_RS}",  # "the below rights to the EU residents"
]
_SENTENCE = re.compile("|".join(_SENTENCE_FORMS), _F)
# each form alone: a clause lacking the words of most forms searches only the others (sentence_scope)
_SENTENCE_ALTS = tuple(re.compile(p, _F) for p in _SENTENCE_FORMS)
_ALL_FORMS = tuple(range(len(_SENTENCE_ALTS)))
#: Per form, a part of it that every match contains (a tail of its top-level sequence, searched in the same
#: text: no match of the form where the part is absent), or None. "the EEA residents have": the regions'
#: leading words include the state codes, which lower-cased are "in", "or", "me", ..., so the form's
#: own scan tries its long alternation at nearly every word; "residents have" is found at the spaces only.
_FORM_GATES: tuple[re.Pattern[str] | None, ...] = tuple(
    re.compile(rf"\s+{_PEOPLE}\s+(?:\([^)]{{0,30}}\)\s+)?{_HAVE}", _F) if k == 2 else None
    for k in _ALL_FORMS)
assert _SENTENCE_FORMS[2].endswith(_FORM_GATES[2].pattern)  # type: ignore[union-attr]  # (the gate is its tail)

_EVERYONE = re.compile(
    r"\bregardless of (?:where you (?:live|are located|reside)|your (?:location|residence|country))|"
    r"\b(?:wherever|no matter where) you (?:live|are located|reside)|"
    r"\ball (?:of our )?(?:users|individuals|visitors|customers)\b|"
    # "under 13 (for U.S. users) or 16 (for non-U.S. users)": a rule for each group is a rule for all
    r"\bnon-(?:U\.?S\.?|US|EU|EEA|UK|California|European)\s+(?:users|residents|individuals|visitors|customers|"
    r"consumers)\b",
    _F)


#: A sentence about a child's, teen's or ward's data ("their Teen User", "your child's account").
_MINORS_SENTENCE = re.compile(r"\b(?:your|their|his|her|its|a|the)\s+(?:own\s+)?(?:child|children|kids?|teens?|"
                              r"teen\s+users?|teenagers?|minors?|wards?)(?:[’']s)?\b", _F)
_MINORS_WORDS = ("child", "teen", "minor", "kid", "ward")


def minors_sentence(text: str) -> bool:
    """Whether a sentence is about the data of a child, teen or ward (scope ``minors``)."""
    low = text.lower()
    if not any(w in low for w in _MINORS_WORDS):
        return False
    # an aside for a child's case ("notice via email to you (or in the case of a Child User, to your Parent)") leaves
    # the sentence everyone's
    if "(" in text:
        text = _PARENTHESIS.sub(" ", text)
    return _MINORS_SENTENCE.search(text) is not None


_PARENTHESIS = re.compile(r"\([^()]*\)")


#: A request sent to another organisation: "should direct his or her query to the Client", "please
#: address your request to the controller", "contact the organisation you deal with directly".
_ELSEWHERE_SENTENCE = re.compile(
    r"\b(?:direct|address|submit|send|refer|forward)\w*\s+(?:his\s+or\s+her\s+|his/her\s+|their\s+|your\s+|any\s+"
    r"such\s+|such\s+|the\s+|that\s+|this\s+)?(?:query|queries|requests?|inquir\w+|questions?|complaints?)\s+"
    r"(?:directly\s+)?to\s+(?:the|that|their|your|its|our|each)\s+(?:relevant\s+|respective\s+)?(?:Client|customer"
    r"(?!\s+(?:service|support|care|team|relations))|controller|organi[sz]ation|company|business|employer|merchant|"
    r"institution|User)s?\b(?![’']s\s+(?:data\s+protection|privacy)\s+officer)"
    # the keepers of the records the data came from: "contact the official custodians of those public records ... to
    # determine how to remove your information from the public record" (a people-search site's data)
    r"|\bcontact\w*\s+(?:the\s+)?(?:official\s+|relevant\s+|appropriate\s+)?(?:custodians?|(?:public\s+)?records?\s+"
    r"(?:offices?|custodians?|keepers?)|original\s+sources?|source\s+of\s+(?:the|that|this)\s+(?:data|information|"
    r"records?))\b[^.]{0,160}?\b(?:remov|delet|eras|correct|seal|suppress)\w*", _F)


def elsewhere_sentence(text: str) -> bool:
    """Whether a sentence sends the person's request to another organisation (scope ``elsewhere``)."""
    low = text.lower()
    return any(w in low for w in _ELSEWHERE_VERBS) and _ELSEWHERE_SENTENCE.search(text) is not None


#: A word every match of _ELSEWHERE_SENTENCE holds: its verbs, and for the records' keepers ("contact the official
#: custodians ...") the keeper's own word, rarer in a policy than "contact"
_ELSEWHERE_VERBS = ("direct", "address", "submit", "send", "refer", "forward", "custodian", "record", "source")


def regions_in(text: str) -> tuple[str, ...]:
    """Region tags named in a piece of text, in ORDER."""
    return tuple(tag for tag in ORDER if tag in _REGION_RX and _REGION_RX[tag].search(text))


_OUTSIDE = re.compile(r"\b(?:outside|non|other than|except|excluding)\b", _F)


def _scope_of(m: re.Match[str] | None) -> str | None:
    if m is None or _OUTSIDE.search(m.group(0)):  # "if you are located outside the EEA" is not the EEA
        return None
    tags = regions_in(m.group(0))
    return "+".join(tags) if tags else None


#: A heading of a section of children's, teens' or parents' rights ("Teen User Data Requests",
#: "Parental Rights"): a group's rights, like a region's.
_MINORS_RIGHTS_HEADING = re.compile(
    r"\b(?:teens?|teenagers?|child(?:ren)?|minors?|kids?|parents?|parental)(?:[’']s?)?\b[^./]{0,30}?\b(?:data "
    r"requests?|requests?|rights|choices|controls)\b", _F)


@lru_cache(maxsize=4096)
def heading_scope(text: str) -> str | None:
    """The scope a heading sets for its section, ``all`` when it addresses everyone, else None."""
    if _EVERYONE.search(text):
        return ALL
    got = _scope_of(_HEADING.search(text.strip().strip("_*#= \t")))  # "__EU rights__": emphasis marks
    if got is None and len(text.split()) <= 8 and _MINORS_RIGHTS_HEADING.search(text):
        return MINORS
    return got


def scope_patterns() -> tuple[re.Pattern[str], ...]:
    """The patterns sentence_scope searches: it returns None for a text neither of them matches."""
    return (_EVERYONE, _SENTENCE)


def sentence_forms() -> tuple[re.Pattern[str], ...]:
    """The alternatives of the sentence pattern, in order, each compiled alone (for `forms`)."""
    return _SENTENCE_ALTS


def sentence_scope(text: str, forms: tuple[int, ...] | None = None, everyone: bool = True) -> str | None:
    """The scope a sentence (or a list's lead-in) sets for itself, ``all`` when explicit, else None.

    `forms` (indexes into sentence_forms()) and `everyone=False` leave out patterns that cannot
    match (the caller knows the words of the text), which is faster than the whole alternation.
    The first match is the same: the leftmost, and at one position the earliest form.
    """
    if forms is None:  # every form, each by its leading words: the whole alternation's first match
        forms = _ALL_FORMS
    low = lowered(text)
    if everyone and _search(_EVERYONE, text, low):
        return ALL
    best = None
    for k in forms:
        gate = _FORM_GATES[k]
        if gate is not None and gate.search(text) is None:
            continue
        m = _search(_SENTENCE_ALTS[k], text, low)
        if m is not None and (best is None or m.start() < best.start()):
            best = m
    return None if _last_conjunct(text, best) else _scope_of(best)


#: "..., and, if you are an EEA resident, to exercise your opt-out rights": a condition opening the last
#: of a run of things offered is that one's, not the sentence's
_CONJUNCT_BEFORE = re.compile(r"(?:,\s*|\s)(?:and|or)\s*,?\s*$", _F)


def _last_conjunct(text: str, m: re.Match[str] | None) -> bool:
    """True when the group condition opens the last conjunct, late in a sentence that offers other things
    before it: those are offered to everyone."""
    return (m is not None and m.start() > 60 and m.start() > len(text) // 3
            and _CONJUNCT_BEFORE.search(text, 0, m.start()) is not None)


def _search(rx: re.Pattern[str], text: str, low: str | None) -> re.Match[str] | None:
    """rx.search(text), by the pattern's leading forms when it has them (gapcheck.prefilter)."""
    sc = start_scanner(rx) if low is not None else None
    return sc.first(text, low) if sc is not None else rx.search(text)


def clause_scope(heading_path: tuple[str, ...], own_heading: str | None = None, lead_in: str = "",
                 lead_scope: Callable[[str], str | None] | None = None) -> str:
    """A clause's scope: its lead-in's, else the innermost scoped heading's (its own first), else all.

    `lead_scope` is sentence_scope or a memo of it (segment asks once per lead-in, not per list item)."""
    if lead_in:
        s = (lead_scope or sentence_scope)(lead_in)
        if s:
            return s
    for h in ((own_heading,) if own_heading else ()) + tuple(reversed(heading_path)):
        s = heading_scope(h)
        if s:
            return s
    return ALL


def covers(scope: str, audience: frozenset[str]) -> bool:
    """Whether text with this scope speaks to a law's people (an empty audience: every scope counts)."""
    if not audience or scope == ALL:
        return True
    return bool(audience.intersection(scope.split("+")))


#: How the report names a scope ("in the section for California residents").
LABELS = {"eea-uk": "people in the EEA, UK or Switzerland", "california": "California residents",
          "us-states": "residents of US states", "us-other": "residents of other US states",
          "india": "people in India", "other": "people in other countries",
          "minors": "the data of children or teens", "elsewhere": "requests to another organisation"}


def describe(scope: str) -> str:
    """'California residents', 'people in the EEA, UK or Switzerland and California residents'."""
    if scope == ALL:
        return "all readers"
    parts = [LABELS.get(t, t) for t in scope.split("+")]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
