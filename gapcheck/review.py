"""Reviewer corrections and waivers: a consultant's judgement layered over the automatic verdicts.

A review file (written by `gapcheck annotate`) lists the clause map and the verdicts. The
consultant adds or removes labels on a clause (matched by a hash of its text, so the review
survives edits elsewhere) or overrides a verdict with a reason and their name. Waivers accept a
gap until a date: the gap is shown as accepted, the score is left alone, and the gap comes back
when the waiver expires.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from gapcheck.annotate import TAXONOMY
from gapcheck.errors import GapcheckError
from gapcheck.models import AnnotatedClause, Finding, Report, RequirementResult, Severity, Span, Status


def clause_hash(text: str) -> str:
    """Hash of a clause's text with whitespace folded: stable across re-wrapping and moves."""
    return hashlib.sha256(" ".join(text.split()).lower().encode()).hexdigest()[:16]


@dataclass(frozen=True)
class LabelEdit:
    hash: str
    lines: tuple[int, int]
    add: tuple[str, ...]
    remove: tuple[str, ...]


@dataclass(frozen=True)
class Override:
    id: str
    status: Status
    reason: str
    by: str


@dataclass(frozen=True)
class Review:
    source: str
    edits: tuple[LabelEdit, ...]
    overrides: tuple[Override, ...]


@dataclass(frozen=True)
class Waiver:
    id: str
    reason: str
    by: str
    until: dt.date | None


# --------------------------------------------------------------------- writing

def review_template(report: Report) -> str:
    """YAML for `gapcheck annotate`: the clause map and verdicts, with places for corrections."""
    clauses = []
    for ac in report.clauses:
        c = ac.clause
        clauses.append({
            "clause": c.id, "lines": [c.line_start, c.line_end], "hash": clause_hash(c.text),
            "heading": " / ".join(c.heading_path), "text": " ".join(c.text.split())[:100],
            "labels": sorted(ac.labels), "add_labels": [], "remove_labels": [],
        })
    verdicts = [{"id": r.requirement.id, "status": r.status.value,
                 "lines": sorted({e.line_start for e in r.evidence})} for r in report.results]
    head = ("# gapcheck review file. Correct the analysis, then run:\n"
            "#   gapcheck run POLICY --review THIS_FILE\n"
            "# - add_labels / remove_labels on a clause (labels: see docs/writing-checklists.md)\n"
            "# - override a verdict: add  override: {status: met, reason: \"...\", by: \"Your Name\"}\n"
            "# Clauses are matched by 'hash', so the review survives edits elsewhere in the policy.\n")
    body = {"policy": report.document.source, "sha256": report.document.sha256,
            "clauses": clauses, "verdicts": verdicts}
    return head + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=110, default_flow_style=None)


# --------------------------------------------------------------------- reading

def _err(path: str, msg: str) -> GapcheckError:
    return GapcheckError(f"{path}: {msg}")


def load_review(path: str | Path) -> Review:
    """Parse a review file; only entries with corrections matter."""
    p = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise _err(p, f"cannot read review file ({e.strerror or e})") from e
    except yaml.YAMLError as e:
        raise _err(p, f"invalid YAML ({getattr(e, 'problem', e)})") from e
    if not isinstance(data, dict):
        raise _err(p, "a review file is a mapping with 'clauses' and 'verdicts'")
    edits = []
    for c in data.get("clauses") or []:
        if not isinstance(c, dict):
            raise _err(p, "each clause entry must be a mapping")
        add, rem = tuple(c.get("add_labels") or ()), tuple(c.get("remove_labels") or ())
        for lab in add + rem:
            if lab not in TAXONOMY:
                raise _err(p, f"clause {c.get('clause')}: unknown label {lab!r}")
        if add or rem:
            if not c.get("hash"):
                raise _err(p, f"clause {c.get('clause')}: 'hash' is required to match the clause")
            lines = c.get("lines") or [0, 0]
            edits.append(LabelEdit(str(c["hash"]), (int(lines[0]), int(lines[-1])), add, rem))
    overrides = []
    for v in data.get("verdicts") or []:
        o = v.get("override") if isinstance(v, dict) else None
        if not o:
            continue
        try:
            st = Status(str(o.get("status")))
        except ValueError:
            raise _err(p, f"verdict {v.get('id')}: override status must be one of "
                          f"{', '.join(s.value for s in Status)}") from None
        if not o.get("reason") or not o.get("by"):
            raise _err(p, f"verdict {v.get('id')}: an override needs a reason and the reviewer's name (by)")
        overrides.append(Override(str(v["id"]), st, str(o["reason"]), str(o["by"])))
    return Review(p, tuple(edits), tuple(overrides))


def parse_waivers(items: Iterable[Any], where: str) -> tuple[Waiver, ...]:
    out = []
    for w in items or ():
        if not isinstance(w, dict) or not w.get("id") or not w.get("reason") or not w.get("by"):
            raise _err(where, "each waiver needs id, reason and by (and optionally until: YYYY-MM-DD)")
        until = w.get("until")
        if until is not None and not isinstance(until, dt.date):
            try:
                until = dt.date.fromisoformat(str(until))
            except ValueError:
                raise _err(where, f"waiver {w['id']}: until must be a date YYYY-MM-DD") from None
        out.append(Waiver(str(w["id"]), str(w["reason"]), str(w["by"]), until))
    return tuple(out)


# --------------------------------------------------------------------- applying

def apply_label_edits(ctx: tuple[AnnotatedClause, ...], review: Review) -> tuple[tuple[AnnotatedClause, ...],
                                                                                   tuple[Finding, ...]]:
    """Annotations with the reviewer's labels added/removed, and notices for edits that no longer match."""
    by_hash = {clause_hash(ac.clause.text): i for i, ac in enumerate(ctx)}
    out = list(ctx)
    stale = []
    for e in review.edits:
        i = by_hash.get(e.hash)
        if i is None:
            line = min(max(e.lines[0], 1), ctx[-1].clause.line_end) if ctx else 1
            ac_at = next((a for a in ctx if a.clause.line_start <= line <= a.clause.line_end), ctx[0] if ctx else None)
            if ac_at is not None:
                q = ac_at.clause.text.split("\n")[line - ac_at.clause.line_start].strip() or ac_at.clause.text.strip()
                q = q[:120]
                stale.append(Finding("review-needed-again", Severity.MEDIUM, line, line, q,
                                     f"A reviewed clause (lines {e.lines[0]}-{e.lines[1]} when reviewed) has changed: "
                                     "its label corrections were not applied; review it again."))
            continue
        ac = out[i]
        labels = {k: v for k, v in ac.labels.items() if k not in e.remove}
        whole = ac.sentences[0] if ac.sentences else Span(0, len(ac.clause.text))
        for lab in e.add:
            labels.setdefault(lab, (whole,))
        # a memo of its own, without remembered matcher answers (they may have read the old labels):
        # the new labels must not reach clauses that share the text's memo (gapcheck.textcache)
        memo = {k: v for k, v in ac.memo.items() if not (isinstance(k, str) and k.startswith("node\0"))}
        out[i] = dataclasses.replace(ac, labels=MappingProxyType(labels), entities=ac.entities, memo=memo)
    return tuple(out), tuple(stale)


def apply_overrides(results: tuple[RequirementResult, ...], review: Review | None,
                    waivers: tuple[Waiver, ...], as_of: dt.date) -> tuple[RequirementResult, ...]:
    """Reviewer overrides replace the verdict (marked as such); active waivers mark gaps accepted."""
    ov = {o.id: o for o in (review.overrides if review else ())}
    wv = {w.id: w for w in waivers}
    out = []
    for r in results:
        rid = r.requirement.id
        if rid in ov:
            o = ov[rid]
            r = dataclasses.replace(
                r, status=o.status,
                rationale=f"Overridden by {o.by}: {o.reason.rstrip('.')}. (Automatic verdict: {r.status.value}.)",
                recommendation="" if o.status in (Status.MET, Status.NOT_APPLICABLE) else r.recommendation
                or r.requirement.recommendation,
                override=MappingProxyType({"by": o.by, "reason": o.reason, "automatic_status": r.status.value}))
        w = wv.get(rid)
        if w and r.status in (Status.MISSING, Status.PARTIAL) and (w.until is None or as_of <= w.until):
            r = dataclasses.replace(r, waiver=MappingProxyType({
                "by": w.by, "reason": w.reason, "until": w.until.isoformat() if w.until else None}))
        out.append(r)
    return tuple(out)


def waivers_from(mapping: Mapping[str, Any] | None, where: str) -> tuple[Waiver, ...]:
    return parse_waivers((mapping or {}).get("waivers") or (), where)
