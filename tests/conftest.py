"""Shared test fixtures: the bundled sample policies and the labelled ones in ../shared."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
POLICIES = sorted((FIXTURES / "policies").glob("*.txt"))
SHARED = Path(os.environ.get("GAPCHECK_SHARED", ROOT.parent / "shared"))


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
