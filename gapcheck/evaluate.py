"""Decide each requirement's status from the annotated clauses, with evidence.

Decision order: met_when -> not_applicable_when -> partial_when -> review_when -> (conditional:
profile facts, else review) -> missing. A verdict without a supporting quote is never "met" unless the matcher
itself is a pure absence test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import NamedTuple

from gapcheck.checklists import CHECK_DATE, FOUND_MEMO, MEMO_MAX_CLAUSES, MEMOIZE, NODE_MEMO, view_base
from gapcheck.models import (
    AnnotatedClause,
    Checklist,
    Clause,
    Evidence,
    Kind,
    LawResult,
    Requirement,
    RequirementResult,
    Span,
    Status,
    score,
)
from gapcheck.scope import ELSEWHERE, MINORS, ORDER, covers, describe

MAX_EVIDENCE = 4
MAX_QUOTE = 300


def evidence_for(ctx: tuple[AnnotatedClause, ...], hits: Iterable[tuple[int, Span]],
                 limit: int = MAX_EVIDENCE) -> tuple[Evidence, ...]:
    """Turn matcher hits into quotes: the sentence around each hit, on its own line, deduplicated."""
    # Hits come in matcher order, so the branch that decided the verdict is quoted first; the
    # quotes kept are then shown in reading order.
    # One quote per sentence. A sentence hit by several leaves of the matcher (say, "retain" and
    # "30 days") is better evidence than one hit by a single word, so it ranks first; ties keep
    # matcher order, so the branch that decided the verdict comes before looser ones.
    # (a loop, not next() over a generator, and a group made only when new: some items have a hundred hits)
    groups: dict[tuple[int, int], list] = {}
    for order, (ci, span) in enumerate(hits):
        at = sent = span.start
        s = _sentence_of(ctx[ci], span)
        if s is not None:
            sent = s.start
        g = groups.get((ci, sent))
        if g is None:
            groups[(ci, sent)] = [order, {(at, span.end)}, ci, span]
        else:
            g[1].add((at, span.end))
    # A heading names a topic; the sentences under it say what the policy does. Headings are quoted
    # only when nothing else supports the verdict.
    # Only "one hit or more than one" counts: a footer of six links (six hits of one leaf) must not
    # outrank the sentence that holds both the complaint channel and its deadline.
    ranked = sorted(groups.values(), key=lambda g: (-min(len(g[1]), 2), g[0]))
    body = [g for g in ranked if not _topic_heading(ctx[g[2]].clause)]
    out: list[Evidence] = []
    for _, _spans, ci, span in body or ranked:
        ev = quote_at(ctx[ci], span)
        if ev is None:
            continue
        out.append(ev)
        if len(out) >= limit:
            break
    return tuple(sorted(out, key=lambda e: (e.line_start, e.clause)))


def _topic_heading(clause: Clause) -> bool:
    """A heading that names a topic; a dated header line ("**Updated: April 17, 2023**") is content."""
    if clause.kind != "heading":  # (asked of every quoted sentence: no import statement run for those)
        return False
    from gapcheck.ingest import DATE_RE

    return DATE_RE.search(clause.text) is None


def _sentence_of(ac: AnnotatedClause, span: Span) -> Span | None:
    """The sentence holding the hit: the first one the span reaches into. A pattern anchored at the line's
    start ("^\\s*[*-]\\s+providing") begins in the indentation of a list item, before its sentence starts,
    and would otherwise be quoted as the bare match ("* providing")."""
    for s in ac.sentences:
        if s.start <= span.start < s.end or span.start < s.start < span.end:
            return s
    return None


_TAG = (r"</?(?:p|li|ul|ol|dl|dt|dd|div|span|br|h[1-6]|strong|b|em|i|u|a|small|table|tr|td|th|section|address)\b"
        r"[^<>\n]{0,200}>")
_EDGE_TAGS = re.compile(rf"^(?:\s*{_TAG})+|(?:{_TAG}\s*)+$", re.IGNORECASE)


def quote_at(ac: AnnotatedClause, span: Span) -> Evidence | None:
    """The sentence containing `span`, clipped to MAX_QUOTE characters around the hit."""
    text = ac.clause.text
    sent = _sentence_of(ac, span)
    a, b = (sent.start, sent.end) if sent else (span.start, span.end)
    # a sentence of a hard-wrapped paragraph may run over several lines: the quote names them all
    if b - a > MAX_QUOTE:
        mid = (span.start + min(span.end, b)) // 2
        a2 = max(a, mid - MAX_QUOTE // 2)
        b2 = min(b, a2 + MAX_QUOTE)
        # snap to word boundaries
        while a2 > a and not text[a2 - 1].isspace():
            a2 += 1
            if a2 >= b2:
                break
        while b2 < b and b2 > a2 and not text[b2].isspace():
            b2 -= 1
        a, b = a2, b2
    quote = text[a:b].strip()
    # a page written in HTML tags: the quote is the sentence, not the "<p>" or "</li>\n</ul>" around it
    quote = _EDGE_TAGS.sub("", quote).strip() or quote
    if not quote:
        return None
    a = text.index(quote, a)
    line = ac.clause.line_start + text.count("\n", 0, a)
    return Evidence(clause=ac.clause.id, line_start=line, line_end=line + quote.count("\n"), quote=quote,
                    scope=ac.scope_at(a))


#: Where to look for each area when nothing was found (heading topics first, then sentence labels).
AREA_LABELS: dict[str, tuple[str, ...]] = {
    "identity": ("controller", "contact"), "collection": ("collection", "data_items"),
    "purposes": ("purposes",), "legal_basis": ("legal_basis",), "recipients": ("recipients",),
    "sale_sharing": ("sale", "sharing_ccpa"), "retention": ("retention",), "rights": ("rights",),
    "requests": ("request_methods", "verification", "authorized_agent"),
    "contacts": ("contact", "dpo", "grievance"), "complaints": ("complaint_authority", "grievance"),
    "transfers": ("transfers",), "children": ("children",), "security": ("security",),
    "cookies_tracking": ("cookies", "dnt", "gpc"), "changes": ("changes",),
    "automated_decisions": ("automated_decisions",),
}


class LawView(NamedTuple):
    """The clauses as one law sees them, the match cache for that view, and the law's audience."""

    ctx: tuple[AnnotatedClause, ...]
    cache: dict
    audience: frozenset[str]


def scoped_view(ctx: tuple[AnnotatedClause, ...], audience: frozenset[str]) -> tuple[AnnotatedClause, ...]:
    """The clauses as a law sees them: sentences for other groups blanked (same offsets), their
    labels dropped, and wholly foreign clauses without heading context. Returns `ctx` itself when
    every sentence speaks to the law's people (the common case: no second pass needed)."""
    if not audience:
        return ctx
    return _build_view(ctx, _view_plan(ctx, _good_scopes(ctx, audience)))


#: What a view blanks: per changed clause (index, whole clause, the foreign sentences).
ViewPlan = tuple[tuple[int, bool, tuple[Span, ...]], ...]


def _good_scopes(ctx: tuple[AnnotatedClause, ...], audience: frozenset[str]) -> frozenset[str]:
    """The document's scopes that speak to the audience: a document has a handful of scopes, each tested
    once, and a view depends on the audience only through them."""
    return frozenset(sc for sc in _scopes(ctx) if covers(sc, audience))


def _scopes(ctx: tuple[AnnotatedClause, ...]) -> frozenset[str]:
    """Every scope of the document's clauses and sentences."""
    return frozenset({ac.clause.scope for ac in ctx}.union(*(ac.sentence_scopes for ac in ctx)))


def _view_plan(ctx: tuple[AnnotatedClause, ...], good: frozenset[str]) -> ViewPlan:
    """The clauses a view changes and how (see scoped_view); () when it changes none."""
    plan = []
    for i, ac in enumerate(ctx):
        if ac.clause.scope in good and good.issuperset(ac.sentence_scopes):
            continue  # a clause whose scopes all speak to the audience: one C-level test, no call per sentence
        foreign = tuple(sp for sp, sc in zip(ac.sentences, ac.sentence_scopes, strict=False) if sc not in good)
        whole = ac.clause.scope not in good and (not ac.sentences or len(foreign) == len(ac.sentences))
        if foreign or whole:
            plan.append((i, whole, foreign))
    return tuple(plan)


def _build_view(ctx: tuple[AnnotatedClause, ...], plan: ViewPlan) -> tuple[AnnotatedClause, ...]:
    """`ctx` with the plan's clauses blanked; `ctx` itself for an empty plan."""
    if not plan:
        return ctx
    out = list(ctx)
    for i, whole, foreign in plan:
        ac = ctx[i]
        text = ac.match_text or ac.clause.text
        chars = list(text)
        spans = [Span(0, len(text))] if whole else foreign
        for sp in spans:
            for k in range(sp.start, sp.end):
                if chars[k] != "\n":
                    chars[k] = " "
        blank = "".join(chars)
        labels = {k: tuple(x for x in v if not any(sp.start <= x.start < sp.end for sp in spans))
                  for k, v in ac.labels.items()}
        clause = ac.clause
        if whole:
            clause = dataclasses.replace(clause, text=blank, heading_path=(), lead_in="")
        out[i] = dataclasses.replace(
            ac, clause=clause, match_text=blank, memo={}, context_memo={},
            labels=MappingProxyType({k: v for k, v in labels.items() if v}),
            heading_labels=frozenset() if whole else ac.heading_labels)
    return tuple(out)


def shared_view(ctx: tuple[AnnotatedClause, ...], cache: dict, audience: frozenset[str]
                ) -> tuple[tuple[AnnotatedClause, ...], dict]:
    """scoped_view with its match cache, made once per document for every audience that blanks the same
    sentences: the laws' audiences and their 'minors' variants mostly do, and a view built anew per law
    and audience had fresh clause memos, so each of its changed clauses was scanned again for every
    pattern. A view's matches depend on its clauses alone, so sharing them changes no answer."""
    if not audience:
        return ctx, cache
    scopes = cache.get("view-scopes")
    if scopes is None:
        scopes = cache["view-scopes"] = _scopes(ctx)
    key = ("view-good", frozenset(sc for sc in scopes if covers(sc, audience)))
    plan = cache.get(key)
    if plan is None:
        plan = cache[key] = _view_plan(ctx, key[1])
    if not plan:
        return ctx, cache
    got = cache.get(("view", plan))
    if got is None:
        sctx = _build_view(ctx, plan)
        scache: dict = {}
        view_base(ctx, cache, sctx, scache)
        got = cache[("view", plan)] = (sctx, scache)
    return got


def related_clauses(req: Requirement, ctx: tuple[AnnotatedClause, ...], limit: int = 2) -> tuple[Evidence, ...]:
    """The clauses nearest in topic to a requirement the policy does not meet: where one would look."""
    order = AREA_LABELS.get(req.area, ())  # a tuple, not a set: the quote chosen must not depend on hash seeds
    labels = set(order)
    if not labels:
        return ()
    scored = []
    for i, ac in enumerate(ctx):
        if ac.clause.kind == "heading":
            continue
        # 2 per topic of the heading context, 1 per sentence label: counted over the area's two or three
        # labels (building a set of every clause's labels cost more than the rest of the search)
        heading, own = ac.heading_labels, ac.labels
        score = 0
        for lab in labels:
            if lab in heading:
                score += 2
            if lab in own:
                score += 1
        if score:
            scored.append((-score, i))
    out = []
    for _, i in sorted(scored)[:limit]:
        ac = ctx[i]
        hit = next((s for lab in order for s in ac.labels.get(lab, ())), ac.sentences[0] if ac.sentences else None)
        ev = quote_at(ac, hit) if hit else None
        if ev:
            out.append(ev)
    return tuple(sorted(out, key=lambda e: e.line_start))


def _short(quote: str, words: int = 14) -> str:
    w = quote.split()
    return " ".join(w[:words]) + (" ..." if len(w) > words else "")


def _lines(ev: tuple[Evidence, ...]) -> str:
    nums = sorted({e.line_start for e in ev})
    if not nums:
        return ""
    return ("line " if len(nums) == 1 else "lines ") + ", ".join(str(n) for n in nums)


DEFAULT_RATIONALE = {
    Status.MET: "The policy addresses this requirement in full",
    Status.PARTIAL: "The policy deals with this only in part",
    Status.MISSING: "Nothing in the policy addresses this requirement",
    Status.NOT_APPLICABLE: "The policy states facts that take this requirement out of scope",
    Status.REVIEW: "The policy does not address this, and whether it applies depends on facts about "
                   "the business that the text does not settle",
}


#: areas whose rows promise the reader something (a right, a complaint route): a sentence must offer it
_OFFERED = frozenset({"rights", "complaints"})


def _announced(ac: AnnotatedClause, sp: Span) -> bool:
    """Does the hit lie in a heading or in a sentence describing what the policy covers?"""
    if ac.clause.kind == "heading":
        return True
    over = ac.labels.get("overview")
    if not over:
        return False
    sent = next((s for s in ac.sentences if s.start <= sp.start < s.end), None)
    return sent is not None and any(o.start < sent.end and sent.start < o.end for o in over)


def evaluate_requirement(req: Requirement, ctx: tuple[AnnotatedClause, ...], cache: dict,
                         profile: Mapping[str, bool] | None = None,
                         as_of: dt.date | None = None,
                         scoped: LawView | None = None) -> RequirementResult:
    """Status, rationale, recommendation and evidence for one requirement.

    `scoped` is the law's view of the clauses (see scoped_view) with its own match cache and the
    law's audience; without it every clause counts in full.
    """
    profile = profile or {}
    token = CHECK_DATE.set(as_of)
    try:
        return _evaluate(req, ctx, cache, profile, as_of, scoped or LawView(ctx, cache, frozenset()))
    finally:
        CHECK_DATE.reset(token)


def _evaluate(req: Requirement, ctx: tuple[AnnotatedClause, ...], cache: dict, profile: Mapping[str, bool],
              as_of: dt.date | None, scoped: LawView) -> RequirementResult:
    status: Status
    sctx, scache, audience = scoped
    if req.any_section:  # a fact about the processing, true for every reader wherever it is written
        sctx, scache = ctx, cache
    foreign: set[str] = set()  # met only in text for another group: at most partial, and the rationale says whose
    settled: tuple[Evidence, ...] = ()  # text showing that a conditional item applies
    hits = req.matcher.doc(sctx, scache)
    if hits and req.area in _OFFERED and all(_announced(sctx[i], sp) for i, sp in hits):
        # a heading ("How to request deletion") or the policy's overview ("it also describes your
        # choices regarding access and correction") names a right that the text may not give: a
        # right needs a sentence offering it, so these alone are partial
        status = Status.PARTIAL
        hits = (req.partial.doc(ctx, cache) or []) + hits if req.partial else hits
    elif hits is not None:
        status = Status.MET
    else:
        hits = req.not_applicable.doc(sctx, scache) if req.not_applicable else None
        if hits is not None and req.kind == Kind.CONDITIONAL:
            status = Status.NOT_APPLICABLE
        else:
            hits = req.matcher.doc(ctx, cache) if sctx is not ctx else None
            if hits is None:
                hits = req.partial.doc(ctx, cache) if req.partial else None
            if hits is not None:
                status = Status.PARTIAL
            elif req.review is not None and (hits := req.review.doc(sctx, scache)) is not None \
                    and applies(req, profile) is not True:
                status = Status.REVIEW
            else:
                hits = []
                status = _unaddressed(req, profile)
                if status == Status.REVIEW and req.applies_text is not None and applies(req, profile) is None:
                    shown = req.applies_text.doc(sctx, scache)
                    if shown is not None:  # the text itself shows the condition holds: a gap
                        status = Status.MISSING
                        settled = evidence_for(ctx, shown, limit=1)
    quoted = (Status.MET, Status.PARTIAL, Status.NOT_APPLICABLE, Status.REVIEW)
    evidence = evidence_for(ctx, hits) if status in quoted else ()
    if status == Status.PARTIAL and sctx is not ctx and evidence and \
            not any(covers(e.scope, audience) for e in evidence):
        foreign = {e.scope for e in evidence}
    text = req.rationale.get(status.value) or DEFAULT_RATIONALE[status]
    if foreign == {ELSEWHERE}:
        text = ("The policy sends this request to another organisation and does not offer it itself; state "
                "what the business does when it is asked")
    elif foreign:
        # each group once, in the report's order ("California residents and residents of other US states" for
        # the scopes "california+us-other" and "us-other")
        groups = {t for s in foreign for t in s.split("+")}
        text = (f"The policy says this only for {describe('+'.join(t for t in ORDER if t in groups))}, not for "
                "everyone this law protects; "
                "state it for all readers or in a section for them")
    where = _lines(evidence)
    if status == Status.REVIEW and req.applies_when:
        text += f" (settle it with --profile: {', '.join(req.applies_when)})"
    if status == Status.NOT_APPLICABLE and not evidence and req.applies_when:
        text = "The business profile states this requirement does not apply"
    elif status == Status.MISSING and settled:
        text = (f"The policy shows that this applies (line {settled[0].line_start}: \"{_short(settled[0].quote)}\"), "
                "but " + text[0].lower() + text[1:])
    elif status == Status.MISSING and req.kind == Kind.CONDITIONAL and req.applies_when:
        text = "The business profile says this applies, but " + text[0].lower() + text[1:]
    rationale = text.rstrip(".") + (f" ({where})." if where else ".")
    if status in (Status.MET, Status.NOT_APPLICABLE):
        rec = ""
    elif status == Status.REVIEW:
        rec = "Confirm whether this applies to the business; if it does: " + req.recommendation
    else:
        rec = req.recommendation
    upcoming = bool(req.effective_from and as_of and as_of < req.effective_from)
    related: tuple[Evidence, ...] = ()
    if status in (Status.MISSING, Status.REVIEW):  # the same for every item of an area: found once per document
        key = ("related", req.area)
        related = cache.get(key)  # type: ignore[assignment]
        if related is None:
            related = cache[key] = related_clauses(req, ctx)
    return RequirementResult(requirement=req, status=status, rationale=rationale, recommendation=rec,
                             evidence=evidence, upcoming=upcoming, related=related)


def applies(req: Requirement, profile: Mapping[str, bool]) -> bool | None:
    """Whether the profile says a conditional item applies: all its conditions hold ('!fact' = not fact).

    False as soon as one known condition fails; None while any condition is unknown.
    """
    if not req.applies_when:
        return None
    unknown = False
    for cond in req.applies_when:
        fact, want = (cond[1:], False) if cond.startswith("!") else (cond, True)
        if fact not in profile:
            unknown = True
        elif profile[fact] != want:
            return False
    return None if unknown else True


def _unaddressed(req: Requirement, profile: Mapping[str, bool]) -> Status:
    if req.kind != Kind.CONDITIONAL:
        return req.unaddressed or Status.MISSING
    a = applies(req, profile)
    if a is True:
        return Status.MISSING
    if a is False:
        return Status.NOT_APPLICABLE
    return req.unaddressed or Status.REVIEW



def item_audience(req: Requirement, audience: frozenset[str]) -> frozenset[str]:
    """Whose text an item reads: the law's people, and for the items about children and the contacts
    also what is said of a child's data (scope "minors"); for the other items that is a parent's
    right over a child's data, not the reader's own."""
    if audience and req.area in ("children", "contacts"):
        return audience | {MINORS}
    return audience


FOUND_KEY = ("found-memo",)  # the match cache's entry for checklists.FOUND_MEMO


def evaluate(checklist: Checklist, ctx: tuple[AnnotatedClause, ...],
             profile: Mapping[str, bool] | None = None, as_of: dt.date | None = None,
             cache: dict | None = None) -> LawResult:
    """Evaluate every requirement of one checklist against an annotated document."""
    cache = {} if cache is None else cache
    views: dict[frozenset[str], LawView] = {}

    def view(audience: frozenset[str]) -> LawView:
        got = views.get(audience)
        if got is None:
            sctx, scache = shared_view(ctx, cache, audience)
            got = views[audience] = LawView(sctx, scache, audience)
        return got

    token = MEMOIZE.set(len(ctx) <= MEMO_MAX_CLAUSES)
    # combinators' whole-clause answers are remembered in the clause's memo: the three laws and many
    # items share sub-matchers (measured: ~3% of a cold analysis saved), and in a batch worker that memo
    # is shared with every clause of the same text (textcache)
    node_token = NODE_MEMO.set(MEMOIZE.get())
    found_token = FOUND_MEMO.set(cache.setdefault(FOUND_KEY, {}))  # (shared by the laws through `cache`)
    try:
        results = tuple(evaluate_requirement(r, ctx, cache, profile, as_of, view(item_audience(r, checklist.audience)))
                        for r in checklist.requirements)
    finally:
        FOUND_MEMO.reset(found_token)
        NODE_MEMO.reset(node_token)
        MEMOIZE.reset(token)
    return LawResult(checklist=checklist, results=results, score=score(results))
