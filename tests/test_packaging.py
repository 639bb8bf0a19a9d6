"""`pip install .` ships the checklists and templates inside the package (not only editable)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest

from .conftest import FIXTURES, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    p = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                        "-w", str(out), str(ROOT)], capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        pytest.fail(p.stderr[-2000:])
    return next(out.glob("gapcheck-*.whl"))


def test_wheel_contains_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for law in ("gdpr", "ccpa", "dpdp"):
        assert f"gapcheck/_checklists/{law}.yaml" in names
    assert "gapcheck/_templates/report.html" in names
    assert "gapcheck/_templates/report.css" in names


def test_installed_wheel_runs_outside_the_repo(wheel, tmp_path):
    target = tmp_path / "site"
    p = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                        str(wheel)], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    work = tmp_path / "elsewhere"
    work.mkdir()
    policy = FIXTURES / "policies" / "001_1c1100c635551e45.txt"
    env = dict(os.environ, PYTHONPATH=str(target))
    r = subprocess.run([sys.executable, "-c", "import gapcheck, sys; print(gapcheck.__file__)"],
                       capture_output=True, text=True, cwd=work, env=env)
    assert r.stdout.startswith(str(target)), r.stdout + r.stderr
    r = subprocess.run([sys.executable, "-m", "gapcheck", "run", str(policy), "--law", "all",
                        "--format", "json,html", "--output", str(work / "out")],
                       capture_output=True, text=True, cwd=work, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    doc = json.loads(next((work / "out").glob("*.json")).read_text())
    assert {x["id"] for x in doc["laws"]} == {"gdpr", "ccpa", "dpdp"}
