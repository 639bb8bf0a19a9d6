"""One reader per input format, each turning its bytes into the same `Extracted` text for ingest.

`text` (.txt/.md decoding), `html` (web pages: trafilatura main content or all visible text),
`docx` (Word, standard library only), `pdf` (text layer via pypdf) and `url` (http(s) sources,
whose bytes then go through one of the others). `gapcheck.ingest` picks the reader; heavy
libraries (trafilatura, lxml, pypdf) are imported only when a file of their format is read, so
importing this package stays cheap.
"""

from gapcheck.readers.docx import DOCX_NOTES, DOCX_TRACKED, MAX_MEMBERS, MAX_UNCOMPRESSED, W, read_docx
from gapcheck.readers.html import HTML_SUFFIXES, html_to_text, looks_like_html
from gapcheck.readers.pdf import read_pdf
from gapcheck.readers.text import TEXT_SUFFIXES, Extracted, decode

__all__ = ["DOCX_NOTES", "DOCX_TRACKED", "HTML_SUFFIXES", "MAX_MEMBERS", "MAX_UNCOMPRESSED", "TEXT_SUFFIXES",
           "W", "Extracted", "decode", "html_to_text", "looks_like_html", "read_docx", "read_pdf"]
