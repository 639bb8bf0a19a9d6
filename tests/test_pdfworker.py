"""The CLI's forked PDF worker: used when it can be, and never the cause of a missing or different report.

Each case runs in a fresh interpreter: the worker only starts where WeasyPrint is not yet imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "tests" / "fixtures" / "policies" / "003_e29ff102ab8d4a64.txt"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the worker forks on Linux only")


def _py(code: str, tmp_path: Path) -> str:
    pytest.importorskip("weasyprint")
    script = textwrap.dedent(f"""
        import datetime as dt, io, os, signal, sys
        from pypdf import PdfReader
        from gapcheck import ingest, pdfworker, pipeline, render
        POLICY = {str(POLICY)!r}
        OUT = {str(tmp_path)!r}

        def report():
            doc = ingest.load(POLICY)
            return pipeline.analyze_document(doc, pipeline.resolve_laws(["ccpa"]), as_of=dt.date(2026, 1, 15))

        def pages(pdf):
            return len(PdfReader(io.BytesIO(pdf)).pages)
    """) + textwrap.dedent(code)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_worker_draws_the_pdf_and_the_parent_never_loads_weasyprint(tmp_path: Path) -> None:
    out = _py("""
        w = pdfworker.start()
        assert w is not None
        pdf = render.to_pdf(report())
        print(pages(pdf), "weasyprint" in sys.modules)
        try:
            os.waitpid(w.pid or -1, os.WNOHANG)
            print("child still there")
        except ChildProcessError:
            print("child reaped")
    """, tmp_path)
    n, loaded, reaped = out.split(maxsplit=2)
    assert int(n) >= 10 and loaded == "False" and reaped.strip() == "child reaped"


def test_a_dead_worker_means_the_pdf_is_drawn_in_process(tmp_path: Path) -> None:
    out = _py("""
        w = pdfworker.start()
        os.kill(w.pid, signal.SIGKILL)
        rep = report()
        pdf = render.to_pdf(rep)
        print(pages(pdf), "weasyprint" in sys.modules, pages(render.to_pdf(rep)))
    """, tmp_path)
    a, loaded, b = out.split()
    assert int(a) == int(b) >= 10 and loaded == "True"


def test_an_unused_worker_is_stopped_and_reaped(tmp_path: Path) -> None:
    out = _py("""
        w = pdfworker.start()
        pid = w.pid
        pdfworker.stop(w)
        assert pdfworker.take() is None
        try:
            os.waitpid(pid, os.WNOHANG)
            print("zombie")
        except ChildProcessError:
            print("reaped")
    """, tmp_path)
    assert out.strip() == "reaped"


def test_no_worker_once_weasyprint_is_loaded_or_when_switched_off(tmp_path: Path) -> None:
    out = _py("""
        os.environ["GAPCHECK_PDF_WORKER"] = "0"
        print(pdfworker.start() is None)
        del os.environ["GAPCHECK_PDF_WORKER"]
        render.import_weasyprint()
        print(pdfworker.start() is None)
    """, tmp_path)
    assert out.split() == ["True", "True"]


def test_cli_run_writes_the_same_pages_with_and_without_the_worker(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    from pypdf import PdfReader

    texts = []
    for flag in ("1", "0"):
        out = tmp_path / flag
        done = subprocess.run([sys.executable, "-m", "gapcheck", "run", str(POLICY), "--law", "ccpa", "--no-history",
                               "--as-of", "2026-01-15", "-o", str(out)], capture_output=True, text=True, timeout=300,
                              cwd=ROOT, env={**os.environ, "GAPCHECK_PDF_WORKER": flag})
        assert done.returncode == 0, done.stderr
        reader = PdfReader(str(next(out.glob("*.pdf"))))
        texts.append([p.extract_text().split("Generated")[0] for p in reader.pages])
    assert texts[0] == texts[1] and len(texts[0]) >= 10


def test_the_worker_set_up_draws_the_same_pdf_and_removes_its_font_files(tmp_path: Path) -> None:
    """render.PdfSetup (fonts registered and stylesheet parsed ahead): the same bytes as the ordinary way."""
    pytest.importorskip("weasyprint")
    import datetime as dt

    from gapcheck import ingest, pipeline, render

    rep = pipeline.analyze_document(ingest.load(POLICY), pipeline.resolve_laws(["ccpa"]), as_of=dt.date(2026, 1, 15))
    a4, letter = render.ReportOptions(), render.ReportOptions(paper="letter", client="Acme")
    setup = render.PdfSetup(a4)
    folder = Path(setup.fonts._folder)
    assert folder.is_dir()
    for opts in (a4, letter):  # a page with other options than the set-up's is drawn the ordinary way
        page = render._render_page(rep, opts, for_pdf=True)
        assert setup.pdf(page, opts) == render.pdf_from_page(page, opts)
    setup.close()
    assert not folder.exists()


@pytest.mark.parametrize("worker", ["1", "0"])
def test_a_pdf_run_leaves_no_font_files_in_the_temporary_folder(tmp_path: Path, worker: str) -> None:
    """WeasyPrint copies the @font-face files to a temporary folder; the worker exits with os._exit."""
    pytest.importorskip("weasyprint")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    done = subprocess.run([sys.executable, "-m", "gapcheck", "run", str(POLICY), "--law", "ccpa", "--no-history",
                           "-o", str(tmp_path / "out")], capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, "GAPCHECK_PDF_WORKER": worker, "TMPDIR": str(tmp)})
    assert done.returncode == 0, done.stderr
    assert list((tmp_path / "out").glob("*.pdf"))
    assert list(tmp.glob("weasyprint-*")) == []  # (Jinja's bytecode cache lives there too, on purpose)
