"""Drafting defects, independent of any law (placeholder; replaced below)."""

from __future__ import annotations

import datetime as dt

from gapcheck.models import AnnotatedClause, Document, Finding


def check(doc: Document, ctx: tuple[AnnotatedClause, ...], as_of: dt.date) -> tuple[Finding, ...]:
    return ()
