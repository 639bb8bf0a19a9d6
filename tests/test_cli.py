"""The CLI as a user meets it: outputs, bad input (one line, exit 2), custom checklists, profiles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import FIXTURES, MINI_CHECKLIST, run_cli

SAMPLE = FIXTURES / "policies" / "003_e29ff102ab8d4a64.txt"

MINI = MINI_CHECKLIST


def test_json_to_stdout_is_the_contract(tmp_path):
    p = run_cli("run", str(SAMPLE), "--law", "all", "--format", "json", "--output", "-")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert d["schema"] == "gapcheck.report/1"
    assert d["policy"]["source"] == str(SAMPLE)
    assert len(d["requirements"]) >= 74


def test_run_writes_requested_formats(tmp_path):
    p = run_cli("run", str(SAMPLE), "--law", "ccpa", "--format", "json,csv", "--format", "html",
                "--output", str(tmp_path), "--as-of", "2026-11-22")
    assert p.returncode == 0, p.stderr
    names = sorted(x.name for x in tmp_path.iterdir())
    assert names == [f"003_e29ff102ab8d4a64-ccpa-20261122.{e}" for e in ("csv", "html", "json")]
    d = json.loads((tmp_path / names[2]).read_text())
    assert {r["law"] for r in d["requirements"]} == {"ccpa"}
    csv = (tmp_path / names[0]).read_text().splitlines()
    assert csv[0].startswith("law,id,title,citation,kind,severity")
    assert len(csv) == len(d["requirements"]) + 1
    html = (tmp_path / names[1]).read_text()
    assert "Gaps and recommendations" in html and "ccpa-retention" in html
    assert not list(tmp_path.glob(".*.tmp"))


def test_repeatable_law_option():
    p = run_cli("run", str(SAMPLE), "--law", "gdpr", "--law", "dpdp", "--output", "-")
    d = json.loads(p.stdout)
    assert [x["id"] for x in d["laws"]] == ["gdpr", "dpdp"]


def test_text_command_prints_numbered_lines():
    p = run_cli("text", str(SAMPLE))
    assert p.returncode == 0
    lines = p.stdout.splitlines()
    assert lines[0].strip().startswith("1  PRIVACY POLICY")
    assert len(lines) == len(SAMPLE.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize(("args", "needle"), [
    (["run", "no/such/file.txt"], "no such file"),
    (["run", "{empty}"], "empty"),
    (["run", "{binary}"], "binary"),
    (["run", "{dir}"], "directory"),
    (["run", str(SAMPLE), "--law", "hipaa"], "unknown law"),
    (["run", str(SAMPLE), "--format", "odt"], "unknown format"),
    (["run", str(SAMPLE), "--checklist", "{badyaml}"], "invalid YAML"),
    (["run", str(SAMPLE), "--checklist", "{badkey}"], "field 'partial_whn'"),
    (["run", str(SAMPLE), "--checklist", "{badregex}"], "does not compile"),
    (["run", str(SAMPLE), "--profile", "{badprofile}"], "must be true or false"),
    (["text", "no/such/file.txt"], "no such file"),
    (["checklists", "show", "hipaa"], "unknown law"),
    (["checklists", "validate", "{badkey}"], "item 'acme-dpo-named'"),
])
def test_bad_input_is_one_line_exit_2(tmp_path, args, needle):
    files = {
        "empty": tmp_path / "empty.txt", "binary": tmp_path / "bin.txt", "dir": tmp_path,
        "badyaml": tmp_path / "bad.yaml", "badkey": tmp_path / "badkey.yaml",
        "badregex": tmp_path / "badregex.yaml", "badprofile": tmp_path / "profile.yaml",
    }
    files["empty"].write_text("")
    files["binary"].write_bytes(bytes(range(256)) * 40)
    files["badyaml"].write_text("law: x\nitems: [\n  - id: 1\n")
    files["badkey"].write_text(MINI.replace("    met_when:", "    partial_whn: {label: dpo}\n    met_when:"))
    files["badregex"].write_text(MINI.replace("{label: dpo}", "{regex: '(unclosed'}"))
    files["badprofile"].write_text("sells_data: maybe\n")
    args = [files[a[1:-1]].as_posix() if a.startswith("{") else a for a in args]
    p = run_cli(*args)
    assert p.returncode == 2, (p.returncode, p.stderr)
    err = p.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert needle in err
    assert "Traceback" not in err
    assert p.stdout == ""


def test_checklist_error_names_file_item_and_field(tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text(MINI.replace("severity: high", "severity: urgent"))
    p = run_cli("checklists", "validate", str(f))
    assert p.returncode == 2
    assert str(f) in p.stderr and "item 'acme-dpo-named'" in p.stderr and "field 'severity'" in p.stderr


def test_custom_checklist_alone_and_beside_packaged(tmp_path):
    f = tmp_path / "acme.yaml"
    f.write_text(MINI)
    alone = json.loads(run_cli("run", str(SAMPLE), "--checklist", str(f), "--output", "-").stdout)
    assert [r["id"] for r in alone["requirements"]] == ["acme-dpo-named"]
    assert alone["requirements"][0]["status"] == "missing"
    beside = json.loads(run_cli("run", str(SAMPLE), "--law", "gdpr", "--checklist", str(f), "--output", "-").stdout)
    assert {x["id"] for x in beside["laws"]} == {"gdpr", "acme"}
    v = run_cli("checklists", "validate", str(f))
    assert v.returncode == 0 and "OK" in v.stdout


def test_checklists_list_and_show():
    p = run_cli("checklists", "list")
    assert p.returncode == 0
    assert {ln.split()[0] for ln in p.stdout.splitlines()} >= {"gdpr", "ccpa", "dpdp"}
    s = run_cli("checklists", "show", "ccpa")
    assert "ccpa-retention" in s.stdout and "§1798" in s.stdout


def test_profile_settles_conditional_items(tmp_path):
    base = json.loads(run_cli("run", str(SAMPLE), "--law", "gdpr", "--output", "-").stdout)
    review = [r for r in base["requirements"] if r["status"] == "review"]
    assert review, "expected conditional items in review without a profile"
    from gapcheck import checklists

    facts = {f for law in ("gdpr",) for r in checklists.load_law(law).requirements for f in r.applies_when}
    def profile(hold: bool) -> str:  # every condition holds (hold=True) or fails
        return "".join(f"{f.lstrip('!')}: {str(hold != f.startswith('!')).lower()}\n" for f in sorted(facts))

    prof = tmp_path / "p.yaml"
    prof.write_text(profile(False))
    settled = json.loads(run_cli("run", str(SAMPLE), "--law", "gdpr", "--profile", str(prof), "--output", "-").stdout)
    by_id = {r["id"]: r["status"] for r in settled["requirements"]}
    for r in review:
        assert by_id[r["id"]] == "not_applicable", r["id"]
    prof.write_text(profile(True))
    applies = json.loads(run_cli("run", str(SAMPLE), "--law", "gdpr", "--profile", str(prof), "--output", "-").stdout)
    by_id = {r["id"]: r["status"] for r in applies["requirements"]}
    for r in review:
        assert by_id[r["id"]] == "missing", r["id"]


def test_upcoming_obligations_are_marked():
    d = json.loads(run_cli("run", str(SAMPLE), "--law", "dpdp", "--output", "-", "--as-of", "2026-11-22").stdout)
    up = [r for r in d["requirements"] if r["upcoming"]]
    assert up and all(r["effective_from"] > "2026-11-22" for r in up)
    later = json.loads(run_cli("run", str(SAMPLE), "--law", "dpdp", "--output", "-", "--as-of", "2028-01-01").stdout)
    assert not any(r["upcoming"] for r in later["requirements"])


def test_library_is_importable_without_click():
    import subprocess
    import sys

    code = (f"import sys, gapcheck; r = gapcheck.analyze({str(SAMPLE)!r}, laws=['ccpa']); "
            "assert 'click' not in sys.modules, 'library imported click'; print(len(r.results))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert int(p.stdout) > 20


def test_output_naming_a_report_file_writes_that_file_and_other_formats_beside_it(tmp_path):
    p = run_cli("run", str(SAMPLE), "--law", "ccpa", "--format", "json,html", "--output",
                str(tmp_path / "client" / "report.json"), "--as-of", "2026-11-22", "--no-history")
    assert p.returncode == 0, p.stderr
    assert sorted(x.name for x in (tmp_path / "client").iterdir()) == ["report.html", "report.json"]
    assert json.loads((tmp_path / "client" / "report.json").read_text())["schema"] == "gapcheck.report/1"
    # a file name whose format was not asked for: one line, exit 2, nothing written
    bad = run_cli("run", str(SAMPLE), "--law", "ccpa", "--format", "json", "--output", str(tmp_path / "r.pdf"),
                  "--no-history")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "r.pdf" in bad.stderr
    assert not (tmp_path / "r.pdf").exists()


def test_output_name_cannot_escape_folder(tmp_path):
    from gapcheck.render import safe_stem

    for bad in ("../../etc/passwd", "/abs/x.txt", "..", "a b;c.txt", "C:\\x\\y.txt"):
        s = safe_stem(bad)
        assert "/" not in s and "\\" not in s and not s.startswith(".")
        assert (tmp_path / s).resolve().parent == tmp_path.resolve()


def test_readme_mentions_run_and_test_commands():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert "gapcheck run" in readme and "pytest" in readme


def test_a_gapcheck_error_outside_a_command_is_one_line_and_exit_2(monkeypatch, capsys):
    """A broken lexicon file is met while a stage is imported, before a command's own error handling:
    it is still the user's error (exit 2, one line), not an internal one."""
    import pytest

    from gapcheck import cli as cli_mod
    from gapcheck.errors import ChecklistError

    def boom(**_kw):
        raise ChecklistError("checklists/lexicon/rights.yaml:12: concept 'right.x': regex 'a(b' does not "
                             "compile\nmore")

    monkeypatch.setattr(cli_mod.cli, "main", boom)
    with pytest.raises(SystemExit) as ex:
        cli_mod.main()
    assert ex.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("gapcheck: error: checklists/lexicon/rights.yaml:12: concept 'right.x'")
    assert err.endswith("does not compile\n") and err.count("\n") == 1
