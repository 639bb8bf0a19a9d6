"""`gapcheck batch`: many policies into one coverage matrix, streamed to disk, resumable, parallel.

A portfolio run (hundreds to hundreds of thousands of policies) must not hold results in memory,
must survive one bad file, and must pick up where an interrupted run stopped. So:

- inputs are expanded lazily (folders, globs, .csv/.txt lists of files and URLs);
- each policy becomes rows of the coverage matrix (policy x requirement) or one error row;
- rows go to a *sink* as they arrive: CSV appends, Parquet writes closed part files (one row
  group each) merged at the end, XLSX streams through a CSV sidecar converted at the end;
- a policy is skipped when its (policy, text sha256, checklist versions) is already complete in
  the output; error rows and half-written policies are dropped on resume and tried again;
- a portfolio summary (share of policies missing each requirement, by law) and a self-contained
  HTML dashboard are computed from the finished output in one streaming pass.

Work runs through :mod:`gapcheck.executors` (inline, process pool or Dask), so the results do not
depend on where they were computed.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import glob
import html
import os
import shutil
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gapcheck.errors import GapcheckError
from gapcheck.models import Checklist

COLUMNS = ("policy", "sha256", "checklists", "law", "requirement_id", "severity", "area", "status",
           "evidence_lines", "score", "error")
OUT_SUFFIXES = (".parquet", ".csv", ".xlsx")
POLICY_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".docx", ".pdf"}
ERROR = "error"
PARQUET_ROWS = 20_000  # rows per Parquet part / row group: ~270 policies of all three laws
XLSX_MAX_ROWS = 1_000_000  # data rows per sheet (Excel stops at 1,048,576)


class BatchError(GapcheckError):
    """A batch cannot start (bad output path, missing optional dependency): exit code 2."""


# --------------------------------------------------------------------------- the work

@dataclass(frozen=True)
class BatchJob:
    """What every worker needs, picklable so it can travel to a process pool or a Dask worker."""

    laws: tuple[str, ...] = ("all",)
    checklist_files: tuple[str, ...] = ()
    profile: Mapping[str, bool] = field(default_factory=dict)
    as_of: dt.date = field(default_factory=dt.date.today)
    max_bytes: int = 2 * 1024 * 1024
    reports_dir: str | None = None
    formats: tuple[str, ...] = ("pdf",)
    report_options: Any = None  # render.ReportOptions
    history: str | None = None  # record each check in this history database (off by default)


@dataclass(frozen=True)
class Item:
    """One input: its name, and the text hashes already complete in the output (skip those).

    `data` carries the file's bytes when the worker may not see the file (a Dask cluster).
    """

    source: str
    done: frozenset[str] = frozenset()
    data: bytes | None = None


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back for one policy: its rows, or that it was skipped or failed."""

    source: str
    sha256: str
    rows: tuple[tuple, ...]
    skipped: bool = False
    error: str | None = None


@functools.lru_cache(maxsize=8)
def checklists_for(laws: tuple[str, ...], checklist_files: tuple[str, ...]) -> tuple[Checklist, ...]:
    """The checklists of a job, parsed once per worker process (module-level cache)."""
    from gapcheck import checklists, pipeline

    lists = pipeline.resolve_laws(laws) + tuple(checklists.load_checklist(p) for p in checklist_files)
    if not lists:
        raise BatchError("no checklist selected: pass --law or --checklist")
    return lists


def checklists_key(lists: Iterable[Checklist]) -> str:
    """The checklist identity stored with every row: law=version#digest, so a changed list is redone."""
    return ";".join(f"{cl.law}={cl.version}#{cl.digest[:12]}" for cl in lists)


def expected_rows(lists: Iterable[Checklist]) -> int:
    """Rows one analysed policy contributes (one per requirement)."""
    return sum(len(cl.requirements) for cl in lists)


def warm(job: BatchJob) -> None:
    """Load the job's checklists in this worker before its first policy (pool initializer, client.run)."""
    checklists_for(job.laws, job.checklist_files)


def _one_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else e.__class__.__name__


def analyze_item(job: BatchJob, item: Item) -> Outcome:
    """Analyse one policy into coverage rows; any failure becomes an error outcome, never an exception."""
    from gapcheck import ingest, pipeline

    sha = ""
    try:
        lists = checklists_for(job.laws, job.checklist_files)
        if item.data is not None:
            if len(item.data) > job.max_bytes:
                raise GapcheckError(f"{item.source}: file is over the {job.max_bytes:,}-byte limit")
            doc = ingest.from_bytes(item.data, source=item.source, suffix=Path(item.source).suffix.lower())
        else:
            doc = pipeline.load_source(item.source, max_bytes=job.max_bytes)
        sha = doc.sha256
        if sha in item.done:
            return Outcome(item.source, sha, (), skipped=True)
        report = pipeline.analyze_document(doc, lists, job.profile, job.as_of)
        key = checklists_key(lists)
        rows = tuple(_row(item.source, sha, key, r, lr.score)
                     for lr in report.laws for r in lr.results)
        if job.reports_dir:
            from gapcheck import render

            render.write_all(report, Path(job.reports_dir), job.formats, job.report_options)
        if job.history:
            from gapcheck.history import History, policy_identity

            with History(job.history) as h:
                h.record(report, policy_identity(item.source))
        return Outcome(item.source, sha, rows)
    except Exception as e:  # noqa: BLE001 - one bad policy must not stop a portfolio run
        return Outcome(item.source, sha, (), error=_one_line(e))


def _row(source: str, sha: str, key: str, r: Any, score: float) -> tuple:
    q = r.requirement
    lines = ", ".join(str(n) for n in sorted({e.line_start for e in r.evidence}))
    return (source, sha, key, q.law, q.id, str(q.severity), q.area, str(r.status), lines, round(score, 1), "")


def error_row(source: str, sha: str, key: str, message: str) -> tuple:
    """The one row recording a policy that could not be analysed."""
    return (source, sha, key, "", "", "", "", ERROR, "", None, message)


def analyze_chunk(job: BatchJob, items: list[Item]) -> list[Outcome]:
    """A worker's unit of work: several policies per task keep scheduling overhead small.

    The worker's text cache (gapcheck.textcache) is on while it analyses: a clause text met in an
    earlier policy reuses that text's annotation and pattern scans; results are those of a cold run."""
    from gapcheck import textcache

    with textcache.active():
        return [analyze_item(job, it) for it in items]


# --------------------------------------------------------------------------- inputs

def expand_inputs(paths: Iterable[str]) -> Iterator[str]:
    """Policy sources from folders (recursive), globs, .csv/.txt lists, files and URLs, once each.

    A .txt file is a list only when every non-blank, non-# line is a URL or an existing file;
    a policy never looks like that. A name that matches nothing is passed on, so it becomes an
    error row rather than silently disappearing.
    """
    from gapcheck.fetch import is_url

    seen: set[str] = set()

    def emit(src: str) -> Iterator[str]:
        if src not in seen:
            seen.add(src)
            yield src

    for p in paths:
        path = Path(p)
        if is_url(p):
            yield from emit(p)
        elif path.is_dir():
            for f in sorted(path.rglob("*")):
                if f.is_file() and f.suffix.lower() in POLICY_SUFFIXES and not f.name.startswith("."):
                    yield from emit(str(f))
        elif path.is_file() and (entries := _list_entries(path)) is not None:
            for e in entries:
                yield from emit(e)
        elif path.exists():
            yield from emit(p)
        elif glob.has_magic(p):
            for f in sorted(glob.glob(p, recursive=True)):
                if Path(f).is_file():
                    yield from emit(f)
        else:
            yield from emit(p)


def _list_entries(path: Path) -> list[str] | None:
    """The sources named in a .csv list (column source/path/url/policy, else the first) or a .txt list."""
    from gapcheck.fetch import is_url

    suffix = path.suffix.lower()
    if suffix not in (".csv", ".txt") or path.stat().st_size > 64 * 1024 * 1024:
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None

    def resolve(s: str) -> str | None:
        """The entry as an existing file (as given, or relative to the list), a URL, or None."""
        if is_url(s):
            return s
        for cand in (Path(s), path.parent / s):
            try:
                if cand.is_file():
                    return str(cand)
            except (OSError, ValueError):  # a policy sentence is not a file name
                return None
        return None

    if suffix == ".csv":
        rows = [r for r in csv.reader(text.splitlines()) if r and any(c.strip() for c in r)]
        if not rows:
            return []
        head = [c.strip().lower() for c in rows[0]]
        col = next((head.index(n) for n in ("source", "path", "url", "policy", "file") if n in head), None)
        body = rows[1:] if col is not None else rows
        cells = [r[col or 0].strip() for r in body if len(r) > (col or 0) and r[col or 0].strip()]
        return [resolve(c) or c for c in cells]  # a name that is not found becomes an error row
    out: list[str] = []
    for ln in text.splitlines():
        ln = ln.strip()
        if not ln or ln.startswith("#"):
            continue
        if len(ln) > 4096 or (got := resolve(ln)) is None:
            return None  # a line that names nothing: this .txt is a policy
        out.append(got)
    return out or None


# --------------------------------------------------------------------------- sinks

class Sink:
    """Where rows go. Subclasses read what is already complete, append, and finish the file."""

    def __init__(self, out: Path, key: str, per_policy: int):
        self.out = out
        self.key = key
        self.per_policy = per_policy
        self.done: dict[str, set[str]] = defaultdict(set)  # policy -> text hashes complete for `key`

    def _scan(self, rows: Iterable[tuple]) -> set[tuple[str, str, str]]:
        """Record complete policies in self.done; return the keys to drop (errors, half-written)."""
        counts: dict[tuple[str, str, str], int] = defaultdict(int)
        bad: set[tuple[str, str, str]] = set()
        for r in rows:
            if len(r) < 3:
                continue
            k = (r[0], r[1], r[2])
            if len(r) != len(COLUMNS) or r[7] == ERROR:
                bad.add(k)
            counts[k] += 1
        for k, n in counts.items():
            if k in bad:
                continue
            if k[2] == self.key and n != self.per_policy:
                bad.add(k)
            elif k[2] == self.key:
                self.done[k[0]].add(k[1])
        return bad

    def write(self, rows: Iterable[tuple]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def iter_rows(self) -> Iterator[tuple]:
        """Every row of the finished output (streamed)."""
        raise NotImplementedError


def _csv_rows(path: Path) -> Iterator[tuple]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            return
        if tuple(header) != COLUMNS:
            raise BatchError(f"{path}: not a gapcheck batch output (columns differ); choose another --out")
        for r in reader:
            if len(r) == len(COLUMNS):
                r[9] = float(r[9]) if r[9] not in ("", None) else None
            yield tuple(r)


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as f:
        f.seek(-1, os.SEEK_END)
        return f.read(1) == b"\n"


class CsvSink(Sink):
    """Appends each policy's rows and flushes: a killed run leaves at most one half-written policy."""

    def __init__(self, out: Path, key: str, per_policy: int):
        super().__init__(out, key, per_policy)
        if out.exists() and out.stat().st_size:
            bad = self._scan(_csv_rows(out))
            if bad or not _ends_with_newline(out):
                self._rewrite_without(bad)
        out.parent.mkdir(parents=True, exist_ok=True)
        new = not out.exists() or out.stat().st_size == 0
        self._f = out.open("a", newline="", encoding="utf-8")
        self._w = csv.writer(self._f)
        if new:
            self._w.writerow(COLUMNS)
            self._f.flush()

    def _rewrite_without(self, bad: set[tuple[str, str, str]]) -> None:
        tmp = self.out.with_name(f".{self.out.name}.tmp")
        with tmp.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(COLUMNS)
            for r in _csv_rows(self.out):
                if len(r) == len(COLUMNS) and (r[0], r[1], r[2]) not in bad:
                    w.writerow(r)
        os.replace(tmp, self.out)

    def write(self, rows: Iterable[tuple]) -> None:
        self._w.writerows(rows)
        self._f.flush()

    def close(self) -> None:
        self._f.close()

    def iter_rows(self) -> Iterator[tuple]:
        return _csv_rows(self.out)


class XlsxSink(CsvSink):
    """Streams to a CSV sidecar (`<out>.partial.csv`, the resume point) and writes the workbook at
    the end with openpyxl's write_only mode, so memory stays flat; the sidecar is then removed."""

    def __init__(self, out: Path, key: str, per_policy: int):
        self.xlsx = out
        side = out.with_name(out.name + ".partial.csv")
        if out.exists() and not side.exists():
            _xlsx_to_csv(out, side)
        super().__init__(side, key, per_policy)

    def close(self) -> None:
        super().close()
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws, n, sheet = None, XLSX_MAX_ROWS, 0
        for r in _csv_rows(self.out):
            if n >= XLSX_MAX_ROWS:  # Excel's limit is 1,048,576 rows a sheet: go on in coverage-2, ...
                sheet += 1
                ws = wb.create_sheet("coverage" if sheet == 1 else f"coverage-{sheet}")
                ws.append(list(COLUMNS))
                n = 0
            ws.append(list(r))
            n += 1
        if ws is None:
            wb.create_sheet("coverage").append(list(COLUMNS))
        tmp = self.xlsx.with_name(f".{self.xlsx.name}.tmp")
        wb.save(tmp)
        os.replace(tmp, self.xlsx)

    def finish(self) -> None:
        """Remove the sidecar once the summary has been read from it."""
        self.out.unlink(missing_ok=True)


def _xlsx_to_csv(src: Path, dst: Path) -> None:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(src, read_only=True)
    except Exception as e:  # noqa: BLE001 - any unreadable workbook gets the same one-line message
        raise BatchError(f"{src}: cannot read the existing output ({_one_line(e)}); choose another --out") from None
    sheets = [ws for ws in wb.worksheets if ws.title.startswith("coverage")] or wb.worksheets[:1]
    with dst.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        for i, ws in enumerate(sheets):
            for j, r in enumerate(ws.iter_rows(values_only=True)):
                if j == 0 and i > 0:
                    continue  # one header
                w.writerow(["" if v is None else v for v in r])
    wb.close()


class ParquetSink(Sink):
    """Row groups of PARQUET_ROWS rows, each written as a closed part file in `<out>.parts/` (a
    killed run keeps every finished part), merged into `<out>` one row group at a time at the end."""

    def __init__(self, out: Path, key: str, per_policy: int):
        super().__init__(out, key, per_policy)
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise BatchError("Parquet output needs pyarrow: pip install 'gapcheck[batch]' "
                             "(or write .csv / .xlsx)") from None
        self.pa, self.pq = pa, pq
        self.schema = pa.schema([(c, pa.float64() if c == "score" else pa.string()) for c in COLUMNS])
        self.parts = out.with_name(out.name + ".parts")
        self.parts.mkdir(parents=True, exist_ok=True)
        self._buf: list[tuple] = []
        self._n = 1 + max((int(f.stem[5:]) for f in self.parts.glob("part-*.parquet")), default=-1)
        self._bad = self._scan(self._existing_rows())

    def _files(self) -> list[Path]:
        files = sorted(self.parts.glob("part-*.parquet"))
        return ([self.out] if self.out.exists() else []) + files

    def _existing_rows(self) -> Iterator[tuple]:
        for f in self._files():
            try:
                pf = self.pq.ParquetFile(f)
            except Exception as e:  # noqa: BLE001
                raise BatchError(f"{f}: cannot read the existing output ({_one_line(e)})") from None
            if pf.schema_arrow.names != list(COLUMNS):
                raise BatchError(f"{f}: not a gapcheck batch output (columns differ); choose another --out")
            for b in pf.iter_batches(columns=["policy", "sha256", "checklists", "status"], batch_size=8192):
                cols = b.to_pydict()
                for p, s, k, st in zip(cols["policy"], cols["sha256"], cols["checklists"], cols["status"],
                                       strict=True):
                    yield (p, s, k, "", "", "", "", st, "", None, "")

    def write(self, rows: Iterable[tuple]) -> None:
        self._buf.extend(rows)
        if len(self._buf) >= PARQUET_ROWS:
            self._flush()

    def _flush(self) -> None:
        if not self._buf:
            return
        cols = list(zip(*self._buf, strict=True))  # column-wise: no dict per row, a third of the memory
        arrays = [self.pa.array(c, type=f.type) for c, f in zip(cols, self.schema, strict=True)]
        table = self.pa.Table.from_arrays(arrays, schema=self.schema)
        part = self.parts / f"part-{self._n:06d}.parquet"
        tmp = part.with_name(f".{part.name}.tmp")
        self.pq.write_table(table, tmp)
        os.replace(tmp, part)
        self._n += 1
        self._buf = []

    def close(self) -> None:
        """Flush and merge everything into `out`, dropping error rows and half-written policies."""
        self._flush()
        tmp = self.out.with_name(f".{self.out.name}.tmp")
        with self.pq.ParquetWriter(tmp, self.schema) as w:
            for f in self._files():
                pf = self.pq.ParquetFile(f)
                for i in range(pf.num_row_groups):
                    t = pf.read_row_group(i)
                    if self._bad:
                        cols = t.select(["policy", "sha256", "checklists"]).to_pydict()
                        keep = [(p, s, k) not in self._bad
                                for p, s, k in zip(cols["policy"], cols["sha256"], cols["checklists"], strict=True)]
                        t = t.filter(self.pa.array(keep))
                    if t.num_rows:
                        w.write_table(t)
        os.replace(tmp, self.out)
        shutil.rmtree(self.parts, ignore_errors=True)

    def iter_rows(self) -> Iterator[tuple]:
        pf = self.pq.ParquetFile(self.out)
        for b in pf.iter_batches(batch_size=8192):
            cols = b.to_pydict()
            yield from zip(*(cols[c] for c in COLUMNS), strict=True)


def open_sink(out: Path, key: str, per_policy: int) -> Sink:
    """The sink for the output's suffix (.parquet, .csv, .xlsx)."""
    suffix = out.suffix.lower()
    if suffix not in OUT_SUFFIXES:
        raise BatchError(f"{out}: --out must end in {', '.join(OUT_SUFFIXES)}")
    if out.exists() and out.is_dir():
        raise BatchError(f"{out}: is a folder; --out names a file")
    return {".csv": CsvSink, ".xlsx": XlsxSink, ".parquet": ParquetSink}[suffix](out, key, per_policy)


# --------------------------------------------------------------------------- the run

@dataclass
class BatchStats:
    """What a run did, for the closing line and the exit code."""

    inputs: int = 0
    analysed: int = 0
    skipped: int = 0
    errors: int = 0
    error_messages: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)


def run_batch(paths: Iterable[str], out: Path, job: BatchJob, jobs: int = 1, executor: str = "local",
              scheduler: str | None = None, chunk_size: int | None = None, progress: bool | None = None,
              cluster_kwargs: dict[str, Any] | None = None) -> BatchStats:
    """Analyse every input into `out` and write the summary and dashboard beside it."""
    from gapcheck import executors

    if executor not in executors.EXECUTORS:
        raise BatchError(f"unknown executor {executor!r} (choose local or dask)")
    if scheduler and executor != "dask":
        raise BatchError("--scheduler needs --executor dask")
    jobs = max(1, jobs)
    lists = checklists_for(job.laws, job.checklist_files)
    key = checklists_key(lists)
    if executor == "dask":
        try:
            import dask.distributed  # noqa: F401 - fail before any file is touched
        except ImportError:
            raise BatchError(executors.DASK_MISSING) from None
    sources = list(expand_inputs(paths))
    stats = BatchStats(inputs=len(sources))
    sink = open_sink(out, key, expected_rows(lists))
    try:
        client = executors.dask_client(scheduler, jobs, cluster_kwargs) if executor == "dask" else None
    except BaseException:
        sink.close()
        raise
    ship = client is not None

    def pending() -> Iterator[Item]:
        for s in sources:
            done = frozenset(sink.done.get(s, ()))
            if done and _local_sha256(s, job.max_bytes) in done:
                skipped_here.append(s)  # already complete: no need to send it to a worker
                continue
            yield Item(s, done, _read_for_shipping(s, job.max_bytes) if ship else None)

    skipped_here: list[str] = []
    items = pending()
    size = chunk_size or max(1, min(16, len(sources) // (jobs * 8) or 1))
    chunks = executors.chunked(items, size)
    work = functools.partial(analyze_chunk, job)
    try:
        if client is not None:
            results = executors.run_dask(work, chunks, client, window=2 * max(jobs, _dask_workers(client)),
                                         warm=functools.partial(warm, job))
        elif jobs == 1:
            results = executors.run_inline(work, chunks)
        else:
            results = executors.run_pool(work, chunks, jobs, initializer=warm, initargs=(job,))
        with _progress(len(sources), progress) as advance:
            for outcomes in results:
                while skipped_here:
                    skipped_here.pop()
                    stats.skipped += 1
                    advance()
                for o in outcomes:
                    if o.skipped:
                        stats.skipped += 1
                    elif o.error is not None:
                        stats.errors += 1
                        if len(stats.error_messages) < 20:
                            stats.error_messages.append(o.error)
                        sink.write([error_row(o.source, o.sha256, key, o.error)])
                    else:
                        stats.analysed += 1
                        sink.write(o.rows)
                    advance()
            for _ in skipped_here:  # skipped after the last chunk was handed out
                stats.skipped += 1
                advance()
    finally:
        sink.close()
        if client is not None:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None and not scheduler:
                cluster.close()
    summary = summarize(sink.iter_rows())
    if isinstance(sink, XlsxSink):
        sink.finish()
    stem = out.with_suffix("")
    spath, dpath = Path(f"{stem}.summary.csv"), Path(f"{stem}.dashboard.html")
    _atomic_text(spath, summary.to_csv())
    _atomic_text(dpath, dashboard_html(summary, title=out.name))
    stats.outputs = [out, spath, dpath]
    return stats


def _dask_workers(client: Any) -> int:
    try:
        return len(client.scheduler_info().get("workers", {}))
    except Exception:  # noqa: BLE001 - only a sizing hint
        return 1


def _local_sha256(source: str, max_bytes: int) -> str | None:
    """The sha256 of a local file's bytes (what Document.sha256 is), to skip it without a worker."""
    import hashlib

    data = _read_for_shipping(source, max_bytes)
    return hashlib.sha256(data).hexdigest() if data is not None else None


def _read_for_shipping(source: str, max_bytes: int) -> bytes | None:
    """A local file's bytes for a remote worker; None (the worker reads or fetches it) otherwise."""
    import stat as st

    from gapcheck.fetch import is_url

    if is_url(source):
        return None
    try:
        s = os.stat(source)
        if not st.S_ISREG(s.st_mode) or s.st_size > max_bytes or s.st_size == 0:
            return None
        with open(source, "rb") as f:
            return f.read(max_bytes + 1)
    except OSError:
        return None


class _progress:
    """A rich progress bar with rate and ETA on stderr; silent when stderr is not a terminal."""

    def __init__(self, total: int, enabled: bool | None):
        self.total = total
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._p: Any = None

    def __enter__(self) -> Callable[[], None]:
        if not self.enabled:
            return lambda: None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class Rate(ProgressColumn):
            def render(self, task: Any) -> Text:
                return Text(f"{task.speed:.1f}/s" if task.speed else "-/s")

        self._p = Progress(TextColumn("policies"), BarColumn(), MofNCompleteColumn(), Rate(),
                           TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                           console=Console(stderr=True), transient=False)
        self._p.__enter__()
        task = self._p.add_task("batch", total=self.total)
        return lambda: self._p.advance(task)

    def __exit__(self, *exc: object) -> None:
        if self._p is not None:
            self._p.__exit__(*exc)


def _atomic_text(path: Path, text: str) -> None:
    from gapcheck.render import atomic_write

    atomic_write(path, text.encode("utf-8"))


# --------------------------------------------------------------------------- summary and dashboard

STATUSES = ("met", "partial", "missing", "review", "not_applicable")


@dataclass
class Summary:
    """Portfolio figures: per law and requirement, how many policies have each status."""

    counts: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    meta: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # severity, area
    policies_by_law: dict[str, int] = field(default_factory=dict)
    score_sum: dict[str, float] = field(default_factory=dict)
    policies: int = 0
    errors: int = 0

    def rows(self) -> list[dict[str, Any]]:
        """One row per (law, requirement), most often missing first within each law."""
        out = []
        for (law, rid), c in self.counts.items():
            n = sum(c.values())
            out.append({"law": law, "requirement_id": rid, "severity": self.meta[(law, rid)][0],
                        "area": self.meta[(law, rid)][1], "policies": n, **{s: c.get(s, 0) for s in STATUSES},
                        "share_missing": round(c.get("missing", 0) / n, 4) if n else 0.0})
        return sorted(out, key=lambda r: (r["law"], -r["share_missing"], r["requirement_id"]))

    def to_csv(self) -> str:
        import io

        buf = io.StringIO()
        fields = ["law", "requirement_id", "severity", "area", "policies", *STATUSES, "share_missing"]
        w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(self.rows())
        return buf.getvalue()


def summarize(rows: Iterable[tuple]) -> Summary:
    """Aggregate the coverage matrix in one pass; memory grows with requirements x laws, not policies."""
    s = Summary()
    seen_law: set[tuple[str, str, str, str]] = set()
    seen_policy: set[tuple[str, str, str]] = set()
    for r in rows:
        policy, sha, key, law, rid, sev, area, status = r[:8]
        if status == ERROR:
            s.errors += 1
            continue
        pk = (policy, sha, key)
        if pk not in seen_policy:
            seen_policy.add(pk)
            s.policies += 1
        lk = (*pk, law)
        if lk not in seen_law:
            seen_law.add(lk)
            s.policies_by_law[law] = s.policies_by_law.get(law, 0) + 1
            s.score_sum[law] = s.score_sum.get(law, 0.0) + float(r[9] or 0.0)
        c = s.counts.setdefault((law, rid), {})
        c[status] = c.get(status, 0) + 1
        s.meta.setdefault((law, rid), (sev, area))
    return s


LAW_COLOURS = {"gdpr": "#1f3a5f", "ccpa": "#0b6e4f", "dpdp": "#b86e00"}


def chart_svg(summary: Summary, top: int = 20) -> str:
    """Horizontal bars: the requirements most often missing across the portfolio (inline SVG)."""
    rows = sorted(summary.rows(), key=lambda r: (-r["share_missing"], r["requirement_id"]))[:top]
    bar_h, gap, label_w, bar_w = 16, 6, 260, 360
    height = max(1, len(rows)) * (bar_h + gap) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 60}" height="{height}" '
             f'role="img" aria-label="Share of policies missing each requirement">']
    for i, r in enumerate(rows):
        y = 10 + i * (bar_h + gap)
        w = round(bar_w * r["share_missing"], 1)
        colour = LAW_COLOURS.get(r["law"], "#5a5a8a")
        parts.append(f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end" font-size="11">'
                     f'{html.escape(r["requirement_id"])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{colour}"/>')
        parts.append(f'<text x="{label_w + w + 4}" y="{y + 12}" font-size="11">{r["share_missing"]:.0%}</text>')
    if not rows:
        parts.append('<text x="10" y="20" font-size="12">No analysed policies.</text>')
    parts.append("</svg>")
    return "".join(parts)


def dashboard_html(summary: Summary, title: str = "batch") -> str:
    """One self-contained page (no scripts, no external references): totals, the chart, the table."""
    e = html.escape
    law_rows = "".join(
        f"<tr><td>{e(law)}</td><td>{n}</td><td>{summary.score_sum[law] / n:.1f}</td></tr>"
        for law, n in sorted(summary.policies_by_law.items()))
    req_rows = "".join(
        f"<tr><td>{e(r['law'])}</td><td><code>{e(r['requirement_id'])}</code></td><td>{e(r['severity'])}</td>"
        f"<td>{r['policies']}</td><td>{r['met']}</td><td>{r['partial']}</td><td>{r['missing']}</td>"
        f"<td>{r['share_missing']:.0%}</td></tr>" for r in summary.rows())
    legend = " ".join(f'<span style="color:{c}">&#9632; {e(law)}</span>' for law, c in LAW_COLOURS.items()
                      if law in summary.policies_by_law)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>gapcheck portfolio - {e(title)}</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; margin: 24px; color: #1a1a1a; }}
table {{ border-collapse: collapse; margin: 8px 0 20px; font-size: 13px; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 3px 10px; text-align: left; }}
th {{ background: #e9edf2; }}
</style></head><body>
<h1>Portfolio gap analysis</h1>
<p>{summary.policies} policies analysed, {summary.errors} could not be read. Source: {e(title)}.</p>
<h2>By law</h2>
<table><tr><th>law</th><th>policies</th><th>mean score</th></tr>{law_rows}</table>
<h2>Requirements most often missing</h2>
<p>{legend}</p>
{chart_svg(summary)}
<h2>Every requirement</h2>
<table><tr><th>law</th><th>requirement</th><th>severity</th><th>policies</th><th>met</th><th>partial</th>
<th>missing</th><th>share missing</th></tr>{req_rows}</table>
<p><small>gapcheck batch: an automated analysis of policy texts; not legal advice.</small></p>
</body></html>
"""

