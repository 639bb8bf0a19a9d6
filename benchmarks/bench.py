#!/usr/bin/env python3
"""Speed of gapcheck on the bundled sample policies.

Prints the median in-process analysis time per policy (all three laws, no rendering) and the
median wall time of the whole `gapcheck run` command (new process, JSON+HTML written).

    python benchmarks/bench.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICIES = sorted((ROOT / "tests" / "fixtures" / "policies").glob("*.txt"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
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


if __name__ == "__main__":
    sys.exit(main())
