"""Verdicts do not depend on how the text is wrapped: a hard-wrapped copy (plain-text e-mail, PDF
extraction) of each sample policy gives (almost) the same statuses, and never a new 'met'."""

from __future__ import annotations

import textwrap

import pytest

from gapcheck import ingest, pipeline

from .conftest import POLICIES


def _hard_wrap(src: str, width: int = 72) -> str:
    out: list[str] = []
    for line in src.splitlines():
        if len(line) > width + 8 and not line.lstrip().startswith(("|", "#", "-", "*", "•")):
            out.extend(textwrap.wrap(line, width) or [""])
        else:
            out.append(line)
    return "\n".join(out)


@pytest.fixture(scope="module")
def lists():
    return pipeline.resolve_laws(["all"])


def test_hard_wrapped_policies_keep_their_verdicts(lists):
    changed, total = [], 0
    for p in POLICIES:
        src = p.read_text(encoding="utf-8")
        a = pipeline.analyze_document(ingest.from_text(src), lists)
        b = pipeline.analyze_document(ingest.from_text(_hard_wrap(src)), lists)
        wrapped = {r.requirement.id: r.status.value for r in b.results}
        for r in a.results:
            total += 1
            if wrapped[r.requirement.id] != r.status.value:
                changed.append((p.name, r.requirement.id, r.status.value, wrapped[r.requirement.id]))
                assert wrapped[r.requirement.id] != "met", f"wrapping created a 'met': {changed[-1]}"
        for ev in (e for r in b.results for e in r.evidence):  # quotes may span the wrapped lines
            assert ev.quote in "\n".join(b.document.lines[ev.line_start - 1:ev.line_end])
    assert len(changed) <= total // 100, changed
