"""Portfolios: a gapcheck.yaml lists clients and their policies; `recheck` runs what is due.

Safe to call at any time (like `certbot renew`): an entry runs only when it was never checked,
its cadence has elapsed, its policy text changed, or its checklist changed. Nothing due means
nothing happens.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gapcheck.errors import GapcheckError, InputError
from gapcheck.review import Waiver, parse_waivers

CONFIG_NAME = "gapcheck.yaml"
_EVERY = re.compile(r"^\s*(\d+)\s*([hdwm])\s*$")
_UNITS = {"h": dt.timedelta(hours=1), "d": dt.timedelta(days=1), "w": dt.timedelta(weeks=1),
          "m": dt.timedelta(days=30)}
ENTRY_KEYS = {"name", "client", "source", "laws", "every", "output", "formats", "profile", "checklists",
              "waivers", "policy_name"}
TOP_KEYS = {"output", "history", "defaults", "clients", "policies", "waivers", "report"}


def parse_every(s: Any, where: str) -> dt.timedelta:
    m = _EVERY.match(str(s))
    if not m:
        raise GapcheckError(f"{where}: 'every' must look like 30d, 12w, 3m or 24h, got {s!r}")
    return int(m.group(1)) * _UNITS[m.group(2)]


@dataclass(frozen=True)
class Entry:
    name: str
    source: str  # a file path (resolved against the config folder) or an http(s) URL
    laws: tuple[str, ...]
    every: dt.timedelta
    output: Path
    formats: tuple[str, ...]
    profile: Path | None = None
    checklists: tuple[Path, ...] = ()
    waivers: tuple[Waiver, ...] = field(default=())


@dataclass(frozen=True)
class Portfolio:
    path: Path
    history: Path | None
    entries: tuple[Entry, ...]


def load(path: str | Path) -> Portfolio:
    """Read and validate a gapcheck.yaml; errors name the file and the entry."""
    p = Path(path)
    if p.is_dir():
        p = p / CONFIG_NAME
    where = str(p)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise GapcheckError(f"{where}: cannot read portfolio ({e.strerror or e})") from e
    except yaml.YAMLError as e:
        raise GapcheckError(f"{where}: invalid YAML ({getattr(e, 'problem', e)})") from e
    if not isinstance(data, dict):
        raise GapcheckError(f"{where}: a portfolio is a mapping with a 'clients' list")
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise GapcheckError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    base = p.parent
    defaults = data.get("defaults") or {}
    out_default = base / str(data.get("output") or defaults.get("output") or "reports")
    global_waivers = parse_waivers(data.get("waivers") or (), where)
    entries = []
    raw_entries = data.get("clients") or data.get("policies") or []
    if not isinstance(raw_entries, list) or not raw_entries:
        raise GapcheckError(f"{where}: 'clients' must be a non-empty list")
    seen = set()
    for i, raw in enumerate(raw_entries, start=1):
        if not isinstance(raw, dict):
            raise GapcheckError(f"{where}: client #{i} must be a mapping")
        name = str(raw.get("name") or raw.get("client") or "")
        w = f"{where}: client {name or '#' + str(i)}"
        bad = set(raw) - ENTRY_KEYS
        if bad:
            raise GapcheckError(f"{w}: unknown key {sorted(bad)[0]!r}")
        if not name or not raw.get("source"):
            raise GapcheckError(f"{w}: 'name' and 'source' are required")
        if name in seen:
            raise GapcheckError(f"{w}: duplicate name")
        seen.add(name)
        src = str(raw["source"])
        if not src.startswith(("http://", "https://")):
            src = str((base / src).resolve())
        laws = raw.get("laws", defaults.get("laws", ["all"]))
        laws = (laws,) if isinstance(laws, str) else tuple(laws)
        fmts = raw.get("formats", defaults.get("formats", ["pdf", "json"]))
        fmts = (fmts,) if isinstance(fmts, str) else tuple(fmts)
        entry_waivers = parse_waivers(raw.get("waivers") or (), w)
        entries.append(Entry(
            name=name, source=src, laws=laws, every=parse_every(raw.get("every", defaults.get("every", "30d")), w),
            output=base / str(raw["output"]) if raw.get("output") else out_default / _slug(name),
            formats=fmts, profile=base / str(raw["profile"]) if raw.get("profile") else None,
            checklists=tuple(base / str(c) for c in raw.get("checklists") or ()),
            waivers=global_waivers + entry_waivers,
        ))
    hist = data.get("history")
    return Portfolio(p, base / str(hist) if hist else None, tuple(entries))


def _slug(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", s).strip("._-") or "client"


@dataclass(frozen=True)
class Outcome:
    entry: Entry
    ran: bool
    reason: str
    check_id: int | None = None
    score: float | None = None
    new_gaps: int = 0
    gaps_closed: int = 0
    paths: tuple[Path, ...] = ()
    error: str | None = None


def _checklist_digests(entry: Entry) -> dict[str, str]:
    from gapcheck import pipeline

    out = {cl.law: cl.digest for cl in pipeline.resolve_laws(entry.laws)}
    for c in entry.checklists:
        out[str(c)] = hashlib.sha256(c.read_bytes()).hexdigest() if c.exists() else ""
    return out


def recheck(pf: Portfolio, now: dt.datetime | None = None, force: bool = False,
            write: Callable[..., list[Path]] | None = None) -> list[Outcome]:
    """Run every due or changed entry; record each in the history; return what happened."""
    from gapcheck import checklists, fetch, ingest, pipeline, render
    from gapcheck.history import History, attach_changes

    now = now or dt.datetime.now(dt.UTC)
    write = write or render.write_all
    outcomes = []
    with History(pf.history) as h:
        for e in pf.entries:
            try:
                rows = h.checks(e.name)
                last = rows[-1] if rows else None
                cached = h.fetch_cache(e.source) if fetch.is_url(e.source) else None
                # read the current text (conditional GET for URLs)
                if fetch.is_url(e.source):
                    got = fetch.fetch(e.source, *(cached[:2] if cached and last else (None, None)))
                    body = got.body if got.status != 304 else (cached[2] if cached else None)
                    if body is None:
                        raise InputError(f"{e.source}: server said not modified but no cached copy exists")
                    if got.status != 304:
                        h.store_fetch(e.source, got.etag, got.last_modified, body)
                    doc = ingest.from_bytes(body, source=e.source, suffix=got.suffix)
                else:
                    doc = ingest.load(e.source)
                reason = _due_reason(e, last, doc.sha256, _checklist_digests(e), h, now, force)
                if reason is None:
                    outcomes.append(Outcome(e, False, "not due", last.id if last else None,
                                            last.score if last else None))
                    continue
                lists = pipeline.resolve_laws(e.laws) + tuple(checklists.load_checklist(c) for c in e.checklists)
                profile = pipeline.load_profile(e.profile) if e.profile else None
                report = pipeline.analyze_document(doc, lists, profile, now.date(), None, e.waivers)
                report = attach_changes(h, report, e.name)
                paths = write(report, e.output, list(e.formats))
                cid = h.record(report, e.name)
                ch = report.changes
                outcomes.append(Outcome(e, True, reason, cid, report.score,
                                        len(ch.new_gaps) if ch else 0, len(ch.gaps_closed) if ch else 0,
                                        tuple(paths)))
            except GapcheckError as err:
                outcomes.append(Outcome(e, False, "error", error=str(err)))
    return outcomes


def _due_reason(e: Entry, last: Any, sha: str, digests: dict[str, str], h: Any, now: dt.datetime,
                force: bool) -> str | None:
    if force:
        return "forced"
    if last is None:
        return "first check"
    if last.sha256 != sha:
        return "policy text changed"
    stored = h.load(last.id).get("_checklists", {})
    for law, dg in digests.items():
        if law in stored and stored[law].get("digest") != dg:
            return f"checklist {law} changed"
    last_time = dt.datetime.fromisoformat(last.created_at)
    if now - last_time >= e.every:
        return f"due (every {_fmt_td(e.every)})"
    return None


def _fmt_td(td: dt.timedelta) -> str:
    return f"{td.days}d" if td.days else f"{int(td.total_seconds() // 3600)}h"


def format_outcomes(outcomes: list[Outcome]) -> str:
    rows = [f"{'client':20} {'result':8} {'why':28} {'score':>5} {'new gaps':>8} {'closed':>6}  report"]
    for o in outcomes:
        result = "ERROR" if o.error else ("ran" if o.ran else "skipped")
        why = o.error or o.reason
        score = f"{o.score:5.1f}" if o.score is not None else "    -"
        first = str(o.paths[0]) if o.paths else ""
        rows.append(f"{o.entry.name[:20]:20} {result:8} {why[:28]:28} {score} {o.new_gaps:>8} "
                    f"{o.gaps_closed:>6}  {first}")
        if o.error and len(why) > 28:
            rows.append(f"    {why}")
    return "\n".join(rows)


def schedule_text(config: Path, every: str = "daily", exe: str = "gapcheck") -> str:
    """A crontab line and a systemd service + timer that call `gapcheck recheck`."""
    cfg = config.resolve()
    folder = cfg.parent
    return f"""# crontab (crontab -e): every day at 06:15
15 6 * * * cd {folder} && {exe} recheck --config {cfg} --fail-on new-gaps >> {folder}/gapcheck-recheck.log 2>&1

# systemd: ~/.config/systemd/user/gapcheck-recheck.service
[Unit]
Description=gapcheck: re-check privacy policies that are due

[Service]
Type=oneshot
WorkingDirectory={folder}
ExecStart={exe} recheck --config {cfg} --fail-on new-gaps

# systemd: ~/.config/systemd/user/gapcheck-recheck.timer
[Unit]
Description=Run gapcheck recheck {every}

[Timer]
OnCalendar={every}
Persistent=true

[Install]
WantedBy=timers.target

# enable with: systemctl --user daemon-reload && systemctl --user enable --now gapcheck-recheck.timer
"""
