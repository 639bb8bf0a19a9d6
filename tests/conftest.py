"""Shared test fixtures: the bundled sample policies and the labelled ones in ../shared."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# the pattern-forms cache (gapcheck.prefilter) goes to a directory of this test session, not the home
os.environ.setdefault("XDG_CACHE_HOME", tempfile.mkdtemp(prefix="gapcheck-test-cache-"))
FIXTURES = ROOT / "tests" / "fixtures"
POLICIES = sorted((FIXTURES / "policies").glob("*.txt"))
#: Real policies from the audits (tests/fixtures/unseen/SOURCES.md): Markdown, text and raw HTML.
UNSEEN = sorted(p for p in (FIXTURES / "unseen").iterdir() if p.suffix in (".md", ".txt", ".html")
                and p.name != "SOURCES.md")
SHARED = Path(os.environ.get("GAPCHECK_SHARED", ROOT.parent / "shared"))

#: A one-item custom checklist, the smallest a consultant could write.
MINI_CHECKLIST = """law: acme
name: Acme house rules
version: "1"
items:
  - id: acme-dpo-named
    title: DPO is named
    citation: house rule 1
    kind: mandatory
    severity: high
    recommendation: Name the DPO.
    met_when: {label: dpo}
    examples:
      met: ["Contact our Data Protection Officer at dpo@acme.example."]
      missing: ["We collect your name."]
"""


def run_cli(*args: str, input: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the CLI as a user would (a separate process)."""
    return subprocess.run([sys.executable, "-m", "gapcheck", *args], capture_output=True, text=True,
                          input=input, cwd=cwd, timeout=120)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope="session")
def sample_policy() -> Path:
    return FIXTURES / "policies" / "003_e29ff102ab8d4a64.txt"


# Never touch the user's real history database from the tests.
if "GAPCHECK_HISTORY" not in os.environ or not os.environ.get("GAPCHECK_TEST_KEEP_HISTORY"):
    import tempfile as _tempfile

    os.environ["GAPCHECK_HISTORY"] = str(Path(_tempfile.mkdtemp(prefix="gapcheck-test-")) / "history.sqlite")


# --------------------------------------------------------------------------- long mode and hypothesis
# `slow` tests (the 20 MB policy, 1 MB lines of words, heavier fuzzing) run only with GAPCHECK_LONG=1:
#     GAPCHECK_LONG=1 .venv/bin/pytest -q -m slow tests/test_hostile.py tests/test_properties.py
LONG = os.environ.get("GAPCHECK_LONG") == "1"


def pytest_collection_modifyitems(config, items):
    if LONG:
        return
    skip = pytest.mark.skip(reason="long case: set GAPCHECK_LONG=1 to run it")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


try:
    from hypothesis import HealthCheck, settings

    _common = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
    # CI: few examples, the same ones every run (derandomized), no example database in the clone.
    settings.register_profile("ci", max_examples=25, derandomize=True, database=None, **_common)
    settings.register_profile("long", max_examples=400, **_common)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("long" if LONG else "ci"))
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    pass


@pytest.fixture
def asset_calls(monkeypatch) -> list[str]:
    """Every URL the PDF renderer asks the asset fetcher for (the real fetcher still answers)."""
    from gapcheck import render

    calls: list[str] = []
    real = render.resolve_asset

    def spy(url, options):
        calls.append(url)
        return real(url, options)

    monkeypatch.setattr(render, "resolve_asset", spy)
    return calls
