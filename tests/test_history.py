"""Re-checks: history, changes since the last check, portfolios with URLs, reviews and waivers."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading

import pytest

from gapcheck.history import History, policy_identity

from .conftest import FIXTURES, ROOT, run_cli

P001 = FIXTURES / "policies" / "001_1c1100c635551e45.txt"


def _run_json(*args: str) -> dict:
    p = run_cli("run", *args, "--output", "-")
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def test_every_run_is_recorded_and_diffed(tmp_path):
    db = tmp_path / "h.sqlite"
    pol = tmp_path / "policy.txt"
    pol.write_text(P001.read_text(encoding="utf-8"), encoding="utf-8")
    first = _run_json(str(pol), "--law", "gdpr", "--history", str(db))
    assert first["changes"] is None
    text = pol.read_text(encoding="utf-8") + ("\nServer logs are deleted after 30 days; account data is kept for "
                                              "2 years after you close your account.\n")
    pol.write_text(text, encoding="utf-8")
    second = _run_json(str(pol), "--law", "gdpr", "--history", str(db))
    ch = second["changes"]
    assert ch["text_changed"] is True and ch["checklist_changed"] == []
    assert "gdpr-retention-period" in {x["id"] for x in ch["gaps_closed"]}
    assert any("30 days" in ln for ln in ch["text_diff"])
    h = run_cli("history", str(pol), "--history", str(db))
    assert h.returncode == 0 and len(h.stdout.strip().splitlines()) == 3
    d = run_cli("diff", str(pol), "--history", str(db))
    assert d.returncode == 0
    assert "gdpr-retention-period: missing -> met" in d.stdout or "gdpr-retention-period: partial -> met" in d.stdout
    with History(db) as hist:
        assert len(hist.checks(policy_identity(str(pol)))) == 2


def test_no_history_flag_and_bad_history_path(tmp_path):
    db = tmp_path / "h.sqlite"
    _run_json(str(P001), "--law", "gdpr", "--history", str(db), "--no-history")
    assert not db.exists()
    p = run_cli("diff", str(P001), "--history", str(db))
    assert p.returncode == 2 and "need two recorded checks" in p.stderr


def test_parallel_runs_are_all_recorded(tmp_path):
    db = tmp_path / "h.sqlite"
    out = tmp_path / "out"
    procs = [subprocess.Popen([sys.executable, "-m", "gapcheck", "run", str(P001), "--law", "gdpr",
                               "--format", "json", "--output", str(out), "--history", str(db), "--name", f"p{i}"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT) for i in range(8)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    with History(db) as h:
        assert sorted(h.policies()) == [f"p{i}" for i in range(8)]
        assert h.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n = h.db.execute("SELECT count(*) FROM results").fetchone()[0]
        per = h.db.execute("SELECT count(*) FROM results WHERE check_id = 1").fetchone()[0]
        assert n == 8 * per


def test_killed_process_leaves_no_partial_record(tmp_path):
    db = tmp_path / "h.sqlite"
    script = textwrap.dedent(f"""
        import sys, time
        from gapcheck import pipeline
        from gapcheck.history import History
        r = pipeline.analyze({str(P001)!r}, laws=["gdpr"])
        h = History({str(db)!r})
        h.record(r, "ok")                      # one whole record first
        class Slow:
            def __init__(self, db):
                self._db = db
            def __getattr__(self, name):
                return getattr(self._db, name)
            def executemany(self, sql, rows):
                self._db.executemany(sql, rows)
                print("in-transaction", flush=True)
                time.sleep(60)                 # killed here, mid-transaction
        h.db = Slow(h.db)
        h.record(r, "killed")
    """)
    p = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                         text=True)
    assert p.stdout.readline().strip() == "in-transaction"
    os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=30)
    with History(db) as h:
        assert h.policies() == ["ok"]
        assert h.db.execute("SELECT count(DISTINCT check_id) FROM results").fetchone()[0] == 1
        assert h.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# --------------------------------------------------------------------- portfolio with a local URL

class _Handler(http.server.BaseHTTPRequestHandler):
    pages: dict[str, bytes] = {}
    hits: list[tuple[str, int]] = []

    def do_GET(self):  # noqa: N802
        body = self.pages.get(self.path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            self.hits.append((self.path, 304))
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.hits.append((self.path, 200))

    def log_message(self, *a):
        pass


@pytest.fixture
def server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    _Handler.hits.clear()
    yield srv
    srv.shutdown()


def _html_policy(extra: str = "") -> bytes:
    return (f"<html><body><nav>menu</nav><h1>Privacy Policy</h1><p>Last updated: 1 October 2026</p>"
            f"<p>Example Ltd collects your name and e-mail address to deliver your orders.</p>{extra}"
            f"<script>track()</script></body></html>").encode()


def test_portfolio_runs_only_due_or_changed_entries(tmp_path, server):
    _Handler.pages = {"/privacy": _html_policy()}
    url = f"http://127.0.0.1:{server.server_address[1]}/privacy"
    (tmp_path / "a.txt").write_text(P001.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.txt").write_text((FIXTURES / "policies" / "002_400f3287f03cc260.txt").read_text(encoding="utf-8"),
                                    encoding="utf-8")
    (tmp_path / "gapcheck.yaml").write_text(textwrap.dedent(f"""
        history: history.sqlite
        defaults: {{laws: [gdpr], every: 30d, formats: [json]}}
        clients:
          - {{name: alpha, source: a.txt}}
          - {{name: beta, source: b.txt, every: 1h}}
          - {{name: web, source: "{url}"}}
    """))
    cfg = str(tmp_path / "gapcheck.yaml")
    p = run_cli("recheck", "--config", cfg)
    assert p.returncode == 0, p.stderr + p.stdout
    assert p.stdout.count(" ran ") == 3
    assert (tmp_path / "reports" / "web").is_dir()
    # nothing due, nothing changed: nothing runs (the URL is asked with its ETag and answers 304)
    p = run_cli("recheck", "--config", cfg)
    assert p.returncode == 0
    assert p.stdout.count(" ran ") == 0 and p.stdout.count("skipped") == 3
    assert (_Handler.hits[-1][1]) == 304
    # the web page gains a gap-closing sentence, the file policy loses a whole section
    _Handler.pages["/privacy"] = _html_policy("<p>We keep order records for 10 years under tax law.</p>")
    a = tmp_path / "a.txt"
    a.write_text(a.read_text(encoding="utf-8").replace("the right to complain to a supervisory authority; and",
                                                       "and"), encoding="utf-8")
    p = run_cli("recheck", "--config", cfg, "--fail-on", "new-gaps")
    assert p.returncode == 3, p.stdout + p.stderr
    lines = {ln.split()[0]: ln for ln in p.stdout.splitlines()[1:]}
    assert " ran " in lines["alpha"] and "policy text changed" in lines["alpha"]
    assert " ran " in lines["web"] and "skipped" in lines["beta"]
    with History(tmp_path / "history.sqlite") as h:
        assert [len(h.checks(n)) for n in ("alpha", "beta", "web")] == [2, 1, 2]


def test_schedule_prints_cron_and_systemd(tmp_path):
    p = run_cli("schedule", "--config", str(tmp_path / "gapcheck.yaml"))
    assert p.returncode == 0
    assert "recheck --config" in p.stdout and "OnCalendar=daily" in p.stdout and "* * *" in p.stdout


# --------------------------------------------------------------------- reviews and waivers

def test_review_flips_one_verdict_and_adds_one_label(tmp_path):
    import yaml

    pol = tmp_path / "policy.txt"
    pol.write_text(P001.read_text(encoding="utf-8"), encoding="utf-8")
    rv = tmp_path / "policy.review.yaml"
    assert run_cli("annotate", str(pol), "--law", "gdpr", "-o", str(rv)).returncode == 0
    base = _run_json(str(pol), "--law", "gdpr", "--no-history")
    data = yaml.safe_load(rv.read_text())
    # override one verdict
    target = next(v for v in data["verdicts"] if v["status"] == "missing")
    target["override"] = {"status": "partial", "reason": "Covered by the Terms, section 4", "by": "A. Reviewer"}
    # add one label: the rights list item becomes a DPO contact
    n = next(i for i, ln in enumerate(pol.read_text(encoding="utf-8").splitlines(), 1) if "sales@informetric" in ln)
    clause = next(c for c in data["clauses"] if c["lines"][0] <= n <= c["lines"][1])
    clause["add_labels"] = ["dpo"]
    rv.write_text(yaml.safe_dump(data, sort_keys=False))
    got = _run_json(str(pol), "--law", "gdpr", "--no-history", "--review", str(rv))
    before = {r["id"]: r for r in base["requirements"]}
    after = {r["id"]: r for r in got["requirements"]}
    changed = {k for k in after if after[k]["status"] != before[k]["status"]}
    assert target["id"] in changed
    assert after[target["id"]]["override"]["by"] == "A. Reviewer"
    assert "Overridden by A. Reviewer" in after[target["id"]]["rationale"]
    label_driven = changed - {target["id"]}
    assert all(r.startswith("gdpr-dpo") for r in label_driven), label_driven
    # the PDF shows the override as the reviewer's, with the reason
    from pypdf import PdfReader

    out = tmp_path / "pdf"
    assert run_cli("run", str(pol), "--law", "gdpr", "--no-history", "--review", str(rv), "--format", "pdf",
                   "--output", str(out)).returncode == 0
    pdf_text = " ".join(" ".join(pg.extract_text() for pg in PdfReader(next(out.glob("*.pdf"))).pages).split())
    assert "A. Reviewer" in pdf_text and "Covered by the Terms, section 4" in pdf_text
    # survives an unrelated edit elsewhere in the policy
    pol.write_text(pol.read_text(encoding="utf-8").replace("Cookies\n", "Cookies and similar technologies\n", 1),
                   encoding="utf-8")
    again = _run_json(str(pol), "--law", "gdpr", "--no-history", "--review", str(rv))
    assert {r["id"]: r["status"] for r in again["requirements"]} == {k: v["status"] for k, v in after.items()}
    assert not [f for f in again["findings"] if f["id"] == "review-needed-again"]
    # the reviewed clause itself changes: the review says so
    pol.write_text(pol.read_text(encoding="utf-8").replace("sales@informetric.com", "privacy@informetric.com"),
                   encoding="utf-8")
    stale = _run_json(str(pol), "--law", "gdpr", "--no-history", "--review", str(rv))
    assert [f for f in stale["findings"] if f["id"] == "review-needed-again"]


def test_waivers_accept_gaps_until_they_expire(tmp_path):
    w = tmp_path / "waivers.yaml"
    base = _run_json(str(P001), "--law", "gdpr", "--no-history", "--as-of", "2026-11-22")
    gap = next(r for r in base["requirements"] if r["status"] in ("missing", "partial"))
    w.write_text(f"waivers:\n  - {{id: {gap['id']}, reason: client accepts the risk, by: J. Doe, until: 2027-01-31}}\n")
    got = _run_json(str(P001), "--law", "gdpr", "--no-history", "--waivers", str(w), "--as-of", "2026-11-22")
    r = next(x for x in got["requirements"] if x["id"] == gap["id"])
    assert r["accepted"] and r["waiver"]["reason"] == "client accepts the risk" and r["status"] == gap["status"]
    assert got["summary"]["score"] == base["summary"]["score"]
    later = _run_json(str(P001), "--law", "gdpr", "--no-history", "--waivers", str(w), "--as-of", "2027-02-01")
    r = next(x for x in later["requirements"] if x["id"] == gap["id"])
    assert not r["accepted"]


GRIEVANCE = ("\nGrievance Officer\nIn accordance with the Information Technology Act 2000 and the rules made under it, "
             "the name and contact details of our Grievance Officer are: Ms. Asha Rao, Grievance Officer, "
             "grievance@informetric.example. We will acknowledge your complaint within 48 hours and resolve it "
             "within 30 days of receipt.\n")
RETENTION = ("Data Retention\nWe keep your account data for as long as your account is open and delete it within "
             "30 days after you close it; invoices are kept for 7 years to meet tax law.\n\n")


def test_recheck_names_exactly_the_changes(tmp_path):
    """Check 1, then add a retention period and remove the grievance officer: the re-check says so."""
    from pypdf import PdfReader

    pol = tmp_path / "policy.txt"
    pol.write_text(P001.read_text(encoding="utf-8") + GRIEVANCE, encoding="utf-8")
    (tmp_path / "gapcheck.yaml").write_text(
        "history: history.sqlite\nclients:\n"
        "  - {name: informetric, source: policy.txt, laws: [all], every: 30d, formats: [json, pdf]}\n")
    cfg = str(tmp_path / "gapcheck.yaml")
    assert run_cli("recheck", "--config", cfg).returncode == 0
    text = pol.read_text(encoding="utf-8").replace(GRIEVANCE, "\n").replace("Cookies\n", RETENTION + "Cookies\n", 1)
    pol.write_text(text, encoding="utf-8")
    p = run_cli("recheck", "--config", cfg, "--fail-on", "new-gaps")
    assert p.returncode == 3, p.stdout + p.stderr  # a new gap appeared: the grievance channel
    report = json.loads(next((tmp_path / "reports" / "informetric").glob("*.json")).read_text())
    ch = report["changes"]
    assert {(c["id"], c["before"], c["after"]) for c in ch["new_gaps"]} == {("dpdp-grievance", "met", "missing")}
    closed = {c["id"] for c in ch["gaps_closed"]}
    assert closed == {"gdpr-retention-period", "ccpa-retention", "dpdp-retention-erasure"}
    assert ch["status_moved"] == [] and ch["checklist_changed"] == [] and ch["text_changed"]
    assert ch["findings_new"] == [] and ch["findings_fixed"] == []
    diff = "\n".join(ch["text_diff"])
    assert "-Grievance Officer" in diff and "+Data Retention" in diff
    d = run_cli("diff", "informetric", "--history", str(tmp_path / "history.sqlite"))
    assert d.returncode == 0
    assert "dpdp-grievance: met -> missing" in d.stdout
    for rid in closed:
        assert f"{rid}: missing -> " in d.stdout
    assert "new gaps: 1" in d.stdout and "gaps closed: 3" in d.stdout and "status moved: 0" in d.stdout
    pdf = next((tmp_path / "reports" / "informetric").glob("*.pdf"))
    pdf_text = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    assert "Changes since the last check" in pdf_text
    assert "Grievance redressal channel" in pdf_text
