"""The literal pre-filter may skip a search only when the pattern cannot match (gapcheck.prefilter)."""

from __future__ import annotations

import re

import pytest

from gapcheck import annotate, checklists, pipeline
from gapcheck.prefilter import INDEX, compile_need, fold, required

TRICKY = ["ſtore KEEP İnformation ıd", "E-MAİL us at x@y.com", "call ١٢٣ ٤٥٦ ٧٨٩٠ or +४९ 30 1234567",
          "Tel. 030 123456, 1-800-555-0199", "foo (at) bar [dot] com", "Last updated: ١٢ March ٢٠٢٥",
          "We keep data for 30 days.\u00a0Right\tto   access.", "RIGHT TO KNOW", "ＡＢＣ　full-width"]


def _patterns() -> dict[str, re.Pattern[str]]:
    out: dict[str, re.Pattern[str]] = {}

    def walk(m: object) -> None:
        if isinstance(m, checklists.Regex):
            out[m.rx.pattern] = m.rx
        for c in [*getattr(m, "children", ()), *(getattr(m, a) for a in ("child", "frame", "item") if hasattr(m, a))]:
            walk(c)

    for cl in pipeline.resolve_laws(["all"]):
        for r in cl.requirements:
            for m in (r.matcher, r.partial, r.not_applicable, r.applies_text):
                if m is not None:
                    walk(m)
    for rx in [*annotate._TAX.values(), *annotate.ENTITY_RES.values()]:
        out[rx.pattern] = rx
    return out


def _texts() -> list[str]:
    texts = list(TRICKY)
    for cl in pipeline.resolve_laws(["all"]):
        for r in cl.requirements:
            for v in r.examples.values():
                texts += v
    for c in checklists.lexicon().values():
        for v in c.examples.values():
            texts += v
    return texts


def test_fold_maps_what_ignorecase_matches():
    assert fold("İıſK") == "iisk"
    assert fold("Room 42, ٣") == "room 00, 0"
    assert fold("Right \n\u00a0to\tknow") == "right to know"


def test_a_skipped_search_never_had_a_match():
    pats = _patterns()
    needs = {p: required(p, rx.flags) for p, rx in pats.items()}
    for n in needs.values():
        INDEX.add(n)
    checks = {p: compile_need(n) for p, n in needs.items() if n is not None}
    missed = []
    for text in _texts():
        present = INDEX.present(fold(text))
        missed += [(p, text) for p, can in checks.items() if not can(present) and pats[p].search(text)]
    assert not missed, missed[:3]


@pytest.mark.parametrize("pattern,text", [
    (r"\bright\s+to\s+(access|know)\b", "You have the RIGHT to  know."),
    (r"[\w.+-]+@[\w-]+\.\w+", "mail x@y.de"),
    (r"\b\d{1,2}\s+days\b", "within 30 days"),
    (r"(?-i:\bPAN\b)", "your PAN card"),
    (r"(?<!reserve the )\brights?\b", "your rights"),
    (r"\bright\s+to\s*be\s\s?forgotten\b", "the Right \n to be\t forgotten"),
])
def test_needs_hold_on_matches(pattern, text):
    rx = re.compile(pattern, re.IGNORECASE)
    need = required(pattern, rx.flags)
    assert rx.search(text) and need is not None
    INDEX.add(need)
    assert compile_need(need)(INDEX.present(fold(text)))
