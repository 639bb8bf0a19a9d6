"""gapcheck batch: same verdicts as a single run, error rows, resume, Dask = local, summary and dashboard."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gapcheck import batch, pipeline
from tests.conftest import POLICIES, ROOT, run_cli

AS_OF = dt.date(2026, 11, 1)
_REAL_ANALYZE = pipeline.analyze_document


def _isolated(request: pytest.FixtureRequest) -> bool:
    """Run this test in a child pytest process; True in the parent (which then returns).

    pyarrow and dask add ~85 MB to a process that imports them. Kept out of the main pytest process,
    whose peak memory every child it spawns inherits (vfork), and test_hostile bounds such a child's.
    """
    if os.environ.get("GAPCHECK_ISOLATED") == request.node.nodeid:
        return False
    res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", request.node.nodeid],
                         env={**os.environ, "GAPCHECK_ISOLATED": request.node.nodeid}, cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    if "skipped" in res.stdout and "passed" not in res.stdout:
        pytest.skip(res.stdout.strip().splitlines()[-1])
    assert res.returncode == 0, res.stdout[-4000:]
    return True


def _job(**kw: object) -> batch.BatchJob:
    return batch.BatchJob(as_of=AS_OF, **kw)  # type: ignore[arg-type]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _by_policy(rows: list[dict[str, str]]) -> dict[str, dict[str, tuple[str, str]]]:
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for r in rows:
        out.setdefault(Path(r["policy"]).name, {})[r["requirement_id"]] = (r["status"], r["evidence_lines"])
    return out


def test_batch_equals_single_run_json(tmp_path: Path) -> None:
    """Each policy's status and evidence lines per requirement are those of `gapcheck run --output -`."""
    picks = POLICIES[:3]
    out = tmp_path / "r.csv"
    res = run_cli("batch", *map(str, picks), "--out", str(out), "--as-of", AS_OF.isoformat())
    assert res.returncode == 0, res.stderr
    got = _by_policy(_rows(out))
    assert set(got) == {p.name for p in picks}
    for p in picks:
        single = run_cli("run", str(p), "--output", "-", "--no-history", "--as-of", AS_OF.isoformat())
        assert single.returncode == 0, single.stderr
        doc = json.loads(single.stdout)
        want = {r["id"]: (r["status"], ", ".join(str(n) for n in sorted({e["line_start"] for e in r["evidence"]})))
                for r in doc["requirements"]}
        assert got[p.name] == want, p.name
    scores = {(Path(r["policy"]).name, r["law"]): float(r["score"]) for r in _rows(out)}
    doc = json.loads(run_cli("run", str(picks[0]), "--output", "-", "--no-history",
                             "--as-of", AS_OF.isoformat()).stdout)
    for law, s in doc["summary"]["by_law"].items():
        assert scores[(picks[0].name, law)] == s["score"]


def test_bad_file_is_one_error_row_and_exit_codes(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    args = ["batch", str(POLICIES[0]), str(empty), str(POLICIES[1]), "--law", "ccpa"]
    res = run_cli(*args, "--out", str(tmp_path / "a.csv"))
    assert res.returncode == 0, res.stderr
    rows = _rows(tmp_path / "a.csv")
    errors = [r for r in rows if r["status"] == "error"]
    assert len(errors) == 1 and errors[0]["policy"] == str(empty)
    assert "empty" in errors[0]["error"] and "\n" not in errors[0]["error"]
    assert {Path(r["policy"]).name for r in rows if r["status"] != "error"} == {POLICIES[0].name, POLICIES[1].name}
    assert "1 errors" in res.stderr
    res = run_cli(*args, "--out", str(tmp_path / "b.csv"), "--fail-on", "errors")
    assert res.returncode == 3
    assert len([r for r in _rows(tmp_path / "b.csv") if r["status"] == "error"]) == 1


def test_bad_output_and_missing_dask_are_one_line_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    res = run_cli("batch", str(POLICIES[0]), "--out", str(tmp_path / "r.json"))
    assert res.returncode == 2 and res.stderr.count("\n") == 1 and "--out must end in" in res.stderr
    from click.testing import CliRunner

    from gapcheck.cli import cli

    monkeypatch.setitem(sys.modules, "dask", None)
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    r = CliRunner().invoke(cli, ["batch", str(POLICIES[0]), "--out", str(tmp_path / "r.csv"), "--executor", "dask"])
    assert r.exit_code == 2
    assert "pip install 'gapcheck[dask]'" in r.output


class _Spy:
    """Counts analyses (and can simulate Ctrl-C after some of them)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, interrupt_after: int | None = None):
        self.calls: list[str] = []
        real = _REAL_ANALYZE

        def spy(doc, *a, **k):  # type: ignore[no-untyped-def]
            if interrupt_after is not None and len(self.calls) >= interrupt_after:
                raise KeyboardInterrupt
            self.calls.append(Path(doc.source).name)
            return real(doc, *a, **k)

        monkeypatch.setattr(pipeline, "analyze_document", spy)


@pytest.mark.parametrize("suffix", ["csv", "parquet", "xlsx"])
def test_resume_skips_finished_policies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str,
                                        request: pytest.FixtureRequest) -> None:
    if suffix == "parquet":
        if _isolated(request):
            return
        pytest.importorskip("pyarrow")
    out = tmp_path / f"r.{suffix}"
    job = _job(laws=("ccpa",))
    spy = _Spy(monkeypatch)
    batch.run_batch(map(str, POLICIES[:3]), out, job)
    assert len(spy.calls) == 3
    stats = batch.run_batch(map(str, POLICIES[:5]), out, job)
    assert spy.calls[3:] == [p.name for p in POLICIES[3:5]]
    assert (stats.analysed, stats.skipped) == (2, 3)
    rows = list(batch.open_sink(out, "x", 1).iter_rows()) if suffix != "xlsx" else _xlsx_rows(out)
    per = {}
    for r in rows:
        per[r[0]] = per.get(r[0], 0) + 1
    assert len(per) == 5 and len(set(per.values())) == 1  # every policy once, complete


def _xlsx_rows(path: Path) -> list[tuple]:
    from openpyxl import load_workbook

    ws = load_workbook(path, read_only=True)["coverage"]
    return [tuple(r) for r in ws.iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_interrupted_batch_resumes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str,
                                   request: pytest.FixtureRequest) -> None:
    """Ctrl-C after 2 of 5 policies leaves a valid output; the next run does only the other 3."""
    if suffix == "parquet":
        if _isolated(request):
            return
        pytest.importorskip("pyarrow")
        monkeypatch.setattr(batch, "PARQUET_ROWS", 10)  # many small parts, as in a long run
    out = tmp_path / f"r.{suffix}"
    job = _job(laws=("ccpa",))
    _Spy(monkeypatch, interrupt_after=2)
    with pytest.raises(KeyboardInterrupt):
        batch.run_batch(map(str, POLICIES[:5]), out, job)
    spy = _Spy(monkeypatch)
    stats = batch.run_batch(map(str, POLICIES[:5]), out, job)
    assert len(spy.calls) == 3 and stats.skipped == 2
    assert not out.with_name(out.name + ".parts").exists()


def test_half_written_policy_and_error_rows_are_redone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A killed run can leave a policy's rows cut short; it is dropped and analysed again, as are errors."""
    out = tmp_path / "r.csv"
    job = _job(laws=("ccpa",))
    missing = tmp_path / "later.txt"
    batch.run_batch([str(POLICIES[0]), str(POLICIES[1]), str(missing)], out, job)
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(lines[:-6]) + lines[-6][:20], encoding="utf-8")  # error row and a cut row gone
    missing.write_text(POLICIES[2].read_text(encoding="utf-8"), encoding="utf-8")
    spy = _Spy(monkeypatch)
    stats = batch.run_batch([str(POLICIES[0]), str(POLICIES[1]), str(missing)], out, job)
    assert sorted(spy.calls) == sorted([POLICIES[1].name, "later.txt"])
    assert stats.skipped == 1 and stats.errors == 0
    rows = _rows(out)
    assert len(rows) == 3 * batch.expected_rows(batch.checklists_for(("ccpa",), ()))


def test_changed_text_is_analysed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "p.txt"
    p.write_text(POLICIES[0].read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "r.csv"
    batch.run_batch([str(p)], out, _job(laws=("ccpa",)))
    p.write_text(p.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    spy = _Spy(monkeypatch)
    batch.run_batch([str(p)], out, _job(laws=("ccpa",)))
    assert spy.calls == ["p.txt"]


def test_dask_local_cluster_equals_local_pool(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if _isolated(request):
        return
    pytest.importorskip("dask.distributed")
    srcs = [str(p) for p in POLICIES[:4]]
    job = _job()
    batch.run_batch(srcs, tmp_path / "local.csv", job, jobs=2)
    batch.run_batch(srcs, tmp_path / "dask.csv", job, jobs=2, executor="dask",
                    cluster_kwargs={"processes": False})
    a, b = _rows(tmp_path / "local.csv"), _rows(tmp_path / "dask.csv")
    key = sorted
    assert len(a) == 4 * batch.expected_rows(batch.checklists_for(("all",), ()))
    assert key(tuple(r.values()) for r in a) == key(tuple(r.values()) for r in b)
    assert (tmp_path / "local.summary.csv").read_text() == (tmp_path / "dask.summary.csv").read_text()


def test_summary_and_dashboard_are_self_contained(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    stats = batch.run_batch([str(p) for p in POLICIES[:4]], out, _job(laws=("gdpr", "ccpa")))
    assert [p.name for p in stats.outputs] == ["r.csv", "r.summary.csv", "r.dashboard.html"]
    summary = _rows(tmp_path / "r.summary.csv")
    matrix = _rows(out)
    assert {r["law"] for r in summary} == {"gdpr", "ccpa"}
    for s in summary:
        statuses = [r["status"] for r in matrix if r["requirement_id"] == s["requirement_id"]]
        assert int(s["policies"]) == len(statuses) == 4
        assert float(s["share_missing"]) == pytest.approx(statuses.count("missing") / 4, abs=1e-4)
    page = (tmp_path / "r.dashboard.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 1 and "<rect" in page
    assert not re.search(r"<script|<link|<img|<iframe|\bsrc=|url\(|@import|https?://(?!www\.w3\.org/2000/svg)",
                         page, re.I)


def test_inputs_from_folders_globs_and_lists(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    a = tmp_path / "sub" / "a.txt"
    a.write_text(POLICIES[0].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "sub" / "notes.json").write_text("{}")
    lst = tmp_path / "list.txt"
    lst.write_text(f"# portfolio\n{POLICIES[1]}\nhttps://example.com/privacy\n", encoding="utf-8")
    table = tmp_path / "list.csv"
    table.write_text(f"client,source\nacme,{POLICIES[2]}\nbeta,sub/a.txt\n", encoding="utf-8")
    pattern = str(POLICIES[0].parent / "00[01]_*.txt")
    got = list(batch.expand_inputs([str(tmp_path / "sub"), str(lst), str(table), pattern, str(POLICIES[3])]))
    assert got == [str(a), str(POLICIES[1]), "https://example.com/privacy", str(POLICIES[2]),
                   str(POLICIES[0]), str(POLICIES[3])]
    # a policy that happens to be a .txt file is a policy, not a list
    assert list(batch.expand_inputs([str(POLICIES[4])])) == [str(POLICIES[4])]


def test_reports_on_request_and_progress_bar(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.csv"
    job = _job(laws=("ccpa",), reports_dir=str(tmp_path / "reports"), formats=("json",))
    stats = batch.run_batch([str(p) for p in POLICIES[:2]], out, job, progress=True)
    assert stats.analysed == 2
    written = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert written == [f"{p.stem}-ccpa-20261101.json" for p in POLICIES[:2]]
    assert "2/2" in capsys.readouterr().err
    batch.run_batch([str(POLICIES[0])], tmp_path / "q.csv", _job(laws=("ccpa",)))
    assert not (tmp_path / "q").exists() and sorted(p.name for p in tmp_path.glob("q.*")) == [
        "q.csv", "q.dashboard.html", "q.summary.csv"]


def test_xlsx_spills_to_more_sheets_and_resumes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "XLSX_MAX_ROWS", 20)
    out = tmp_path / "r.xlsx"
    batch.run_batch([str(p) for p in POLICIES[:2]], out, _job(laws=("ccpa",)))
    spy = _Spy(monkeypatch)
    stats = batch.run_batch([str(p) for p in POLICIES[:3]], out, _job(laws=("ccpa",)))
    assert len(spy.calls) == 1 and stats.skipped == 2
    from openpyxl import load_workbook

    wb = load_workbook(out, read_only=True)
    per = batch.expected_rows(batch.checklists_for(("ccpa",), ()))
    assert wb.sheetnames[:2] == ["coverage", "coverage-2"]
    assert sum(sum(1 for _ in ws.iter_rows(min_row=2)) for ws in wb.worksheets) == 3 * per
    assert not out.with_name("r.xlsx.partial.csv").exists()


def test_history_only_when_asked(tmp_path: Path) -> None:
    from gapcheck.history import History, policy_identity

    db = tmp_path / "h.sqlite"
    batch.run_batch([str(POLICIES[0])], tmp_path / "a.csv", _job(laws=("ccpa",)))
    assert not db.exists()
    batch.run_batch([str(POLICIES[0])], tmp_path / "b.csv", _job(laws=("ccpa",), history=str(db)))
    with History(db) as h:
        assert len(h.checks(policy_identity(str(POLICIES[0])))) == 1
