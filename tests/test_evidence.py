"""Every verdict is explainable: quotes are exact substrings of the lines they name."""

from __future__ import annotations

import json

import pytest

from gapcheck import ingest, pipeline, segment

from .conftest import POLICIES, UNSEEN

STATUSES = {"met", "partial", "missing", "not_applicable", "review"}


@pytest.fixture(scope="module", params=POLICIES + UNSEEN, ids=[p.name for p in POLICIES + UNSEEN])
def report(request):
    return pipeline.analyze(request.param, laws=["all"])


def test_quotes_are_exact_substrings_of_named_lines(report):
    lines = report.document.lines
    items = [e for r in report.results for e in r.evidence + r.related] + list(report.findings)
    assert items
    for e in items:
        assert 1 <= e.line_start <= e.line_end <= len(lines)
        span = "\n".join(lines[e.line_start - 1:e.line_end])
        assert e.quote and e.quote in span, (e.line_start, e.quote)


def test_met_and_partial_always_carry_evidence(report):
    for r in report.results:
        if r.status.value in ("met", "partial"):
            assert r.evidence, f"{r.requirement.id} is {r.status} without evidence"
        if r.status.value == "missing":
            assert not r.evidence
            assert r.recommendation


def test_clauses_cover_text_without_overlap(report):
    doc = report.document
    owner: dict[int, str] = {}
    for ac in report.clauses:
        c = ac.clause
        assert c.text == "\n".join(doc.lines[c.line_start - 1:c.line_end])
        for n in range(c.line_start, c.line_end + 1):
            assert n not in owner, f"line {n} in {owner.get(n)} and {c.id}"
            owner[n] = c.id
    for n, line in enumerate(doc.lines, start=1):
        if line.strip():
            assert n in owner, f"line {n} belongs to no clause"


def test_json_follows_contract(report):
    d = json.loads(json.dumps(report.to_dict()))
    assert d["schema"] == "gapcheck.report/1"
    assert set(d["policy"]) >= {"source", "sha256", "title", "last_updated"}
    assert {x["id"] for x in d["laws"]} == {"gdpr", "ccpa", "dpdp"}
    for r in d["requirements"]:
        assert set(r) >= {"id", "law", "title", "citation", "kind", "severity", "status", "rationale",
                          "recommendation", "evidence"}
        assert r["status"] in STATUSES
        assert r["kind"] in {"mandatory", "conditional", "best_practice"}
        assert r["severity"] in {"high", "medium", "low"}
        assert r["rationale"].endswith(".")
        assert (r["recommendation"] == "") == (r["status"] in ("met", "not_applicable"))
    for f in d["findings"]:
        assert set(f) >= {"id", "severity", "line_start", "line_end", "quote", "message"}
    s = d["summary"]
    assert 0 <= s["score"] <= 100
    assert sum(s[k] for k in STATUSES) == len(d["requirements"])


def test_segmentation_is_deterministic():
    doc = ingest.load(POLICIES[0])
    assert segment.segment(doc) == segment.segment(doc)


def test_a_hit_starting_in_a_list_items_indentation_quotes_the_whole_item():
    """A pattern anchored at the line's start matches from the indentation of an indented bullet, before
    the item's sentence begins: the quote is still the whole item, not the bare match ("* providing")."""
    from gapcheck.annotate import annotate
    from gapcheck.evaluate import quote_at
    from gapcheck.models import Span

    doc = ingest.from_text("Purposes\n\nWe use your data for:\n\n  * providing our products and services to you;\n")
    acs = annotate(segment.segment(doc))
    item = next(ac for ac in acs if "providing" in ac.clause.text)
    start = item.clause.text.index("providing") + len("providing")
    ev = quote_at(item, Span(0, start))
    assert ev is not None and ev.quote == "* providing our products and services to you;"
    assert doc.lines[ev.line_start - 1].find(ev.quote) >= 0
