"""A time limit on the regular expressions of user checklists (the packaged ones are trusted).

Checklist loading already rejects the classic catastrophic shapes (`(a+)+`), but no static check
catches them all: `(a|a)+$`, `((a+))+$` or `\\w*\\w*\\w*\\w*!` still backtrack for minutes on a line of
30 letters. A user checklist's patterns are therefore wrapped in `GuardedPattern`, which stops one
search after `timeout()` seconds (GAPCHECK_REGEX_TIMEOUT, default 5; 0 turns the guard off) with a
ChecklistError naming the checklist, the item and the pattern.

The limit is a SIGALRM timer, which interrupts Python's regex engine. It works in the main thread
on POSIX systems (the command line); elsewhere (Windows, worker threads) patterns run unguarded and
only the load-time check protects.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from gapcheck.errors import ChecklistError

DEFAULT_TIMEOUT = 5.0
T = TypeVar("T")


def timeout() -> float:
    """Seconds one search of a user pattern may take (GAPCHECK_REGEX_TIMEOUT; 0 = no limit)."""
    raw = os.environ.get("GAPCHECK_REGEX_TIMEOUT", "")
    try:
        return max(0.0, float(raw)) if raw.strip() else DEFAULT_TIMEOUT
    except ValueError:
        return DEFAULT_TIMEOUT


@lru_cache(maxsize=64)
def is_packaged(file: str) -> bool:
    """True for a checklist shipped with gapcheck (its patterns are trusted and run without a timer)."""
    from gapcheck.resources import data_dir

    try:
        return Path(file).resolve().parent == data_dir("checklists").resolve()
    except OSError:
        return False


class _Expired(BaseException):
    """Raised by the alarm inside a search; BaseException so no `except Exception` swallows it."""


def _can_guard() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def run_limited(fn: Callable[[], T], seconds: float, what: str) -> T:
    """fn() stopped after `seconds` with a ChecklistError about `what`; unguarded where signals cannot be used."""
    if seconds <= 0 or not _can_guard():
        return fn()

    def expire(signum: int, frame: Any) -> None:
        raise _Expired

    start = time.monotonic()
    old_handler = signal.signal(signal.SIGALRM, expire)
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn()
    except _Expired:
        raise ChecklistError(f"{what}: matching took more than {seconds:g} s on one clause and was stopped; the "
                             "pattern backtracks catastrophically (overlapping alternatives or repeats inside a "
                             "repeat). Simplify it, or raise GAPCHECK_REGEX_TIMEOUT") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        if old_delay:  # someone else's timer was running: give it back what is left
            left = old_delay - (time.monotonic() - start)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), old_interval)


class GuardedPattern:
    """Stands in for a compiled pattern (`search`, `finditer`, `pattern`, `flags`) with a time limit."""

    def __init__(self, rx: re.Pattern[str], where: str):
        self.rx = rx
        self.where = where
        self.pattern = rx.pattern
        self.flags = rx.flags

    def _what(self) -> str:
        pat = self.pattern if len(self.pattern) <= 80 else self.pattern[:77] + "..."
        return f"{self.where}: regex {pat!r}"

    def search(self, text: str, *pos: int) -> re.Match[str] | None:
        return run_limited(lambda: self.rx.search(text, *pos), timeout(), self._what())

    def match(self, text: str, *pos: int) -> re.Match[str] | None:
        return run_limited(lambda: self.rx.match(text, *pos), timeout(), self._what())

    def finditer(self, text: str, *pos: int) -> Iterator[re.Match[str]]:
        return iter(run_limited(lambda: list(self.rx.finditer(text, *pos)), timeout(), self._what()))

    def findall(self, text: str, *pos: int) -> list[Any]:
        return run_limited(lambda: self.rx.findall(text, *pos), timeout(), self._what())

    def __eq__(self, other: object) -> bool:  # memo keys: the same pattern shares one scan per clause
        return isinstance(other, GuardedPattern) and (self.pattern, self.flags) == (other.pattern, other.flags)

    def __hash__(self) -> int:
        return hash((GuardedPattern, self.pattern, self.flags))

    def __repr__(self) -> str:
        return f"GuardedPattern({self.pattern!r})"
