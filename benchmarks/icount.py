#!/usr/bin/env python3
"""Instructions of one warm in-process analysis pass over the ten sample policies (valgrind callgrind).

Wall time on the shared machine varies by some 10% between runs; instruction counts vary by well under
1%, so an engine change that saves 1% shows here and not in bench.py. One warm pass is run(2) - run(1):
the checklist load, the first compilation of every pattern and the leading-form cache cancel out.

    python benchmarks/icount.py                  # the working tree's engine
    python benchmarks/icount.py --rev HEAD~1     # a commit's engine (the checklists stay the working tree's)

The engine measured is a copy of gapcheck/ (from the working tree or `git archive REV`) in a temporary
directory, imported in place of the editable install: a measurement that takes minutes goes on seeing
the code it started with while the working tree changes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# run inside valgrind: the engine copy first on the path, the editable install's finder dropped
PASSES = """
import sys, datetime as dt
from pathlib import Path
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in type(f).__name__.lower()
                    and "editable" not in getattr(f, "__module__", "")]
sys.path.insert(0, sys.argv[2])
import gapcheck
assert gapcheck.__file__.startswith(sys.argv[2]), gapcheck.__file__
from gapcheck import ingest, pipeline
docs = [ingest.load(p) for p in sorted(Path(sys.argv[3]).glob("*.txt"))]
lists = pipeline.resolve_laws(["all"])
for _ in range(int(sys.argv[1])):
    for d in docs:
        pipeline.analyze_document(d, lists, None, dt.date(2026, 12, 6))
"""


def snapshot(dest: Path, rev: str | None) -> Path:
    """A copy of the engine (gapcheck/) with the working tree's checklists and templates linked in."""
    if rev is None:
        shutil.copytree(ROOT / "gapcheck", dest / "gapcheck", ignore=shutil.ignore_patterns("__pycache__"))
    else:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "gapcheck"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    (dest / "gapcheck" / "_checklists").symlink_to(ROOT / "checklists")
    (dest / "gapcheck" / "_templates").symlink_to(ROOT / "templates")
    return dest


def instructions(passes: int, tree: Path, script: Path) -> int:
    """Instructions of a process that loads the checklists and analyses the samples `passes` times."""
    out = tree / f"callgrind.{passes}.out"
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    got = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, str(script),
                          str(passes), str(tree), str(ROOT / "tests" / "fixtures" / "policies")],
                         capture_output=True, text=True, env=env, cwd=tree)
    m = re.search(r"Collected : (\d+)", got.stderr)
    if got.returncode != 0 or m is None:
        raise SystemExit(f"valgrind run failed:\n{got.stderr[-2000:]}")
    return int(m.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rev", help="measure this commit's gapcheck/ instead of the working tree's")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed")
    with tempfile.TemporaryDirectory(prefix="gapcheck-icount-") as tmp:
        tree = snapshot(Path(tmp), args.rev)
        script = tree / "passes.py"
        script.write_text(PASSES)
        one, two = instructions(1, tree, script), instructions(2, tree, script)
    print(f"{args.rev or 'working tree'}: one warm pass over the samples {(two - one) / 1e6:,.0f}M instructions "
          f"(load and first pass {one / 1e6:,.0f}M)")


if __name__ == "__main__":
    main()
