"""Frozen dataclasses and enums that flow between pipeline stages. No formatting code here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class Status(StrEnum):
    MET = "met"
    PARTIAL = "partial"
    MISSING = "missing"
    NOT_APPLICABLE = "not_applicable"
    REVIEW = "review"


class Kind(StrEnum):
    MANDATORY = "mandatory"
    CONDITIONAL = "conditional"
    BEST_PRACTICE = "best_practice"


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True)
class Document:
    """A policy as text. `lines` are the 1-based lines that every line number refers to."""

    source: str
    text: str
    lines: tuple[str, ...]
    sha256: str
    fmt: str
    title: str | None = None
    last_updated: dt.date | None = None
    last_updated_line: int | None = None
    # Extra drafting findings discovered while reading the file (e.g. Word comments).
    ingest_notes: tuple[Finding, ...] = ()
    # The language the text is written in (ISO 639-1, "en" unless another clearly dominates).
    language: str = "en"

    @property
    def line_offsets(self) -> tuple[int, ...]:
        """Character offset in `text` of the start of each line (index 0 = line 1)."""
        offs, pos = [], 0
        for ln in self.lines:
            offs.append(pos)
            pos += len(ln) + 1
        return tuple(offs)


@dataclass(frozen=True)
class Clause:
    id: str
    kind: str  # heading | paragraph | bullet | table
    heading_path: tuple[str, ...]
    line_start: int
    line_end: int
    text: str  # exactly "\n".join(document.lines[line_start-1:line_end])
    lead_in: str = ""  # for a list item: the sentence introducing the list ("You have the right to:")
    scope: str = "all"  # whose text it is (gapcheck.scope): "all", "eea-uk", "california", ...

    @property
    def heading_text(self) -> str:
        return " / ".join(self.heading_path)


@dataclass(frozen=True)
class Span:
    """A character range inside one clause's text."""

    start: int
    end: int


@dataclass(frozen=True)
class AnnotatedClause:
    clause: Clause
    labels: Mapping[str, tuple[Span, ...]]  # label -> spans in clause text that triggered it
    heading_labels: frozenset[str]  # labels found in the heading path (context)
    sentences: tuple[Span, ...]
    entities: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    match_text: str = ""  # clause text with junk runs blanked (same offsets); what matchers search
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # per-clause pattern results
    sentence_scopes: tuple[str, ...] = ()  # the scope of each sentence (aligned with `sentences`)
    # answers that depend on the clause's place (its heading path), never on its text alone: kept apart
    # from `memo`, whose text-only results a batch worker may share between documents (gapcheck.textcache)
    context_memo: dict = field(default_factory=dict, compare=False, repr=False)

    def scope_at(self, pos: int) -> str:
        """The scope of the sentence containing character `pos` (the clause's own scope otherwise)."""
        for s, sc in zip(self.sentences, self.sentence_scopes, strict=False):
            if s.start <= pos < s.end:
                return sc
        return self.clause.scope

    @property
    def all_labels(self) -> frozenset[str]:
        return frozenset(self.labels) | self.heading_labels


@dataclass(frozen=True)
class Evidence:
    clause: str
    line_start: int
    line_end: int
    quote: str
    scope: str = "all"  # whose text the quote is (gapcheck.scope): "all", "eea-uk", "california", ...

    def to_dict(self) -> dict[str, Any]:
        return {"clause": self.clause, "line_start": self.line_start, "line_end": self.line_end,
                "quote": self.quote, "scope": self.scope}


@dataclass(frozen=True)
class Requirement:
    """One checklist item, as loaded and validated from YAML."""

    id: str
    law: str
    title: str
    citation: str
    kind: Kind
    severity: Severity
    recommendation: str
    area: str
    matcher: Any  # gapcheck.checklists.Matcher (met_when)
    partial: Any = None  # Matcher | None
    not_applicable: Any = None  # Matcher | None
    # Matcher | None: text that leaves an unaddressed item for the consultant to confirm, not a gap
    # ("we neither sell nor share" for the opt-out-signal duty, which then may not apply)
    review: Any = None
    # a fact about the processing ("our servers are in the US") holds for every reader whichever
    # section states it, so the item reads all clauses in full, not only those for its law's people
    any_section: bool = False
    applies_when: tuple[str, ...] = ()  # profile facts; any true -> applies
    applies_text: Any = None  # Matcher | None: text that shows the condition holds (settles it without a profile)
    effective_from: dt.date | None = None
    rationale: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    notes: str = ""
    examples: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    source: str = ""  # file:line where it was defined
    unaddressed: Status | None = None  # status when nothing matches (default: missing; conditional: review)


@dataclass(frozen=True)
class Checklist:
    law: str
    name: str
    version: str
    requirements: tuple[Requirement, ...]
    source: str
    digest: str = ""  # sha256 of the YAML text: tells a re-check that the checklist changed
    examples_as_of: dt.date | None = None  # check date for running the examples (date-dependent items)
    audience: frozenset[str] = frozenset()  # scopes whose people the law protects (empty: every text counts)


@dataclass(frozen=True)
class RequirementResult:
    requirement: Requirement
    status: Status
    rationale: str
    recommendation: str
    evidence: tuple[Evidence, ...]
    upcoming: bool = False  # not yet in force on the check date
    override: Mapping[str, str] | None = None  # a reviewer replaced the automatic verdict
    waiver: Mapping[str, str | None] | None = None  # the gap is accepted until a date
    related: tuple[Evidence, ...] = ()  # for gaps without evidence: where a reader would look

    @property
    def accepted(self) -> bool:
        return self.waiver is not None

    def to_dict(self) -> dict[str, Any]:
        r = self.requirement
        d: dict[str, Any] = {
            "id": r.id, "law": r.law, "title": r.title, "citation": r.citation,
            "kind": str(r.kind), "severity": str(r.severity), "area": r.area,
            "status": str(self.status), "rationale": self.rationale,
            "recommendation": self.recommendation,
            "evidence": [e.to_dict() for e in self.evidence],
            "effective_from": r.effective_from.isoformat() if r.effective_from else None,
            "upcoming": self.upcoming,
            "override": dict(self.override) if self.override else None,
            "waiver": dict(self.waiver) if self.waiver else None,
            "accepted": self.accepted,
            "related": [e.to_dict() for e in self.related],
        }
        return d


@dataclass(frozen=True)
class Finding:
    id: str
    severity: Severity
    line_start: int
    line_end: int
    quote: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "severity": str(self.severity), "line_start": self.line_start,
                "line_end": self.line_end, "quote": self.quote, "message": self.message}


@dataclass(frozen=True)
class LawResult:
    checklist: Checklist
    results: tuple[RequirementResult, ...]
    score: float


@dataclass(frozen=True)
class Report:
    document: Document
    clauses: tuple[AnnotatedClause, ...]
    laws: tuple[LawResult, ...]
    findings: tuple[Finding, ...]
    generated_at: dt.datetime
    as_of: dt.date
    tool_version: str
    changes: Changes | None = None  # set when a previous check of the same policy exists

    @property
    def results(self) -> tuple[RequirementResult, ...]:
        return tuple(r for lr in self.laws for r in lr.results)

    def counts(self) -> dict[str, int]:
        return status_counts(self.results)

    @property
    def score(self) -> float:
        """Severity-weighted score over all laws (same formula as each law's score). For a policy in
        another language, rows that could not be read count as gaps, as in each law's own score."""
        if self.document.language != "en" and self.laws:  # each law's score already counts unread rows
            n = sum(len(lr.results) for lr in self.laws)
            return sum(lr.score * len(lr.results) for lr in self.laws) / n if n else 100.0
        return score(self.results)

    def to_dict(self) -> dict[str, Any]:
        """The one place where the JSON contract (schema gapcheck.report/1) is produced."""
        d = self.document
        summary: dict[str, Any] = {"score": round(self.score, 1), **self.counts(),
                                   "findings": len(self.findings)}
        summary["by_law"] = {lr.checklist.law: {"score": round(lr.score, 1),
                                                **status_counts(lr.results)} for lr in self.laws}
        return {
            "schema": "gapcheck.report/1",
            "tool": {"name": "gapcheck", "version": self.tool_version},
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "as_of": self.as_of.isoformat(),
            "policy": {
                "source": d.source, "sha256": d.sha256, "title": d.title,
                "last_updated": d.last_updated.isoformat() if d.last_updated else None,
                "format": d.fmt, "lines": len(d.lines), "language": d.language,
            },
            "laws": [{"id": lr.checklist.law, "name": lr.checklist.name,
                      "checklist_version": lr.checklist.version} for lr in self.laws],
            "requirements": [r.to_dict() for r in self.results],
            "findings": [f.to_dict() for f in self.findings],
            "summary": summary,
            "changes": self.changes.to_dict() if self.changes else None,
        }


@dataclass(frozen=True)
class StatusChange:
    id: str
    law: str
    title: str
    before: str | None  # None: requirement did not exist in the earlier check
    after: str | None


@dataclass(frozen=True)
class Changes:
    """What changed between two checks of the same policy."""

    from_check: int
    to_check: int | None
    from_time: str
    text_changed: bool
    checklist_changed: tuple[str, ...]  # laws whose checklist differs
    gaps_closed: tuple[StatusChange, ...]
    new_gaps: tuple[StatusChange, ...]
    moved: tuple[StatusChange, ...]  # any other status change
    findings_fixed: tuple[dict, ...]
    findings_new: tuple[dict, ...]
    text_diff: tuple[str, ...]  # short unified diff of changed clauses
    score_before: float | None = None
    score_after: float | None = None

    @property
    def empty(self) -> bool:
        return not (self.text_changed or self.checklist_changed or self.gaps_closed or self.new_gaps
                    or self.moved or self.findings_fixed or self.findings_new)

    def to_dict(self) -> dict[str, Any]:
        def sc(x: StatusChange) -> dict[str, Any]:
            return {"id": x.id, "law": x.law, "title": x.title, "before": x.before, "after": x.after}

        return {
            "from_check": self.from_check, "to_check": self.to_check, "from_time": self.from_time,
            "text_changed": self.text_changed, "checklist_changed": list(self.checklist_changed),
            "gaps_closed": [sc(x) for x in self.gaps_closed], "new_gaps": [sc(x) for x in self.new_gaps],
            "status_moved": [sc(x) for x in self.moved],
            "findings_fixed": list(self.findings_fixed), "findings_new": list(self.findings_new),
            "text_diff": list(self.text_diff),
            "score_before": self.score_before, "score_after": self.score_after,
        }


def status_counts(results: tuple[RequirementResult, ...]) -> dict[str, int]:
    """How many results have each status (every status present, zero included)."""
    c = {s.value: 0 for s in Status}
    for r in results:
        c[r.status.value] += 1
    return c


#: The score's weights live beside the data they weigh, so models imports no pipeline stage.
SEVERITY_WEIGHT = {Severity.HIGH: 3.0, Severity.MEDIUM: 2.0, Severity.LOW: 1.0}
STATUS_VALUE = {Status.MET: 1.0, Status.PARTIAL: 0.5, Status.MISSING: 0.0}


def score(results: Iterable[RequirementResult]) -> float:
    """0-100, severity-weighted; not_applicable and review do not count.

    Here rather than in evaluate so that `Report.score` needs no import of a pipeline stage.
    """
    num = den = 0.0
    for r in results:
        if r.status not in STATUS_VALUE:
            continue
        w = SEVERITY_WEIGHT[r.requirement.severity]
        num += w * STATUS_VALUE[r.status]
        den += w
    return 100.0 * num / den if den else 100.0
