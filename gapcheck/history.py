"""Remember every check in SQLite and say what changed since the last one.

One transaction per check (WAL mode, immediate write lock, busy timeout), so parallel runs are
all recorded and a killed process leaves either a whole record or none.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import sqlite3
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from gapcheck.errors import GapcheckError
from gapcheck.models import Changes, Report, StatusChange

GAP = {"missing", "partial"}
SCHEMA = """
CREATE TABLE IF NOT EXISTS checks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    policy TEXT NOT NULL,            -- policy identity: a name, or the source path / URL
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    laws TEXT NOT NULL,              -- JSON list of law ids
    checklists TEXT NOT NULL,        -- JSON {law: {version, digest}}
    created_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    score REAL NOT NULL,
    report BLOB NOT NULL,            -- zlib(JSON of the full report)
    text BLOB NOT NULL               -- zlib(policy text), for the text diff
);
CREATE INDEX IF NOT EXISTS checks_policy ON checks(policy, id);
CREATE TABLE IF NOT EXISTS results (
    check_id INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
    req_id TEXT NOT NULL, law TEXT NOT NULL, status TEXT NOT NULL, evidence TEXT NOT NULL,
    PRIMARY KEY (check_id, req_id)
);
CREATE TABLE IF NOT EXISTS fetch_cache (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, body BLOB NOT NULL, fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS findings (
    check_id INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
    finding_id TEXT NOT NULL, line_start INTEGER NOT NULL, quote TEXT NOT NULL, message TEXT NOT NULL
);
"""


def default_path() -> Path:
    """GAPCHECK_HISTORY, else the user's data directory (XDG on Linux, ~/Library or %APPDATA%)."""
    env = os.environ.get("GAPCHECK_HISTORY")
    if env:
        return Path(env)
    if os.name == "nt":
        base = Path(os.environ.get("APPDATA", Path.home()))
    elif os.uname().sysname == "Darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "gapcheck" / "history.sqlite"


def policy_identity(source: str, name: str | None = None) -> str:
    """A stable key for 'the same policy': the given name, a URL, or the absolute path."""
    if name:
        return name
    if source.startswith(("http://", "https://")):
        return source
    p = Path(source)
    return str(p.resolve()) if p.exists() else source  # not a file: a portfolio entry's name


@dataclass(frozen=True)
class CheckRow:
    id: int
    policy: str
    source: str
    sha256: str
    laws: tuple[str, ...]
    created_at: str
    as_of: str
    score: float


class History:
    """A history database. Use as a context manager or call close()."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            self.db.execute("PRAGMA busy_timeout=60000")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._init_schema()
        except (OSError, sqlite3.Error) as e:
            raise GapcheckError(f"{self.path}: cannot open history database ({e})") from e

    def _init_schema(self) -> None:
        """WAL mode and tables. Several processes may create a new database at once; switching the
        journal mode can fail with 'locked' without waiting, so that step is retried."""
        deadline = time.monotonic() + 60
        while True:
            try:
                self.db.execute("PRAGMA journal_mode=WAL")
                with self._tx() as db:
                    for stmt in SCHEMA.split(";"):
                        if stmt.strip():
                            db.execute(stmt)
                return
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) and "busy" not in str(e) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    # ----------------------------------------------------------------- write
    def record(self, report: Report, policy: str) -> int:
        """Store one check atomically; returns its id."""
        d = report.to_dict()
        lists = {lr.checklist.law: {"version": lr.checklist.version, "digest": lr.checklist.digest}
                 for lr in report.laws}
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO checks (policy, source, sha256, laws, checklists, created_at, as_of, score, report, text)"
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                (policy, report.document.source, report.document.sha256, json.dumps(list(lists)),
                 json.dumps(lists), report.generated_at.isoformat(timespec="seconds"), report.as_of.isoformat(),
                 report.score, zlib.compress(json.dumps(d).encode()), zlib.compress(report.document.text.encode())))
            cid = int(cur.lastrowid or 0)
            db.executemany("INSERT INTO results VALUES (?,?,?,?,?)", [
                (cid, r.requirement.id, r.requirement.law, r.status.value,
                 json.dumps([e.to_dict() for e in r.evidence])) for r in report.results])
            db.executemany("INSERT INTO findings VALUES (?,?,?,?,?)", [
                (cid, f.id, f.line_start, f.quote, f.message) for f in report.findings])
        return cid

    def store_fetch(self, url: str, etag: str | None, last_modified: str | None, body: bytes) -> None:
        """Remember a fetched page so an unchanged page (HTTP 304) can be re-used."""
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO fetch_cache VALUES (?,?,?,?,datetime('now'))",
                       (url, etag, last_modified, zlib.compress(body)))

    def fetch_cache(self, url: str) -> tuple[str | None, str | None, bytes] | None:
        row = self.db.execute("SELECT etag, last_modified, body FROM fetch_cache WHERE url = ?", (url,)).fetchone()
        return (row[0], row[1], zlib.decompress(row[2])) if row else None

    # ----------------------------------------------------------------- read
    def checks(self, policy: str) -> list[CheckRow]:
        rows = self.db.execute("SELECT id, policy, source, sha256, laws, created_at, as_of, score FROM checks "
                               "WHERE policy = ? ORDER BY id", (policy,)).fetchall()
        return [CheckRow(r[0], r[1], r[2], r[3], tuple(json.loads(r[4])), r[5], r[6], r[7]) for r in rows]

    def policies(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT policy FROM checks ORDER BY policy")]

    def latest(self, policy: str, laws: tuple[str, ...] | None = None) -> int | None:
        """Id of the newest check of a policy (covering the same laws when given)."""
        for row in reversed(self.checks(policy)):
            if laws is None or set(laws) <= set(row.laws):
                return row.id
        return None

    def load(self, check_id: int) -> dict:
        row = self.db.execute("SELECT report, text, checklists, created_at FROM checks WHERE id = ?",
                              (check_id,)).fetchone()
        if row is None:
            raise GapcheckError(f"no check with id {check_id} in {self.path}")
        d = json.loads(zlib.decompress(row[0]))
        d["_text"] = zlib.decompress(row[1]).decode()
        d["_checklists"] = json.loads(row[2])
        d["_created_at"] = row[3]
        d["_id"] = check_id
        return d


# --------------------------------------------------------------------- comparison

def _fkey(f: dict) -> tuple[str, str]:
    return f["id"], " ".join(f["quote"].split())


def compare(old: dict, new: dict, laws: tuple[str, ...] | None = None) -> Changes:
    """Changes from an older check to a newer one (both as loaded/serialised report dicts)."""
    laws = laws or tuple(x["id"] for x in new["laws"])
    o = {r["id"]: r for r in old["requirements"] if r["law"] in laws}
    n = {r["id"]: r for r in new["requirements"] if r["law"] in laws}
    closed, opened, moved = [], [], []
    for rid, r in n.items():
        before = o.get(rid, {}).get("status")
        after = r["status"]
        if before == after:
            continue
        sc = StatusChange(rid, r["law"], r["title"], before, after)
        if after in GAP and (before is None or before not in GAP or (before == "partial" and after == "missing")):
            opened.append(sc)
        elif before in GAP and (after not in GAP or (before == "missing" and after == "partial")):
            closed.append(sc)
        else:
            moved.append(sc)
    for rid, r in o.items():
        if rid not in n:
            moved.append(StatusChange(rid, r["law"], r["title"], r["status"], None))
    of = {_fkey(f): f for f in old["findings"]}
    nf = {_fkey(f): f for f in new["findings"]}
    fixed = tuple(f for k, f in of.items() if k not in nf)
    added = tuple(f for k, f in nf.items() if k not in of)
    old_text, new_text = old.get("_text", ""), new.get("_text", "")
    text_changed = old["policy"]["sha256"] != new["policy"]["sha256"]
    diff: tuple[str, ...] = ()
    if text_changed and old_text != new_text:
        diff = tuple(list(difflib.unified_diff(old_text.splitlines(), new_text.splitlines(), "before", "after",
                                               n=0, lineterm=""))[2:80])
    old_cl = old.get("_checklists") or {}
    new_cl = new.get("_checklists") or {}
    cl_changed = tuple(law for law in laws if law in old_cl and law in new_cl
                       and old_cl[law].get("digest") != new_cl[law].get("digest"))
    return Changes(
        from_check=old.get("_id", 0), to_check=new.get("_id"), from_time=old.get("_created_at", ""),
        text_changed=text_changed, checklist_changed=cl_changed,
        gaps_closed=tuple(closed), new_gaps=tuple(opened), moved=tuple(moved),
        findings_fixed=fixed, findings_new=added, text_diff=diff,
        score_before=old["summary"]["score"], score_after=new["summary"]["score"],
    )


def report_as_stored(report: Report) -> dict:
    """The dict form `compare` takes, for a report not yet (or just) recorded."""
    d = report.to_dict()
    d["_text"] = report.document.text
    d["_checklists"] = {lr.checklist.law: {"version": lr.checklist.version, "digest": lr.checklist.digest}
                        for lr in report.laws}
    d["_created_at"] = report.generated_at.isoformat(timespec="seconds")
    return d


def attach_changes(h: History, report: Report, policy: str) -> Report:
    """The report with a `changes` section against the latest earlier check of the same policy and laws."""
    laws = tuple(lr.checklist.law for lr in report.laws)
    prev = h.latest(policy, laws)
    if prev is None:
        return report
    ch = compare(h.load(prev), report_as_stored(report), laws)
    return dataclasses.replace(report, changes=ch)


def format_changes(ch: Changes) -> str:
    """Plain-text rendering for `gapcheck diff`."""
    out = [f"Changes since check {ch.from_check} ({ch.from_time})"
           + (f" to check {ch.to_check}" if ch.to_check else "") + ":"]
    if ch.score_before is not None:
        out.append(f"  score: {ch.score_before:.1f} -> {ch.score_after:.1f}")
    out.append(f"  policy text: {'changed' if ch.text_changed else 'unchanged'}")
    cl = f"changed ({', '.join(ch.checklist_changed)})" if ch.checklist_changed else "unchanged"
    out.append(f"  checklists: {cl}")
    for label, items in (("gaps closed", ch.gaps_closed), ("new gaps", ch.new_gaps), ("status moved", ch.moved)):
        out.append(f"  {label}: {len(items)}")
        out += [f"    {x.id}: {x.before or '(new)'} -> {x.after or '(removed)'}  {x.title}" for x in items]
    for label, fs in (("findings fixed", ch.findings_fixed), ("new findings", ch.findings_new)):
        out.append(f"  {label}: {len(fs)}")
        out += [f"    {f['id']} line {f['line_start']}: {f['quote'][:80]}" for f in fs]
    if ch.text_diff:
        out.append("  text diff:")
        out += ["    " + ln for ln in ch.text_diff]
    return "\n".join(out)
