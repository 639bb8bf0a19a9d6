"""The batch workers' text cache never changes a result: cached analyses equal cold ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gapcheck import pipeline, textcache

FIXTURES = Path(__file__).resolve().parent / "fixtures"
AS_OF = dt.date(2025, 1, 15)


def _full(doc, lists) -> tuple:  # type: ignore[no-untyped-def]
    rep = pipeline.analyze_document(doc, lists, as_of=AS_OF)
    d = rep.to_dict()
    d.pop("generated_at", None)
    return d, rep.clauses


@pytest.mark.parametrize("size", [3, 4096])  # evicting nearly everything, and keeping everything
def test_cached_analysis_equals_cold(size: int) -> None:
    lists = pipeline.resolve_laws(["all"])
    paths = sorted((FIXTURES / "policies").glob("*.txt"))[:4] + sorted((FIXTURES / "unseen").glob("*.md"))[:2]
    docs = [pipeline.load_source(str(p)) for p in paths]
    cold = [_full(d, lists) for d in docs]
    textcache.clear()
    try:
        with textcache.active(size) as tc:
            assert tc is not None and textcache.current() is tc
            for _ in range(2):  # the second pass finds every text it kept
                for d, want in zip(docs, cold, strict=True):
                    got = _full(d, lists)
                    assert got[0] == want[0]
                    assert got[1] == want[1]  # sentences, labels, entities, scopes of every clause
            assert len(tc) <= size
            assert tc.hits > 0
    finally:
        textcache.clear()
    assert textcache.current() is None  # off again outside the batch chunk


def test_off_by_default_and_with_size_zero() -> None:
    assert textcache.current() is None
    with textcache.active(0) as tc:
        assert tc is None and textcache.current() is None


def test_lru_bound() -> None:
    tc = textcache.TextCache(2)
    for k in "abc":
        tc.put(k, k)
    assert len(tc) == 2 and tc.get("a") is None and tc.get("c") == "c"
    tc.get("b")
    tc.put("d", "d")  # "c" is now the least recently used
    assert tc.get("c") is None and tc.get("b") == "b"
