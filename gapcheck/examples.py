"""Run a checklist item's own example sentences: each must give the status it is filed under."""

from __future__ import annotations

import datetime as dt

from gapcheck import annotate, evaluate, ingest, segment
from gapcheck.models import Checklist, Requirement, Status

NOT_ADDRESSED = {Status.MISSING, Status.REVIEW, Status.NOT_APPLICABLE}


def status_of(req: Requirement, text: str, as_of: dt.date | None = None,
              audience: frozenset[str] = frozenset()) -> Status:
    """The status the requirement gets on a document made of `text` alone, as its law sees it."""
    doc = ingest.from_text(text, source="<example>")
    ctx = annotate.annotate(segment.segment(doc))
    audience = evaluate.item_audience(req, audience)
    view = evaluate.LawView(evaluate.scoped_view(ctx, audience), {}, audience)
    return evaluate.evaluate_requirement(req, ctx, {}, as_of=as_of, scoped=view).status


def expected_ok(group: str, got: Status) -> bool:
    """Does status `got` satisfy an example filed under `group` (met/partial/missing/...)?"""
    if group in ("missing",):
        return got in NOT_ADDRESSED
    return got.value == group


def check_examples(cl: Checklist) -> list[str]:
    """Failures as readable lines; todo_* groups are known misses and are not checked here."""
    out = []
    for req in cl.requirements:
        for group, texts in req.examples.items():
            if group.startswith("todo_"):
                continue
            for t in texts:
                got = status_of(req, t, cl.examples_as_of, cl.audience)
                if not expected_ok(group, got):
                    out.append(f"{req.id}: expected {group}, got {got}: {t[:90]!r}")
    return out
