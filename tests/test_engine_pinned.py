"""The matching engine's verdicts and quotes on the bundled policies, pinned.

The engine is tuned for speed (literal pre-filter, candidate clauses, memoised scans); every such
change must leave each status and each evidence quote exactly as it was. This test compares the
analysis of every policy in tests/fixtures/policies (all laws, a fixed check date) with the stored
tests/fixtures/expected/<policy>.json.

A deliberate change of the checklists or the annotation changes these files too. Regenerate them,
then review the diff like any other change of verdicts:

    python tests/test_engine_pinned.py --regen
    git diff --stat tests/fixtures/expected/
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
POLICIES = sorted((ROOT / "tests" / "fixtures" / "policies").glob("*.txt"))
EXPECTED = ROOT / "tests" / "fixtures" / "expected"
AS_OF = dt.date(2026, 12, 1)  # date-age items (last updated within 12 months) must not drift with the calendar


def pinned(policy: Path) -> dict:
    """Status, evidence lines and quotes of every requirement, and the drafting findings, per law."""
    from gapcheck import pipeline

    report = pipeline.analyze(policy, laws=["all"], as_of=AS_OF)
    return {
        "laws": {lr.checklist.law: {r.requirement.id: {
            "status": r.status.value,
            "evidence": [[e.line_start, e.line_end, e.quote] for e in r.evidence]} for r in lr.results}
            for lr in report.laws},
        "findings": [[f.id, f.line_start, f.quote] for f in report.findings],
    }


def _path(policy: Path) -> Path:
    return EXPECTED / (policy.stem + ".json")


def regenerate() -> None:
    EXPECTED.mkdir(parents=True, exist_ok=True)
    for p in POLICIES:
        _path(p).write_text(json.dumps(pinned(p), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print("wrote", _path(p).relative_to(ROOT))


@pytest.mark.parametrize("policy", POLICIES, ids=[p.stem for p in POLICIES])
def test_engine_output_is_pinned(policy: Path) -> None:
    assert _path(policy).exists(), f"no {_path(policy).name}: run python tests/test_engine_pinned.py --regen"
    want = json.loads(_path(policy).read_text(encoding="utf-8"))
    got = pinned(policy)
    for law, items in want["laws"].items():
        for rid, exp in items.items():
            assert got["laws"][law].get(rid) == exp, f"{policy.name}: {rid} changed"
    assert got == want


if __name__ == "__main__":
    if "--regen" in sys.argv:
        regenerate()
    else:
        print(__doc__)
