"""`pip install .` ships the checklists and templates inside the package (not only editable)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

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
    # every module ships, sub-packages (gapcheck/readers/) included: the package list is explicit
    sources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "gapcheck").rglob("*.py")}
    assert sources <= set(names), sources - set(names)


def test_installed_wheel_runs_outside_the_repo(wheel, tmp_path):
    """A fresh venv outside the repo with only the wheel installed; its dependencies are borrowed
    from this environment through a .pth file (no network), after the venv's own site-packages."""
    import sysconfig

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    vpy = venv / "bin" / "python"
    site = subprocess.run([str(vpy), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    p = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", site, str(wheel)],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    (Path(site) / "zz_borrowed_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp_path / "elsewhere"
    work.mkdir()
    policy = FIXTURES / "policies" / "001_1c1100c635551e45.txt"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    r = subprocess.run([str(vpy), "-c", "import gapcheck; print(gapcheck.__file__)"],
                       capture_output=True, text=True, cwd=work, env=env)
    assert r.stdout.startswith(site), r.stdout + r.stderr
    r = subprocess.run([str(vpy), "-m", "gapcheck", "run", str(policy), "--law", "all", "--no-history",
                        "--format", "json,html,pdf", "--output", str(work / "out")],
                       capture_output=True, text=True, cwd=work, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    doc = json.loads(next((work / "out").glob("*.json")).read_text())
    assert {x["id"] for x in doc["laws"]} == {"gdpr", "ccpa", "dpdp"}
    assert next((work / "out").glob("*.pdf")).stat().st_size > 10_000
