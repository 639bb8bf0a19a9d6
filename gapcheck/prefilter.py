"""A literal pre-filter: skip a regex on a clause that lacks every word the regex needs.

Most of the ~500 checklist patterns and ~50 taxonomy patterns match nothing in most clauses, yet
Python's `re` still walks every character of every clause for each of them. Nearly every pattern
needs one of a few literal strings in any match (`\\b(collect\\w*|gather\\w*)\\b` needs "collect" or
"gather"). `required_literals` reads those strings off the parsed pattern; `present` finds, in one
scan of a clause, which of all registered literals it contains. A pattern whose literals are all
absent cannot match, so its search is skipped. The test is conservative: it never rejects a clause
that could match (a pattern without usable literals is always searched), so verdicts and quotes
are exactly those of searching everything.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import atexit
import hashlib
import re
import sys
import threading
from collections.abc import Callable, Iterable
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

from gapcheck.resources import cache_file, read_cache, write_cache

try:  # Python 3.11+: the parser moved under re
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older layouts
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

MAX_LEN = 40  # longer literal runs are cut: the trie stays shallow
MIN_LEN = 3  # shorter words ("we", "to") are in nearly every clause: no use as a filter

#: Non-ASCII characters that `re.IGNORECASE` matches to an ASCII letter although `str.lower` does not
#: map them to it (found by trying every code point). U+0130 also lowers to two characters, which
#: would shift offsets.
_SPECIAL = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_SPECIAL_RE = re.compile("[" + "".join(_SPECIAL) + "]")
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT) + ((_c.POSSESSIVE_REPEAT,) if hasattr(_c, "POSSESSIVE_REPEAT") else ())


_DIGITS = str.maketrans("123456789", "000000000")
#: Any decimal digit (\d also matches Arabic-Indic, Devanagari, ... digits). One substitution for all of them:
#: it starts with a class, so the search skips to digits, where "(?![0-9])\d" then "[1-9]" tried every position.
_ANY_DIGIT = re.compile(r"\d")


_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """The text as literals are looked for in it: lower case, every character an IGNORECASE ASCII
    literal matches turned into that letter, every digit "0" (so `\\d` is the literal "0") and
    every run of whitespace one space (so `right\\s+to` is the literal "right to"). Offsets are
    not kept: the result only answers "which literals occur"."""
    if not text.isascii():
        text = _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], text)
        # str.translate is fast only on ASCII text; one regex turns every digit, ASCII or not, into "0" (lower-
        # casing neither makes nor unmakes a digit: checked over every code point in tests/test_speed_equivalence)
        return _squeeze(_ANY_DIGIT.sub("0", text.lower()))
    return _squeeze(text.lower().translate(_DIGITS))


def _squeeze(text: str) -> str:
    """`_SPACES.sub(" ", text)`: every run of whitespace one space (str.split splits at the characters `\\s`
    matches; a run at either end stays one space), some three times faster than the substitution."""
    out = " ".join(text.split())
    if text[:1].isspace():
        out = " " + out if out else " "
    if out != " " and text[-1:].isspace():
        out += " "
    return out


T = TypeVar("T")

Need = tuple  # ("lit", frozenset[str]) | ("and", tuple[Need, ...]) | ("or", tuple[Need, ...])


def required(pattern: str, flags: int = 0) -> Need | None:
    """What any match of `pattern` must contain, as and/or of literal sets; None when unknown.

    `\\bright\\s+to\\s+(access|know)` needs "right" and one of "access", "know". Literals are lower-case
    ASCII strings; only characters the match consumes count (look-arounds are skipped), so the test
    also holds for searches limited to part of a text (`finditer(text, lo, hi)`).
    """
    def compute() -> Need | None:
        try:
            return _seq(_items(_sre_parse.parse(pattern, flags)))
        except (re.error, RecursionError, TypeError, ValueError):
            return None

    # remembered across processes, as `leading` (parsing is slow)
    return _remembered(f"need:{int(flags)}:{pattern}", compute, _need_from_json, _need_to_json)


#: What a decoder of a stored entry returns when it cannot read it: the entry is worked out anew.
_BAD = object()


def _remembered(key: str, compute: Callable[[], T], decode: Callable[[Any], T | object],
                encode: Callable[[T], Any]) -> T:
    """`compute()`, kept in the forms table (`_disk`) under `key` across processes: an entry that
    `decode` cannot read (it returns _BAD) is worked out anew and stored again."""
    global _DISK_NEW
    with _DISK_LOCK:
        disk = _disk()
        if key in disk:
            got = decode(disk[key])
            if got is not _BAD:
                return got  # type: ignore[return-value]
        out = compute()
        disk[key] = encode(out)
        _DISK_NEW += 1
        return out


def _need_to_json(need: Need | None) -> Any:
    if need is None:
        return None
    if need[0] == "lit":
        return ["lit", sorted(need[1])]
    return [need[0], [_need_to_json(n) for n in need[1]]]


def _need_from_json(v: Any) -> Need | None | object:
    """The need a cache entry stands for; _BAD when the entry is not one (then it is worked out anew)."""
    if v is None:
        return None
    try:
        kind, val = v
        if kind == "lit" and all(isinstance(x, str) for x in val):
            return ("lit", frozenset(val))
        if kind in ("and", "or") and val:
            parts = [_need_from_json(x) for x in val]
            if all(isinstance(x, tuple) for x in parts):
                return (kind, tuple(parts))
    except (TypeError, ValueError):
        pass
    return _BAD


def literals(need: Need | None) -> frozenset[str]:
    """Every literal a need mentions (to register with the index)."""
    if need is None:
        return frozenset()
    if need[0] == "lit":
        return need[1]
    return frozenset().union(*(literals(n) for n in need[1]))


def first_cut(need: Need) -> frozenset[str]:
    """One set of literals, one of which any match contains: a single `isdisjoint` test that rejects
    most clauses before the whole need is looked at (for "and", the part with the longest words)."""
    kind, val = need
    if kind == "lit":
        return val
    cuts = [first_cut(n) for n in val]
    if kind == "or":
        return frozenset().union(*cuts)
    return max(cuts, key=lambda c: (min(map(len, c)), -len(c)))


def compile_need(need: Need) -> Callable[[frozenset[str]], bool]:
    """`possible(need, .)` as one generated boolean expression: a clause is tested for each pattern,
    and walking the tree in Python each time cost more than the searches it saved."""
    consts: list[frozenset[str]] = []

    def expr(n: Need) -> str:
        kind, val = n
        if kind == "lit":
            consts.append(val)
            return f"not c{len(consts) - 1}.isdisjoint(p)"
        parts = flatten(kind, val)
        if len(parts) == 1:
            return expr(parts[0])
        parts = sorted(parts, key=lambda x: -min(map(len, first_cut(x))))  # rarest words first
        return "(" + (" and " if kind == "and" else " or ").join(expr(x) for x in parts) + ")"

    try:
        src = "lambda p: " + expr(need)
        return eval(src, {f"c{i}": c for i, c in enumerate(consts)})  # noqa: S307 - built from our own tree
    except (RecursionError, SyntaxError, MemoryError):  # a pathologically deep pattern
        return lambda p: possible(need, p)


def flatten(kind: str, val: tuple[Need, ...]) -> list[Need]:
    """The parts of an "and" (or an "or") with nested parts of the same kind lifted into it, and an "or"'s
    literal sets merged into one (any of them is present exactly when their union is): the generated tests
    then make one `isdisjoint` call, or one mask union, for all of them."""
    parts = _lift(kind, val)
    if kind == "or":
        lits = [x[1] for x in parts if x[0] == "lit"]
        if len(lits) > 1:
            parts = [x for x in parts if x[0] != "lit"] + [("lit", frozenset().union(*lits))]
    return parts


def _lift(kind: str, val: tuple[Need, ...]) -> list[Need]:
    """`val` with nested parts of the same kind lifted into it."""
    out: list[Need] = []
    for n in val:
        if n[0] == kind:
            out.extend(_lift(kind, n[1]))
        else:
            out.append(n)
    return out


def possible(need: Need, present: frozenset[str]) -> bool:
    """Whether a text holding the literals `present` can satisfy `need`."""
    kind, val = need
    if kind == "lit":
        return not val.isdisjoint(present)
    if kind == "and":
        return all(possible(n, present) for n in val)
    return any(possible(n, present) for n in val)


def _and(parts: list[Need]) -> Need | None:
    flat: list[Need] = []
    for p in parts:
        flat.extend(p[1] if p[0] == "and" else (p,))
    return None if not flat else flat[0] if len(flat) == 1 else ("and", tuple(flat))


def _or(alts: list[Need]) -> Need:
    if all(a[0] == "lit" for a in alts):  # one set of words: one isdisjoint test
        return ("lit", frozenset().union(*(a[1] for a in alts)))
    return ("or", tuple(alts))


def _items(sub: Any) -> list:
    """The (op, argument) list of a parsed subpattern (its `data`: indexing it item by item is slow)."""
    return sub.data if hasattr(sub, "data") else list(sub)


def _space_class(items: list) -> bool:
    """A character class that matches only whitespace (`\\s`, `[ \\t]`)."""
    return bool(items) and all((op is _c.CATEGORY and av is _c.CATEGORY_SPACE) or
                               (op is _c.LITERAL and chr(av).isspace()) for op, av in items)


def _is_space(op: object, av: Any) -> bool:
    """An element that consumes one or more whitespace characters and nothing else."""
    if op is _c.IN:
        return _space_class(av)
    if op is _c.LITERAL:
        return chr(av).isspace()
    if op in _REPEATS and av[0] >= 1 and len(av[2]) == 1:
        return _is_space(*av[2][0])
    return False


#: At most this many strings stand for a stretch of a pattern (see _seq): more, and it is cut there.
MAX_FORMS = 64
_FINITE_REPEAT = 4  # a repeat of at most this many copies is spelled out (`s?`, `(?:ed|ing)?`, `\\d{1,4}`)


def _join(a: str, b: str) -> str:
    """Two folded strings one after the other: a run of whitespace across them is one space."""
    return a + b[1:] if a.endswith(" ") and b.startswith(" ") else a + b


def _product(heads: set[str], tails: set[str]) -> set[str] | None:
    out = {_join(h, t) for h in heads for t in tails}
    return out if len(out) <= MAX_FORMS else None


def _folded(code: int) -> str:
    """One printable ASCII character as `fold` leaves it: a digit "0", a letter lower-cased."""
    return "0" if 48 <= code <= 57 else chr(code).lower()


def _finite(op: object, av: Any, depth: int = 0) -> set[str] | None:
    """Every text one parsed element can consume, as `fold` leaves it, when they are few; else None.

    A literal is its lower-cased character (a digit "0"), whitespace one space, a small class its
    characters, an assertion or `\\b` the empty string (it consumes nothing), a group, an alternation
    or a short repeat the strings of its parts."""
    if depth > 8:
        return None
    if _is_space(op, av):
        return {" "}
    if op is _c.LITERAL:
        return {_folded(av)} if 32 < av < 127 else None
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return {""}
    if op is _c.IN:
        out: set[str] = set()
        for iop, iav in av:
            if iop is _c.LITERAL and 32 < iav < 127:
                out.add(_folded(iav))
            elif iop is _c.CATEGORY and iav is _c.CATEGORY_DIGIT:
                out.add("0")
            elif iop is _c.RANGE and 48 <= iav[0] <= iav[1] <= 57:
                out.add("0")
            elif iop is _c.RANGE and 32 < iav[0] <= iav[1] < 127 and iav[1] - iav[0] < 8:
                out.update(_folded(x) for x in range(iav[0], iav[1] + 1))
            else:
                return None
        return out or None
    if op is _c.SUBPATTERN:
        return _finite_seq(_items(av[-1]), depth + 1)
    if op is _c.BRANCH:
        out = set()
        for alt in av[1]:
            got = _finite_seq(_items(alt), depth + 1)
            if got is None:
                return None
            out |= got
            if len(out) > MAX_FORMS:
                return None
        return out
    if op in _REPEATS:
        lo, hi, body = av
        if len(body) == 1 and _is_space(*body[0]):  # `\\s*`: nothing, or one space
            return {" "} if lo >= 1 else {"", " "}
        if hi > _FINITE_REPEAT:
            return None
        one = _finite_seq(_items(body), depth + 1)
        if one is None:
            return None
        out, cur = set(), {""}
        for k in range(hi + 1):
            if k >= lo:
                out |= cur
            if k < hi:
                nxt = _product(cur, one)
                if nxt is None:
                    return None
                cur = nxt
        return out if len(out) <= MAX_FORMS else None
    return None


def _finite_seq(items: list, depth: int) -> set[str] | None:
    """`_finite` of a sequence of parsed elements: the strings of each, one after the other."""
    cur = {""}
    for op, av in items:
        got = _finite(op, av, depth)
        if got is None:
            return None
        nxt = _product(cur, got)
        if nxt is None:
            return None
        cur = nxt
    return cur


def _usable(forms: set[str]) -> bool:
    # "@", "://" or a digit is rare enough; a space is not ("e ", " a" occur in nearly every clause)
    return all(len(f.strip()) >= MIN_LEN or any(not ch.isalpha() and ch != " " for ch in f) for f in forms)


def _seq(items: list) -> Need | None:
    """The need of a sequence of parsed elements.

    A stretch of elements that can each consume only a few texts (`\\brights?\\s+to\\b`) is one set of
    strings, one of which every match contains as it is ("right to", "rights to"): a match consumes the
    stretch's texts one after the other, and `fold` turns them into exactly one of these strings (whitespace
    runs are one space there, zero-width elements consume nothing). Other elements end the stretch and add
    the needs of their own parts."""
    parts: list[Need] = []
    run: set[str] = {""}

    def flush() -> None:
        nonlocal run
        if run != {""} and _usable(run):
            forms = {f[:MAX_LEN] for f in run}  # a prefix is required too
            # a string holding another of the set adds nothing: where it occurs, so does the other
            parts.append(("lit", frozenset(f for f in forms if not any(g != f and g in f for g in forms))))
        run = {""}

    for op, av in items:
        got = _finite(op, av)
        if got is not None:
            nxt = _product(run, got)
            if nxt is not None:
                run = nxt
                continue
        flush()
        if got is not None:  # (too many strings with the stretch before: a stretch of its own)
            run = got
            continue
        sub: Need | None = None
        if op is _c.SUBPATTERN:
            sub = _seq(_items(av[-1]))
        elif op is _c.BRANCH:
            alts = [_seq(_items(a)) for a in av[1]]
            sub = None if any(a is None for a in alts) else _or(alts)  # type: ignore[arg-type]
        elif op in _REPEATS and av[0] >= 1:
            sub = _seq(_items(av[2]))
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            sub = _seq(_items(av))
        if sub is not None:
            parts.append(sub)
    flush()
    return _and(parts)


class LiteralIndex:
    """All literals of the registered patterns, found in a text by one scan.

    An Aho-Corasick automaton (pyahocorasick, in C) of every literal reports each occurrence,
    overlapping ones included, in one pass over the text: some 3x faster than the regex trie
    it replaced, and the same set.
    """

    def __init__(self) -> None:
        self._lits: frozenset[str] = frozenset()
        # (version, automaton, literal by value), swapped whole: a reader never pairs an automaton
        # with another version's literals
        self._scan: tuple[int, Any, tuple[str, ...]] | None = None
        self._lock = threading.Lock()
        self.version = 0
        self.memo_key = ("lits", 0)  # key() as an attribute: read on every pattern test of a clause

    def add(self, need: Need | None) -> None:
        """Register the literals of a pattern's need (a new one invalidates the compiled scanner).

        Lazily built scanners register literals while other threads (Dask's threaded workers)
        scan clauses: the set is replaced, never changed in place, and versioned under a lock.
        """
        lits = literals(need)
        if lits and not lits <= self._lits:
            with self._lock:
                self._lits = self._lits | lits
                self.version += 1
                self.memo_key = ("lits", self.version)

    def _compile(self) -> tuple[int, Any, tuple[str, ...]]:
        import ahocorasick  # imported on first scan: commands that read no policy do not load it

        with self._lock:
            scan = self._scan
            if scan is not None and scan[0] == self.version:
                return scan
            version, lits = self.version, self._lits
        names = tuple(sorted(lits))
        auto = ahocorasick.Automaton(ahocorasick.STORE_ANY)  # each literal is its own value: no lookup per hit
        for lit in names:
            auto.add_word(lit, lit)
        if names:
            auto.make_automaton()
        scan = (version, auto, names)
        with self._lock:
            if self._scan is None or self._scan[0] < version:
                self._scan = scan
        return scan

    def key(self) -> tuple[str, int]:
        """The memo key of a clause's present literals under the current set of literals."""
        return self.memo_key

    def present(self, folded: str) -> frozenset[str]:
        """The registered literals that occur in an already folded text."""
        return self.keyed_present(folded)[1]

    def keyed_present(self, folded: str) -> tuple[tuple[str, int], frozenset[str]]:
        """`present` with the memo key of the literal set it was found under (see `key`): a clause
        keeps its literals under that key, never under a newer one whose literals it did not look for."""
        scan = self._scan
        if scan is None or scan[0] != self.version:
            scan = self._compile()
        version, auto, names = scan
        if not names:
            return ("lits", version), frozenset()
        return ("lits", version), frozenset(map(_SECOND, auto.iter(folded)))  # (C-level: no bytecode per hit)


_SECOND = itemgetter(1)  # the value of an (end, value) hit of the automaton


#: The process-wide index: checklist and taxonomy patterns register their literals here.
INDEX = LiteralIndex()


# --------------------------------------------------------------------------- match starts

MAX_STARTS = 256  # more leading forms than this: cut to shorter ones (the finder is a trie: many are cheap)
_LEAD_LEN = 16  # tokens of a leading form (a prefix of a leading form is one too)
_WS, _WB = r"\s+", r"\b"  # tokens: a run of whitespace, a word boundary; any other token is one character
_DIGIT = r"\d"  # token: one decimal digit (lower-casing keeps digits, so `\d` finds them in `lowered` text)
_REGEX_TOKENS = frozenset({_WS, _WB, _DIGIT})  # tokens that are regex syntax, not a character to escape
_HSPACE = [(_c.NEGATE, None), (_c.CATEGORY, _c.CATEGORY_NOT_SPACE)]  # [^\S...]: whitespace but ...

Lead = set[tuple[tuple[str, ...], bool]]  # (tokens, open): open = nothing known after these tokens


# Working out the leading forms of the ~1,600 checklist and taxonomy patterns costs about 1.5 s,
# paid by every `gapcheck run`. The forms are a pure function of (pattern, flags, this module's
# code), so they are kept in a small JSON file in the user's cache directory and read back by the
# next process. JSON, not pickle: the file is data, never code. GAPCHECK_NO_CACHE=1 turns it off;
# any problem with the file (missing, corrupt, read-only directory) just means computing anew.
_DISK: dict[str, list[list[str]] | None] | None = None
_DISK_NEW = 0
_DISK_LOCK = threading.Lock()  # batch threads (Dask's threaded workers) share the module


def _disk_name() -> str:
    return f"leading-{hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]}.json"


def _disk_path() -> Path | None:
    return cache_file(_disk_name())


def _disk() -> dict[str, list[list[str]] | None]:
    """The forms table, read from the file on first use (the caller holds _DISK_LOCK)."""
    global _DISK
    if _DISK is None:
        got = read_cache(_disk_name(), max_bytes=20_000_000)
        _DISK = got if isinstance(got, dict) else {}
        atexit.register(_save_disk)
    return _DISK


def _save_disk() -> None:
    """Write the forms learnt in this process (temp file, then rename: never a half-written file)."""
    with _DISK_LOCK:
        if _DISK_NEW and _DISK is not None:
            write_cache(_disk_name(), _DISK)


def _decode_forms(got: Any) -> frozenset[str] | None | object:
    if got is None:
        return None
    try:
        forms = [tuple(str(t) for t in toks) for toks in got]
    except TypeError:
        return _BAD
    if not forms:
        return _BAD
    for t in forms:
        _TOKENS[_render(t)] = t
    return frozenset(_render(t) for t in forms)


def leading(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Leading forms of `pattern` (see _leading), remembered across processes."""
    return _remembered(f"{int(flags)}:{pattern}", lambda: _leading(pattern, flags), _decode_forms,
                       lambda out: None if out is None else [list(_TOKENS[f]) for f in sorted(out)])


def _decode_keys(got: Any) -> frozenset[str] | None | object:
    if got is None:
        return None
    if isinstance(got, list) and len(got) == 1 and isinstance(got[0], list) and all(isinstance(k, str) for k in got[0]):
        return frozenset(got[0])
    return _BAD


def word_keys(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """The word keys of `pattern` (see _word_keys), remembered across processes as `leading` is."""
    return _remembered(f"w{int(flags)}:{pattern}", lambda: _word_keys(pattern, flags), _decode_keys,
                       lambda out: None if out is None else [sorted(out)])


@lru_cache(maxsize=4096)  # leading and word_keys of a pattern parse it once
def _lead_raw(pattern: str, flags: int) -> frozenset[tuple[tuple[str, ...], bool]] | None:
    """The leading forms of `pattern` as _lead_seq gives them (with their leading `\\b`), or None."""
    try:
        tree = _sre_parse.parse(pattern, flags)
        return frozenset(_shrink(_lead_seq(list(_items(tree)), 0, not (flags & re.ASCII) and "(?a" not in pattern)))
    except (re.error, RecursionError, TypeError, ValueError):
        return None


def _leading(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Regexes (for the lower-cased text) one of which matches at every position where a match of
    `pattern` can start; None when no such short list is known.

    `\\b(?:shar\\w*|disclos\\w*)` gives {"shar", "disclos"}; `\\bin\\s+order\\s+to\\b` gives
    {"in\\s+order\\s+to\\b"}. They are made of lower-cased ASCII characters, `\\s+` (for any
    whitespace the pattern consumes) and `\\b`, which mean the same in the text lower-cased with
    offsets kept (`lowered`: no character changes between word, space and other by it). A form
    never starts with `\\b` or `\\s+`, so the search for them skips on the first character.
    The search then tries only those positions (see StartScanner), not every position of a clause.
    """
    got = _lead_raw(pattern, flags)
    if got is None:
        return None
    out: set[tuple[str, ...]] = set()
    for toks, _open in got:
        k = 0
        while k < len(toks) and toks[k] == _WB:
            k += 1
        toks = toks[k:]
        if not toks or toks[0] == _WS or (len(toks) == 1 and toks[0].isalnum()):
            return None  # a single letter or digit occurs everywhere: trying each costs more than a search
        out.add(toks)
    for t in out:
        _TOKENS[_render(t)] = t
    return frozenset(_render(t) for t in out)


def _word_char(tok: str) -> bool:
    """A form's token that is a letter, digit or "_": where the finder finds the form, the lowered text
    has this character there (a literal of a form is matched as it is), so the text a word character."""
    return tok not in _REGEX_TOKENS and len(tok) == 1 and (tok.isalnum() or tok == "_")


def _word_end(tok: str) -> bool:
    """A form's token that the character after a word matches only if it is no word character: `\\s+`,
    `\\b` (after a word character) or a literal outside `\\w` ("-", "'", "’")."""
    return tok in (_WS, _WB) or (tok not in _REGEX_TOKENS and len(tok) == 1 and not tok.isalnum() and tok != "_")


def _word_keys(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Keys of the words every match of `pattern` starts with: for each leading form that starts with
    `\\b` and a word, the word's first _KEY_LEN characters (all of a shorter word the form ends); None
    when some form does not so start.

    A match then starts where a word of the text starts (`\\b` before a word character) and the finder
    finds a form, whose characters the lowered text has there: the key of that word (its first _KEY_LEN
    characters lowered, all of it when shorter, the form saying where it ends) is one of these. So the
    positions to try are read off an index of the text's words by key (`word_index`) instead of a search
    of the whole text for the leading forms."""
    got = _lead_raw(pattern, flags)
    if not got:
        return None
    keys: set[str] = set()
    for toks, _open in got:
        if not toks or toks[0] != _WB:
            return None
        k = 1
        while k < len(toks) and toks[k] == _WB:
            k += 1
        j = k
        while j < len(toks) and j - k < _KEY_LEN and _word_char(toks[j]):
            j += 1
        if j == k or (j - k < _KEY_LEN and (j == len(toks) or not _word_end(toks[j]))):
            return None  # no word, or one whose end is not known
        keys.add("".join(toks[k:j]))
    return frozenset(keys)


_KEY_LEN = 4  # a word's key: its first four characters
_RUN = re.compile(r"\w+")  # a word: the characters `\b` counts as word characters, as many as follow
_KEY_RUN = re.compile(rf"\b\w{{1,{_KEY_LEN}}}")  # a word's first _KEY_LEN characters (all of a shorter one)


def word_index(text: str, low: str) -> dict[str, int | list[int]]:
    """Where the words of `text` start, by key: the word's first _KEY_LEN characters in `low` (lowered(text),
    same offsets), all of it when shorter. One pass over a clause, shared by every start scanner with word
    keys that searches it (instead of each searching the whole clause for its leading forms).

    A key met once maps to its offset, one met again to the ascending list of them: most keys occur once,
    and a list per key per clause cost more in allocation and garbage-collector passes than it saved."""
    idx: dict[str, int | list[int]] = {}
    get = idx.get
    for m in _KEY_RUN.finditer(text):
        a, b = m.span()
        k = low[a:b]
        got = get(k)
        if got is None:
            idx[k] = a
        elif got.__class__ is int:
            idx[k] = [got, a]
        else:
            got.append(a)  # type: ignore[union-attr]
    return idx


def _render(toks: tuple[str, ...]) -> str:
    return "".join(t if t in _REGEX_TOKENS else re.escape(t) for t in toks)


_TOKENS: dict[str, tuple[str, ...]] = {}  # a rendered form -> its tokens


def _form_trie_rx(forms: Iterable[tuple[str, ...]]) -> str:
    """One regex for the forms, as a trie: at a position only the forms with its first character are
    tried (an alternation of 60 forms tried each at every candidate position cost more than the
    search it saves). A form that is a prefix of another makes the longer one needless."""
    trie: dict = {}
    for toks in sorted(forms, key=len):
        node = trie
        for t in toks:
            if node.get("") is True:
                break
            node = node.setdefault(t, {})
        else:
            node.clear()
            node[""] = True

    def rx(node: dict) -> str:
        alts = [(k if k in _REGEX_TOKENS else re.escape(k)) + rx(sub) for k, sub in sorted(node.items()) if k]
        if not alts:
            return ""
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return rx(trie)


def _lead_seq(seq: list, depth: int, wb: bool) -> Lead:
    """The leading forms of a sequence of parsed elements, each (tokens, open)."""
    if depth > 40:
        raise RecursionError
    cur: Lead = {((), False)}
    for op, av in seq:
        if all(o for _t, o in cur):
            break
        opts = _lead_item(op, av, depth, wb)
        new: Lead = set()
        for toks, o in cur:
            if o:
                new.add((toks, o))
                continue
            for t2, o2 in opts:
                if toks and t2 and toks[-1] == _WS and t2[0] == _WS:
                    t2 = t2[1:]
                t = toks + t2
                new.add((t[:_LEAD_LEN], o2 or len(t) > _LEAD_LEN))
        cur = _shrink(new)
    return cur


def _shrink(forms: Lead) -> Lead:
    """At most MAX_STARTS forms: cut them all to fewer tokens (a prefix of a form is a form too)."""
    if len({t for t, _o in forms}) <= MAX_STARTS:
        return forms
    for k in range(max(len(t) for t, _o in forms) - 1, 0, -1):
        cut = {(t[:k], o or len(t) > k) for t, o in forms}
        if len({t for t, _o in cut}) <= MAX_STARTS:
            return cut
    return {((), True)}


def _ws_class(items: list) -> bool:
    """A character class whose every character is whitespace (`\\s`, `[ \\t]`, `[^\\S\\n]`)."""
    if _space_class(items):
        return True
    return len(items) > 2 and items[:2] == _HSPACE and all(op is _c.LITERAL for op, _ in items[2:])


#: Latin-1 letters (À-Þ, à-þ but not ß, ÿ) as literals of a leading form: under IGNORECASE each matches
#: only itself, its other case and, for "å", the Angstrom sign, all of which `str.lower` (hence
#: `lowered`) turns into its lower case, one character for one. "oü" in "\b(gmbh|ltd|oü)\b" no
#: longer costs the whole pattern its start scanner.
_LATIN1_LETTERS = frozenset(range(0xC0, 0xDF)) - {0xD7} | frozenset(range(0xE0, 0xFF)) - {0xF7}


def _uncased(code: int) -> bool:
    """A character that IGNORECASE matches only to itself and that lower-casing leaves alone ("§", "’",
    "–"): a literal of a leading form as it is. (Cased non-ASCII letters may match an ASCII one.)"""
    ch = chr(code)
    return not _sre.unicode_iscased(code) and ch.lower() == ch == ch.upper() == ch.casefold()


def _lead_item(op: object, av: Any, depth: int, wb: bool) -> Lead:
    """The leading forms of one parsed element (what it consumes, as tokens)."""
    unknown: Lead = {((), True)}
    empty: Lead = {((), False)}
    if op is _c.LITERAL:
        if av >= 128 and av not in _LATIN1_LETTERS and not _uncased(av):
            return unknown  # a non-ASCII letter may match an ASCII one (the Kelvin sign, "K")
        ch = chr(av)
        return {((_WS,), False)} if ch.isspace() else {((ch.lower(),), False)}
    if op is _c.AT:
        return {((_WB,), False)} if (av is _c.AT_BOUNDARY and wb) else empty
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return empty  # consumes nothing
    if op is _c.IN:
        if _ws_class(av):
            return {((_WS,), False)}
        chars: set[str] = set()
        for iop, iav in av:
            if iop is _c.LITERAL and (iav < 128 or _uncased(iav)) and not chr(iav).isspace():
                chars.add(chr(iav).lower())
            elif iop is _c.CATEGORY and iav is _c.CATEGORY_DIGIT:
                chars.add(_DIGIT)
            elif iop is _c.RANGE and iav[1] < 128 and iav[1] - iav[0] < 16:
                chars.update(chr(x).lower() for x in range(iav[0], iav[1] + 1))
            else:
                return unknown
        return {((ch,), False) for ch in chars} or unknown
    if op is _c.SUBPATTERN:
        return _lead_seq(list(_items(av[-1])), depth + 1, wb)
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _lead_seq(list(_items(av)), depth + 1, wb)
    if op is _c.BRANCH:
        out: Lead = set()
        for alt in av[1]:
            out |= _lead_seq(list(_items(alt)), depth + 1, wb)
        return _shrink(out)
    if op in _REPEATS:
        lo, hi, body = av
        items = list(_items(body))
        if len(items) == 1 and ((items[0][0] is _c.IN and _ws_class(items[0][1])) or
                                (items[0][0] is _c.LITERAL and chr(items[0][1]).isspace())):
            return ({((_WS,), False)} if lo >= 1 else {((_WS,), False), ((), False)}) if hi >= 1 else empty
        if hi == 0:
            return empty
        once = _lead_seq(items, depth + 1, wb)
        if hi > 1:  # after one repetition another may follow: nothing is known past it
            once = {(t, True) for t, _o in once}
        return once if lo >= 1 else once | empty
    return unknown


#: AnnotatedClause.memo key of the clause's match text as `lowered` gives it (annotate stores it).
LOWER_KEY = "lowered"
#: AnnotatedClause.memo key of word_index(match text, lowered match text) (annotate stores it).
WORDS_KEY = "words"

#: Characters that IGNORECASE matches to an ASCII letter which `str.lower` leaves alone: U+0131
#: (dotless i) and U+017F (long s), replaced by `lowered`.


def lowered(text: str) -> str | None:
    """`text` lower-cased with offsets unchanged (for StartScanner), or None when that cannot be had."""
    low = text.lower()
    if len(low) != len(text):  # U+0130 lowers to two characters
        return None
    if text.isascii() or ("\u0131" not in low and "\u017f" not in low):  # (str.translate is slow off ASCII)
        return low
    return low.replace("\u0131", "i").replace("\u017f", "s")


def _word_starts(words: dict[str, int | list[int]], keys: frozenset[str]) -> Iterable[int]:
    """The offsets (ascending) of the words of a word_index whose key is one of `keys`."""
    got = keys & words.keys()
    if not got:
        return ()
    if len(got) == 1:
        (k,) = got
        at = words[k]
        return (at,) if at.__class__ is int else at  # type: ignore[return-value]
    many: list[int] = []
    for k in got:
        at = words[k]
        if at.__class__ is int:
            many.append(at)  # type: ignore[arg-type]
        else:
            many += at  # type: ignore[arg-type]
    many.sort()  # (a word has one key: no offset comes twice)
    return many


def word_region(text: str, hi: int) -> bool:
    """Whether a search of text[:hi] sees the words of the whole text's word_index: `\\b` at hi reads the
    end of the search there, so a word that goes on past hi is, to the search, one cut short at hi."""
    return hi >= len(text) or _RUN.match(text, hi) is None


class StartScanner:
    """`finditer` of a pattern that tries only the positions where a leading word occurs.

    The matches are exactly those of `rx.finditer(text, lo, hi)`: the search would try every
    position from the left and return the first that matches; a position without a leading word
    cannot match, so trying the others in order finds the same match. After a (non-empty) match
    the search goes on from its end, as finditer does.
    """

    __slots__ = ("rx", "finder", "_match", "keys")

    def __init__(self, rx: re.Pattern[str], starts: frozenset[str]):
        self.rx = rx
        self.finder = re.compile(_form_trie_rx(_TOKENS[f] for f in starts))
        self._match: Callable[..., re.Match[str] | None] | None = None
        # the keys of the words every match starts with (see _word_keys), or None: then the finder searches
        self.keys = word_keys(rx.pattern, rx.flags)

    def match_fn(self) -> Callable[..., re.Match[str] | None]:
        """The compiled pattern's own `match` (a LazyPattern compiled now): the scan calls it at every
        candidate position, and the LazyPattern wrapper cost three Python calls each time."""
        m = self._match
        if m is None:
            rx = self.rx
            m = self._match = (rx.compiled() if hasattr(rx, "compiled") else rx).match
        return m

    def spans(self, text: str, low: str, lo: int = 0, hi: int | None = None,
              words: dict[str, int | list[int]] | None = None) -> list[tuple[int, int]] | None:
        """(start, end) of the non-empty matches in text[lo:hi], in order; `low` is lowered(text).
        None if a match came out empty (it cannot, by `leading`; the caller then searches in full)."""
        found = self.matches(text, low, lo, hi, words)
        return None if found is None else [m.span() for m in found]

    def first(self, text: str, low: str, lo: int = 0, hi: int | None = None) -> re.Match[str] | None:
        """What `rx.search(text, lo, hi)` gives, trying only the positions of the leading forms."""
        hi = len(text) if hi is None else hi
        pos = lo
        while True:
            f = self.finder.search(low, pos, hi)
            if f is None:
                return None
            m = self.match_fn()(text, f.start(), hi)
            if m is not None:
                return m if m.end() > m.start() else self.rx.search(text, lo, hi)
            pos = f.start() + 1

    def matches(self, text: str, low: str, lo: int = 0, hi: int | None = None,
                words: dict[str, int | list[int]] | None = None) -> list[re.Match[str]] | None:
        """The match objects of `spans` (each what finditer gives at that position); None as there.

        With `words` (word_index(text, low)) and word keys, the finder is not searched over the clause but
        tried (`match`) at the starts of the words with those keys, which hold every match: the same
        positions are tried in the same order, so the matches are the same. Not when text[hi] is a word
        character (`\\b` at hi sees the end of the search there, the index the rest of the word)."""
        hi = len(text) if hi is None else hi
        keys = self.keys
        if words is not None and keys is not None and word_region(text, hi):
            return self._word_matches(text, low, lo, hi, words, keys)
        find, match = self.finder.search, self.match_fn()
        out = []
        pos = lo
        while True:
            f = find(low, pos, hi)
            if f is None:
                return out
            p = f.start()
            m = match(text, p, hi)
            if m is None:
                pos = p + 1
                continue
            if m.end() == p:
                return None
            out.append(m)
            pos = m.end()

    def _word_matches(self, text: str, low: str, lo: int, hi: int, words: dict[str, int | list[int]],
                      keys: frozenset[str]) -> list[re.Match[str]] | None:
        """`matches` trying the starts of the words with the pattern's keys, in order: at each, the finder
        (`match`, not a search over the rest of the clause) and then, where a leading form is there, the
        pattern. The positions the pattern is tried at are the finder's that start a word with a key,
        which hold every match (see _word_keys), so the matches are the same."""
        out: list[re.Match[str]] = []
        match, form = self.match_fn(), self.finder.match
        pos = lo
        for p in _word_starts(words, keys):
            if p < pos:
                continue
            if p >= hi:
                break
            if form(low, p, hi) is None:
                continue
            m = match(text, p, hi)
            if m is None:
                continue
            if m.end() == p:
                return None
            out.append(m)
            pos = m.end()
        return out


_SCANNERS: dict[int, tuple[re.Pattern[str], StartScanner | None]] = {}


def start_scanner(rx: re.Pattern[str]) -> StartScanner | None:
    """The start scanner of a compiled pattern, None when its matches have no leading words.

    Remembered by the pattern object's identity (the entry holds the pattern, so the id is not
    reused): a compiled pattern as a cache key hashes its whole compiled code on every lookup,
    and the scope and hygiene rules look up the same few patterns once per sentence or line."""
    got = _SCANNERS.get(id(rx))
    if got is not None and got[0] is rx:
        return got[1]
    starts = leading(rx.pattern, rx.flags)
    sc = StartScanner(rx, starts) if starts else None
    if len(_SCANNERS) >= 4096:
        _SCANNERS.clear()
    _SCANNERS[id(rx)] = (rx, sc)
    return sc


_GATES: dict[int, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}


def gate_of(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """The suffix gate of a compiled pattern (see suffix_gate), remembered by the pattern's identity
    as start_scanner remembers scanners."""
    got = _GATES.get(id(rx))
    if got is not None and got[0] is rx:
        return got[1]
    g = suffix_gate(rx.pattern, rx.flags)
    if len(_GATES) >= 4096:
        _GATES.clear()
    _GATES[id(rx)] = (rx, g)
    return g


_BACKREF = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")


_END_ATS = frozenset(getattr(_c, n) for n in ("AT_END", "AT_END_LINE", "AT_END_STRING", "AT_NON_BOUNDARY",
                                               "AT_LOC_NON_BOUNDARY", "AT_UNI_NON_BOUNDARY") if hasattr(_c, n))


def _reads_ahead(items: list) -> bool:
    """Whether parsed elements look past what they consume (a look-ahead, an end anchor or `\\B`) or
    commit to a match without backtracking (an atomic group, a possessive repeat: cut short at hi, it
    may commit to a shorter match that lets the rest succeed where the whole text's attempt failed)."""
    for op, av in items:
        if op is getattr(_c, "ATOMIC_GROUP", None) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
            return True
        if op in (_c.ASSERT, _c.ASSERT_NOT):
            if av[0] >= 0 or _reads_ahead(_items(av[1])):  # direction >= 0: a look-ahead
                return True
        elif op is _c.AT:
            if av in _END_ATS:
                return True
        elif op is _c.SUBPATTERN:
            if _reads_ahead(_items(av[-1])):
                return True
        elif op is _c.BRANCH:
            if any(_reads_ahead(_items(a)) for a in av[1]):
                return True
        elif op in _REPEATS:
            if _reads_ahead(_items(av[2])):
                return True
        elif op is _c.GROUPREF_EXISTS:
            if any(x is not None and _reads_ahead(_items(x)) for x in av[1:]):
                return True
    return False


@lru_cache(maxsize=8192)  # once per pattern: concepts repeat across items and laws
def region_exact(pattern: str, flags: int) -> bool:
    """Whether a search of text[lo:hi] (`finditer(text, lo, hi)`) finds exactly the matches of the whole
    text's search that lie inside [lo, hi), when none of those straddles lo or hi and the character at
    hi is not a word character.

    True for a pattern that never matches empty and never looks past what it consumes except by `\\b`:
    an attempt at a position then reads only characters before hi unless it consumes past hi, so
    cutting the text at hi changes no attempt whose match (or failure) ends before hi; `\\b` at hi
    reads the same when the character there is no word character. Look-behinds and `\\b` at lo see
    the text before lo in both searches. Scanning from lo then meets the same attempts as the whole
    search, which reached lo without a match across it.
    """
    try:
        tree = _sre_parse.parse(pattern, flags)
        return tree.getwidth()[0] > 0 and not _reads_ahead(_items(tree))
    except (re.error, RecursionError, TypeError, ValueError, OverflowError):
        return False


GATE_MIN_WIDTH = 3  # a gate shorter than this occurs nearly everywhere: no use


def _has_ref(items: list) -> bool:
    """Whether parsed elements refer to a group (a back-reference or a conditional)."""
    for op, av in items:
        if op in (_c.GROUPREF, _c.GROUPREF_EXISTS):
            return True
        if op is _c.SUBPATTERN and _has_ref(_items(av[-1])):
            return True
        if op is _c.BRANCH and any(_has_ref(_items(a)) for a in av[1]):
            return True
        if op in _REPEATS and _has_ref(_items(av[2])):
            return True
        if op in (_c.ASSERT, _c.ASSERT_NOT) and _has_ref(_items(av[1])):
            return True
        if op is getattr(_c, "ATOMIC_GROUP", None) and _has_ref(_items(av)):
            return True
    return False


def suffix_gate(pattern: str, flags: int) -> re.Pattern[str] | None:
    """A pattern for a tail of `pattern`'s top-level sequence that every match ends with, or None.

    `(?-i:\\b[A-Z][\\w ]{0,50}?,?[ ](?:GmbH|AG|...))` has no leading words: its search tries every
    capital letter with up to 50 characters after it. Every match contains a match of its tail
    `(?-i:[ ](?:GmbH|AG|...))` at the same place (same text, same search bounds: look-arounds and
    `\\b` see what they saw), and that tail is found fast (its first character is a small class).
    So where the tail is not found in text[lo:hi], no match of the pattern is either. A top-level
    alternation has the alternation of its branches' tails (when every branch has one).
    """
    try:
        tree = _sre_parse.parse(pattern, flags)
        tail = _tail(_items(tree), tree.state, 0, bool(tree.state.flags & re.IGNORECASE))
        if tail is None:
            return None
        from re import _compiler  # type: ignore[attr-defined]

        icase = bool(tree.state.flags & re.IGNORECASE)
        parts = [_compiler.compile(_sre_parse.SubPattern(tree.state, t), flags)
                 for t in _gate_parts(tail, tree.state, icase)]
        return parts[0] if len(parts) == 1 else AnyGate(tuple(parts))  # type: ignore[no-any-return]
    except (re.error, RecursionError, TypeError, ValueError, OverflowError):
        return None


class AnyGate:
    """A gate that is an alternation, searched one branch at a time: found exactly where the alternation is.

    Why: `re` skips ahead only for a pattern that starts with a literal or a small class; an alternation
    of two such tails (`[\\[(]\\s*at...|(?-i:ÄTT|AT)...`) starts with neither, so its search tried every
    position of every clause. Each branch alone starts with its own class and is skipped to."""

    __slots__ = ("parts",)

    def __init__(self, parts: tuple[re.Pattern[str], ...]) -> None:
        self.parts = parts

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """A match of some branch in text[pos:endpos] (not necessarily the leftmost), or None."""
        for rx in self.parts:
            m = rx.search(text, pos, endpos)
            if m is not None:
                return m
        return None


_SPLIT_MAX = 4  # a gate's leading class or alternation of at most this many literals is split into searches


def _gate_parts(tail: list, state: Any, icase: bool) -> list[list]:
    """The gate `tail` as gates to search one after the other (found in a region exactly where `tail` is),
    each shaped for `re`'s fast search. `re` skips ahead to a literal prefix fast (memchr-like), to a
    small class some five times slower, and tries every position when the pattern starts otherwise:
    - an alternation (also in a group that only sets flags) is one gate per branch;
    - a leading small class or short alternation of literals (`[\\[(]`, `(?-i:ÄTT|AT)`) is one gate per
      literal: a match of `(a|b)R` at a position is one of `aR` or of `bR` there;
    - a long alternation after the first element gets a look-ahead for its first characters
      (`[ ](?=[GmAK...])(?:GmbH|mbH|AG|KG|...)`): at a position where none of them stands, the
      alternation's some 70 branches are not each tried (a match of it starts with one of them)."""
    if len(tail) == 1 and tail[0][0] is _c.BRANCH:
        return [t for alt in tail[0][1][1] for t in _gate_parts(list(_items(alt)), state, icase)]
    if len(tail) == 1 and tail[0][0] is _c.SUBPATTERN and tail[0][1][0] is None:
        _group, add, dele, body = tail[0][1]
        inner = _gate_parts(list(_items(body)), state, _icase_in(icase, add, dele))
        return [[(_c.SUBPATTERN, (None, add, dele, _sre_parse.SubPattern(state, t)))] for t in inner]
    k = next((i for i, (op, _av) in enumerate(tail) if op not in _ZERO_WIDTH), None)
    if k is not None:
        alts = _literal_alternatives(tail[k], state, icase)
        if alts is not None:  # (each part starts with a literal now: not split again)
            return [t for a in alts for t in _gate_parts(tail[:k] + a + tail[k + 1:], state, icase)]
    return [_with_lookaheads(tail, state, icase, k)]


_ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)


def _plain(code: int, icase: bool) -> bool:
    """A literal that matches only itself where it stands (no case to ignore)."""
    return not icase or not _sre.unicode_iscased(code)


def _literal_alternatives(el: tuple, state: Any, icase: bool) -> list[list] | None:
    """The element as 2.._SPLIT_MAX alternatives (element lists) that each start with a plain literal and
    match, together, exactly what it matches; None when it is no such class or alternation."""
    op, av = el
    alts: list[list] | None = None
    if op is _c.IN:
        if all(o is _c.LITERAL and _plain(a, icase) for o, a in av):
            alts = [[(_c.LITERAL, a)] for _o, a in av]
    elif op is _c.BRANCH:
        branches = [list(_items(b)) for b in av[1]]
        if all(b and b[0][0] is _c.LITERAL and _plain(b[0][1], icase) for b in branches):
            alts = branches
    elif op is _c.SUBPATTERN and not _has_ref([el]):
        group, add, dele, body = av
        items = list(_items(body))
        if len(items) == 1:
            inner = _literal_alternatives(items[0], state, _icase_in(icase, add, dele))
            if inner is not None:
                alts = [[(_c.SUBPATTERN, (group, add, dele, _sre_parse.SubPattern(state, a)))] for a in inner]
    return alts if alts is not None and 2 <= len(alts) <= _SPLIT_MAX else None


_LOOKAHEAD_MIN = 3  # an alternation of fewer branches is tried fast enough without a look-ahead


def _with_lookaheads(tail: list, state: Any, icase: bool, first: int | None) -> list:
    """`tail` with a look-ahead for its first characters before each long alternation that is not its first
    consuming element (`first`; there `re` already skips to the alternation's first characters)."""
    out = []
    for i, (op, av) in enumerate(tail):
        if op is _c.BRANCH and first is not None and i > first and len(av[1]) >= _LOOKAHEAD_MIN:
            chars = _first_chars([(op, av)], icase)
            if chars:
                look = _sre_parse.SubPattern(state, [(_c.IN, [(_c.LITERAL, ch) for ch in sorted(chars)])])
                out.append((_c.ASSERT, (1, look)))
        out.append((op, av))
    return out


def _first_chars(items: list, icase: bool, depth: int = 0) -> set[int] | None:
    """The characters one of which every match of the sequence starts with (each a plain literal where it
    stands, see _plain), or None when no such set is known (also when the sequence can match empty)."""
    if depth > 8:
        return None
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op is _c.LITERAL:
            return {av} if _plain(av, icase) else None
        if op is _c.IN:
            out: set[int] = set()
            for o, a in av:
                if o is _c.LITERAL and _plain(a, icase):
                    out.add(a)
                elif o is _c.RANGE and not icase and a[1] - a[0] < 64:
                    out.update(range(a[0], a[1] + 1))
                else:
                    return None
            return out or None
        if op is _c.SUBPATTERN:
            return _first_chars(list(_items(av[-1])), _icase_in(icase, av[1], av[2]), depth + 1)
        if op is _c.BRANCH:
            out = set()
            for alt in av[1]:
                got = _first_chars(list(_items(alt)), icase, depth + 1)
                if got is None:
                    return None
                out |= got
            return out
        if op in _REPEATS and av[0] >= 1:
            return _first_chars(list(_items(av[2])), icase, depth + 1)
        return None
    return None


def _tail(seq: list, state: Any, depth: int, icase: bool) -> list | None:
    """Parsed elements of a gate for the sequence `seq` (see suffix_gate), or None; `icase`: whether
    IGNORECASE holds where `seq` stands.

    The gate is the longest tail that starts with a rare element (`_rare_start`: a punctuation mark,
    a case-sensitive word), else the shortest of width GATE_MIN_WIDTH: a longer tail passes in fewer
    clauses (its matches end with the shorter one's), and a rare first element keeps its search fast.
    A sequence ending in an alternation (the common start of a top-level `a|b` factored out by the
    parser: `\\b(?:a|b)`) has the alternation of the branches' tails when no tail lies before it."""
    if depth > 8 or _has_ref(seq):
        return None
    if len(seq) == 1 and seq[0][0] is _c.SUBPATTERN:  # a group: the gate keeps its inline flags
        _group, add, dele, body = seq[0][1]
        inner = _tail(_items(body), state, depth + 1, _icase_in(icase, add, dele))
        if inner is None:
            return None
        return [(_c.SUBPATTERN, (None, add, dele, _sre_parse.SubPattern(state, inner)))]
    if len(seq) == 1 and seq[0][0] is _c.BRANCH:
        return _branch_tail(seq[0], state, depth, icase)
    best: list | None = None
    for j in range(len(seq) - 1, 0, -1):
        start = _gate_start(seq[j], icase)
        if start is None:
            continue
        if best is not None and not _rare_start(seq[j], icase):
            continue
        tail = [*start, *seq[j + 1:]]
        if _sre_parse.SubPattern(state, tail).getwidth()[0] >= GATE_MIN_WIDTH:
            best = tail
    if best is None and len(seq) > 1 and seq[-1][0] is _c.BRANCH:
        return _branch_tail(seq[-1], state, depth, icase)
    return best


def _gate_start(el: tuple, icase: bool) -> list | None:
    """The element as a gate's first elements, shaped so that `re` skips to its first characters; None when it
    has no such shape. A group, a class or a literal is itself; an alternation whose first characters are
    known (see _first_chars) too; a repeat of one character `X{m,n}` (m >= 1) is `X` then `X{m-1,n-1}`,
    the same matches with the class first (`re` finds no first characters inside a repeat), and `X+` is `X`."""
    op, av = el
    if op in (_c.IN, _c.LITERAL, _c.SUBPATTERN):
        return [el]
    if op is _c.BRANCH:
        return [el] if _first_chars([el], icase) else None
    if op in _REPEATS and av[0] >= 1 and len(av[2]) == 1 and av[2][0][0] in (_c.IN, _c.LITERAL):
        lo, hi, body = av
        one = _items(body)[0]
        if hi == 1 or hi == _c.MAXREPEAT:
            # `X+R` as `XR` (a match of it ends every match of `X+R`): `X X*R` backtracked over the whole run
            # of X at each of its characters (a line of 200 spaces cost 200 x 200 steps)
            return [one]
        return [one, (op, (lo - 1, hi - 1, body))]
    return None


def _digits(el: tuple) -> bool:
    """A digit, a class of digits (`\\d`, `[0-9]`) or a repeat of one: rare in prose, so a gate starting there
    is searched fast and fails early."""
    op, av = el
    if op is _c.LITERAL:
        return 48 <= av <= 57
    if op is _c.IN:
        return bool(av) and all((o is _c.CATEGORY and a is _c.CATEGORY_DIGIT) or (o is _c.LITERAL and 48 <= a <= 57)
                                or (o is _c.RANGE and 48 <= a[0] <= a[1] <= 57) for o, a in av)
    if op in _REPEATS and av[0] >= 1 and len(av[2]) == 1:
        return _digits(_items(av[2])[0])
    return False


def _branch_tail(branch: tuple, state: Any, depth: int, icase: bool) -> list | None:
    """The gate of an alternation: the alternation of its branches' tails (None unless each has one)."""
    alts = [_tail(_items(a), state, depth + 1, icase) for a in branch[1][1]]
    if any(a is None for a in alts):
        return None
    return [(_c.BRANCH, (None, [_sre_parse.SubPattern(state, a) for a in alts]))]  # type: ignore[arg-type]


def _icase_in(icase: bool, add: int, dele: int) -> bool:
    """Whether IGNORECASE holds inside a group with inline flags `add` and `dele` (`(?-i:...)`)."""
    return (icase or bool(add & re.IGNORECASE)) and not dele & re.IGNORECASE


def _rare_start(el: tuple, icase: bool) -> bool:
    """Whether the element is rare in prose, so that a gate starting with it is searched fast and fails
    early: a punctuation mark or a class of them (`[\\[(]`, `@`), or a case-sensitive group each of whose
    alternatives starts with two capital letters (`(?-i:ÄTT|AT)`)."""
    op, av = el
    if _digits(el):
        return True
    if op is _c.LITERAL:
        return _punct(av)
    if op is _c.IN:
        return bool(av) and all(o is _c.LITERAL and _punct(a) for o, a in av)
    if op is _c.SUBPATTERN and not _icase_in(icase, av[1], av[2]):
        body = _items(av[3])
        alts = [_items(a) for a in body[0][1][1]] if len(body) == 1 and body[0][0] is _c.BRANCH else [body]
        return all(len(a) >= 2 and all(o is _c.LITERAL and chr(c).isupper() for o, c in a[:2]) for a in alts)
    return False


def _punct(code: int) -> bool:
    """A character neither a word character nor whitespace."""
    ch = chr(code)
    return not (ch.isalnum() or ch == "_" or ch.isspace())


_LIVE_MAX = 4096  # literal sets an AltScanner remembers its live alternatives for (then it starts afresh)


class AltScanner:
    """`finditer` of an alternation `(?:a)|(?:b)|...` from its alternatives searched apart.

    For a pattern without leading words as a whole (one alternative starts with `[\\w.+-]+@`),
    each alternative is searched on its own: one whose words the clause lacks is not searched
    at all, one with leading words by its StartScanner. The matches are those of the whole
    alternation: from a position, the leftmost match of any alternative, at one position the
    earliest alternative; then on from its end. An empty match (which the whole alternation
    would treat specially) makes `spans` give up (None).
    """

    __slots__ = ("alts", "checks", "scanners", "gates", "_live")

    def __init__(self, alts: list[str], flags: int):
        self.alts = [re.compile(a, flags) for a in alts]
        needs = [required(a, flags) for a in alts]
        for n in needs:
            INDEX.add(n)
        self.checks = [None if n is None else compile_need(n) for n in needs]
        self.scanners = [start_scanner(rx) for rx in self.alts]
        # an alternative without leading words is searched at every position: where its tail (see
        # suffix_gate) is not in the region, it is not searched at all
        self.gates = [suffix_gate(rx.pattern, rx.flags) if sc is None else None
                      for rx, sc in zip(self.alts, self.scanners, strict=True)]
        self._live: dict[frozenset[str], tuple[int, ...]] = {}  # see _possible

    def _possible(self, present: frozenset[str]) -> tuple[int, ...]:
        """The alternatives whose needs the literals `present` meet, remembered per literal set: a clause
        is scanned once whole and then per sentence and region, each time with the same set (the same
        object: its hash is kept), and a concept of 20 alternatives cost 20 need tests per call."""
        got = self._live.get(present)
        if got is None:
            if len(self._live) >= _LIVE_MAX:
                self._live.clear()
            got = self._live[present] = tuple([k for k, can in enumerate(self.checks) if can is None or can(present)])
        return got

    @staticmethod
    def make(alts: list[str], flags: int) -> AltScanner | None:
        """An AltScanner when the alternatives can be searched apart (no back-references)."""
        if len(alts) < 2 or any(_BACKREF.search(a) for a in alts):
            return None
        return AltScanner(alts, flags)

    def found(self, text: str, low: str | None, present: frozenset[str]) -> bool:
        """Whether the alternation matches somewhere in `text` (`search(text) is not None`): some alternative
        does, tried one by one (those whose needs `present` meets and whose gates the text holds), each
        by its start scanner when it has one, so a heading is not tried at every position with all of them."""
        gates, end = self.gates, len(text)
        for k in self._possible(present):
            g = gates[k]
            if g is not None and g.search(text, 0, end) is None:
                continue
            if self._first(k, text, low, 0, end) is not None:
                return True
        return False

    def spans(self, text: str, low: str | None, present: frozenset[str], lo: int = 0,
              hi: int | None = None, words: dict[str, int | list[int]] | None = None) -> list[tuple[int, int]] | None:
        """(start, end) of the non-empty matches of the alternation in text[lo:hi], in order."""
        hi = len(text) if hi is None else hi
        gates = self.gates
        ks = [k for k in self._possible(present)
              if gates[k] is None or gates[k].search(text, lo, hi) is not None]  # type: ignore[union-attr]
        nxt: list[tuple[int, int] | None] = [None] * len(ks)
        stale = [True] * len(ks)
        out: list[tuple[int, int]] = []
        pos = lo
        while True:
            best: tuple[int, int] | None = None
            for j, k in enumerate(ks):
                m = nxt[j]
                if stale[j] or (m is not None and m[0] < pos):
                    m = nxt[j] = self._first(k, text, low, pos, hi, words)
                    stale[j] = False
                    if m is not None and m[0] == m[1]:
                        return None
                if m is not None and (best is None or m[0] < best[0]):
                    best = m
            if best is None:
                return out
            out.append(best)
            pos = best[1]

    def _first(self, k: int, text: str, low: str | None, pos: int, hi: int,
               words: dict[str, int | list[int]] | None = None) -> tuple[int, int] | None:
        """The leftmost match of alternative k in text[pos:hi]."""
        sc = self.scanners[k]
        if sc is not None and low is not None:
            if words is not None and sc.keys is not None and word_region(text, hi):
                # the finder's positions that start a word with a key of the alternative (see _word_keys)
                form, match = sc.finder.match, sc.match_fn()
                for p in _word_starts(words, sc.keys):
                    if p < pos:
                        continue
                    if p >= hi:
                        return None
                    if form(low, p, hi) is not None and (m := match(text, p, hi)) is not None:
                        return m.start(), m.end()
                return None
            find, match = sc.finder.search, sc.match_fn()
            while True:
                f = find(low, pos, hi)
                if f is None:
                    return None
                m = match(text, f.start(), hi)
                if m is not None:
                    return m.start(), m.end()
                pos = f.start() + 1
        m = self.alts[k].search(text, pos, hi)
        return None if m is None else (m.start(), m.end())
