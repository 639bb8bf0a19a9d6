"""Raw regular expressions live only in the shared vocabulary (checklists/lexicon/): a checklist item
speaks concepts, structure and labels, so a lawyer can read what it checks.

Run as a script to list the raw patterns still left in items: `python tests/test_lexicon_only.py [LAW]`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from gapcheck.checklists import packaged_dir, packaged_laws

#: Fields of an item that hold matchers.
MATCHER_FIELDS = ("met_when", "partial_when", "not_applicable_when", "applies_when_text")


def raw_patterns(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(where, pattern) for every raw regex in a matcher tree: `regex:`, a bare string, and a
    `heading:` or `lead_in:` given as a string instead of a concept."""
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, list):
        for i, x in enumerate(node):
            yield from raw_patterns(x, f"{path}[{i}]")
    elif isinstance(node, dict):
        for k, v in node.items():
            if k in ("regex", "heading", "lead_in"):
                if isinstance(v, (str, list)):
                    for p in [v] if isinstance(v, str) else v:
                        yield f"{path}.{k}", p if isinstance(p, str) else str(p)
                    continue
            if k in ("label", "topic", "concept", "listed", "phrase", "date_within_months"):
                continue
            if k == "at_least":
                yield from raw_patterns(v.get("of"), f"{path}.at_least")
                continue
            yield from raw_patterns(v, f"{path}.{k}")


def leftovers(law: str) -> list[tuple[str, str, str]]:
    data = yaml.safe_load((packaged_dir() / f"{law}.yaml").read_text(encoding="utf-8"))
    out = []
    for item in data["items"]:
        for field in MATCHER_FIELDS:
            if field in item:
                out += [(item["id"], f"{field}{w}", p) for w, p in raw_patterns(item[field])]
    return out


@pytest.mark.parametrize("law", packaged_laws())
def test_items_hold_no_raw_regex(law):
    left = leftovers(law)
    assert not left, f"{len(left)} raw patterns in {law} items, e.g. {left[0][0]} {left[0][1]}: {left[0][2][:80]}"


if __name__ == "__main__":
    laws = sys.argv[1:] or packaged_laws()
    for law in laws:
        left = leftovers(law)
        by_item: dict[str, int] = {}
        for iid, _, _ in left:
            by_item[iid] = by_item.get(iid, 0) + 1
        print(f"{law}: {len(left)} raw patterns")
        for iid, n in by_item.items():
            print(f"  {iid}: {n}")
