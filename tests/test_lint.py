"""The code stays ruff-clean (the linter is a test dependency)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from .conftest import ROOT


def test_ruff_clean():
    ruff = shutil.which("ruff") or str(ROOT / ".venv" / "bin" / "ruff")
    try:
        p = subprocess.run([ruff, "check", "gapcheck", "tests", "benchmarks"], capture_output=True, text=True,
                           cwd=ROOT)
    except FileNotFoundError:
        pytest.skip("ruff not installed")
    assert p.returncode == 0, p.stdout + p.stderr
