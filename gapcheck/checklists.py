"""Load and validate checklist YAML into Requirements with compiled matchers.

A checklist is data: every requirement says when it is met, partial or not applicable with a
small closed set of matcher kinds. Leaves: ``regex``, ``phrase``, ``label``, ``topic``,
``heading``. Combinators: ``any``, ``all``, ``not``, ``same_clause``, ``same_block``, ``same_passage``,
``same_sentence``, ``same_part``, ``at_least``. Loading is strict: an unknown key, a bad value or a regex
that does not compile fails with ``file:line: item 'id': field 'name': problem``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from functools import lru_cache, reduce
from itertools import compress, repeat
from operator import or_
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from gapcheck.annotate import HEADING_TOPICS, TAXONOMY, flexible_spaces
from gapcheck.errors import ChecklistError
from gapcheck.lazyre import LazyPattern
from gapcheck.lexicon import (  # noqa: F401 - the shared vocabulary's loader, re-exported for callers
    LEXICON_DIR,
    Concept,
    _catastrophic,
    _Loader,
    _str_list,
    _Where,
    lexicon,
    lexicon_files,
    packaged_dir,
)
from gapcheck.models import AnnotatedClause, Checklist, Clause, Kind, Requirement, Severity, Span, Status
from gapcheck.prefilter import (
    INDEX,
    LOWER_KEY,
    WORDS_KEY,
    AltScanner,
    StartScanner,
    compile_need,
    first_cut,
    flatten,
    fold,
    gate_of,
    leading,
    lowered,
    region_exact,
    required,
    start_scanner,
    word_index,
)

LAWS = ("gdpr", "ccpa", "dpdp")
ITEM_KEYS = {"id", "title", "citation", "kind", "severity", "area", "recommendation", "rationale",
             "notes", "effective_from", "applies_when", "met_when", "partial_when",
             "not_applicable_when", "review_when", "any_section", "examples", "verified", "unaddressed",
             "applies_when_text"}
TOP_KEYS = {"law", "name", "version", "description", "items", "sources", "examples_as_of", "audience"}
_FACT = re.compile(r"^!?[a-z][a-z0-9_]*$")
EXAMPLE_KEYS = {"met", "partial", "missing", "review", "not_applicable",
                "todo_met", "todo_partial", "todo_missing"}
RATIONALE_KEYS = {"met", "partial", "missing", "review", "not_applicable"}
KIND_ALIASES = {"m": Kind.MANDATORY, "mandatory": Kind.MANDATORY, "c": Kind.CONDITIONAL,
                "conditional": Kind.CONDITIONAL, "b": Kind.BEST_PRACTICE,
                "best_practice": Kind.BEST_PRACTICE, "best-practice": Kind.BEST_PRACTICE}
AREAS = ("identity", "collection", "purposes", "legal_basis", "recipients", "sale_sharing",
         "retention", "rights", "requests", "contacts", "complaints", "transfers", "children",
         "security", "cookies_tracking", "changes", "notice", "automated_decisions", "other")
_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")

Hit = tuple[int, Span]  # (clause index, span in that clause's text)
Ctx = tuple[AnnotatedClause, ...]


#: Candidate clauses are bit masks: bit i set = clause i of the view may match. Unions and
#: intersections of masks are single C operations, where sets of indexes cost a Python-level
#: pass per element (some 20,000 set operations per policy).
Mask = int

_BIT_OF = bytes.maketrans(b"01", b"\x00\x01")


def _bits(mask: Mask) -> list[int]:
    """The indexes of the set bits of `mask`, ascending (document order)."""
    if not mask:
        return []
    flags = bin(mask)[:1:-1].encode("ascii").translate(_BIT_OF)  # lowest bit first, b"\x01" where set
    return list(compress(range(len(flags)), flags))


def _order(cands: Mask | None, ctx: Ctx) -> Iterable[int]:
    """Clause indexes to visit, in document order (the order hits and quotes come in)."""
    return range(len(ctx)) if cands is None else _bits(cands)


def _union(parts: Iterable[Mask | None]) -> Mask | None:
    out = 0
    for p in parts:
        if p is None:
            return None
        out |= p
    return out


def _intersection(parts: Iterable[Mask | None]) -> Mask | None:
    out: Mask | None = None
    for p in parts:
        if p is not None:
            out = p if out is None else out & p
            if not out:  # no clause left: the remaining parts' candidates are not worked out at all
                return 0
    return out


def present_literals(ac: AnnotatedClause) -> frozenset[str]:
    """The registered literals the clause's match text contains (one scan per clause, remembered)."""
    got = ac.memo.get(INDEX.memo_key)
    if got is None:
        key, got = INDEX.keyed_present(fold(ac.match_text or ac.clause.text))
        ac.memo[key] = got
    return got


#: A law's view of the clauses (evaluate.scoped_view) shares most clause objects with the document;
#: its cache holds, under this key, (document clauses, document cache, mask of the clauses it shares).
VIEW_BASE = "view-base"


def _literal_clauses(ctx: Ctx, cache: dict) -> dict[str, Mask]:
    """literal -> mask of the clauses of `ctx` containing it (built once per view; in a law's view,
    only over the clauses it changed, see `Regex.cands`)."""
    key = ("litidx", INDEX.version)
    idx = cache.get(key)
    if idx is None:
        base = cache.get(VIEW_BASE)
        shared = base[2] if base is not None else 0
        masks: dict[str, Mask] = {}
        get = masks.get
        for i, ac in enumerate(ctx):
            bit = 1 << i
            if shared & bit:
                continue
            for lit in present_literals(ac):
                masks[lit] = get(lit, 0) | bit
        idx = cache[key] = masks
    return idx


def _need_mask(need: Any, idx: dict[str, Mask]) -> Mask:
    """The clauses (a mask) whose literals meet a prefilter need, from the literal -> clauses index: a
    literal set is the union of its literals' masks, "and" the intersection of its parts', "or" the union.
    Exactly the clauses where `prefilter.possible(need, literals)` holds (among those the index covers)."""
    kind, val = need
    if kind == "lit":
        return reduce(or_, map(idx.get, val, repeat(0)), 0)  # type: ignore[no-any-return]
    if kind == "and":
        out = -1 if val else 0
        for part in val:
            out &= _need_mask(part, idx)
            if not out:
                break
        return out
    return reduce(or_, (_need_mask(part, idx) for part in val), 0)  # type: ignore[no-any-return]


_LIT_INLINE = 4  # a literal set this small is OR-ed inline; a larger one from the index's literals it holds


@lru_cache(maxsize=8192)  # once per need: concepts repeat across items and laws
def _mask_fn(need: Any) -> Callable[[dict[str, Mask]], Mask]:
    """`_need_mask(need, idx)` as one generated expression over the index: a pattern's candidates are
    worked out per view, and walking the need tree in Python cost more than the clauses it saved. A
    larger literal set (a spelled-out stretch has up to 64 strings) is met with the index's keys first:
    one C-level pass, then the masks of the few literals the document holds are OR-ed."""
    consts: list[frozenset[str]] = []

    def expr(n: Any) -> str:
        kind, val = n
        if kind == "lit":
            if len(val) <= _LIT_INLINE:
                return "(" + " | ".join(f"g({lit!r}, 0)" for lit in sorted(val)) + ")"
            consts.append(val)
            return f"r(o, map(d.__getitem__, k & c{len(consts) - 1}), 0)"
        parts = flatten(kind, val)  # (an "or"'s literal sets as one: the mask of their union)
        return "(" + (" & " if kind == "and" else " | ").join(expr(x) for x in parts) + ")"

    try:
        body = expr(need)
        src = "lambda d: (lambda g, k: " + body + ")(d.get, d.keys())"
        env = {"r": reduce, "o": or_, **{f"c{i}": c for i, c in enumerate(consts)}}
        return eval(src, env)  # type: ignore[no-any-return]  # noqa: S307 - built from our own tree
    except (RecursionError, SyntaxError, MemoryError):  # a pathologically deep pattern
        return lambda d: _need_mask(need, d)


def view_base(ctx: Ctx, cache: dict, view: Ctx, view_cache: dict) -> None:
    """Record in `view_cache` that `view` is `ctx` with some clauses replaced, so candidate clauses
    of the view are those of `ctx` (same clause objects, same answers) plus its own changed ones."""
    shared = 0
    for i, (a, b) in enumerate(zip(ctx, view, strict=True)):
        if a is b:
            shared |= 1 << i
    view_cache[VIEW_BASE] = (ctx, cache, shared)


# --------------------------------------------------------------------------- matchers

def _whole_clause_hits(ctx: Ctx, order: Iterable[int],
                       within: Callable[[AnnotatedClause, int, int], list[Span] | None]) -> list[Hit] | None:
    """The hits of `within` asked about each whole clause of `order`, or None when no clause matches:
    the document search every matcher shares, whatever clauses it visits and however it tests one."""
    out: list[Hit] = []
    found = False
    for i in order:
        ac = ctx[i]
        r = within(ac, 0, len(ac.clause.text))
        if r is not None:
            found = True
            out.extend((i, s) for s in r)
    return out if found else None


class Matcher:
    """Base matcher. `doc` searches the whole document; `within` one region of one clause.

    Both return None when the condition fails, else the spans that support it (possibly none,
    e.g. for `not`).
    """

    def doc(self, ctx: tuple[AnnotatedClause, ...], cache: dict) -> list[Hit] | None:
        return _whole_clause_hits(ctx, _order(self.cands(ctx, cache), ctx), self.within)

    def within(self, ac: AnnotatedClause, lo: int, hi: int) -> list[Span] | None:
        raise NotImplementedError

    def cands(self, ctx: Ctx, cache: dict) -> Mask | None:
        """Mask of the clauses where `within` can succeed (a superset), or None for "any clause".

        `doc` visits only these, so a document-wide search costs per clause that could match,
        not per clause of the document.
        """
        return None

    def monotone(self) -> bool:
        """True when failing on a region implies failing on every part of it (so a whole-clause
        miss settles every sentence). False for `not`, and for leaves that search a region anew."""
        return False

    def describe(self) -> list[str]:
        """The matcher as indented lines a reviewer can read (`gapcheck checklists show`)."""
        return [type(self).__name__.lower()]


def _short_rx(p: str, limit: int = 70) -> str:
    return "/" + (p if len(p) <= limit else p[:limit - 1] + "…") + "/"


def _tree(head: str, children: list[Matcher]) -> list[str]:
    if len(children) == 1:
        sub = children[0].describe()
        return [f"{head} {sub[0]}"] + sub[1:]
    out = [head]
    for c in children:
        sub = c.describe()
        out += ["  - " + sub[0]] + ["    " + x for x in sub[1:]]
    return out


_MEMO_KEYS: dict[tuple, str] = {}


def _memo_key(rx: Any) -> str:
    """The key of a pattern's per-clause scan in `AnnotatedClause.memo`: one string object per
    distinct pattern (its hash is computed once), where a compiled pattern as key re-hashed its
    whole compiled code on every lookup (microseconds for a long concept alternation)."""
    k = ("Pattern" if isinstance(rx, LazyPattern) else type(rx).__name__, rx.pattern, rx.flags)
    got = _MEMO_KEYS.get(k)
    if got is None:
        got = _MEMO_KEYS[k] = "\0".join((k[0], str(k[2]), k[1]))
    return got


_NO_LOWER = object()


def _lowered(ac: AnnotatedClause) -> str | None:
    """The clause's match text as prefilter.lowered gives it (made once per clause)."""
    low = ac.memo.get(LOWER_KEY, _NO_LOWER)
    if low is _NO_LOWER:
        low = ac.memo[LOWER_KEY] = lowered(ac.match_text or ac.clause.text)
    return low  # type: ignore[return-value]


def _words(ac: AnnotatedClause, low: str) -> dict[str, int | list[int]]:
    """prefilter.word_index of the clause's match text (annotation made it; else made once here)."""
    got = ac.memo.get(WORDS_KEY)
    if got is None:
        got = ac.memo[WORDS_KEY] = word_index(ac.match_text or ac.clause.text, low)
    return got  # type: ignore[no-any-return]


@lru_cache(maxsize=8192)
def _starts_of(rx: re.Pattern[str]) -> StartScanner | None:
    """The start scanner of a pattern with leading words (once per pattern: concepts repeat)."""
    starts = leading(rx.pattern, rx.flags)
    return StartScanner(rx, starts) if starts else None


@lru_cache(maxsize=4096)
def _alts_of(alts: tuple[str, ...]) -> AltScanner | None:
    """The alternative scanner of a concept's patterns (once per set of patterns)."""
    return AltScanner.make(list(alts), re.IGNORECASE)


@lru_cache(maxsize=8192)
def _prefilter_of(pattern: str, flags: int) -> tuple[Any, frozenset[str] | None, Callable[..., bool] | None]:
    """A pattern's need, first cut and compiled test, registered with the index, once per pattern:
    YAML anchors and shared concepts repeat the same pattern in many items."""
    need = required(pattern, flags)
    INDEX.add(need)
    if need is None:
        return None, None, None
    return need, first_cut(need), compile_need(need)


class Regex(Matcher):
    def __init__(self, patterns: list[str], concepts: tuple[str, ...] = ()):
        self.patterns = patterns
        self.concepts = concepts  # the lexicon concepts these patterns come from, for describe()
        joined = "|".join(f"(?:{flexible_spaces(p)})" for p in patterns)
        # the lexicon's patterns were checked when it was loaded: compile them on first search only
        self.rx: Any = LazyPattern(joined, re.IGNORECASE) if concepts else re.compile(joined, re.IGNORECASE)
        # words one of which every match contains: a clause without any of them is not searched
        self.need, self.lits, self.possible = _prefilter_of(self.rx.pattern, self.rx.flags)
        self._mask: Callable[..., Mask] | None = None  # the need as a mask of clauses (_mask_fn), made on first use
        self.key = _memo_key(self.rx)
        self._scanners: tuple[StartScanner | None, AltScanner | None] | None = None  # made on first search
        self.exact_regions = region_exact(self.rx.pattern, self.rx.flags)

    @property
    def starts(self) -> StartScanner | None:
        """The start scanner (made on first use: loading a checklist stays as fast as it was)."""
        if self._scanners is None:
            self._make_scanners()
        return self._scanners[0]  # type: ignore[index]

    @property
    def alts(self) -> AltScanner | None:
        """Without leading words as a whole: the alternatives one by one, those the clause can match."""
        if self._scanners is None:
            self._make_scanners()
        return self._scanners[1]  # type: ignore[index]

    def _make_scanners(self) -> None:
        if isinstance(self.rx, (re.Pattern, LazyPattern)):
            sc = _starts_of(self.rx)
            alts = None if sc is not None else _alts_of(tuple(flexible_spaces(p) for p in self.patterns))
            self._scanners = (sc, alts)
        else:  # a guarded pattern is searched as it is, under its time limit
            self._scanners = (None, None)

    def guard(self, rx: Any) -> None:
        """Search through `rx` (a GuardedPattern) from now on; its scans are memoised apart."""
        self.rx = rx
        self.key = _memo_key(rx)
        self.exact_regions = False  # a guarded pattern is searched as it is
        self._scanners = (None, None)  # a guarded pattern is searched as it is, under its time limit

    def doc(self, ctx: Ctx, cache: dict) -> list[Hit] | None:
        key = ("rx", self.rx.pattern)
        got = cache.get(key, cache)
        if got is cache:
            got = cache[key] = self._doc(ctx, cache)
        return got

    def _doc(self, ctx: Ctx, cache: dict) -> list[Hit] | None:
        """Matcher.doc without a `within` call per clause: the whole-clause scans, in document order."""
        if not MEMOIZE.get():
            return super().doc(ctx, cache)
        out: list[Hit] = []
        found = False
        k = self.key
        cands = self.cands(ctx, cache)
        # a candidate clause meets the pattern's whole need (Regex.cands): its scan needs no second test
        scan = self._scan if cands is None else self._search
        for i in _order(cands, ctx):
            ac = ctx[i]
            full = ac.memo.get(k)
            if full is None:
                full = ac.memo[k] = scan(ac)
            if full:
                found = True
                out += [(i, s) for s in full]
        return out if found else None

    def cands(self, ctx: Ctx, cache: dict) -> Mask | None:
        if self.lits is None:
            return None
        key = ("rxc", self.rx.pattern)
        got = cache.get(key)
        if got is None:
            # the clauses whose literals meet the whole need (not only its first cut): those where `_scan`
            # would search at all, so the others are not visited (nor are they by the combinators above)
            fn = self._mask
            if fn is None:
                fn = self._mask = _mask_fn(self.need)
            got = fn(_literal_clauses(ctx, cache))
            got = cache[key] = got | _shared_cands(self, cache)  # in a law's view, plus the clauses it shares
        return got

    def monotone(self) -> bool:
        return MEMOIZE.get()  # a region is searched only when the whole clause matched

    def absent(self, ac: AnnotatedClause) -> bool:
        """True when the clause lacks every literal a match needs (so no search can succeed)."""
        if self.need is None:
            return False
        full = ac.memo.get(self.key)
        if full is not None:
            return not full
        present = ac.memo.get(INDEX.memo_key)
        if present is None:
            present = present_literals(ac)
        return self.lits.isdisjoint(present) or not self.possible(present)  # type: ignore[union-attr,misc]

    def _scan(self, ac: AnnotatedClause) -> tuple[Span, ...]:
        """The non-empty matches in the whole clause (none without a search when a needed word is absent)."""
        if self.need is not None:
            present = ac.memo.get(INDEX.memo_key)
            if present is None:
                present = present_literals(ac)
            if self.lits.isdisjoint(present) or not self.possible(present):  # type: ignore[union-attr,misc]
                return _NO_SPANS
        return self._search(ac)

    def _search(self, ac: AnnotatedClause) -> tuple[Span, ...]:
        """`_scan` of a clause known to hold the words a match needs (a candidate of `cands`)."""
        # the common case of _finditer inline (a leading-word scan of the whole clause): this runs
        # some 3,000 times per policy, and the calls around the scan cost as much as the scan
        sc = self._scanners
        if sc is None:
            self._make_scanners()
            sc = self._scanners
        starts = sc[0]  # type: ignore[index]
        if starts is not None:
            low = ac.memo.get(LOWER_KEY, _NO_LOWER)
            if low is _NO_LOWER:
                low = _lowered(ac)
            if low is not None:
                words = ac.memo.get(WORDS_KEY)
                if words is None:
                    words = _words(ac, low)  # type: ignore[arg-type]
                found = starts.matches(ac.match_text or ac.clause.text, low, 0, None, words)  # type: ignore[arg-type]
                if found is not None:
                    return tuple([Span(*m.span()) for m in found])
        return tuple([Span(a, b) for a, b in self._finditer(ac, 0, None)])

    def _finditer(self, ac: AnnotatedClause, lo: int, hi: int | None) -> list[tuple[int, int]]:
        """(start, end) of the non-empty matches in the clause's text[lo:hi], trying only the positions
        where a match can start when the pattern has leading words (StartScanner)."""
        text = ac.match_text or ac.clause.text
        if (lo or hi is not None) and self.exact_regions:
            full = ac.memo.get(self.key)
            if full is not None:  # a region of a clause already scanned (a list after its frame, say)
                inside = self._inside(full, text, lo, len(text) if hi is None else hi)
                if inside is not None:
                    return [(sp.start, sp.end) for sp in inside]
        if self.starts is not None:
            low = _lowered(ac)
            if low is not None:
                got = self.starts.spans(text, low, lo, hi, _words(ac, low))
                if got is not None:
                    return got
        elif self.alts is not None:
            present = ac.memo.get(INDEX.memo_key)
            low = _lowered(ac)
            got = self.alts.spans(text, low, present if present is not None else present_literals(ac), lo, hi,
                                  _words(ac, low) if low is not None else None)
            if got is not None:
                return got
        it = self.rx.finditer(text, lo) if hi is None else self.rx.finditer(text, lo, hi)
        return [(m.start(), m.end()) for m in it if m.end() > m.start()]

    def within(self, ac: AnnotatedClause, lo: int, hi: int) -> list[Span] | None:
        full = ac.memo.get(self.key)
        if full is None:
            if not MEMOIZE.get():  # a huge document: do not hold per-clause results for every pattern
                if self.absent(ac):
                    return None
                spans = [Span(m.start(), m.end()) for m in self.rx.finditer(ac.match_text or ac.clause.text, lo, hi)
                         if m.end() > m.start()]
                return spans or None
            # one scan of the clause, shared by every sentence and item using this pattern
            full = ac.memo[self.key] = self._scan(ac)
        if not full:
            return None
        text = ac.match_text or ac.clause.text
        if lo == 0 and hi >= len(text):
            return list(full)
        inside = self._inside(full, text, lo, hi)
        if inside is not None:
            return inside or None
        # a region searched anew (the pattern looks ahead, or a match straddles it): the answer depends on the
        # clause's text and the bounds only, and several items ask it of the same sentence
        key = (_REGION_KEY, self.key, lo, hi)
        got = ac.memo.get(key)
        if got is None:
            got = ac.memo[key] = tuple([Span(a, b) for a, b in self._finditer(ac, lo, hi)])
        return list(got) or None

    def _inside(self, full: tuple[Span, ...], text: str, lo: int, hi: int) -> list[Span] | None:
        """The matches of a search of text[lo:hi] from those of the whole clause (`full`), or None when
        they cannot be had so: the pattern looks ahead, or a match straddles lo or hi, or text[hi] is a
        word character (see prefilter.region_exact). Then no sentence is searched again."""
        if not self.exact_regions or (hi < len(text) and _WORD.match(text, hi)):
            return None
        inside: list[Span] = []
        for sp in full:
            if sp.end <= lo:
                continue
            if sp.start >= hi:
                break
            if sp.start < lo or sp.end > hi:
                return None
            inside.append(sp)
        return inside

    def describe(self) -> list[str]:
        if self.concepts:
            return ["concept " + " or ".join(self.concepts)]
        if len(self.patterns) == 1:
            return ["text matching " + _short_rx(self.patterns[0])]
        return ["text matching any of:"] + ["  - " + _short_rx(p) for p in self.patterns]


_NO_SPANS: tuple[Span, ...] = ()
_REGION_KEY = "region-scan"
_WORD = re.compile(r"\w")  # a character `\b` counts as part of a word


class Label(Matcher):
    def __init__(self, names: list[str]):
        self.names = names
        self._doc_key = ("label-doc", tuple(names))

    def doc(self, ctx: Ctx, cache: dict) -> list[Hit] | None:
        """Matcher.doc, remembered in the view's match cache: the answer depends on the view's clauses alone,
        and the same label is asked for by many items (`label: duration` by 17) in each law's view."""
        got = cache.get(self._doc_key, cache)
        if got is cache:
            got = cache[self._doc_key] = super().doc(ctx, cache)
        return got  # type: ignore[no-any-return]

    def monotone(self) -> bool:
        return True

    def within(self, ac: AnnotatedClause, lo: int, hi: int) -> list[Span] | None:
        spans = [s for n in self.names for s in ac.labels.get(n, ()) if s.start >= lo and s.end <= hi]
        return spans or None

    def cands(self, ctx: Ctx, cache: dict) -> Mask | None:
        idx = cache.get(("labelidx",))
        if idx is None:
            idx = cache[("labelidx",)] = {}
            for i, ac in enumerate(ctx):
                for k in ac.labels:
                    idx[k] = idx.get(k, 0) | (1 << i)
        got = 0
        for n in self.names:
            got |= idx.get(n, 0)
        return got

    def describe(self) -> list[str]:
        return ["a sentence labelled " + " or ".join(self.names)
                + " (concept " + " or ".join(f"label.{n}" for n in self.names) + ")"]


class Topic(Matcher):
    """True inside clauses whose heading context carries one of the topics (no spans)."""

    def __init__(self, names: list[str]):
        self.names = set(names)

    def monotone(self) -> bool:
        return True

    def within(self, ac: AnnotatedClause, lo: int, hi: int) -> list[Span] | None:
        return [] if self.names & ac.heading_labels else None

    def cands(self, ctx: Ctx, cache: dict) -> Mask | None:
        key = ("topicc", frozenset(self.names))
        got = cache.get(key)
        if got is None:
            got = 0
            for i, ac in enumerate(ctx):
                if self.names & ac.heading_labels:
                    got |= 1 << i
            cache[key] = got
        return got

    def doc(self, ctx: Ctx, cache: dict) -> list[Hit] | None:
        hits = [(i, Span(0, len(ac.clause.text))) for i, ac in enumerate(ctx)
                if ac.clause.kind == "heading" and self.names & ac.heading_labels]
        return hits or None

    def describe(self) -> list[str]:
        return ["in a section about " + " or ".join(sorted(self.names))
                + " (concept " + " or ".join(f"topic.{n}" for n in sorted(self.names)) + ")"]


def _by_text(ctx: Ctx, cache: dict, name: str, text_of: Callable[[AnnotatedClause], str]) -> dict[str, Mask]:
    """Clauses (a mask) grouped by a text of theirs (heading path, lead-in), made once per view: a
    pattern over that text is then searched once per distinct text, not once per clause."""
    got = cache.get(name)
    if got is None:
        got = cache[name] = {}
        base = cache.get(VIEW_BASE)
        shared = base[2] if base is not None else 0  # a law's view: only the clauses it changed
        for i, ac in enumerate(ctx):
            if shared >> i & 1:
                continue
            t = text_of(ac)
            got[t] = got.get(t, 0) | (1 << i)
    return got


def _shared_cands(m: Matcher, cache: dict) -> Mask:
    """In a law's view, `m`'s candidates among the clauses the view shares with the document (the
    document's own answer for them); 0 elsewhere."""
    base = cache.get(VIEW_BASE)
    return 0 if base is None else m.cands(base[0], base[1]) & base[2]  # type: ignore[operator]


#: evaluate() sets a dict here for one document: `_found`'s answers by (pattern, flags, text). Heading
#: patterns are asked about every clause's heading path, and the clauses of a section share one.
FOUND_MEMO: ContextVar[dict | None] = ContextVar("FOUND_MEMO", default=None)


def _found(rx: Any, text: str) -> bool:
    """`rx.search(text) is not None`, trying only the positions of the pattern's leading words when it
    has them (heading and lead-in patterns are long concept alternations; a guarded pattern of a user
    checklist is searched as it is, under its time limit); remembered per document (FOUND_MEMO)."""
    memo = FOUND_MEMO.get()
    if memo is None:
        return _search_found(rx, text)
    key = (rx.pattern, rx.flags, text)
    got = memo.get(key)
    if got is None:
        got = memo[key] = _search_found(rx, text)
    return got


def _search_found(rx: Any, text: str) -> bool:
    if isinstance(rx, (re.Pattern, LazyPattern)):
        sc = _starts_of(rx) if isinstance(rx, LazyPattern) else start_scanner(rx)
        if sc is not None:
            low = lowered(text)
            if low is not None:
                return sc.first(text, low) is not None
        else:  # no leading words (the legal-entity alternation): no match where its tail is absent
            can, alts = _no_lead_plan(rx.pattern, rx.flags)
            if can is not None or alts is not None:
                present = _text_present(text)
                if can is not None and not can(present):
                    return False
                if alts is not None:
                    return alts.found(text, lowered(text), present)
            gate = gate_of(rx)
            if gate is not None and gate.search(text) is None:
                return False
    return rx.search(text) is not None


def _text_present(text: str) -> frozenset[str]:
    """The index's literals in a heading or lead-in text, remembered by text (a bounded table: the answer
    depends only on the text and the index's literals): the patterns of many items read the same heading."""
    key = (INDEX.version, text)
    got = _PRESENT.get(key)
    if got is None:
        if len(_PRESENT) >= 4096:
            _PRESENT.clear()
        got = _PRESENT[key] = INDEX.present(fold(text))
    return got


_PRESENT: dict[tuple[int, str], frozenset[str]] = {}


#: A concept heading or lead-in pattern `(?:a)|(?:b)|...` -> its alternatives a, b, ... (see _no_lead_plan).
_BRANCHES: dict[str, tuple[str, ...]] = {}


@lru_cache(maxsize=4096)
def _no_lead_plan(pattern: str, flags: int) -> tuple[Callable[[frozenset[str]], bool] | None, AltScanner | None]:
    """For a pattern without leading words, searched by `_search_found`: the test of the words every match
    needs, and for a concept's alternation its AltScanner. A concept heading pattern with one alternative
    led by a look-behind (`(?<![\\w ])posted`) has no leading words as a whole, and its search tried every
    alternative at every position of every heading; most alternatives have leading words of their own."""
    need = required(pattern, flags)
    INDEX.add(need)
    branches = _BRANCHES.get(pattern)
    return (None if need is None else compile_need(need),
            AltScanner.make(list(branches), flags) if branches else None)


def _lead_in(ac: AnnotatedClause) -> str:
    return ac.clause.lead_in


class Heading(Matcher):
    """True inside clauses whose heading path (or own heading text) matches the regex."""

    def __init__(self, pattern: str, concepts: tuple[str, ...] = ()):
        self.rx = re.compile(pattern, re.IGNORECASE)
        self.concepts = concepts

    def _ctx_text(self, ac: AnnotatedClause) -> str:
        t = " / ".join(ac.clause.heading_path)
        return t + " / " + ac.clause.text if ac.clause.kind == "heading" else t

    def monotone(self) -> bool:
        return True

    def within(self, ac: AnnotatedClause, lo: int, hi: int) -> list[Span] | None:
        # the answer is the clause's, whatever the region: remembered per clause and pattern
        key = ("heading", self.rx.pattern, self.rx.flags)
        hit = ac.context_memo.get(key)
        if hit is None:
            hit = ac.context_memo[key] = _found(self.rx, self._ctx_text(ac))
        return [] if hit else None

    def cands(self, ctx: Ctx, cache: dict) -> Mask | None:
        key = ("headingc", self.rx.pattern, self.rx.flags)
        got = cache.get(key)
        if got is None:
            got = _shared_cands(self, cache)
            # the clauses of a section share one heading path: search each distinct one once
            for t, members in _by_text(ctx, cache, "headtexts", self._ctx_text).items():
                if _found(self.rx, t):
                    got |= members
            cache[key] = got
        return got

    def doc(self, ctx: Ctx, cache: dict) -> list[Hit] | None:
        hits = [(i, Span(0, len(ac.clause.text))) for i, ac in enumerate(ctx)
                if ac.clause.kind == "heading" and _found(self.rx, ac.clause.text)]
        return hits or None

    def describe(self) -> list[str]:
        if self.concepts:
            return ["under a heading saying " + " or ".join(self.concepts)]
        return ["under a heading matching " + _short_rx(self.rx.pattern)]


class LeadIn(Matcher):
    """True inside list items whose introducing sentence matches ("You have the right to:")."""

    def __init__(self, pattern: str, concepts: tuple[str, ...] = ()):
        self.rx = re.compile(flexible_spaces(pattern), re.IGNORECASE)
        self.concepts = concepts

    def monotone(self) -> bool:
        return True

    def within(self, ac: AnnotatedClause, lo: int, hi: int) -> list[Span] | None:
        return [] if ac.clause.lead_in and _found(self.rx, ac.clause.lead_in) else None

    def cands(self, ctx: Ctx, cache: dict) -> Mask | None:
        key = ("leadinc", self.rx.pattern)
        got = cache.get(key)
        if got is None:
            got = _shared_cands(self, cache)
            # the items of one list share their lead-in: search each distinct one once
            for t, members in _by_text(ctx, cache, "leadins", _lead_in).items():
                if t and _found(self.rx, t):
                    got |= members
            cache[key] = got
        return got

    def describe(self) -> list[str]:
        if self.concepts:
            return ["a list item introduced by " + " or ".join(self.concepts)]
        return ["a list item introduced by " + _short_rx(self.rx.pattern)]


class Any_(Matcher):
    def __init__(self, children: list[Matcher]):
        self.children = children

    def describe(self) -> list[str]:
        return _tree("any of:", self.children)

    def doc(self, ctx: Ctx, cache: dict) -> list[Hit] | None:
        res = [c.doc(ctx, cache) for c in self.children]
        ok = [r for r in res if r is not None]
        return [h for r in ok for h in r] if ok else None

    def monotone(self) -> bool:
        return all(c.monotone() for c in self.children)

    def within(self, ac: AnnotatedClause, lo: int, hi: int) -> list[Span] | None:
        res = [c.within(ac, lo, hi) for c in self.children]
        ok = [r for r in res if r is not None]
        return [s for r in ok for s in r] if ok else None

    def cands(self, ctx: Ctx, cache: dict) -> Mask | None:
        return _union(c.cands(ctx, cache) for c in self.children)


class All(Matcher):
    HEAD = "all of:"

    def __init__(self, children: list[Matcher]):
        self.children = children

    def describe(self) -> list[str]:
        return _tree(self.HEAD, self.children)

    def doc(self, ctx: Ctx, cache: dict) -> list[Hit] | None:
        out: list[Hit] = []
        for c in self.children:
            r = c.doc(ctx, cache)
            if r is None:
                return None
            out.extend(r)
        return out

    def monotone(self) -> bool:
        return all(c.monotone() for c in self.children)

    def within(self, ac: AnnotatedClause, lo: int, hi: int) -> list[Span] | None:
        out: list[Span] = []
        for c in self.children:
            r = c.within(ac, lo, hi)
            if r is None:
                return None
            out.extend(r)
        return out

    def cands(self, ctx: Ctx, cache: dict) -> Mask | None:
        return _intersection(c.cands(ctx, cache) for c in self.children)


class Not(Matcher):
    def __init__(self, child: Matcher):
        self.child = child

    def describe(self) -> list[str]:
        return _tree("not", [self.child])

    def doc(self, ctx: Ctx, cache: dict) -> list[Hit] | None:
        return [] if self.child.doc(ctx, cache) is None else None

    def within(self, ac: AnnotatedClause, lo: int, hi: int) -> list[Span] | None:
        return [] if self.child.within(ac, lo, hi) is None else None


def _whole_clause_pass(children: Iterable[Matcher], ctx: Ctx, order: Iterable[int]) -> list[int]:
    """The clauses of `order` (kept in order) where every child of `children` matches the whole clause.

    One child at a time over all the clauses, instead of one clause at a time through every child:
    the same `within` calls (a child is asked only about clauses all earlier children matched), without
    a call chain per clause visited, which cost more than the memoised scans themselves.
    """
    keep = order if isinstance(order, list) else list(order)
    memoize = MEMOIZE.get()
    for c in children:
        if not keep:
            break
        if memoize and type(c) is Regex:  # Regex.within on a whole clause, inline: the memoised scan
            keep = _scanned(c, ctx, keep)
            continue
        w = c.within
        keep = [i for i in keep if w(ctx[i], 0, len(ctx[i].clause.text)) is not None]
    return keep


def _scanned(rx: Regex, ctx: Ctx, order: list[int]) -> list[int]:
    """The clauses of `order` where `rx.within(clause, 0, len(text))` is not None, without the call and
    the copy of the spans per clause: the pattern's whole-clause scan (made once, as `within` makes it).

    `order` lies within `rx.cands` (the node's candidates are the intersection of its parts'), so each of
    its clauses holds the words the pattern needs: scanned without testing them again (as Regex._doc)."""
    k = rx.key
    search = rx._search
    out = []
    for i in order:
        ac = ctx[i]
        full = ac.memo.get(k)
        if full is None:
            full = ac.memo[k] = search(ac)
        if full:
            if len(ac.clause.text) < len(ac.match_text or ac.clause.text):  # (never: same offsets) as within
                if rx.within(ac, 0, len(ac.clause.text)) is None:
                    continue
            out.append(i)
    return out


class SameClause(All):
    HEAD = "in one clause:"

    def doc(self, ctx: Ctx, cache: dict) -> list[Hit] | None:
        order = _order(self.cands(ctx, cache), ctx)
        if len(self.children) > 1:  # drop the clauses the first part misses before asking the others
            order = _whole_clause_pass(self.children[:1], ctx, order)
        return _whole_clause_hits(ctx, order, self.within)  # All.within (remembered when NODE_MEMO is on)


def _blocks(ctx: Ctx, cache: dict) -> tuple[tuple[tuple[int, ...], ...], tuple[int, ...]]:
    """Passages of `ctx`: each clause alone, except a list, which is one passage with the sentence
    introducing it ("To submit a request, either:" + "* call 1-800-..." + "* visit our portal").
    Returns the passages and, per clause, the index of its passage (built once per view)."""
    got = cache.get("blocks")
    if got is None:
        blocks: list[list[int]] = []
        for i, ac in enumerate(ctx):
            c = ac.clause
            cur = blocks[-1] if blocks else None
            if (c.kind == "bullet" and c.lead_in and cur is not None and cur[-1] == i - 1
                    and any(c.lead_in in ctx[j].clause.text for j in cur)):
                cur.append(i)
            elif (c.kind == "bullet" and not c.lead_in and cur is not None and cur[-1] == i - 1
                  and ctx[i - 1].clause.kind == "bullet" and not ctx[i - 1].clause.lead_in
                  and ctx[i - 1].clause.heading_path == c.heading_path):
                # a list straight under a heading ("### Data Retention" over "- We retain your data as long as
                # your account is active" and "- Deleted accounts have data removed within 30 days")
                cur.append(i)
            elif (c.kind == "paragraph" and cur is not None and len(cur) == 1 and cur[0] == i - 1
                  and _introduces(ctx[i - 1].clause) and ctx[i - 1].clause.heading_path == c.heading_path):
                # "... contact our data protection officer:" over the address as a paragraph of its own
                cur.append(i)
            else:
                blocks.append([i])
        owner = [0] * len(ctx)
        for b, members in enumerate(blocks):
            for i in members:
                owner[i] = b
        got = cache["blocks"] = (tuple(tuple(m) for m in blocks), tuple(owner))
    return got


def _introduces(c: Clause) -> bool:
    """A paragraph whose last sentence ends in a colon: it announces the next paragraph (an address, a
    list of channels laid out as plain lines), which says what it introduces."""
    return c.kind == "paragraph" and c.text.rstrip(" \t*_").endswith(":")


class SameBlock(All):
    """All parts in one clause, or in one list (or the one paragraph after a lead-in ending in a colon)
    together with the sentence that introduces it:
    methods, periods or contacts laid out as list items under a lead-in are one statement.
    A `not` part must hold in every clause of the passage."""

    HEAD = "in one clause, or one list (or paragraph) with the lead-in that introduces it:"

    def doc(self, ctx: Ctx, cache: dict) -> list[Hit] | None:
        blocks, owner = _blocks(ctx, cache)
        cand: set[int] | None = None
        for c in self._positive():
            cs = c.cands(ctx, cache)
            if cs is not None:
                bs = {owner[i] for i in _bits(cs)}
                cand = bs if cand is None else cand & bs
        out: list[Hit] = []
        found = False
        for b in (range(len(blocks)) if cand is None else sorted(cand)):
            hits = self._in_passage(ctx, blocks[b])
            if hits is not None:
                found = True
                out.extend(hits)  # in the order of the parts, the most specific first, as same_clause gives them
        return out if found else None

    def _positive(self) -> list[Matcher]:
        return [c for c in self.children if not isinstance(c, Not)]

    def _in_passage(self, ctx: Ctx, members: Iterable[int]) -> list[Hit] | None:
        """The hits when every positive part matches in some clause of the passage and every `not` part
        holds in all of them, else None."""
        hits: list[Hit] = []
        for c in self._positive():
            got = [(i, c.within(ctx[i], 0, len(ctx[i].clause.text))) for i in members]
            got = [(i, r) for i, r in got if r is not None]
            if not got:
                return None
            hits += [(i, s) for i, r in got for s in r]
        neg = [c for c in self.children if isinstance(c, Not)]
        if all(c.within(ctx[i], 0, len(ctx[i].clause.text)) is not None for c in neg for i in members):
            return hits
        return None

    def cands(self, ctx: Ctx, cache: dict) -> Mask | None:
        blocks, owner = _blocks(ctx, cache)
        parts = [c.cands(ctx, cache) for c in self._positive()]
        if any(p is None for p in parts) or not parts:
            return None
        out = 0
        for b in {owner[j] for j in _bits(_union(parts))}:  # type: ignore[arg-type]
            for i in blocks[b]:
                out |= 1 << i
        return out


class SamePassage(SameBlock):
    """All parts in one paragraph or in it and the paragraph right after it under the same heading:
    an obligation stated in one paragraph and its consequence opening the next ("it is necessary to
    provide certain data to create an account." / "If you choose not to provide it, you may not be able
    to use ...") are one statement. A `not` part must hold in both."""

    HEAD = "in one paragraph, or it and the next under the same heading:"

    def doc(self, ctx: Ctx, cache: dict) -> list[Hit] | None:
        starts: Mask | None = None
        for c in self._positive():
            cs = c.cands(ctx, cache)
            if cs is not None:
                st = cs | (cs >> 1)  # a passage starting at a clause with the part, or right before it
                starts = st if starts is None else starts & st
        out: list[Hit] = []
        seen: set[Hit] = set()
        found = False
        for i in _order(starts, ctx):
            if ctx[i].clause.kind == "heading":
                continue
            members = [i]
            if i + 1 < len(ctx) and ctx[i + 1].clause.kind != "heading" \
                    and ctx[i + 1].clause.heading_path == ctx[i].clause.heading_path:
                members.append(i + 1)
            hits = self._in_passage(ctx, members)
            if hits is not None:
                found = True
                for h in hits:  # the windows overlap: a clause's hits come once
                    if h not in seen:
                        seen.add(h)
                        out.append(h)
        return out if found else None

    def cands(self, ctx: Ctx, cache: dict) -> Mask | None:
        parts = [c.cands(ctx, cache) for c in self._positive()]
        if any(p is None for p in parts) or not parts:
            return None
        u: Mask = _union(parts)  # type: ignore[assignment]
        return (u | (u >> 1) | (u << 1)) & ((1 << len(ctx)) - 1)


class SameSentence(All):
    HEAD = "in one sentence:"

    def within(self, ac: AnnotatedClause, lo: int, hi: int) -> list[Span] | None:
        if lo == 0 and hi >= len(ac.clause.text) and len(ac.sentences) > 1:
            # a part that misses the whole clause misses each sentence: no per-sentence search
            for c in self.children:
                if c.monotone() and c.within(ac, lo, hi) is None:
                    return None
        return self._in_sentences(ac, lo, hi)

    def _in_sentences(self, ac: AnnotatedClause, lo: int, hi: int) -> list[Span] | None:
        """The spans of every part in each sentence of text[lo:hi] where all parts match, else None."""
        out: list[Span] = []
        found = False
        for s in ac.sentences:
            if s.end <= lo or s.start >= hi:
                continue
            r = All.within(self, ac, max(lo, s.start), min(hi, s.end))
            if r is not None:
                found = True
                out.extend(r)
        return out if found else None

    def doc(self, ctx: Ctx, cache: dict) -> list[Hit] | None:
        """Matcher.doc, with the clauses a monotone part misses as a whole dropped first (see
        `within`: such a clause has no sentence where every part matches)."""
        order = _whole_clause_pass([c for c in self.children if c.monotone()], ctx, _order(self.cands(ctx, cache), ctx))
        # on these clauses `within` is `_in_sentences` (every monotone part matched the whole clause):
        # called directly (no second test of those parts per clause), unless NODE_MEMO remembers `within`
        return _whole_clause_hits(ctx, order, self.within if NODE_MEMO.get() else self._in_sentences)


class SamePart(SameSentence):
    """All parts in one sentence and between the same semicolons. A run-on list of purposes ("to send you
    offers from our advertisers; to tailor content to you on other websites") is one sentence of
    separate statements: a party named in one and an activity in the next are not one statement."""
    HEAD = "in one part of a sentence (between semicolons):"

    def _in_sentences(self, ac: AnnotatedClause, lo: int, hi: int) -> list[Span] | None:
        out: list[Span] = []
        found = False
        text = ac.clause.text
        for s in ac.sentences:
            if s.end <= lo or s.start >= hi:
                continue
            a, b = max(lo, s.start), min(hi, s.end)
            while a < b:
                semi = text.find(";", a, b)
                end = semi if semi >= 0 else b
                r = All.within(self, ac, a, end)
                if r is not None:
                    found = True
                    out.extend(r)
                a = end + 1 if semi >= 0 else b
        return out if found else None


class Listed(Matcher):
    """An item of a list introduced by a frame: "You have the right to information, correction,
    erasure and portability" lists `right.rectify` after `frame.grant`.

    The list runs from the frame to the end of its sentence, or to where a new statement starts
    ("; we ...", ", but ..."), so "you have the right to access your data; we correct errors"
    does not list correction. A list item ("- correction") counts when its lead-in is a frame,
    and a table row when its section heading is one.
    """

    _END = re.compile(r";\s*(?:we|our|this|these|they|it|however|but|please)\b|,\s*(?:but|however|unless|except|which|"
                      r"whereas|while)\b|\s(?:but|however|unless|except)\s|:\s*(?:we|our)\b", re.IGNORECASE)

    def __init__(self, frame: Regex, item: Regex):
        self.frame, self.item = frame, item

    def describe(self) -> list[str]:
        return [f"{self.item.describe()[0]} listed after {self.frame.describe()[0]}"]

    def cands(self, ctx: Ctx, cache: dict) -> Mask | None:
        return self.item.cands(ctx, cache)  # every listed item is a match of `item` in the clause

    def within(self, ac: AnnotatedClause, lo: int, hi: int) -> list[Span] | None:
        if self.item.absent(ac):
            return None
        text = ac.match_text or ac.clause.text
        spans: list[Span] = []
        if ac.clause.lead_in or ac.clause.kind == "table":
            context = ac.clause.lead_in
            if ac.clause.kind == "table":  # a row: its header row or its section heading may be the frame
                context = " / ".join((*ac.clause.heading_path, ac.clause.lead_in))
            key = ("listed-frame", self.frame.key)
            framed = ac.context_memo.get(key)
            if framed is None:  # (the items of one list, and every `listed` with this frame, ask alike)
                framed = ac.context_memo[key] = _found(self.frame.rx, context)
            if framed:
                first = ac.sentences[0] if ac.sentences else Span(0, len(text))
                a, b = max(lo, first.start), min(hi, first.end if ac.clause.kind != "table" else len(text))
                spans += [Span(x, y) for x, y in self.item._finditer(ac, a, b)]
        if self.frame.absent(ac):  # no frame word in the clause: no sentence lists anything
            return spans or None
        starts = self.frame.starts
        low = _lowered(ac) if starts is not None else None
        # the frame's matches in a sentence depend on its text and bounds only: remembered per clause text,
        # as every `listed` item with this frame (each right of a "you have the right to ..." list) asks alike
        memo = ac.memo if MEMOIZE.get() else None
        for sent in ac.sentences:
            a, b = max(lo, sent.start), min(hi, sent.end)
            if a >= b:
                continue
            fkey = (_FRAME_KEY, self.frame.key, a, b)
            frames = memo.get(fkey) if memo is not None else None
            if frames is None:
                frames = starts.spans(text, low, a, b, _words(ac, low)) if low is not None else None  # type: ignore[union-attr]
                if frames is None:  # every frame match, as finditer gives them
                    frames = [(m.start(), m.end()) for m in self.frame.rx.finditer(text, a, b)]
                if memo is not None:
                    memo[fkey] = frames
            for fa, fe in frames:
                stop = self._END.search(text, fe, b)
                end = stop.start() if stop else b
                items = self.item._finditer(ac, fe, end)
                if items:
                    spans += [Span(fa, fe), *(Span(x, y) for x, y in items)]
        return spans or None


_FRAME_KEY = "listed-frame-spans"


class Exists(Matcher):
    """True when the child matches somewhere, without quoting it (a precondition, not evidence)."""

    def __init__(self, child: Matcher):
        self.child = child

    def describe(self) -> list[str]:
        return _tree("somewhere (not quoted):", [self.child])

    def doc(self, ctx: Ctx, cache: dict) -> list[Hit] | None:
        return None if self.child.doc(ctx, cache) is None else []

    def monotone(self) -> bool:
        return all(c.monotone() for c in (self.child,))

    def within(self, ac: AnnotatedClause, lo: int, hi: int) -> list[Span] | None:
        return None if self.child.within(ac, lo, hi) is None else []

    def cands(self, ctx: Ctx, cache: dict) -> Mask | None:
        return self.child.cands(ctx, cache)


#: Whether Regex remembers whole-clause scans (evaluate() turns it off for huge documents, where
#: one entry per pattern per clause would cost more memory than the scans cost time).
MEMOIZE: ContextVar[bool] = ContextVar("MEMOIZE", default=True)
MEMO_MAX_CLAUSES = 3000

#: Whether combinators remember their whole-clause answers in the clause's memo (evaluate() turns it
#: on with MEMOIZE: the laws and items share sub-matchers, and inside a batch worker that memo is shared
#: by every clause of the same text, see gapcheck.textcache). Off by default, for direct callers.
NODE_MEMO: ContextVar[bool] = ContextVar("NODE_MEMO", default=False)

_MISS = object()
_NODE_KEYS: dict[str, str] = {}
_IF_PLAIN = "\2"  # a key's first character: text-only in clauses without lead-in that are no table row


def _text_only(m: Matcher) -> str | None:
    """A key naming `m`'s structure when its answer on a whole clause depends only on the clause's text
    (its patterns, the labels and sentences annotation found in that text), else None. Headings, lead-ins,
    topics, tables (in_places) and dates (the check date) depend on more. A `listed` reads a clause's
    lead-in and, in a table row, its heading path: its key (and that of every matcher above it) starts
    with _IF_PLAIN, for "text-only in a clause without lead-in that is no table row"."""
    got = getattr(m, "_text_key", _MISS)
    if got is not _MISS:
        return got  # type: ignore[return-value]
    key: str | None = None
    if isinstance(m, Regex):
        key = m.key
    elif isinstance(m, Label):
        key = "label\0" + "\0".join(m.names)
    elif isinstance(m, Listed):
        key = f"{_IF_PLAIN}listed({m.frame.key}\1{m.item.key})"
        key = _NODE_KEYS.setdefault(key, key)
    elif type(m) in (Any_, All, SameClause, SameBlock, SamePassage, SameSentence, SamePart, AtLeast, Not, Exists):
        kids = [_text_only(c) for c in (m.children if hasattr(m, "children") else [m.child])]  # type: ignore[attr-defined]
        if all(k is not None for k in kids):
            plain = _IF_PLAIN if any(k.startswith(_IF_PLAIN) for k in kids) else ""  # type: ignore[union-attr]
            key = f"{plain}{type(m).__name__}:{getattr(m, 'n', '')}(" + "\1".join(kids) + ")"  # type: ignore[arg-type]
            key = _NODE_KEYS.setdefault(key, key)  # one string object per structure: hashed once
    m._text_key = key  # type: ignore[attr-defined]
    return key


def _prepare(m: Matcher | None) -> None:
    """Give every text-only combinator of the tree a `within` that remembers whole-clause answers
    (when NODE_MEMO is on), keyed by its structure, so items and laws sharing a sub-matcher share them."""
    if m is None:
        return
    for c in (getattr(m, "children", None) or ([m.child] if hasattr(m, "child") else [])):  # type: ignore[attr-defined]
        _prepare(c)
    if isinstance(m, Listed):
        _prepare(m.frame)
        _prepare(m.item)
    key = _text_only(m)
    if key is None or isinstance(m, (Regex, Label)) or "within" in m.__dict__:
        return  # (patterns remember their scans already; labels are a lookup)
    inner = m.within
    memo_key = "node\0" + key
    plain_only = key.startswith(_IF_PLAIN)

    def within(ac: AnnotatedClause, lo: int, hi: int) -> list[Span] | None:
        if lo == 0 and NODE_MEMO.get() and hi >= len(ac.clause.text) and \
                not (plain_only and (ac.clause.lead_in or ac.clause.kind == "table")):
            got = ac.memo.get(memo_key, _MISS)
            if got is _MISS:
                r = inner(ac, lo, hi)
                ac.memo[memo_key] = None if r is None else tuple(r)
                return r
            return None if got is None else list(got)  # type: ignore[arg-type]
        return inner(ac, lo, hi)

    m.within = within  # type: ignore[method-assign]


#: The check date that date-age matchers measure against (set by evaluate()).
CHECK_DATE: ContextVar[dt.date | None] = ContextVar("CHECK_DATE", default=None)


class DateWithin(Matcher):
    """A full date (day, month, year) no older than `months` before the check date."""

    def __init__(self, months: int):
        self.months = months

    def describe(self) -> list[str]:
        return [f"a full date no older than {self.months} months"]

    def within(self, ac: AnnotatedClause, lo: int, hi: int) -> list[Span] | None:
        from gapcheck.ingest import DATE_RE, parse_date

        as_of = CHECK_DATE.get() or dt.date.today()
        y, m = divmod(as_of.year * 12 + as_of.month - 1 - self.months, 12)
        floor = dt.date(y, m + 1, min(as_of.day, 28))
        spans = []
        for mt in DATE_RE.finditer(ac.match_text or ac.clause.text, lo, hi):
            if mt.lastgroup == "my":  # month and year only: the age cannot be judged
                continue
            d = parse_date(mt.group(0))
            if d and d >= floor:
                spans.append(Span(mt.start(), mt.end()))
        return spans or None


class AtLeast(Matcher):
    def __init__(self, n: int, children: list[Matcher]):
        self.n, self.children = n, children

    def describe(self) -> list[str]:
        return _tree(f"at least {self.n} of:", self.children)

    def doc(self, ctx: Ctx, cache: dict) -> list[Hit] | None:
        ok = [r for r in (c.doc(ctx, cache) for c in self.children) if r is not None]
        return [h for r in ok for h in r] if len(ok) >= self.n else None

    def monotone(self) -> bool:
        return all(c.monotone() for c in self.children)

    def within(self, ac: AnnotatedClause, lo: int, hi: int) -> list[Span] | None:
        ok = [r for r in (c.within(ac, lo, hi) for c in self.children) if r is not None]
        return [s for r in ok for s in r] if len(ok) >= self.n else None

    def cands(self, ctx: Ctx, cache: dict) -> Mask | None:
        return _union(c.cands(ctx, cache) for c in self.children) if self.n >= 1 else None


class InPlaces(Matcher):
    """True when the child holds in at least `n` different sentences of the document.

    "met" for a per-category test (a retention period for each main category) needs more than one
    sentence that gives a period: one period for server logs says nothing about the account data.
    """

    def __init__(self, n: int, child: Matcher):
        self.n, self.child = n, child

    def describe(self) -> list[str]:
        return _tree(f"in at least {self.n} different sentences (or parts between semicolons):", [self.child])

    @staticmethod
    def _places(ac: AnnotatedClause, spans: Iterable[Span]) -> set[tuple[int, int]]:
        """(start, end) of the sentence part between semicolons each span falls in: "logs are deleted
        after 30 days; account data is kept for 2 years" gives a period in two places."""
        out = set()
        text = ac.clause.text
        for sp in spans:
            s = next((s for s in ac.sentences if s.start <= sp.start < s.end), Span(0, len(text)))
            semi = text.find(";", sp.start, s.end)
            out.add((text.rfind(";", s.start, sp.start) + 1 or s.start, semi + 1 if semi >= 0 else s.end))
        return out

    def _holding(self, ac: AnnotatedClause, spans: Iterable[Span]) -> int:
        """How many of the places the spans fall in satisfy the child on their own: in "we destroy
        biometric data when (i) its purpose is met; or (ii) within three years", the verb is in one
        part and the period in the other, which is one statement, not two."""
        places = self._places(ac, spans)
        if ac.clause.kind == "table":  # a row's cells are its places ("Ad networks; analytics providers")
            return len(places)
        return sum(self.child.within(ac, lo, hi) is not None for lo, hi in places)

    def doc(self, ctx: Ctx, cache: dict) -> list[Hit] | None:
        r = self.child.doc(ctx, cache)
        if r is None:
            return None
        by_clause: dict[int, list[Span]] = {}
        for i, sp in r:
            by_clause.setdefault(i, []).append(sp)
        places = 0
        for i, sps in by_clause.items():
            places += self._holding(ctx[i], sps)
            if places >= self.n:
                return r
        return None

    def within(self, ac: AnnotatedClause, lo: int, hi: int) -> list[Span] | None:
        r = self.child.within(ac, lo, hi)
        return r if r is not None and self._holding(ac, r) >= self.n else None

    def cands(self, ctx: Ctx, cache: dict) -> Mask | None:
        return self.child.cands(ctx, cache)


# --------------------------------------------------------------------------- loading

MATCHER_KEYS = {"regex", "phrase", "label", "topic", "heading", "any", "all", "not", "same_clause",
                "same_block", "same_passage", "same_sentence", "same_part", "at_least", "exists", "date_within_months",
                "lead_in", "concept", "listed", "in_places"}


MAX_MATCHER_NODES = 5000  # per item: YAML aliases can make a small file describe a huge tree


def build_matcher(node: Any, where: _Where, field: str) -> Matcher:
    """Compile a matcher node (as read from YAML) into a Matcher tree."""
    where.nodes += 1
    if where.nodes > MAX_MATCHER_NODES:
        raise where.err(field, f"more than {MAX_MATCHER_NODES} matcher nodes (repeated YAML aliases?); "
                        "simplify the item")
    if isinstance(node, list):  # a bare list means any-of
        return Any_([build_matcher(x, where, field) for x in node])
    if isinstance(node, str):  # a bare string is a regex
        node = {"regex": node}
    if not isinstance(node, dict) or len(node) != 1:
        line = getattr(node, "line", None)
        raise where.err(field, "each matcher must be a mapping with exactly one of: "
                        + ", ".join(sorted(MATCHER_KEYS)), line)
    (key, val), = node.items()
    line = getattr(node, "line", None)
    if key not in MATCHER_KEYS:
        raise where.err(field, f"unknown matcher {key!r} (expected one of: {', '.join(sorted(MATCHER_KEYS))})",
                        line)
    if key in ("regex", "phrase"):
        pats = _str_list(val, where, field)
        if key == "phrase":
            pats = [r"\b" + r"\s+".join(re.escape(w) for w in p.split()) + r"\b" for p in pats]
        for p in pats:
            if _catastrophic(p):
                raise where.err(field, f"regex {p!r} has nested repetition that can backtrack "
                                "catastrophically; rewrite it without a quantified group inside a "
                                "quantified group", line)
        try:
            return _guarded(Regex(pats), where, field, line)
        except re.error:  # name the culprit
            for p in pats:
                try:
                    re.compile(p)
                except re.error as e:
                    raise where.err(field, f"regex {p!r} does not compile: {e}", line) from None
            raise
    if key == "concept":
        names = _str_list(val, where, field)
        return Regex(_concept_patterns(names, where, field, line), tuple(names))
    if key == "listed":
        if not isinstance(val, dict) or set(val) != {"frame", "item"}:
            raise where.err(field, "listed takes {frame: <concept>, item: <concept or list of concepts>}", line)
        fnames, inames = _str_list(val["frame"], where, field), _str_list(val["item"], where, field)
        frame = Regex(_concept_patterns(fnames, where, field, line), tuple(fnames))
        return Listed(frame, Regex(_concept_patterns(inames, where, field, line), tuple(inames)))
    if key in ("label", "topic"):
        names = _str_list(val, where, field)
        known = TAXONOMY if key == "label" else HEADING_TOPICS
        bad = [n for n in names if n not in known]
        if bad:
            raise where.err(field, f"unknown {key} {bad[0]!r} (known: {', '.join(sorted(known))})", line)
        return Label(names) if key == "label" else Topic(names)
    if key in ("lead_in", "heading") and isinstance(val, dict):
        if set(val) != {"concept"}:
            raise where.err(field, f"{key} takes a regex string or {{concept: <name or list of names>}}", line)
        names = _str_list(val["concept"], where, field)
        branches = tuple(_concept_patterns(names, where, field, line))
        joined = "|".join(f"(?:{p})" for p in branches)
        _BRANCHES[joined] = branches
        return (LeadIn if key == "lead_in" else Heading)(joined, tuple(names))
    if key == "lead_in":
        if not isinstance(val, str) or _catastrophic(val):
            raise where.err(field, "lead_in takes one regex string without nested repetition", line)
        try:
            return LeadIn(val)
        except re.error as e:
            raise where.err(field, f"regex {val!r} does not compile: {e}", line) from None
    if key == "heading":
        if not isinstance(val, str):
            raise where.err(field, "heading takes one regex string", line)
        if _catastrophic(val):
            raise where.err(field, f"regex {val!r} has nested repetition that can backtrack catastrophically", line)
        try:
            return _guarded(Heading(val), where, field, line)
        except re.error as e:
            raise where.err(field, f"regex {val!r} does not compile: {e}", line) from None
    if key == "not":
        return Not(build_matcher(val, where, field))
    if key == "exists":
        return Exists(build_matcher(val, where, field))
    if key == "date_within_months":
        if not isinstance(val, int) or isinstance(val, bool) or val < 1:
            raise where.err(field, "date_within_months takes a whole number of months", line)
        return DateWithin(val)
    if key == "at_least":
        if not isinstance(val, dict) or set(val) != {"n", "of"} or not isinstance(val["n"], int) \
                or not isinstance(val["of"], list):
            raise where.err(field, "at_least takes {n: <int>, of: [matchers]}", line)
        return AtLeast(val["n"], [build_matcher(x, where, field) for x in val["of"]])
    if key == "in_places":
        if not isinstance(val, dict) or set(val) != {"n", "of"} or not isinstance(val["n"], int) \
                or isinstance(val["n"], bool) or val["n"] < 1:
            raise where.err(field, "in_places takes {n: <int>, of: <matcher>}", line)
        return InPlaces(val["n"], build_matcher(val["of"], where, field))
    if not isinstance(val, list) or not val:
        raise where.err(field, f"{key} takes a non-empty list of matchers", line)
    children = [build_matcher(x, where, field) for x in val]
    return {"any": Any_, "all": All, "same_clause": SameClause, "same_block": SameBlock,
            "same_passage": SamePassage, "same_sentence": SameSentence, "same_part": SamePart}[key](children)


def _concept_patterns(names: list[str], where: _Where, field: str, line: int | None) -> list[str]:
    lex = lexicon()
    bad = [n for n in names if n not in lex]
    if bad:
        raise where.err(field, f"unknown concept {bad[0]!r} (known: {', '.join(sorted(lex))})", line)
    return [p for n in names for p in lex[n].patterns]


def _guarded(m: Regex | Heading, where: _Where, field: str, line: int | None) -> Regex | Heading:
    """A user checklist's pattern gets a time limit per search (gapcheck.regexguard), which catches the
    catastrophic shapes `_catastrophic` misses; the packaged checklists are trusted and run bare (fast)."""
    from gapcheck.regexguard import GuardedPattern, is_packaged

    if not is_packaged(where.file):
        g = GuardedPattern(m.rx, f"{where.file}:{line or where.line}: item '{where.item}': field '{field}'")
        if isinstance(m, Regex):
            m.guard(g)
        else:
            m.rx = g  # type: ignore[assignment]
    return m


def _parse_date(v: Any, where: _Where, field: str) -> dt.date:
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        raise where.err(field, f"expected a date YYYY-MM-DD, got {v!r}") from None


def load_checklist(path: str | Path) -> Checklist:
    """Load one checklist file; raise ChecklistError naming file, item and field on any problem."""
    p = Path(path)
    name = str(path)
    try:
        raw_text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ChecklistError(f"{name}: cannot read checklist ({e})") from e
    return parse_checklist(raw_text, name)


def parse_checklist(raw_text: str, name: str = "<checklist>") -> Checklist:
    """Parse checklist YAML text; see load_checklist."""
    try:
        data = yaml.load(raw_text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except ChecklistError as e:
        raise ChecklistError(str(e).replace("{file}", name)) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        loc = f"{name}:{mark.line + 1}" if mark else name
        raise ChecklistError(f"{loc}: invalid YAML: {getattr(e, 'problem', None) or e}") from None
    w = _Where(name, None, 1)
    if not isinstance(data, dict):
        raise w.err(None, "a checklist must be a mapping with 'law' and 'items'")
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise w.err(None, f"unknown top-level key {sorted(unknown)[0]!r}")
    law = data.get("law")
    if not isinstance(law, str) or not re.fullmatch(r"[a-z][a-z0-9_-]*", law):
        raise w.err("law", "expected a short lower-case law id, e.g. 'gdpr'")
    items = data.get("items")
    if not isinstance(items, list) or not items:
        raise w.err("items", "expected a non-empty list of requirements")
    ex_as_of = _parse_date(data["examples_as_of"], w, "examples_as_of") if data.get("examples_as_of") else None
    audience = frozenset(_str_list(data["audience"], w, "audience")) if data.get("audience") else frozenset()
    from gapcheck.scope import ORDER

    if audience - set(ORDER):
        raise w.err("audience", f"unknown scope {sorted(audience - set(ORDER))[0]!r} (known: {', '.join(ORDER)})")
    reqs: list[Requirement] = []
    seen: set[str] = set()
    for raw in items:
        reqs.append(_build_item(raw, law, name, seen))
    return Checklist(law=law, name=str(data.get("name") or law.upper()),
                     version=str(data.get("version") or "0"), requirements=tuple(reqs), source=name,
                     digest=_digest(raw_text), examples_as_of=ex_as_of,
                     audience=audience)


def _digest(raw_text: str) -> str:
    """The checklist's identity for re-checks: its own text and the shared vocabulary it speaks, so
    a change to a concept's phrasings also counts as a checklist change."""
    h = hashlib.sha256(raw_text.encode("utf-8"))
    for path in lexicon_files():
        h.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return h.hexdigest()


def _build_item(raw: Any, law: str, name: str, seen: set[str]) -> Requirement:
    line = getattr(raw, "line", 0)
    w = _Where(name, None, line, getattr(raw, "key_lines", None))
    if not isinstance(raw, dict):
        raise w.err(None, "each item must be a mapping")
    rid = raw.get("id")
    if not isinstance(rid, str) or not _ID.match(rid):
        raise w.err("id", f"expected a kebab-case id like '{law}-retention', got {rid!r}")
    w.item = rid
    if rid in seen:
        raise w.err("id", "duplicate id")
    seen.add(rid)
    unknown = set(raw) - ITEM_KEYS
    if unknown:
        k = sorted(unknown)[0]
        close = [x for x in ITEM_KEYS if x[:4] == k[:4]]
        raise w.err(k, "unknown key" + (f" (did you mean '{close[0]}'?)" if close else ""))
    for f in ("title", "citation", "recommendation"):
        if not isinstance(raw.get(f), str) or not raw[f].strip():
            raise w.err(f, "required text is missing")
    kind = KIND_ALIASES.get(str(raw.get("kind", "")).lower())
    if kind is None:
        raise w.err("kind", f"expected mandatory, conditional or best_practice, got {raw.get('kind')!r}")
    try:
        severity = Severity(str(raw.get("severity", "")).lower())
    except ValueError:
        raise w.err("severity", f"expected high, medium or low, got {raw.get('severity')!r}") from None
    area = str(raw.get("area", "other"))
    if area not in AREAS:
        raise w.err("area", f"unknown area {area!r} (known: {', '.join(AREAS)})")
    if "met_when" not in raw:
        raise w.err("met_when", "required: when is this requirement met?")
    met = build_matcher(raw["met_when"], w, "met_when")
    partial = build_matcher(raw["partial_when"], w, "partial_when") if raw.get("partial_when") else None
    na = (build_matcher(raw["not_applicable_when"], w, "not_applicable_when")
          if raw.get("not_applicable_when") else None)
    review = build_matcher(raw["review_when"], w, "review_when") if raw.get("review_when") else None
    applies = tuple(_str_list(raw["applies_when"], w, "applies_when")) if raw.get("applies_when") else ()
    applies_text = (build_matcher(raw["applies_when_text"], w, "applies_when_text")
                    if raw.get("applies_when_text") else None)
    if applies_text is not None and kind != Kind.CONDITIONAL:
        raise w.err("applies_when_text", "only a conditional item can be settled by the text")
    bad_fact = next((f for f in applies if not _FACT.match(f)), None)
    if bad_fact:
        raise w.err("applies_when", f"facts are snake_case names, '!name' for 'not', got {bad_fact!r}")
    any_section = raw.get("any_section", False)
    if not isinstance(any_section, bool):
        raise w.err("any_section", f"expected true or false, got {any_section!r}")
    unaddressed = raw.get("unaddressed")
    if unaddressed is not None and unaddressed not in ("missing", "review"):
        raise w.err("unaddressed", f"expected missing or review, got {unaddressed!r}")
    eff = _parse_date(raw["effective_from"], w, "effective_from") if raw.get("effective_from") else None
    rationale = raw.get("rationale") or {}
    if not isinstance(rationale, dict) or set(rationale) - RATIONALE_KEYS or \
            not all(isinstance(v, str) for v in rationale.values()):
        raise w.err("rationale", f"expected a mapping of {sorted(RATIONALE_KEYS)} to sentences")
    ex = raw.get("examples")
    if not isinstance(ex, dict) or not ex:
        raise w.err("examples", "required: example sentences under met/partial/missing")
    examples: dict[str, tuple[str, ...]] = {}
    for k, v in ex.items():
        if k not in EXAMPLE_KEYS:
            raise w.err("examples", f"unknown example group {k!r} (expected {sorted(EXAMPLE_KEYS)})")
        examples[k] = tuple(_str_list(v, w, f"examples.{k}"))
    if "met" not in examples:
        raise w.err("examples", "at least one 'met' example is required")
    for m in (met, partial, na, review, applies_text):
        _prepare(m)
    return Requirement(
        id=rid, law=law, title=raw["title"].strip(), citation=raw["citation"].strip(), kind=kind,
        severity=severity, recommendation=raw["recommendation"].strip(), area=area, matcher=met,
        partial=partial, not_applicable=na, applies_when=applies, applies_text=applies_text, effective_from=eff,
        rationale=MappingProxyType(dict(rationale)), notes=str(raw.get("notes") or ""),
        examples=MappingProxyType(examples), source=f"{name}:{line}",
        unaddressed=Status(unaddressed) if unaddressed else None, review=review, any_section=any_section,
    )


def packaged_laws() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in packaged_dir().glob("*.yaml")))


_CACHE: dict[str, Checklist] = {}


def load_law(law: str) -> Checklist:
    """The packaged checklist of a law (cached per process)."""
    law = law.lower()
    path = packaged_dir() / f"{law}.yaml"
    if not path.exists():
        raise ChecklistError(f"unknown law {law!r} (available: {', '.join(packaged_laws())}, all)")
    if law not in _CACHE:
        _CACHE[law] = load_checklist(path)
    return _CACHE[law]


def describe_requirement(r: Requirement) -> list[str]:
    """What decides each status of an item, as indented lines (met, not applicable, partial, review)."""
    out: list[str] = []
    for label, m in (("met when", r.matcher), ("not applicable when", r.not_applicable),
                     ("applies (text shows it) when", r.applies_text), ("partial when", r.partial),
                     ("to confirm (review) when", r.review)):
        if m is None:
            continue
        lines = m.describe()
        out += [f"{label}: {lines[0]}"] + ["  " + x for x in lines[1:]]
    if r.applies_when:
        out.append("applies when the profile says: " + ", ".join(r.applies_when))
    if r.any_section:
        out.append("reads every section in full, also those for other groups (a fact about the processing)")
    return out


def to_markdown(lists: tuple[Checklist, ...]) -> str:
    """The checklists as a Markdown reference (docs/checklists.md is generated from this)."""
    out = ["# Packaged checklists", "",
           "Generated from `checklists/*.yaml` by `gapcheck checklists docs`; do not edit by hand.", ""]
    for cl in lists:
        out += [f"## {cl.name}", "", f"Law id `{cl.law}`, checklist version {cl.version}, "
                f"{len(cl.requirements)} requirements.", "",
                "| id | title | citation | kind | severity | applies when | in force from |",
                "|---|---|---|---|---|---|---|"]
        for r in cl.requirements:
            eff = r.effective_from.isoformat() if r.effective_from else ""
            cells = [f"`{r.id}`", r.title, r.citation, r.kind.value, r.severity.value,
                     ", ".join(f"`{f}`" for f in r.applies_when), eff]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out += ["", f"### How each {cl.law} item is decided", ""]
        for r in cl.requirements:
            out += [f"**`{r.id}`** {r.title}", "", "```", *describe_requirement(r), "```", ""]
        out.append("")
    out += ["## Shared vocabulary", "", "Concepts of `checklists/lexicon/` that items use by name "
            "(`concept: right.rectify`, or `listed: {frame: frame.grant, item: right.rectify}`).", "",
            "| concept | what it means | phrasings |", "|---|---|---|"]
    for c in lexicon().values():
        means = c.means.replace("|", "\\|")
        out.append(f"| `{c.name}` | {means} | {len(c.patterns)} |")
    out.append("")
    facts = sorted({f.lstrip("!") for cl in lists for r in cl.requirements for f in r.applies_when})
    out += ["## Profile facts", "", "Facts a `--profile` file can set (true/false); `!fact` in a checklist means "
            "the item applies when the fact is false.", ""] + [f"- `{f}`" for f in facts] + [""]
    return "\n".join(out)
