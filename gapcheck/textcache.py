"""A per-process cache of the work that depends only on a clause's own text (batch runs only).

A portfolio re-checks near-identical text: the same policy each quarter with small edits, or 300
group sites made from one template. Within `gapcheck batch`, a worker that meets a clause text it
has already annotated reuses that text's sentences, taxonomy labels, entities, literal scan and the
memo of whole-clause pattern scans (`AnnotatedClause.memo`), all pure functions of the text the
matchers read. Nothing that depends on where the clause stands (its kind, heading path, lead-in,
scope, neighbours) is kept here: that is worked out anew for every document
(`AnnotatedClause.context_memo`, `sentence_scopes`, `heading_labels`), so every verdict and quote is
exactly that of a cold analysis.

The cache is off unless a batch worker turns it on (`active()`): `gapcheck run` and the in-process
analysis benchmark always analyse cold. It is bounded (least recently used texts are dropped:
`GAPCHECK_TEXT_CACHE` entries, default 2048; 0 turns it off), so a worker's memory stays flat
however many policies it analyses.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

DEFAULT_SIZE = 2048


def _size_from_env() -> int:
    try:
        return max(0, int(os.environ.get("GAPCHECK_TEXT_CACHE", DEFAULT_SIZE)))
    except ValueError:
        return DEFAULT_SIZE


class TextCache:
    """Least-recently-used map of clause text -> what annotate and the matchers worked out for it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()  # Dask's threaded workers share the module
        self.hits = self.misses = 0

    def get(self, text: str) -> Any:
        """The entry stored for `text`, or None."""
        with self._lock:
            got = self._data.get(text)
            if got is None:
                self.misses += 1
                return None
            self._data.move_to_end(text)
            self.hits += 1
            return got

    def put(self, text: str, value: Any) -> None:
        """Store `value` for `text`, dropping the least recently used entries beyond the size."""
        if self.size <= 0:
            return
        with self._lock:
            self._data[text] = value
            self._data.move_to_end(text)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._data)


_CACHE: TextCache | None = None
_ACTIVE = threading.local()


def current() -> TextCache | None:
    """The cache in force for this thread's analysis, or None (a cold analysis)."""
    return _CACHE if getattr(_ACTIVE, "on", False) else None


@contextmanager
def active(size: int | None = None) -> Iterator[TextCache | None]:
    """Use the process's text cache for the analyses run inside (a batch worker's chunk of policies)."""
    global _CACHE
    size = _size_from_env() if size is None else size
    if size <= 0:
        yield None
        return
    if _CACHE is None or _CACHE.size != size:
        _CACHE = TextCache(size)
    was = getattr(_ACTIVE, "on", False)
    _ACTIVE.on = True
    try:
        yield _CACHE
    finally:
        _ACTIVE.on = was


def clear() -> None:
    """Forget every cached text (tests; a benchmark that wants a cold start)."""
    if _CACHE is not None:
        _CACHE.clear()
