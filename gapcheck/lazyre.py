"""A compiled regular expression that is compiled on its first search.

Why: the checklists and the shared vocabulary hold some 1,500 patterns and `re.compile` costs about
0.3 ms each, paid by every `gapcheck run` before any analysis; one policy searches about a third of
them (the literal pre-filter rules out the rest). Patterns whose text was already checked (the
lexicon is validated when it is loaded, see gapcheck.lexicon) are therefore compiled on first use.
"""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    """Stands in for `re.compile(pattern, flags)`: the same attributes and search methods."""

    __slots__ = ("pattern", "flags", "_rx")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        # what the compiled pattern reports: str patterns are Unicode unless ASCII is asked for
        self.flags = int(flags) | (0 if flags & re.ASCII else re.UNICODE)
        self._rx: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        rx = self._rx
        if rx is None:
            rx = self._rx = re.compile(self.pattern, self.flags)
        return rx

    def search(self, *a: Any) -> re.Match[str] | None:
        return self.compiled().search(*a)

    def match(self, *a: Any) -> re.Match[str] | None:
        return self.compiled().match(*a)

    def fullmatch(self, *a: Any) -> re.Match[str] | None:
        return self.compiled().fullmatch(*a)

    def finditer(self, *a: Any) -> Any:
        return self.compiled().finditer(*a)

    def findall(self, *a: Any) -> list[Any]:
        return self.compiled().findall(*a)

    def sub(self, *a: Any) -> str:
        return self.compiled().sub(*a)

    def split(self, *a: Any) -> list[Any]:
        return self.compiled().split(*a)

    @property
    def groups(self) -> int:
        return self.compiled().groups

    @property
    def groupindex(self) -> Any:
        return self.compiled().groupindex

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyPattern):
            return (self.pattern, self.flags) == (other.pattern, other.flags)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.pattern, self.flags))

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern[:60]!r}, {self.flags})"
