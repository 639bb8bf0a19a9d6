"""Every checklist item's example sentences are tests: adding an item adds its tests."""

from __future__ import annotations

import pytest

from gapcheck import checklists, examples

ITEMS = [(law, r) for law in checklists.packaged_laws() for r in checklists.load_law(law).requirements]
AS_OF = {law: checklists.load_law(law).examples_as_of for law in checklists.packaged_laws()}
AUDIENCE = {law: checklists.load_law(law).audience for law in checklists.packaged_laws()}
CASES = [
    pytest.param(r, group, text, id=f"{r.id}-{group}-{i}",
                 marks=[pytest.mark.xfail(strict=True, reason="known miss")] if group.startswith("todo_") else [])
    for _, r in ITEMS for group, texts in r.examples.items() for i, text in enumerate(texts)
]


@pytest.mark.parametrize(("req", "group", "text"), CASES)
def test_example(req, group, text):
    got = examples.status_of(req, text, AS_OF[req.law], AUDIENCE[req.law])
    assert examples.expected_ok(group.removeprefix("todo_"), got), f"{req.id}: {text!r} gave {got}"


@pytest.mark.parametrize(("law", "req"), ITEMS, ids=[r.id for _, r in ITEMS])
def test_every_item_has_examples(law, req):
    assert req.examples.get("met"), f"{req.id} has no met example"
    assert any(req.examples.get(k) for k in ("missing", "partial", "not_applicable", "review")), \
        f"{req.id} has no negative example"


CONCEPT_CASES = [pytest.param(c, group, text, id=f"{c.name}-{group}-{i}")
                 for c in checklists.lexicon().values() for group in ("match", "no_match")
                 for i, text in enumerate(c.examples.get(group, ()))]


@pytest.mark.parametrize(("concept", "group", "text"), CONCEPT_CASES)
def test_lexicon_example(concept, group, text):
    """Every phrasing of the shared vocabulary carries examples, and each is a test."""
    from gapcheck.checklists import Regex

    found = Regex(list(concept.patterns)).rx.search(text)
    assert bool(found) == (group == "match"), f"{concept.name}: {text!r} ({'no ' if not found else ''}match)"


def test_every_concept_has_examples_both_ways():
    for c in checklists.lexicon().values():
        assert c.means and c.examples.get("match") and c.examples.get("no_match"), c.name


def test_annotation_labels_and_topics_are_the_lexicon_concepts():
    """annotate.TAXONOMY and HEADING_TOPICS are the `label.*` and `topic.*` concepts of
    checklists/lexicon/labels.yaml, one pattern each, same names and order, so the two cannot drift."""
    from gapcheck import annotate

    lex = checklists.lexicon()
    for prefix, table in (("label", annotate.TAXONOMY), ("topic", annotate.HEADING_TOPICS)):
        concepts = {n.removeprefix(prefix + "."): c for n, c in lex.items() if n.startswith(prefix + ".")}
        assert list(table) == list(concepts), prefix
        assert table, prefix
        for name, c in concepts.items():
            assert len(c.patterns) == 1, f"{c.name}: one pattern per {prefix}"
            assert table[name] == c.patterns[0], c.name
