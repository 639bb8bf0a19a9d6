"""A one-shot forked process that loads WeasyPrint while the CLI analyses the policy, then draws the PDF.

Why: on a `gapcheck run` that writes a PDF, importing WeasyPrint (Pango, HarfBuzz, fontTools, its
stylesheets) costs about 0.3 s, and reading the checklists and analysing the policy about as much;
they do not depend on each other. `start()` forks at the top of the command; the child imports
WeasyPrint, gets ready to draw (render.PdfSetup: fonts registered, the report stylesheet parsed) and
waits for the report page; `render.to_pdf` hands it the HTML and gets the PDF bytes. On a 2-core
machine the import and the set-up then cost no wall time.

Only where it is safe and useful: Linux (fork), a process with no other thread, WeasyPrint not yet
imported. Anything going wrong in the child (a crash, an exception, an unreadable answer) makes
`to_pdf` draw the PDF in the parent as it would without a worker, so errors read the same.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from typing import Any

_CURRENT: PdfWorker | None = None


class PdfWorker:
    """The parent's handle on the forked child: pipes out and back, and its pid."""

    def __init__(self, pid: int, to_child: int, from_child: int) -> None:
        self.pid = pid
        self._to_child: int | None = to_child
        self._from_child: int | None = from_child

    def render(self, page: str, options: Any) -> bytes | None:
        """The PDF of `page` drawn by the child, or None when the child could not (caller falls back)."""
        try:
            with os.fdopen(self._take("_to_child"), "wb") as out:
                pickle.dump((page, options), out, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(self._take("_from_child"), "rb") as back:
                answer = back.read()
            status, pdf = pickle.loads(answer) if answer else ("error", None)
        except Exception:  # noqa: BLE001 - any failure here means: draw in the parent
            status, pdf = "error", None
        finally:
            self.close()
        return pdf if status == "ok" and isinstance(pdf, bytes) else None

    def _take(self, name: str) -> int:
        fd = getattr(self, name)
        setattr(self, name, None)
        if fd is None:
            raise OSError("pipe already used")
        return fd

    def close(self) -> None:
        """Close both pipes (the child then exits at once if it is still waiting) and reap the child."""
        for name in ("_to_child", "_from_child"):
            fd = getattr(self, name)
            setattr(self, name, None)
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        if self.pid:
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self.pid = 0


def start(options: Any = None) -> PdfWorker | None:
    """Fork the worker and make it the one `take()` returns; None where forking is unsafe or pointless.

    `options` (render.ReportOptions, default ones if None) are those the report will be drawn with:
    the worker gets ready for them (a report with other options is drawn all the same, without that).
    """
    global _CURRENT
    if (not sys.platform.startswith("linux") or threading.active_count() > 1 or "weasyprint" in sys.modules
            or os.environ.get("GAPCHECK_PDF_WORKER") == "0"):
        return None
    down_r, down_w = os.pipe()
    up_r, up_w = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        for fd in (down_r, down_w, up_r, up_w):
            os.close(fd)
        return None
    if pid == 0:  # child: never returns into the caller's code
        code = 1
        try:
            os.close(down_w)
            os.close(up_r)
            _serve(down_r, up_w, options)
            code = 0
        except BaseException:  # noqa: BLE001 - the parent sees a missing answer and draws the PDF itself
            pass
        finally:
            os._exit(code)
    os.close(down_r)
    os.close(up_w)
    _CURRENT = PdfWorker(pid, down_w, up_r)
    return _CURRENT


def take() -> PdfWorker | None:
    """The worker started for this command, once (a second PDF in the same run is drawn in-process)."""
    global _CURRENT
    worker, _CURRENT = _CURRENT, None
    return worker


def stop(worker: PdfWorker | None) -> None:
    """End a worker that was not used (an error before the report, JSON to stdout, ...)."""
    global _CURRENT
    if worker is not None:
        if _CURRENT is worker:
            _CURRENT = None
        worker.close()


def _serve(down: int, up: int, options: Any) -> None:
    """Child: import WeasyPrint, get ready, wait for (page, options), answer ("ok", pdf) or ("error", None)."""
    import gc

    gc.disable()  # a one-shot process that ends with os._exit: collections would free next to nothing
    from gapcheck import render

    render.prepare_weasyprint()
    setup = None
    try:
        try:
            setup = render.PdfSetup(options if options is not None else render.ReportOptions())
        except Exception:  # noqa: BLE001 - no set-up: the page is drawn the ordinary way
            setup = None
        with os.fdopen(down, "rb") as inp:
            data = inp.read()
        if not data:
            return  # the parent closed the pipe: no PDF after all
        try:
            page, page_options = pickle.loads(data)
            pdf = setup.pdf(page, page_options) if setup is not None else render.pdf_from_page(page, page_options)
            answer: tuple[str, bytes | None] = ("ok", pdf)
        except Exception:  # noqa: BLE001 - the parent draws the PDF itself and reports the error
            answer = ("error", None)
        with os.fdopen(up, "wb") as out:
            pickle.dump(answer, out, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        if setup is not None:
            setup.close()
