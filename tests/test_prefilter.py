"""The literal pre-filter may skip a search only when the pattern cannot match (gapcheck.prefilter)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gapcheck import annotate, checklists, pipeline
from gapcheck.prefilter import INDEX, compile_need, fold, required

TRICKY = ["ſtore KEEP İnformation ıd", "E-MAİL us at x@y.com", "call ١٢٣ ٤٥٦ ٧٨٩٠ or +४९ 30 1234567",
          "Tel. 030 123456, 1-800-555-0199", "foo (at) bar [dot] com", "Last updated: ١٢ March ٢٠٢٥",
          "We keep data for 30 days.\u00a0Right\tto   access.", "RIGHT TO KNOW", "ＡＢＣ　full-width"]


def _regex_matchers() -> list[checklists.Regex]:
    """Every Regex leaf of the packaged checklists' matcher trees."""
    out: list[checklists.Regex] = []

    def walk(m: object) -> None:
        if isinstance(m, checklists.Regex):
            out.append(m)
        for c in [*getattr(m, "children", ()), *(getattr(m, a) for a in ("child", "frame", "item") if hasattr(m, a))]:
            walk(c)

    for cl in pipeline.resolve_laws(["all"]):
        for r in cl.requirements:
            for m in (r.matcher, r.partial, r.not_applicable, r.applies_text):
                if m is not None:
                    walk(m)
    return out


def _patterns() -> dict[str, re.Pattern[str]]:
    out = {m.rx.pattern: m.rx for m in _regex_matchers()}
    for rx in [*annotate._TAX.values(), *annotate.ENTITY_RES.values()]:
        out[rx.pattern] = rx
    return out


def _texts() -> list[str]:
    texts = list(TRICKY)
    for cl in pipeline.resolve_laws(["all"]):
        for r in cl.requirements:
            for v in r.examples.values():
                texts += v
    for c in checklists.lexicon().values():
        for v in c.examples.values():
            texts += v
    return texts


def test_fold_maps_what_ignorecase_matches():
    assert fold("İıſK") == "iisk"
    assert fold("Room 42, ٣") == "room 00, 0"
    assert fold("Right \n\u00a0to\tknow") == "right to know"


def test_a_skipped_search_never_had_a_match():
    pats = _patterns()
    needs = {p: required(p, rx.flags) for p, rx in pats.items()}
    for n in needs.values():
        INDEX.add(n)
    checks = {p: compile_need(n) for p, n in needs.items() if n is not None}
    missed = []
    for text in _texts():
        present = INDEX.present(fold(text))
        missed += [(p, text) for p, can in checks.items() if not can(present) and pats[p].search(text)]
    assert not missed, missed[:3]


def test_generated_need_test_equals_possible():
    """compile_need (nested "or"s and "and"s flattened, an "or"'s literal sets tested as one union)
    gives exactly prefilter.possible for every checklist pattern's need, on every sample clause and on
    texts holding one literal of the need each."""
    from gapcheck.prefilter import possible

    pats = _patterns()
    needs = [n for n in (required(p, rx.flags) for p, rx in pats.items()) if n is not None]
    for n in needs:
        INDEX.add(n)
    texts = list(_texts())
    presents = {INDEX.present(fold(t)) for t in texts}
    def lits(n):  # noqa: ANN001, ANN202
        return n[1] if n[0] == "lit" else frozenset().union(*map(lits, n[1]))

    for n in needs:
        can = compile_need(n)
        for present in presents | {frozenset({w}) for w in lits(n)}:
            assert can(present) == possible(n, present), n
    a, b, c, d = (("lit", frozenset({w})) for w in "abcd")
    nested = ("or", (a, ("or", (b, ("and", (c, d))))))
    for present in (frozenset(), frozenset("a"), frozenset("b"), frozenset("c"), frozenset("cd"), frozenset("d")):
        assert compile_need(nested)(present) == possible(nested, present)


def test_label_candidates_hold_every_label_whose_need_holds():
    """annotate's literal -> labels masks never leave out a label whose need the clause's literals meet
    (so every label that can match is searched), on the example texts and every sample policy clause."""
    from functools import reduce
    from operator import or_

    from gapcheck import ingest, segment

    texts = list(_texts())
    for policy in sorted((Path(__file__).resolve().parent / "fixtures" / "policies").glob("*.txt")):
        texts += [c.text for c in segment.segment(ingest.load(policy))]
    for text in texts:
        present = INDEX.present(fold(text))
        cands = reduce(or_, (annotate._TAX_BY_LITERAL.get(lit, 0) for lit in present), annotate._TAX_ALWAYS)
        for k, name in enumerate(annotate._TAX_ORDER):
            can = annotate._TAX_POSSIBLE.get(name)
            if can is None or can(present):
                assert cands >> k & 1, (name, text[:80])


@pytest.mark.parametrize("pattern,text", [
    (r"\bright\s+to\s+(access|know)\b", "You have the RIGHT to  know."),
    (r"[\w.+-]+@[\w-]+\.\w+", "mail x@y.de"),
    (r"\b\d{1,2}\s+days\b", "within 30 days"),
    (r"(?-i:\bPAN\b)", "your PAN card"),
    (r"(?<!reserve the )\brights?\b", "your rights"),
    (r"\bright\s+to\s*be\s\s?forgotten\b", "the Right \n to be\t forgotten"),
])
def test_needs_hold_on_matches(pattern, text):
    rx = re.compile(pattern, re.IGNORECASE)
    need = required(pattern, rx.flags)
    assert rx.search(text) and need is not None
    INDEX.add(need)
    assert compile_need(need)(INDEX.present(fold(text)))


def test_start_scanner_finds_exactly_what_finditer_finds():
    """Trying only the positions of a pattern's leading words gives finditer's matches, on every
    example sentence, the tricky texts and each sample policy clause, whole and per sentence."""
    from gapcheck import ingest, segment
    from gapcheck.prefilter import StartScanner, leading, lowered

    scanners = []
    for rx in _patterns().values():
        starts = leading(rx.pattern, rx.flags)
        if starts:
            scanners.append((rx, StartScanner(rx, starts)))
    assert len(scanners) > 400  # nearly every pattern starts with a word
    regions = [(t, [(0, len(t))]) for t in _texts()]
    root = Path(__file__).resolve().parent / "fixtures" / "policies"
    for policy in sorted(root.glob("*.txt"))[:2]:
        for ac in annotate.annotate(segment.segment(ingest.load(policy))):
            regions.append((ac.match_text, [(0, len(ac.match_text))] + [(s.start, s.end) for s in ac.sentences]))
    wrong = []
    for text, spans in regions:
        low = lowered(text)
        if low is None:
            continue
        for rx, sc in scanners:
            for lo, hi in spans:
                got = sc.spans(text, low, lo, hi)
                want = [(m.start(), m.end()) for m in rx.finditer(text, lo, hi) if m.end() > m.start()]
                if got is not None and got != want:
                    wrong.append((rx.pattern[:60], text[lo:hi][:60], got, want))
    assert not wrong, wrong[:3]


@pytest.mark.parametrize("pattern,starts", [
    (r"\b(collect\w*|gather\w*)\b", {"collect", "collect\\b", "gather", "gather\\b"}),
    (r"(?:the\s+)?supervisory", {"the\\s+supervisory", "supervisory"}),
    (r"[\[(]\s*at", {"\\(at", "\\(\\s+at", "\\[at", "\\[\\s+at"}),
    (r"(?-i:\bPAN\b)", {"pan\\b"}),
    (r"names?\b", {"name\\b", "names\\b"}),
    (r"(?:ab)+c", {"ab"}),  # a second "ab" may follow the first: nothing is known after it
    (r"\w+@", None),  # any word character may start a match
    (r"(?:data\s+)?", None),  # may match the empty string
    (r"\brésumé", {"résumé"}),  # a Latin-1 letter is a literal like an ASCII one
    (r"\b\u212aelvin", None),  # the Kelvin sign matches an ASCII "k": never a literal of a form
    (r"\b\d{1,5}\s+[A-Z]", {"\\d"}),  # a digit class is a token: one digit, then nothing known
    (r"§|\bsection\s+\d", {"§", "section\\s+\\d"}),  # an uncased character is a literal as it is
    (r"\bdon[’']t\b", {"don’t\\b", "don't\\b"}),
])
def test_leading_forms(pattern, starts):
    from gapcheck.prefilter import leading

    got = leading(pattern, re.IGNORECASE)
    assert (set(got) if got else None) == starts


def test_latin1_literals_find_every_case():
    """A Latin-1 letter of a leading form finds, in the lowered text, every character IGNORECASE
    matches to it: both cases, and the Angstrom sign for "å"."""
    from gapcheck.prefilter import StartScanner, leading, lowered

    for pattern, text in [(r"\b(gmbh|oü)\b", "Acme OÜ, Beta oü, Gamma Oü"),
                          (r"délégué", "DÉLÉGUÉ délégué Délégué"),
                          (r"\bångström", "\u212bngström ÅNGSTRÖM ångström")]:
        rx = re.compile(pattern, re.IGNORECASE)
        sc = StartScanner(rx, leading(pattern, re.IGNORECASE))
        want = [m.span() for m in rx.finditer(text)]
        assert len(want) == 3
        assert sc.spans(text, lowered(text)) == want


def test_digit_and_uncased_tokens_find_what_finditer_finds():
    """A `\\d` token finds every decimal digit (Arabic-Indic and full-width too) in the lowered text, and an
    uncased non-ASCII literal ("§", "’") only itself: the scanner gives finditer's matches."""
    from gapcheck.prefilter import StartScanner, leading, lowered

    for pattern, text in [(r"\b\d{2,4}\s+(?:days|years)\b", "30 days, ٣٠ DAYS, ３０ years, 7 days, x30 days"),
                          (r"§\s*\d+|\bart\.?\s*\d", "under § 5 and §12, Art. 6 and ART 7, part 8"),
                          (r"\bwon[’']t\b|[–—]\s*\d", "we won’t, WON'T, won`t – 5 — 6")]:
        rx = re.compile(pattern, re.IGNORECASE)
        starts = leading(pattern, re.IGNORECASE)
        assert starts, pattern
        want = [m.span() for m in rx.finditer(text)]
        assert len(want) >= 3, (pattern, want)
        assert StartScanner(rx, starts).spans(text, lowered(text)) == want


def test_lowered_keeps_word_and_space_classes():
    """`\\b` and `\\s+` in a leading form mean the same in the lowered text: no character changes
    between word, space and other when lower-cased (checked for every code point)."""
    import sys

    from gapcheck.prefilter import lowered

    w, sp = re.compile(r"\w"), re.compile(r"\s")
    bad = []
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        if 0xD800 <= cp <= 0xDFFF:
            continue
        low = lowered(c)
        if low is not None and (bool(w.match(c)) != bool(w.match(low)) or bool(sp.match(c)) != bool(sp.match(low))):
            bad.append(hex(cp))
    assert not bad, bad[:5]


@pytest.mark.parametrize("indexed", [False, True], ids=["search", "word-index"])
def test_alternatives_searched_apart_match_the_whole_alternation(indexed):
    """A concept without leading words as a whole is searched alternative by alternative
    (AltScanner); its matches are those of the alternation, whole clause, per sentence and (with the
    clause's word index) cut inside a word, with the word index or without it."""
    from gapcheck import ingest, segment
    from gapcheck.checklists import present_literals
    from gapcheck.prefilter import lowered, word_index

    regs = {m.rx.pattern: m for m in _regex_matchers() if m.alts is not None}
    assert regs
    if indexed:
        assert any(sc is not None and sc.keys is not None for m in regs.values() for sc in m.alts.scanners)  # type: ignore[union-attr]
    root = Path(__file__).resolve().parent / "fixtures" / "policies"
    wrong = []
    for policy in sorted(root.glob("*.txt")):
        for ac in annotate.annotate(segment.segment(ingest.load(policy))):
            text, present = ac.match_text, present_literals(ac)
            low = lowered(text)
            if indexed and low is None:
                continue
            words = word_index(text, low) if indexed else None  # type: ignore[arg-type]
            cuts = [(1, len(text) // 2)] if indexed else []
            for m in regs.values():
                for lo, hi in [(0, len(text)), *cuts] + [(s.start, s.end) for s in ac.sentences]:
                    got = m.alts.spans(text, low, present, lo, hi, words)  # type: ignore[union-attr]
                    want = [(x.start(), x.end()) for x in m.rx.finditer(text, lo, hi) if x.end() > x.start()]
                    if got is not None and got != want:
                        wrong.append((m.rx.pattern[:60], text[lo:hi][:60], got, want))
    assert not wrong, wrong[:3]


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """The user's cache in a temporary folder, with nothing read from it yet (a new process's state)."""
    from gapcheck import prefilter

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("GAPCHECK_NO_CACHE", raising=False)
    monkeypatch.setattr(prefilter, "_DISK", None)
    monkeypatch.setattr(prefilter, "_DISK_NEW", 0)
    return tmp_path


def test_leading_forms_are_remembered_across_processes(fresh_cache, monkeypatch):
    """The forms are kept in the user's cache: the same answer from the file, and a corrupt or
    missing file only means computing anew."""
    from gapcheck import prefilter

    pat = r"\b(?:shar\w*|disclos\w*)\s+(?:your|the)\b"
    want = prefilter._leading(pat, re.I)
    assert want and prefilter.leading(pat, re.I) == want
    prefilter._save_disk()
    path = prefilter._disk_path()
    assert path is not None and path.is_file() and not list(path.parent.glob(".leading-*"))
    monkeypatch.setattr(prefilter, "_DISK", None)
    assert prefilter.leading(pat, re.I) == want  # read back from the file
    path.write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(prefilter, "_DISK", None)
    assert prefilter.leading(pat, re.I) == want  # a corrupt file is ignored
    monkeypatch.setenv("GAPCHECK_NO_CACHE", "1")
    assert prefilter._disk_path() is None


def test_needs_are_remembered_across_processes(fresh_cache, monkeypatch):
    """What a pattern's matches must contain is cached with the leading forms: read back from the
    file it is the same need for every pattern of the checklists and the vocabulary."""
    from gapcheck import lexicon, prefilter

    pats = [p for c in lexicon.lexicon().values() for p in c.patterns]
    want = {p: prefilter.required(p, re.I) for p in pats}
    assert sum(v is not None for v in want.values()) > len(pats) // 2
    prefilter._save_disk()
    monkeypatch.setattr(prefilter, "_DISK", None)  # a new process: the answers come from the file
    assert {p: prefilter.required(p, re.I) for p in pats} == want
    assert prefilter._need_from_json(["lit", [1, 2]]) is prefilter._BAD  # a damaged entry is redone
    assert prefilter._need_from_json(["or", []]) is prefilter._BAD


def test_lazy_patterns_search_as_compiled_ones():
    from gapcheck.lazyre import LazyPattern

    text = "You may  request deletion; REQUEST access."
    lazy, rx = LazyPattern(r"\brequest\s+(\w+)", re.I), re.compile(r"\brequest\s+(\w+)", re.I)
    assert lazy._rx is None  # nothing compiled until the first search
    assert lazy.flags == rx.flags and lazy.pattern == rx.pattern
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in rx.finditer(text)]
    assert lazy.search(text, 20).span() == rx.search(text, 20).span()
    assert lazy.findall(text) == rx.findall(text) and lazy.sub("x", text) == rx.sub("x", text)
    assert lazy.match(text) is None and lazy.groups == 1
    assert lazy == LazyPattern(r"\brequest\s+(\w+)", re.I) and len({lazy, LazyPattern(lazy.pattern, re.I)}) == 1


def test_found_memo_answers_as_a_search():
    """checklists._found remembers its answers per document (FOUND_MEMO): with the memo set it answers as
    without it, for the heading and lead-in patterns on every heading path of a sample policy."""
    from gapcheck import ingest, segment

    rxs = {m.rx.pattern: m.rx for cl in pipeline.resolve_laws(["all"]) for r in cl.requirements
           for m in _walk(r.matcher) if isinstance(m, (checklists.Heading, checklists.LeadIn))}
    assert len(rxs) > 5
    policy = sorted((Path(__file__).resolve().parent / "fixtures" / "policies").glob("*.txt"))[0]
    texts = {" / ".join(c.heading_path) for c in segment.segment(ingest.load(policy))} | {"", "Acme GmbH / Contact"}
    memo: dict = {}
    token = checklists.FOUND_MEMO.set(memo)
    try:
        for _ in range(2):  # the second round answers from the memo
            for rx in rxs.values():
                for t in texts:
                    assert checklists._found(rx, t) == (rx.search(t) is not None), (rx.pattern[:60], t)
    finally:
        checklists.FOUND_MEMO.reset(token)
    assert len(memo) == len(rxs) * len(texts)


def _walk(m):  # type: ignore[no-untyped-def]
    """Every matcher of a tree (children, child, frame and item)."""
    if m is None:
        return
    yield m
    for c in getattr(m, "children", None) or ([m.child] if hasattr(m, "child") else []):
        yield from _walk(c)
    if isinstance(m, checklists.Listed):
        yield from _walk(m.frame)
        yield from _walk(m.item)


@pytest.mark.parametrize("pattern,need", [
    (r"\bof \w+", None),  # "of " has two letters and a space: nearly every clause has it
    (r"\bof (?:us|them)\b", ("lit", frozenset({"of us", "of them"}))),  # spelled out, the stretch is rarer
    (r"e-mail", ("lit", frozenset({"e-mail"}))),
    (r"\d{2} days", ("lit", frozenset({"00 days"}))),
    # a string holding another of the set is dropped ("a rights" holds "a right")
    (r"\b(?:a|an|the) (?:right|rights)\b", ("lit", frozenset({"a right", "an right", "the right"}))),
    (r"\brights?\s*to\b", ("lit", frozenset({"rightto", "right to", "rightsto", "rights to"}))),
    (r"organi[sz]ation", ("lit", frozenset({"organisation", "organization"}))),
    (r"\d{1,4}\s+(?:days|months)", ("lit", frozenset({"0 days", "0 months"}))),
    (r"(?<!the )\bright(?=s)", ("lit", frozenset({"right"}))),  # look-arounds consume nothing
    (r"\bright\s+\w+\s+to\b", ("lit", frozenset({"right "}))),  # `\w+` ends the stretch; " to " is too short
])
def test_short_runs_are_no_literal_and_short_stretches_are_spelled_out(pattern, need):
    """A literal counts when it has three letters or a rare character ("@", "-", a digit); a space is
    no rare character (" a", "e " occur in nearly every clause and cost the literal scan most of its time).
    A stretch of elements that consume only a few texts (`s?`, `(?:us|them)`, `[sz]`, `\\s*`) is one set of
    strings, one of which every match holds: a clause holding none of them is not searched."""
    assert required(pattern, re.IGNORECASE) == need


@pytest.mark.parametrize("pattern", [
    r"\brights?\s*to\b", r"organi[sz]ation", r"\d{1,4}\s+(?:days|months)", r"\b(?:a|an|the) (?:right|rights)\b",
    r"(?-i:\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b)", r"\be-?mail(?:\s+address(?:es)?)?\b", r"\bP\.?\s?O\.? Box\b",
])
@given(st.lists(st.sampled_from(["right", "Rights", "ſ", "to", "TO", " ", "\t", "\u00a0", "\n ", "organi", "s", "z",
                                 "ation", "ATION", "1", "٣", "30", "days", "months", "a", "an", "the", "İ", "K",
                                 "CA", "12345", "-6789", "e", "-", "mail", "address", "es", "P", ".", "O", "Box"]),
                max_size=12))
@settings(max_examples=300, deadline=None)
def test_stretch_needs_hold_on_every_match(pattern, parts):
    """Wherever a pattern matches (anywhere in a generated text), its clause's literals meet its need."""
    text = "".join(parts)
    rx = re.compile(pattern, re.IGNORECASE)
    need = required(pattern, rx.flags)
    INDEX.add(need)
    if need is not None and rx.search(text):
        assert compile_need(need)(INDEX.present(fold(text))), (pattern, text)


def test_need_mask_is_exactly_the_clauses_whose_literals_meet_the_need():
    """Regex.cands (checklists._mask_fn, the generated form of _need_mask, over the literal index) holds a
    clause exactly when the pattern's whole need holds for its literals: what `_scan` would search, no
    clause more or less (every checklist pattern, the clauses of two sample policies)."""
    from gapcheck import ingest, segment
    from gapcheck.prefilter import possible

    regexes = {m.rx.pattern: m for cl in pipeline.resolve_laws(["all"]) for r in cl.requirements
               for top in (r.matcher, r.partial, r.not_applicable, r.review, r.applies_text)
               for m in _walk(top) if isinstance(m, checklists.Regex) and m.need is not None}
    assert len(regexes) > 300
    for policy in sorted((Path(__file__).resolve().parent / "fixtures" / "policies").glob("*.txt"))[:2]:
        ctx = annotate.annotate(segment.segment(ingest.load(policy)))
        idx = checklists._literal_clauses(ctx, {})
        present = [checklists.present_literals(ac) for ac in ctx]
        for m in regexes.values():
            want = sum(1 << i for i, p in enumerate(present) if possible(m.need, p))
            assert checklists._need_mask(m.need, idx) == want, m.rx.pattern[:80]
            assert checklists._mask_fn(m.need)(idx) == want, m.rx.pattern[:80]  # the generated form


def test_word_index_keys_each_word_by_its_first_four_characters():
    """A word's key is its first four characters in the lowered text (all of a shorter word); a key met
    once maps to its offset, one met again to the list of its offsets."""
    from gapcheck.prefilter import lowered, word_index

    text = "Data processing: PERSONAL data-sets, ab OÜ x_1 dátá"
    assert word_index(text, lowered(text)) == {"data": [0, 26], "proc": 5, "pers": 17, "sets": 31, "ab": 37,
                                               "oü": 40, "x_1": 43, "dátá": 47}


@pytest.mark.parametrize("pattern,keys", [
    (r"\b(collect\w*|gather\w*)\b", {"coll", "gath"}),
    (r"\b(gmbh|oü|sa)\b", {"gmbh", "oü", "sa"}),  # a short word with a known end is its own key
    (r"\bdon[’']t\b", {"don"}),  # ... its end a literal outside \w
    (r"\bad\s+data|\bads\b", {"ad", "ads"}),
    (r"\bus\w*", None),  # a short word that may go on: its key is not known
    (r"(?:the\s+)?supervisory", None),  # a match need not start a word
    (r"\b\d{1,5}\s+days", None),  # a digit class: no key
    (r"(?a:\bdata)", None),  # an ASCII `\b`: the index's words are Unicode ones
])
def test_word_keys(pattern, keys):
    from gapcheck.prefilter import word_keys

    got = word_keys(pattern, re.IGNORECASE)
    assert (set(got) if got is not None else None) == keys


def test_start_scanners_with_the_word_index_find_what_finditer_finds():
    """A start scanner given the clause's word index (tries the finder at the starts of the words with
    its keys instead of searching) gives finditer's matches: whole texts, regions (cut inside a word,
    the finder searches) and sentences, on the example and tricky texts and sample policy clauses."""
    from gapcheck import ingest, segment
    from gapcheck.prefilter import StartScanner, leading, lowered, word_index

    scanners = []
    for rx in _patterns().values():
        starts = leading(rx.pattern, rx.flags)
        if starts:
            scanners.append((rx, StartScanner(rx, starts)))
    assert sum(sc.keys is not None for _rx, sc in scanners) > 300  # most patterns start with a known word
    # (every third example text whole and cut inside its first and last word: the plain scanner's test runs all
    # of them, and the full JSON of every policy held is compared before and after engine changes)
    regions = [(t, [(0, len(t)), (1, max(1, len(t) - 3))]) for t in _texts()[::3]]
    root = Path(__file__).resolve().parent / "fixtures" / "policies"
    # (one sample policy, each clause whole and cut at its first and last sentence: the full JSON of every
    # policy held is compared before and after engine changes, this keeps the suite's time in bounds)
    for policy in sorted(root.glob("*.txt"))[:1]:
        for ac in annotate.annotate(segment.segment(ingest.load(policy))):
            t = ac.match_text
            cuts = {(s.start, s.end) for s in (ac.sentences[:1] + ac.sentences[-1:])}
            regions.append((t, [(0, len(t)), *sorted(cuts)]))
    wrong = []
    for text, spans in regions:
        low = lowered(text)
        if low is None:
            continue
        words = word_index(text, low)
        for rx, sc in scanners:
            for lo, hi in spans:
                got = sc.spans(text, low, lo, hi, words)
                want = [(m.start(), m.end()) for m in rx.finditer(text, lo, hi) if m.end() > m.start()]
                if got is not None and got != want:
                    wrong.append((rx.pattern[:60], text[lo:hi][:60], got, want))
    assert not wrong, wrong[:3]


def test_word_keys_are_remembered_across_processes(fresh_cache, monkeypatch):
    """Word keys are cached with the leading forms: read back from the file they are the same, and a
    damaged entry is worked out anew."""
    from gapcheck import prefilter

    pats = [r"\b(?:shar\w*|disclos\w*)\s+(?:your|the)\b", r"\bus\w*", r"\b(gmbh|oü)\b"]
    want = {p: prefilter._word_keys(p, re.I) for p in pats}
    assert {p: prefilter.word_keys(p, re.I) for p in pats} == want
    prefilter._save_disk()
    monkeypatch.setattr(prefilter, "_DISK", None)  # a new process: the keys come from the file
    assert {p: prefilter.word_keys(p, re.I) for p in pats} == want
    prefilter._disk()[f"w{int(re.I)}:{pats[0]}"] = [[1, 2]]
    assert prefilter.word_keys(pats[0], re.I) == want[pats[0]]


_OBFUSCATED = (r"\b[\w.+-]+\s*[\[(]\s*at\s*[\])]\s*[\w-]+\s*(?:[\[(]\s*dot\s*[\])]|\.)\s*[a-z]{2,}\b|"
               r"\b[\w.+-]+?(?:\s+|-{1,2})(?-i:ÄTT|AT)(?:\s+|-{1,2})[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b")


@pytest.mark.parametrize("pattern", [
    _OBFUSCATED,  # a sequence ending in an alternation (\b factored out of both branches)
    r"(?-i:\b[\w-]{2,40}\.(?:co\.uk|[a-z]{2,12}),?[ \u00a0](?:Inc|LLC|Ltd|GmbH)(?![\w.]))",
    r"\b\w+\s*[\[(]\s*at\s*[\])]\s*\w+(\s*[\[(]\s*dot\s*[\])]\s*\w+)?",
    # a tail led by an alternation, a digit run or `\s+`; split into searches; a look-ahead before an alternation
    r"(?-i:[A-ZÅÄÖ][\wåäö]*(?:gatan|gata|vägen|tie)\s*\d{1,4})|(?-i:\b(?:[A-Z]{1,2}-)?\d{3}\s\d{2}\s+[A-ZÅÄÖ][a-zåäö]{2,})",
    r"(?-i:\b(?:[A-Z]{1,2}-)?\d{5}\s+[A-ZÄÖÜ][a-zäöüß]{2,})",
    r"(?-i:\b[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*)?,?\s+(?:Oy|Oyj|OÜ|UAB|Sp\.\s+z\s+o\.o\.|s\.r\.o\.|ApS)(?![\w]))",
    r"(?-i:\b[A-ZÄÖÜ][\w&'’ ()!-]{0,50}?,?[ \u00a0](?:GmbH|mbH|AG|SE|OÜ|e\.V\.|Co\.(?=\s+|$|\n))(?!\w))",
])
def test_suffix_gates_pass_wherever_the_pattern_matches(pattern):
    """A gate (the longest tail that starts with a rare element) is found in every region the pattern
    matches in, and only skips regions it cannot match in."""
    from gapcheck.prefilter import suffix_gate

    rx = re.compile(pattern, re.I)
    gate = suffix_gate(pattern, re.I)
    assert gate is not None
    texts = [*TRICKY, "mail info [at] bluefin [dot] de now", "contact ÄTT chaos.social (replace --ÄTT-- with @!)",
             "poststelle--ÄTT--lfdi.bwl.de", "dpo AT example.org", "dpo at example.org", "Acme example.com, Inc here",
             "see www.example.co.uk LLC.", "We collect data (at) times. Visit example.com today.",
             "Storgatan 12, 111 22 Stockholm", "Acme Oy,   Helsinki; Foo  Bar   Sp. z o.o. and Baz s.r.o.",
             "Beispiel\u00a0GmbH, 10115 Berlin", "D-10115   Berlin", "Acme Co.\nLondon", "Förderverein e.V. and X OÜ"]
    for t in texts:
        for lo, hi in [(0, len(t)), (3, len(t)), (0, max(0, len(t) - 4))]:
            if rx.search(t, lo, hi) is not None:
                assert gate.search(t, lo, hi) is not None, (pattern, t, lo, hi)
    assert gate.search("We may share your data at any time with our partners.") is None
