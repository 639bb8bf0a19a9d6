"""The verdicts on the ten labelled policies stay above the floors of the expert agreement check."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from .conftest import ROOT, SHARED

TOOL = SHARED / "tools" / "agreement.py"


@pytest.mark.skipif(not TOOL.exists(), reason="shared agreement tool not available")
def test_agreement_floors():
    env = dict(os.environ, GAPCHECK_CMD=f"{sys.executable} -m gapcheck")
    p = subprocess.run([sys.executable, str(TOOL), "--quiet"], capture_output=True, text=True, cwd=ROOT,
                       env=env, timeout=600)
    assert p.returncode == 0, p.stderr
    out = p.stdout
    rows = dict(re.findall(r"^(\w+)\s+\d+\s+([\d.]+)\s", out, re.M))
    for law in ("gdpr", "ccpa", "dpdp", "caloppa"):
        assert float(rows[law]) >= 0.85, f"{law} agreement {rows[law]} below 0.85\n{out}"
    last = out.strip().splitlines()[-1]
    vals = dict(re.findall(r"(\w+)=([\d.]+)", last))
    n = int(vals["n"])
    assert int(vals["falseMet"]) <= 0.02 * n, last
    assert float(vals["findingsR"]) >= 0.90, last
    assert int(vals["contractErrors"]) == 0, last
