#!/usr/bin/env python3
"""Speed of gapcheck on the bundled sample policies.

Prints the median in-process analysis time per policy (all three laws, no rendering) and the
median wall time of the whole `gapcheck run` command (new process, JSON+HTML written), and, side
by side for the ten sample policies, gapcheck's analysis against a naive keyword floor.

    python benchmarks/bench.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICIES = sorted((ROOT / "tests" / "fixtures" / "policies").glob("*.txt"))
EXTRA = ROOT.parent / "shared" / "policies-extra"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    against_naive_floor(args.repeat)
    from gapcheck import checklists, ingest, pipeline

    lists = pipeline.resolve_laws(["all"])  # load checklists once, as a portfolio run would
    print(f"{'policy':32} {'lines':>6} {'analyse ms (median)':>20}")
    totals = []
    for p in POLICIES:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            pipeline.analyze_document(ingest.load(p), lists)
            times.append((time.perf_counter() - t) * 1000)
        med = statistics.median(times)
        totals.append(med)
        print(f"{p.name:32} {len(ingest.load(p).lines):>6} {med:>20.1f}")
    print(f"{'all ten (sum of medians)':32} {'':>6} {sum(totals):>20.1f}")
    t = time.perf_counter()
    checklists._CACHE.clear()
    pipeline.resolve_laws(["all"])
    print(f"checklist load (3 laws): {(time.perf_counter() - t) * 1000:.1f} ms")

    sample = POLICIES[0]
    for label, extra in (("gapcheck run --output - (JSON)", ["--output", "-"]),
                         ("gapcheck run (json+html files)", None)):
        walls = []
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as d:
                cmd = [sys.executable, "-m", "gapcheck", "run", str(sample), "--law", "all"]
                cmd += extra if extra else ["--format", "json,html", "--output", d]
                t = time.perf_counter()
                subprocess.run(cmd, check=True, capture_output=True)
                walls.append((time.perf_counter() - t) * 1000)
        print(f"{label:40} median wall {statistics.median(walls):7.0f} ms")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import gapcheck.cli"], check=True)
    print(f"{'python -c import gapcheck.cli':40} wall {(time.perf_counter() - t) * 1000:7.0f} ms")
    return 0


# --------------------------------------------------------------------------- gapcheck against a naive floor
# (issue 9: "median ratio <= 5x, median gapcheck time <= 25 ms"; kept apart from the other timings)

_STOP = frozenset("""about after also and any are before being between can does for from has have how
into its may more not of on once only or other over such than that the their them then there these they
this those through under upon what when where which while who whom why with within without would your
""".split())


def sample_policies() -> list[Path]:
    """The ten samples: the bundled fixtures plus ../shared/policies-extra (each name once)."""
    seen = {p.name: p for p in POLICIES}
    for p in sorted(EXTRA.glob("*.txt")) if EXTRA.is_dir() else ():
        seen.setdefault(p.name, p)
    return sorted(seen.values(), key=lambda p: p.name)


def naive_checker(lists: tuple) -> list[tuple[str, re.Pattern[str]]]:
    """One case-insensitive keyword regex per catalog requirement id, from its title's key words."""
    out = []
    for cl in lists:
        for r in cl.requirements:
            words = sorted({w for w in re.findall(r"[a-z]{4,}", r.title.lower()) if w not in _STOP}) or [r.id]
            out.append((r.id, re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")", re.IGNORECASE)))
    return out


def _median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def against_naive_floor(repeat: int) -> None:
    """gapcheck's in-process analysis (all laws, checklists loaded once) beside the naive floor."""
    from gapcheck import ingest, pipeline

    lists = pipeline.resolve_laws(["all"])
    naive = naive_checker(lists)

    def run_naive(path: Path) -> dict[str, bool]:
        text = path.read_text(encoding="utf-8", errors="replace")
        return {rid: rx.search(text) is not None for rid, rx in naive}

    print(f"gapcheck vs naive floor ({len(naive)} keyword regexes), median of {repeat}; load {os.getloadavg()[0]:.1f}")
    print(f"{'policy':32} {'gapcheck ms':>12} {'naive ms':>9} {'ratio':>7}")
    rows = []
    for p in sample_policies():
        pipeline.analyze_document(ingest.load(p), lists)  # warm: pattern scanners compiled once per process
        g = _median_ms(lambda p=p: pipeline.analyze_document(ingest.load(p), lists), repeat)
        n = _median_ms(lambda p=p: run_naive(p), repeat)
        rows.append((g, n, g / n))
        print(f"{p.name:32} {g:>12.1f} {n:>9.2f} {g / n:>6.1f}x")
    med = [statistics.median(c) for c in zip(*rows, strict=True)]
    print(f"{'median':32} {med[0]:>12.1f} {med[1]:>9.2f} {med[2]:>6.1f}x   (target: <= 25 ms and <= 5x)")
    print()


if __name__ == "__main__":
    sys.exit(main())
