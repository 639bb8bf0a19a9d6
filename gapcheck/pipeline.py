"""The library entry point: file -> Report, with no click, no rendering, no pandas."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from gapcheck import __version__, annotate, checklists, evaluate, hygiene, ingest, segment
from gapcheck.errors import ChecklistError, ProfileError
from gapcheck.models import Checklist, Document, Finding, Report, RequirementResult, Status
from gapcheck.review import Review, Waiver, apply_label_edits, apply_overrides, load_review


def resolve_laws(laws: Iterable[str]) -> tuple[Checklist, ...]:
    """Packaged checklists for law ids ('all' expands to every packaged law)."""
    ids: list[str] = []
    for law in laws:
        law = law.lower().strip()
        for x in (checklists.packaged_laws() if law == "all" else (law,)):
            if x not in ids:
                ids.append(x)
    return tuple(checklists.load_law(x) for x in ids)


def load_profile(path: str | Path | None) -> dict[str, bool]:
    """Business facts (e.g. sells_data: true) that settle conditional requirements."""
    if path is None:
        return {}
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise ProfileError(f"{path}: cannot read profile ({e.strerror or e})") from e
    except yaml.YAMLError as e:
        raise ProfileError(f"{path}: invalid YAML ({getattr(e, 'problem', e)})") from e
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: a profile is a mapping of fact: true/false")
    facts = data.get("facts", data)
    out: dict[str, bool] = {}
    for k, v in facts.items():
        if not isinstance(v, bool):
            raise ProfileError(f"{path}: fact {k!r} must be true or false, got {v!r}")
        out[str(k)] = v
    return out


def load_source(source: str, max_bytes: int = ingest.MAX_BYTES_DEFAULT) -> Document:
    """A policy from a file path or an http(s) URL; `max_bytes` limits the text (a web page may be
    `ingest.RAW_FACTOR` times larger)."""
    from gapcheck.readers import url

    if url.is_url(source):
        got = url.fetch(source, max_bytes=max_bytes)
        return ingest.from_bytes(got.body or b"", source=source, suffix=got.suffix, max_bytes=max_bytes)
    return ingest.load(source, max_bytes=max_bytes)


def analyze_document(doc: Document, lists: tuple[Checklist, ...], profile: Mapping[str, bool] | None = None,
                     as_of: dt.date | None = None, review: Review | None = None,
                     waivers: tuple[Waiver, ...] = ()) -> Report:
    """Run segment -> annotate -> evaluate -> hygiene on an already-read document.

    A review file's label corrections apply before evaluation, its verdict overrides and the
    waivers after it, so every output shows the consultant's final word and marks it as theirs.
    """
    as_of = as_of or dt.date.today()
    seen: set[str] = set()
    for cl in lists:
        for r in cl.requirements:
            if r.id in seen:
                raise ChecklistError(f"{cl.source}: item '{r.id}': field 'id': duplicate id across checklists")
            seen.add(r.id)
    ctx = annotate.annotate(segment.segment(doc))
    notices: tuple = ()
    if review is not None:
        ctx, notices = apply_label_edits(ctx, review)
    cache: dict = {}
    laws = tuple(evaluate.evaluate(cl, ctx, profile, as_of, cache) for cl in lists)
    if review is not None or waivers:
        laws = tuple(dataclasses.replace(lr, results=(res := apply_overrides(lr.results, review, waivers, as_of)),
                                         score=evaluate.score(res)) for lr in laws)
    if doc.language != "en":  # the score stays what could be confirmed: unread rows count as gaps in it
        laws = tuple(dataclasses.replace(lr, results=_unread(lr.results, doc.language)) for lr in laws)
    findings = _merge_findings(hygiene.check(doc, ctx, as_of), doc.ingest_notes) + tuple(notices)
    return Report(document=doc, clauses=ctx, laws=laws, findings=findings,
                  generated_at=dt.datetime.now(dt.UTC), as_of=as_of, tool_version=__version__)


def _unread(results: tuple[RequirementResult, ...], language: str) -> tuple[RequirementResult, ...]:
    """A notice in another language: the checklists read English, so "nothing addresses this" would be a
    false gap. What was not found is left for the consultant to confirm, and says why."""
    name = ingest.language_name(language)
    why = (f"The policy is written in {name}; gapcheck's checklists read English, so this could not be checked "
           "automatically: confirm it by hand or check an English version of the policy")
    # a reviewer's own verdict or an accepted gap is the consultant's word, not an unread row
    return tuple(dataclasses.replace(r, status=Status.REVIEW, rationale=why)
                 if r.status == Status.MISSING and r.override is None and r.waiver is None else r for r in results)


def _merge_findings(found: tuple[Finding, ...], notes: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """Drafting findings from hygiene plus those found while reading the file, in line order, once each."""
    seen = {(f.id, f.line_start, f.quote) for f in found}
    extra = [n for n in notes if (n.id, n.line_start, n.quote) not in seen]
    return tuple(sorted((*found, *extra), key=lambda f: (f.line_start, f.id, f.quote)))


def analyze(policy: str | Path, laws: Iterable[str] = ("all",), checklist_files: Iterable[str | Path] = (),
            profile: Mapping[str, bool] | str | Path | None = None, as_of: dt.date | None = None,
            max_bytes: int = ingest.MAX_BYTES_DEFAULT, review: str | Path | Review | None = None,
            waivers: tuple[Waiver, ...] = ()) -> Report:
    """Analyse one policy file against packaged laws and/or custom checklist files."""
    extra = tuple(checklists.load_checklist(p) for p in checklist_files)
    lists = resolve_laws(laws) + extra
    if not lists:
        raise ChecklistError("no checklist selected: pass --law or --checklist")
    if profile is not None and not isinstance(profile, Mapping):
        profile = load_profile(profile)
    if review is not None and not isinstance(review, Review):
        review = load_review(review)
    doc = load_source(str(policy), max_bytes=max_bytes)
    return analyze_document(doc, lists, profile, as_of, review, waivers)
