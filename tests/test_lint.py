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


def test_models_import_no_pipeline_stage():
    """models is plain data: importing it (and using Report.score) loads no other gapcheck module."""
    import sys

    code = ("import sys, gapcheck.models; "
            "print(sorted(m for m in sys.modules if m.startswith('gapcheck.') and m != 'gapcheck.models'))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "[]"
    src = (ROOT / "gapcheck" / "models.py").read_text(encoding="utf-8")
    assert "from gapcheck" not in src and "import gapcheck" not in src
