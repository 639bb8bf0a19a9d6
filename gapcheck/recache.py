"""Compiled regular expressions kept between runs of the command line.

Why: one `gapcheck run` compiles some 560 patterns (checklists, lexicon, annotation and hygiene
rules), about a third of the command's time before any report is drawn, and compiles them the same
way on every run. This keeps what Python's regex compiler produced for each pattern (a list of
integers, which the engine validates before use) in gapcheck's cache folder, in a file named for the
Python build, and hands it straight to the engine on the next run.

Only the command line installs it (`install()` in `cli.main`); a program that imports gapcheck as a
library keeps its `re` untouched. It leans on `re`'s internal compiler, so it checks at install time
that a pattern built from a cached entry behaves as a freshly compiled one; anything unexpected (another
Python, a damaged file) means patterns are compiled as usual. GAPCHECK_NO_CACHE turns it off.
"""

from __future__ import annotations

import atexit
import re
import sys
from typing import Any

_MAX_ENTRIES = 20_000  # a cache that grew past this (many checklist versions) is started afresh
_store: dict[str, list[Any]] = {}
_used: set[str] = set()  # keys this process compiled, from the file or anew
_added = 0
_installed = False


def _name() -> str:
    import _sre

    return f"regex-{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}.json"


def _entry(pattern: str, flags: int) -> tuple[Any, list[Any]]:
    """Compile as `re` does (parse, generate code, build) and return the pattern with its cache entry."""
    from re import _compiler, _parser

    p = _parser.parse(pattern, flags)
    code = [int(c) for c in _compiler._code(p, flags)]
    groupindex = dict(p.state.groupdict)
    indexgroup: list[str | None] = [None] * p.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    entry = [int(flags | p.state.flags), code, p.state.groups - 1, groupindex, indexgroup]
    return _from_entry(pattern, entry), entry


def _from_entry(pattern: str, entry: list[Any]) -> Any:
    import _sre

    flags, code, groups, groupindex, indexgroup = entry
    return _sre.compile(pattern, flags, code, groups, groupindex, tuple(indexgroup))


def _compile(pattern: Any, flags: Any = 0, _original: Any = None) -> Any:
    global _added
    if not isinstance(pattern, str) or flags & re.DEBUG:
        return _original(pattern, flags)
    key = f"{int(flags)}:{pattern}"
    _used.add(key)
    got = _store.get(key)
    if got is not None:
        try:
            return _from_entry(pattern, got)
        except Exception:  # noqa: BLE001 - a damaged entry: compile it anew
            _store.pop(key, None)
    compiled, entry = _entry(pattern, int(flags))
    _store[key] = entry
    _added += 1
    return compiled


def _agrees() -> bool:
    """A pattern rebuilt from its entry matches as `re` compiles it (guards the internal API)."""
    probe = r"(?P<word>\b[a-zäöü]+(?:-\w+)?)\s*(?:\d{2,4}|(?i:tel\.?))?(?=[.;]|$)"
    text = "Call Tel. 0800 now; Straße-12 ends. x"
    try:
        _, entry = _entry(probe, re.I)
        mine = _from_entry(probe, entry)
        ref = re.compile(probe, re.I)
        return (mine.pattern, mine.flags, mine.groups, dict(mine.groupindex)) == \
            (ref.pattern, ref.flags, ref.groups, dict(ref.groupindex)) and \
            [m.span() for m in mine.finditer(text)] == [m.span() for m in ref.finditer(text)]
    except Exception:  # noqa: BLE001 - another Python's internals: leave `re` alone
        return False


def install() -> None:
    """Load the kept patterns and route `re`'s compiler through them; saved again at exit if new ones came."""
    global _installed
    if _installed:
        return
    from gapcheck.resources import cache_file, read_cache

    try:
        from re import _compiler
    except ImportError:
        return
    if cache_file(_name()) is None or not hasattr(_compiler, "compile") or not _agrees():
        return
    got = read_cache(_name())
    if isinstance(got, dict) and len(got) <= _MAX_ENTRIES:
        _store.update((k, v) for k, v in got.items() if isinstance(v, list) and len(v) == 5)
    original = _compiler.compile
    _compiler.compile = lambda p, flags=0: _compile(p, flags, original)
    _installed = True
    atexit.register(_save)


def _stale() -> bool:
    """Whether the file holds far more than this process used: patterns of earlier checklist, lexicon or
    gapcheck versions, read (and decoded) by every run for nothing. Two versions in use side by side
    (or a run for one law after one for all three) stay well under the bound."""
    return len(_store) > 2 * len(_used) + 500


def _save() -> None:
    from gapcheck.resources import write_cache

    if _stale():
        write_cache(_name(), {k: _store[k] for k in _used if k in _store})
    elif _added:
        write_cache(_name(), _store)
