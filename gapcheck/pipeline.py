"""The library entry point: file -> Report, with no click, no rendering, no pandas."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from gapcheck import __version__, annotate, checklists, evaluate, hygiene, ingest, segment
from gapcheck.errors import ChecklistError, ProfileError
from gapcheck.models import Checklist, Document, Report


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


def analyze_document(doc: Document, lists: tuple[Checklist, ...], profile: Mapping[str, bool] | None = None,
                     as_of: dt.date | None = None) -> Report:
    """Run segment -> annotate -> evaluate -> hygiene on an already-read document."""
    as_of = as_of or dt.date.today()
    seen: set[str] = set()
    for cl in lists:
        for r in cl.requirements:
            if r.id in seen:
                raise ChecklistError(f"{cl.source}: item '{r.id}': field 'id': duplicate id across checklists")
            seen.add(r.id)
    ctx = annotate.annotate(segment.segment(doc))
    cache: dict = {}
    laws = tuple(evaluate.evaluate(cl, ctx, profile, as_of, cache) for cl in lists)
    findings = hygiene.check(doc, ctx, as_of)
    return Report(document=doc, clauses=ctx, laws=laws, findings=findings,
                  generated_at=dt.datetime.now(dt.UTC), as_of=as_of, tool_version=__version__)


def analyze(policy: str | Path, laws: Iterable[str] = ("all",), checklist_files: Iterable[str | Path] = (),
            profile: Mapping[str, bool] | str | Path | None = None, as_of: dt.date | None = None,
            max_bytes: int = ingest.MAX_BYTES_DEFAULT) -> Report:
    """Analyse one policy file against packaged laws and/or custom checklist files."""
    extra = tuple(checklists.load_checklist(p) for p in checklist_files)
    lists = resolve_laws(laws) + extra
    if not lists:
        raise ChecklistError("no checklist selected: pass --law or --checklist")
    if profile is not None and not isinstance(profile, Mapping):
        profile = load_profile(profile)
    doc = ingest.load(policy, max_bytes=max_bytes)
    return analyze_document(doc, lists, profile, as_of)
