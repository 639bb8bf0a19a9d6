#!/usr/bin/env python3
"""Speed of gapcheck on the ten bundled sample policies, in one run.

(a) in-process analysis (all three laws, no rendering) per policy, beside the naive floor: one
    case-insensitive keyword regex per catalog requirement id, searched once over the text;
(b) `gapcheck run POLICY --law ccpa` wall time, PDF (the default) against `--format json`, a new
    process each time, median over the samples;
(c) `gapcheck batch --jobs 2` throughput on N policies made from the samples with a small edit each
    (so every text hash differs): wall time, policies per second, CPU time of all its processes,
    peak RSS. Batch workers keep a bounded cache of the work that depends only on a clause's text
    (gapcheck.textcache), so a portfolio of near-identical policies costs less per policy than the
    cold analysis of (a), which never uses that cache; both figures are printed.

    python benchmarks/bench.py                 # (a), (b) and (c) with --batch 200
    python benchmarks/bench.py --batch 10000   # the portfolio-scale figure of issue 9
    python benchmarks/bench.py --skip-run --batch 0   # (a) only
    python benchmarks/bench.py --skip-run --batch 0 --phases   # (a), then where its time goes

The machine is shared: the load average is printed with the figures, and medians are used.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICIES = sorted((ROOT / "tests" / "fixtures" / "policies").glob("*.txt"))


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def naive_patterns(lists) -> list[re.Pattern]:  # type: ignore[no-untyped-def]
    """One keyword regex per requirement id: its words after the law prefix, any of them."""
    pats = []
    for cl in lists:
        for r in cl.requirements:
            words = [w for w in r.id.split("-")[1:] if len(w) > 2] or [r.id]
            pats.append(re.compile("|".join(re.escape(w) for w in words), re.I))
    return pats


def bench_analysis(repeat: int) -> float:
    """(a); returns the median cold analysis time (ms) over the samples."""
    from gapcheck import ingest, pipeline, textcache

    textcache.clear()
    assert textcache.current() is None  # a cold analysis: the batch workers' text cache is off here
    lists = pipeline.resolve_laws(["all"])  # loaded once, as a batch worker does
    pats = naive_patterns(lists)
    print(f"(a) in-process analysis, all laws ({sum(len(c.requirements) for c in lists)} requirements); "
          f"load {load()}")
    print("    cold: every repeat analyses the policy from scratch (no text cache)")
    print(f"{'policy':32} {'lines':>6} {'gapcheck ms':>12} {'naive ms':>9} {'ratio':>7}")
    g_all, n_all, ratios = [], [], []
    for p in POLICIES:
        doc = ingest.load(p)
        gt, nt = [], []
        for _ in range(repeat):
            t = time.perf_counter()
            pipeline.analyze_document(doc, lists)
            gt.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            text = doc.text
            _ = [bool(rx.search(text)) for rx in pats]
            nt.append((time.perf_counter() - t) * 1000)
        g, n = statistics.median(gt), statistics.median(nt)
        g_all.append(g)
        n_all.append(n)
        ratios.append(g / n if n else float("inf"))
        print(f"{p.name:32} {len(doc.lines):>6} {g:>12.1f} {n:>9.2f} {g / n:>6.0f}x")
    print(f"{'median':32} {'':>6} {statistics.median(g_all):>12.1f} {statistics.median(n_all):>9.2f} "
          f"{statistics.median(ratios):>6.0f}x")
    print(f"{'all ten (sum of medians)':32} {'':>6} {sum(g_all):>12.1f}")
    from gapcheck import checklists

    t = time.perf_counter()
    checklists._CACHE.clear()
    pipeline.resolve_laws(["all"])
    print(f"checklist load (3 laws): {(time.perf_counter() - t) * 1000:.1f} ms")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import gapcheck.cli"], check=True)
    print(f"python -c 'import gapcheck.cli': {(time.perf_counter() - t) * 1000:.0f} ms wall")
    return statistics.median(g_all)


def bench_phases(repeat: int) -> None:
    """Where the cold analysis of (a) goes, per phase (medians over the samples): segment, annotate,
    evaluate (the three laws) and hygiene, and in a second pass the share of the evaluation spent in the
    patterns' whole-clause scans (Regex._search, timed by a wrapper: a little slower than unwrapped).
    Issue 9's later steps start from these figures: the scans and the regex engine under them, not the
    combinators' Python, are most of the time."""
    import datetime as dt

    from gapcheck import annotate, checklists, evaluate, hygiene, ingest, pipeline, segment, textcache

    textcache.clear()
    lists = pipeline.resolve_laws(["all"])
    as_of = dt.date(2026, 12, 6)
    names = ("segment", "annotate", "evaluate", "hygiene")
    per: dict[str, list[float]] = {k: [] for k in names}
    docs = [ingest.load(p) for p in POLICIES]
    for doc in docs:
        got: dict[str, list[float]] = {k: [] for k in names}
        for _ in range(repeat):
            t0 = time.perf_counter()
            seg = segment.segment(doc)
            t1 = time.perf_counter()
            ctx = annotate.annotate(seg)
            t2 = time.perf_counter()
            cache: dict = {}
            for cl in lists:
                evaluate.evaluate(cl, ctx, None, as_of, cache)
            t3 = time.perf_counter()
            hygiene.check(doc, ctx, as_of)
            t4 = time.perf_counter()
            for k, a, b in zip(names, (t0, t1, t2, t3), (t1, t2, t3, t4), strict=True):
                got[k].append((b - a) * 1000)
        for k in names:
            per[k].append(statistics.median(got[k]))
    total = sum(statistics.median(v) for v in per.values())
    print(f"\n(a') phases of the cold analysis, medians over the samples (ms); load {load()}")
    for k in names:
        m = statistics.median(per[k])
        print(f"    {k:10} {m:7.1f}  ({m / total:4.0%})")
    scans = [0.0, 0]
    search = checklists.Regex._search

    def timed(self, ac):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            return search(self, ac)
        finally:
            scans[0] += time.perf_counter() - t
            scans[1] += 1

    checklists.Regex._search = timed  # type: ignore[method-assign]
    try:
        ev = []
        for doc in docs:
            ctx = annotate.annotate(segment.segment(doc))
            t = time.perf_counter()
            cache = {}
            for cl in lists:
                evaluate.evaluate(cl, ctx, None, as_of, cache)
            ev.append(time.perf_counter() - t)
    finally:
        checklists.Regex._search = search  # type: ignore[method-assign]
    print(f"    pattern scans in evaluate: {scans[1] / len(docs):.0f} per policy, "
          f"{scans[0] / sum(ev):.0%} of its time")


def bench_run(repeat: int, law: str) -> None:
    print(f"\n(b) gapcheck run POLICY --law {law}, wall time of the whole command (new process); load {load()}")
    print("    CPU s: user + system time of the command and its children (less noisy than wall on a shared machine)")
    print(f"{'policy':32} {'PDF s':>7} {'JSON s':>7} {'pages':>6} {'PDF CPU s':>10} {'JSON CPU s':>11}")
    pdf_all, json_all, pdf_cpu_all, json_cpu_all = [], [], [], []
    for p in POLICIES:
        walls: dict[str, list[float]] = {"pdf": [], "json": []}
        cpus: dict[str, list[float]] = {"pdf": [], "json": []}
        pages = ""
        for _ in range(repeat):
            for fmt in ("pdf", "json"):
                with tempfile.TemporaryDirectory() as d:
                    cmd = [sys.executable, "-m", "gapcheck", "run", str(p), "--law", law, "--no-history",
                           "--format", fmt, "--output", d]
                    before = resource.getrusage(resource.RUSAGE_CHILDREN)
                    t = time.perf_counter()
                    subprocess.run(cmd, check=True, capture_output=True)
                    walls[fmt].append(time.perf_counter() - t)
                    after = resource.getrusage(resource.RUSAGE_CHILDREN)
                    cpus[fmt].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
                    if fmt == "pdf" and not pages:
                        pages = _pages(next(Path(d).glob("*.pdf")))
        pdf, js = statistics.median(walls["pdf"]), statistics.median(walls["json"])
        pdf_cpu, js_cpu = statistics.median(cpus["pdf"]), statistics.median(cpus["json"])
        pdf_all.append(pdf)
        json_all.append(js)
        pdf_cpu_all.append(pdf_cpu)
        json_cpu_all.append(js_cpu)
        print(f"{p.name:32} {pdf:>7.2f} {js:>7.2f} {pages:>6} {pdf_cpu:>10.2f} {js_cpu:>11.2f}")
    print(f"{'median over the samples':32} {statistics.median(pdf_all):>7.2f} {statistics.median(json_all):>7.2f} "
          f"{'':>6} {statistics.median(pdf_cpu_all):>10.2f} {statistics.median(json_cpu_all):>11.2f}")


def _pages(pdf: Path) -> str:
    try:
        from pypdf import PdfReader

        return str(len(PdfReader(str(pdf)).pages))
    except Exception:  # noqa: BLE001 - the page count is only informative
        return "?"


def make_portfolio(folder: Path, n: int) -> None:
    """n policies: the samples in turn, each with one line appended so no two texts are the same."""
    texts = [p.read_text(encoding="utf-8") for p in POLICIES]
    for i in range(n):
        base = i % len(texts)
        (folder / f"{i:06d}_{POLICIES[base].stem[:24]}.txt").write_text(
            texts[base].rstrip("\n") + f"\n\nThis copy of the policy is number {i} of the benchmark portfolio.\n",
            encoding="utf-8")


def _tree_rss(pid: int, cpu: dict[int, float] | None = None) -> int:
    """Resident memory of a process and its descendants (bytes), via psutil when it is installed;
    records each one's CPU seconds so far in `cpu`."""
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for q in procs:
        try:
            total += q.memory_info().rss
            if cpu is not None:
                t = q.cpu_times()
                cpu[q.pid] = t.user + t.system
        except psutil.Error:
            pass
    return total


def bench_batch(n: int, jobs: int, out_suffix: str, cold_ms: float | None = None, text_cache: bool = True) -> None:
    print(f"\n(c) gapcheck batch, {n} policies, --jobs {jobs}, --out results{out_suffix}; load {load()}")
    print("    workers' text cache " + ("on (the default: GAPCHECK_TEXT_CACHE entries per worker)" if text_cache
                                       else "off (GAPCHECK_TEXT_CACHE=0): every policy analysed cold"))
    work = Path(tempfile.mkdtemp(prefix="gapcheck-bench-"))
    try:
        (work / "policies").mkdir()
        make_portfolio(work / "policies", n)
        out = work / f"results{out_suffix}"
        cmd = [sys.executable, "-m", "gapcheck", "batch", str(work / "policies"), "--jobs", str(jobs),
               "--out", str(out)]
        env = dict(os.environ, **({} if text_cache else {"GAPCHECK_TEXT_CACHE": "0"}))
        peak_tree = 0
        cpu: dict[int, float] = {}  # user + system seconds last seen per process of the tree
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        stop = threading.Event()

        def watch() -> None:
            nonlocal peak_tree
            while not stop.is_set():
                peak_tree = max(peak_tree, _tree_rss(proc.pid, cpu))
                stop.wait(0.25)

        watcher = None
        try:
            import psutil  # noqa: F401

            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()
        except ImportError:
            pass
        _, err = proc.communicate()
        wall = time.perf_counter() - t
        stop.set()
        if watcher:
            watcher.join()
        if proc.returncode != 0:
            print(f"batch failed ({proc.returncode}): {err.strip()[-500:]}")
            return
        peak_one = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB -> MiB (Linux)
        print(f"wall {wall:.1f} s  ({n / wall:.1f} policies/s; {wall / n * 1000:.0f} ms per policy on {jobs} workers)")
        if cpu:
            total = sum(cpu.values())
            print(f"CPU {total:.1f} s in all processes ({total / n * 1000:.0f} ms per policy; sampled every 0.25 s); "
                  f"{total / jobs:.1f} s if {jobs} cores were free for it: a shared machine's load stretches the wall")
        if cold_ms is not None:
            print(f"cold in-process analysis, (a) above: median {cold_ms:.1f} ms per policy "
                  "(no text cache, no file reading)")
        print(f"peak RSS of the largest process {peak_one:.0f} MiB"
              + (f"; of the whole process tree {peak_tree / 2**20:.0f} MiB" if peak_tree else ""))
        print(f"output {out.stat().st_size / 2**20:.1f} MiB; {err.strip().splitlines()[-1]}")
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        print(f"resume with nothing left to do: {time.perf_counter() - t:.1f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5, help="repetitions per policy for (a)")
    ap.add_argument("--run-repeat", type=int, default=1, help="repetitions per policy for (b)")
    ap.add_argument("--law", default="ccpa", help="law for (b), as in the main command")
    ap.add_argument("--skip-run", action="store_true", help="skip (b)")
    ap.add_argument("--batch", type=int, default=200, metavar="N", help="policies for (c); 0 skips it")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", default=None, help="batch output suffix (.parquet if pyarrow is installed, else .csv)")
    ap.add_argument("--phases", action="store_true", help="after (a), its time per phase (see bench_phases)")
    ap.add_argument("--batch-cold", action="store_true",
                    help="(c) also with the workers' text cache off (GAPCHECK_TEXT_CACHE=0)")
    args = ap.parse_args()
    print(f"gapcheck benchmark: {len(POLICIES)} sample policies, {os.cpu_count()} CPUs, "
          f"python {sys.version.split()[0]}")
    cold_ms = bench_analysis(args.repeat)
    if args.phases:
        bench_phases(args.repeat)
    if not args.skip_run:
        bench_run(args.run_repeat, args.law)
    if args.batch:
        suffix = args.out
        if suffix is None:
            try:
                import pyarrow  # noqa: F401

                suffix = ".parquet"
            except ImportError:
                suffix = ".csv"
        bench_batch(args.batch, args.jobs, suffix, cold_ms)
        if args.batch_cold:
            bench_batch(args.batch, args.jobs, suffix, cold_ms, text_cache=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
