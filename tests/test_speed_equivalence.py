"""Shortcuts taken for speed give exactly what the plain computation gives.

Each test compares a fast path with the straightforward expression it replaces, on generated text and on
the bundled policies, because a shortcut that is only usually right would change verdicts or quotes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gapcheck import annotate, hygiene, ingest, scope, segment
from gapcheck.prefilter import _squeeze

FIXTURES = Path(__file__).parent / "fixtures"
POLICIES = sorted((FIXTURES / "policies").glob("*.txt")) + sorted((FIXTURES / "unseen").glob("*.md"))

# the whitespace `\s` and str.split know (ASCII controls, no-break and ideographic spaces) among other text
_TEXT = st.text(alphabet=st.sampled_from(list("ab.Cé0 -") + ["\t", "\n", "\r", "\x0b", "\x1c", "\x85", "\u00a0",
                                                              "\u2003", "\u3000", "\u200b", "\ufeff"]), max_size=40)


@given(_TEXT)
@settings(max_examples=400, deadline=None)
def test_squeeze_is_the_whitespace_substitution(text: str) -> None:
    assert _squeeze(text) == re.sub(r"\s+", " ", text)


def _false_stop_plain(text: str, start: int, stop: int) -> bool:
    """annotate._is_false_stop with the abbreviation pattern searched from the head's start."""
    head = text[start:stop].rstrip("\"'”’) \t")
    if not head.endswith("."):
        return False
    if annotate._LIST_NUMBER.match(head):
        return True
    m = annotate._LAST_TOKEN.search(head)
    return bool(m and m.group(1).lower() in annotate.ABBREVIATIONS)


_HEADS = st.lists(st.sampled_from(["see", "Art.", "e.g.", "etc.", "No.", "z.B.", "U.S.", "(", ")", "x.y", "1.",
                                   " ", "  ", "\n", "\t", "\u00a0", ".", "Inc.", "a-b.", "“", "”"]), max_size=12)


@given(_HEADS)
@settings(max_examples=400, deadline=None)
def test_false_stop_same_as_searching_the_whole_head(parts: list[str]) -> None:
    text = "".join(parts) + " Next"
    for stop in range(len(text) + 1):
        assert annotate._is_false_stop(text, 0, stop) == _false_stop_plain(text, 0, stop)


@pytest.mark.parametrize("path", POLICIES[:25], ids=lambda p: p.name)
def test_domain_matches_are_finditer(path: Path) -> None:
    doc = ingest.load(path)
    t = hygiene._Text(doc=doc, offsets=doc.line_offsets, heading_lines=set(), headings=[])
    got = [(m.span(), m.group(1)) for m in t.finditer(hygiene._DOMAIN)]
    assert got == [(m.span(), m.group(1)) for m in hygiene._DOMAIN.finditer(doc.text)]


def test_channel_search_same_without_addresses() -> None:
    """The gated whole-text search finds what the plain one finds, also where no address is left."""
    for path in POLICIES[:25]:
        lines = ingest.load(path).lines
        for ls in (lines, tuple(ln.replace("@", " ") for ln in lines)):
            assert hygiene._any_line_has_channel(ls) == any(map(hygiene._has_contact_channel, ls))


@pytest.mark.parametrize("path", POLICIES[:25], ids=lambda p: p.name)
def test_sentence_scope_same_without_form_gates(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sents = [ac.match_text[s.start:s.end] for ac in annotate.annotate(segment.segment(ingest.load(path)))
             for s in ac.sentences]
    sents += ["The EEA residents have the right to object.", "California consumers (over 16) may opt out.",
              "EU and UK users can ask us.", "Users have rights."]
    gated = [scope.sentence_scope(s) for s in sents]
    monkeypatch.setattr(scope, "_FORM_GATES", tuple(None for _ in scope._FORM_GATES))
    assert gated == [scope.sentence_scope(s) for s in sents]


def _fold_plain(text: str) -> str:
    """prefilter.fold as it was: non-ASCII digits to "0" before lower-casing, ASCII 1-9 after, by two regexes."""
    from gapcheck import prefilter

    if not text.isascii():
        text = re.sub(r"(?![0-9])\d", "0", prefilter._SPECIAL_RE.sub(lambda m: prefilter._SPECIAL[m.group(0)], text))
        return prefilter._squeeze(re.sub("[1-9]", "0", text.lower()))
    return prefilter._squeeze(text.lower().translate(prefilter._DIGITS))


def test_lowercasing_neither_makes_nor_unmakes_a_digit() -> None:
    """fold turns digits into "0" after lower-casing in one pass: that is the two-pass form only if no
    character lower-cases to (or from) a digit, checked over every code point."""
    from gapcheck.prefilter import _SPECIAL

    digit = re.compile(r"\d")
    for cp in range(0x110000):
        c = chr(cp)
        if c in _SPECIAL:  # replaced before lower-casing
            continue
        low = c.lower()
        assert low == c or not digit.search(low), hex(cp)


@given(st.text(alphabet=st.sampled_from(list("aB1 9\t0.İıſK") + ["\u0660", "\u0969", "\uff15", "\u2019", "\u00e9",
                                                                 "\u03a3", "\u00b2", "\u2460"]), max_size=30))
@settings(max_examples=400, deadline=None)
def test_fold_same_as_two_digit_passes(text: str) -> None:
    from gapcheck.prefilter import fold

    assert fold(text) == _fold_plain(text)


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.name)
def test_fold_same_on_policies(path: Path) -> None:
    from gapcheck.prefilter import fold

    for ac in annotate.annotate(segment.segment(ingest.load(path))):
        assert fold(ac.match_text) == _fold_plain(ac.match_text)


@given(st.lists(st.text(alphabet=st.sampled_from(list("ab-/.é") + ["\t", "\x0b", "\x1c", "\x85", "\u00a0", "\u2003",
                                                                 "\u3000", "\u200b", "\ufeff", " "]),
                        max_size=60), max_size=6))
@settings(max_examples=300, deadline=None)
def test_long_word_lines_are_the_split_lines(lines: list[str]) -> None:
    """hygiene._conversion finds the lines holding a 24-character word by one search of `\\S{24,}` over the
    joined lines: the same lines as splitting each line at str.split's whitespace."""
    lines = [ln.replace("a", "a" * 5) for ln in lines]  # long runs, often
    plain = [i for i, ln in enumerate(lines, start=1) if len(ln) >= 24 and max(map(len, ln.split()), default=0) >= 24]
    offs, pos = [], 0
    for ln in lines:
        offs.append(pos)
        pos += len(ln) + 1
    got = sorted({hygiene.bisect_right(offs, m.start()) for m in hygiene._LONG_WORD.finditer("\n".join(lines))})
    assert got == plain
