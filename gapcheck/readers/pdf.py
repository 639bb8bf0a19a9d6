"""PDF reader: the text layer via pypdf (imported lazily, so startup stays fast).

pypdf runs no JavaScript and opens nothing else; encrypted, damaged and scanned files each get one
line of error instead of an empty report.
"""

from __future__ import annotations

import io

from gapcheck.errors import InputError
from gapcheck.readers.text import Extracted, one_line

__all__ = ["read", "read_pdf"]


def read(data: bytes, source: str = "<pdf>") -> Extracted:
    """The common reader interface (a PDF has no drafting notes we can read)."""
    return Extracted(read_pdf(data, source), (), "pdf")


def read_pdf(data: bytes, source: str = "<pdf>") -> str:
    """Text layer of a PDF; one line of error for encrypted, damaged or scanned files."""
    import logging

    try:
        import pypdf
        from pypdf.errors import PyPdfError
    except ImportError:  # pragma: no cover - pypdf is a runtime dependency
        raise InputError(f"{source}: reading PDF needs the pypdf package (pip install pypdf)") from None
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise InputError(f"{source}: not a PDF file (it does not start with %PDF); if it is text or a web page, "
                         "give it a .txt or .html name")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # noqa: BLE001 - unsupported encryption
                ok = 0
            if not ok:
                raise InputError(f"{source}: the PDF is encrypted (password protected); "
                                 "export an unprotected copy")
        pages = [(p.extract_text() or "") for p in reader.pages]
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError, AssertionError, ZeroDivisionError) as e:
        raise InputError(f"{source}: damaged PDF ({e.__class__.__name__}: "
                         f"{str(e).splitlines()[0] if str(e) else 'unreadable'})") from None
    lines: list[str] = []
    for text in pages:
        page_lines = [" ".join(one_line(ln).split()) for ln in text.splitlines()]
        while page_lines and not page_lines[-1]:
            page_lines.pop()
        if lines and page_lines:
            lines.append("")
        lines.extend(page_lines)
    if sum(len(ln.strip()) for ln in lines) < 20:
        raise InputError(f"{source}: scanned PDF without a text layer; run OCR first or supply the text")
    return "\n".join(lines) + "\n"
