"""Write a Report as JSON, CSV, HTML, PDF, XLSX and Markdown files, atomically (temp file, then rename).

The HTML page and the PDF come from the same Jinja2 template (autoescape on, StrictUndefined): the
template gets the Report, its coverage rows and a few presentation values, never raw YAML. The PDF
is drawn by WeasyPrint with a URL fetcher that serves only the package's own assets (fonts, the
firm's logo named in the config), so nothing in a policy can make the renderer read a file or a
URL. weasyprint and openpyxl are imported inside the functions that use them.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import functools
import html
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gapcheck.errors import GapcheckError
from gapcheck.models import Finding, Report, RequirementResult, Severity, Status

SAFE = re.compile(r"[^A-Za-z0-9._-]+")
FORMATS = ("pdf", "html", "json", "csv", "xlsx", "md", "docx")
PAPERS = {"a4": "A4", "letter": "letter"}
ASSET_SCHEME = "gapcheck-asset:"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf")
# The same faces pre-subset to Latin, Greek, Cyrillic and the report's symbols (tools/make_core_fonts.py):
# WeasyPrint subsets what it embeds on every run, at a cost that grows with the glyphs in the file.
CORE_FONT_FILES = ("DejaVuSans-core.ttf", "DejaVuSans-Bold-core.ttf", "DejaVuSansMono-core.ttf")
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
              ".svg": "image/svg+xml"}
MAX_LOGO_BYTES = 2 * 1024 * 1024
_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
DEFAULT_ACCENT = "#1f3a5f"
DEFAULT_DISCLAIMER = ("This report is an automated analysis of the policy text, prepared to support a "
                      "professional review. It is not legal advice, and it does not establish that the "
                      "business complies or fails to comply with any law.")
STATUS_LABEL = {"met": "Met", "partial": "Partial", "missing": "Missing", "review": "To confirm",
                "not_applicable": "Not applicable"}
STATUS_COLOUR = {"met": "#1e7b34", "partial": "#b86e00", "missing": "#b3261e", "review": "#5a5a8a",
                 "not_applicable": "#6b6b6b"}
SEVERITY_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}
CONFIG_KEYS = ("client", "prepared_by", "firm", "logo", "accent_color", "disclaimer", "paper", "docx_template")


# --------------------------------------------------------------------------- options

@dataclass(frozen=True)
class ReportOptions:
    """What the consultant puts on the report: names, branding, disclaimer and paper size."""

    client: str | None = None
    prepared_by: str | None = None
    firm: str | None = None
    logo: Path | None = None
    accent_color: str = DEFAULT_ACCENT
    disclaimer: str = DEFAULT_DISCLAIMER
    paper: str = "a4"
    docx_template: Path | None = None  # a firm's .docx whose styles, header and footer the Word report uses

    def __post_init__(self) -> None:
        if self.paper not in PAPERS:
            raise GapcheckError(f"paper {self.paper!r} is not supported (choose a4 or letter)")
        if not _HEX_COLOUR.match(self.accent_color or ""):
            raise GapcheckError(f"accent_color {self.accent_color!r} is not a colour like '#1f3a5f'")
        if self.logo is not None:
            _check_logo(self.logo)
        if self.docx_template is not None and not Path(self.docx_template).is_file():
            raise GapcheckError(f"docx template {self.docx_template}: no such file")


def _check_logo(path: Path) -> None:
    if path.suffix.lower() not in LOGO_TYPES:
        raise GapcheckError(f"logo {path}: use a .png, .jpg, .gif or .svg file")
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise GapcheckError(f"logo {path}: not a file")
        head = path.read_bytes()[:16] if size <= MAX_LOGO_BYTES else b""
    except OSError as e:
        raise GapcheckError(f"logo {path}: cannot read file ({e.strerror or e})") from None
    if size > MAX_LOGO_BYTES:
        raise GapcheckError(f"logo {path}: {size:,} bytes, over the {MAX_LOGO_BYTES:,}-byte limit")
    magic = {".png": (b"\x89PNG",), ".jpg": (b"\xff\xd8",), ".jpeg": (b"\xff\xd8",), ".gif": (b"GIF8",)}
    want = magic.get(path.suffix.lower())
    if want and not head.startswith(want):
        raise GapcheckError(f"logo {path}: not a valid {path.suffix.lower()[1:]} image")


def load_options(config: str | Path | None = None, *, search_cwd: bool = True, **overrides: Any) -> ReportOptions:
    """Report options from a YAML config (top level or its `report:` section) plus CLI overrides.

    Without `config`, a `gapcheck.yaml` in the current folder is used when it has a `report:` section.
    Relative logo paths are relative to the config file. Unknown keys are an error.
    """
    values: dict[str, Any] = {}
    base = Path.cwd()
    path: Path | None = Path(config) if config is not None else None
    if path is None and search_cwd and Path("gapcheck.yaml").is_file():
        path = Path("gapcheck.yaml")
        data = _read_yaml(path)
        values = _report_section(data, path, required=False)
        base = path.resolve().parent
    elif path is not None:
        data = _read_yaml(path)
        values = _report_section(data, path, required=True)
        base = path.resolve().parent
    for k, v in overrides.items():
        if v is not None:
            values[k] = v
    if values.get("logo"):
        logo = Path(str(values["logo"])).expanduser()
        values["logo"] = logo if logo.is_absolute() else base / logo
    else:
        values["logo"] = None
    if values.get("docx_template"):
        tpl = Path(str(values["docx_template"])).expanduser()
        values["docx_template"] = tpl if tpl.is_absolute() else base / tpl
    else:
        values["docx_template"] = None
    if values.get("paper"):
        values["paper"] = str(values["paper"]).lower()
    for k in ("accent_color", "disclaimer", "paper"):
        if values.get(k) in (None, ""):
            values.pop(k, None)
    return ReportOptions(**values)


def _read_yaml(path: Path) -> Any:
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise GapcheckError(f"{path}: cannot read config ({e.strerror or e})") from None
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise GapcheckError(f"{path}: invalid YAML ({getattr(e, 'problem', None) or e})") from None


def _report_section(data: Any, path: Path, required: bool) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise GapcheckError(f"{path}: a config file is a mapping (client: ..., prepared_by: ...)")
    if "report" in data:
        data = data["report"]
        if not isinstance(data, dict):
            raise GapcheckError(f"{path}: 'report' must be a mapping")
    elif not required:
        return {}
    out: dict[str, Any] = {}
    for k, v in data.items():
        if k not in CONFIG_KEYS:
            raise GapcheckError(f"{path}: unknown key {k!r} (allowed: {', '.join(CONFIG_KEYS)})")
        if v is not None and not isinstance(v, str | int | float):
            raise GapcheckError(f"{path}: {k!r} must be text")
        out[k] = None if v is None else str(v)
    return out


# --------------------------------------------------------------------------- names and writes

def safe_stem(source: str) -> str:
    """A file-name stem derived from the policy name that cannot leave the output folder."""
    stem = Path(source.replace("\\", "/")).name
    stem = stem.rsplit(".", 1)[0] if "." in stem.strip(".") else stem
    stem = SAFE.sub("_", stem).strip("._-")
    return stem[:80] or "policy"


def report_name(report: Report, ext: str) -> str:
    """`<policy-stem>-<law>-<YYYYMMDD>.<ext>`; several laws are joined with '+'."""
    laws = "+".join(lr.checklist.law for lr in report.laws) or "custom"
    if sorted(lr.checklist.law for lr in report.laws) == ["ccpa", "dpdp", "gdpr"]:
        laws = "all"
    return f"{safe_stem(report.document.source)}-{laws}-{report.as_of:%Y%m%d}.{ext}"


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temp file in the same folder and rename it over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# --------------------------------------------------------------------------- JSON / CSV

def to_json(report: Report, options: ReportOptions | None = None) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def to_csv(report: Report, options: ReportOptions | None = None) -> str:
    from gapcheck.table import coverage_table

    return coverage_table(report).to_csv(index=False)


# --------------------------------------------------------------------------- HTML / PDF

def to_html(report: Report, options: ReportOptions | None = None) -> str:
    """The report page: self-contained HTML (no scripts, no external references), text escaped."""
    return _render_page(report, options or ReportOptions(), for_pdf=False)


def _language_note(code: str) -> str:
    if code == "en":
        return ""
    from gapcheck.ingest import language_name

    return (f"The policy is written in {language_name(code)}. gapcheck's checklists read English, so requirements "
            "it could not find are marked to confirm, not missing, and the score counts them as gaps.")


def to_pdf(report: Report, options: ReportOptions | None = None) -> bytes:
    """The same report as a paginated PDF (cover, contents, running header, page numbers, bookmarks).

    Drawn by the CLI's pre-started worker process when there is one (gapcheck.pdfworker), else here.
    """
    from gapcheck import pdfworker

    options = options or ReportOptions()
    page = _render_page(report, options, for_pdf=True)
    worker = pdfworker.take()
    if worker is not None:
        pdf = worker.render(page, options)
        if pdf is not None:
            return pdf
    return pdf_from_page(page, options)


def prepare_weasyprint() -> Any:
    """Import WeasyPrint quickly, quiet its loggers and patch its font subsetting; returns the module."""
    import importlib
    import logging

    weasyprint = import_weasyprint()
    importlib.import_module("weasyprint.document")  # what write_pdf needs (fontTools too), loaded up front

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    _speed_up_font_subsetting()
    _keep_text_layouts()
    return weasyprint


def pdf_from_page(page: str, options: ReportOptions) -> bytes:
    """The PDF of a report page from `_render_page(..., for_pdf=True)`, with the asset-only URL fetcher."""
    weasyprint = prepare_weasyprint()
    fonts = _font_configuration()
    try:
        doc = weasyprint.HTML(string=page, base_url=ASSET_SCHEME, url_fetcher=url_fetcher(options))
        return doc.render(font_config=fonts).write_pdf()
    finally:
        _discard_font_files(fonts)


def _font_configuration() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _discard_font_files(fonts: Any) -> None:
    """Remove the folder where WeasyPrint copied the @font-face files for this configuration.

    WeasyPrint removes it when the configuration is garbage-collected; a process that ends with
    os._exit (the PDF worker) or without a last collection never does, and left 2.3 MB in the
    temporary folder on every run. The PDF is written by then: its fonts are embedded.
    """
    import shutil

    folder = getattr(fonts, "_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        fonts._folder = None


class PdfSetup:
    """What drawing a report PDF needs before the report exists, made while the policy is being analysed.

    The PDF worker (gapcheck.pdfworker) makes one as soon as WeasyPrint is loaded: a font configuration
    (Fontconfig's set-up, the report's six faces copied and registered) and the report stylesheet
    parsed, about 50 ms that no longer follow the analysis. The report page is then drawn with the
    parsed stylesheet in place of its <style> element. It is the page's only stylesheet and it has no
    !important rule, so the cascade is the same (the PDF is the same, byte for byte). A page whose
    stylesheet is not the expected one (other options) is drawn the ordinary way.

    (Drawing a one-page warm-up document here as well, to pay the first use of Pango, HarfBuzz and
    cffi before the report arrives, cut the drawing by about 5% but cost the analysis in the parent
    as much on a busy 2-core machine: no gain in the median.)
    """

    def __init__(self, options: ReportOptions) -> None:
        weasyprint = prepare_weasyprint()
        self.options = options
        self.fonts = _font_configuration()
        try:
            css = page_css(options, for_pdf=True)
            self._style = f"<style>{css}</style>"  # as the template writes it
            self._fetcher = url_fetcher(options)
            self._css = weasyprint.CSS(string=css, base_url=ASSET_SCHEME, url_fetcher=self._fetcher,
                                       font_config=self.fonts)
        except BaseException:
            self.close()
            raise

    def pdf(self, page: str, options: ReportOptions) -> bytes:
        """The PDF of `page`, as `pdf_from_page(page, options)` draws it."""
        if options != self.options or self._style not in page:
            return pdf_from_page(page, options)
        weasyprint = prepare_weasyprint()
        doc = weasyprint.HTML(string=page.replace(self._style, "<style></style>", 1), base_url=ASSET_SCHEME,
                              url_fetcher=self._fetcher)
        return doc.render(stylesheets=[self._css], font_config=self.fonts).write_pdf()

    def close(self) -> None:
        _discard_font_files(self.fonts)


def import_weasyprint() -> Any:
    """`import weasyprint`, without the 0.2-0.3 s its library lookup spends in subprocesses on Linux.

    WeasyPrint dlopens Pango, HarfBuzz and Fontconfig by trying a list of names per library
    ('libpango-1.0-0', 'pango-1.0-0', ..., 'libpango-1.0.so.0'); cffi hands every name that is not
    a loadable file to ctypes.util.find_library, which on Linux runs `ldconfig -p`, gcc and ld each
    time (about 20 subprocesses, more when the optional harfbuzz-subset is absent). Each list ends
    in the Linux soname, which cffi dlopens directly, so find_library can answer "not found" during
    the import and the same libraries load. If that import fails for any reason (another
    WeasyPrint, another platform's names), it is retried the ordinary way.

    fontTools' subsetter and variable-font instancer are imported lazily as well (`_lazy_fonttools`).
    """
    import sys

    if "weasyprint" in sys.modules:
        import weasyprint

        return weasyprint
    with _lazy_fonttools():
        if not sys.platform.startswith("linux"):
            import weasyprint

            return weasyprint
        import contextlib
        import ctypes.util

        original = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # WeasyPrint prints its advice on a failed load
                import weasyprint
            return weasyprint
        except Exception:  # noqa: BLE001 - retried below with the real find_library
            for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
                del sys.modules[name]
        finally:
            ctypes.util.find_library = original
        import weasyprint

        return weasyprint


@contextlib.contextmanager
def _lazy_fonttools() -> Iterator[None]:
    """While WeasyPrint is imported, make fontTools.subset and fontTools.varLib.instancer lazy.

    WeasyPrint imports both at the top of weasyprint.pdf.fonts (about 0.15 s); the packaged fonts
    never need them (gapcheck.fontsubset subsets those, and they are not variable fonts), another
    font (a system fallback for CJK, say) loads them on first use. fontTools.subset becomes a
    standard importlib LazyLoader module. `from fontTools.varLib.instancer import
    instantiateVariableFont` would load a LazyLoader module at once, so the instancer is a stand-in
    module for the import only, removed right after it: WeasyPrint keeps a function that imports
    the real instancer when it is called.
    """
    import importlib
    import importlib.util
    import sys
    import types

    stand_ins: list[tuple[str, types.ModuleType]] = []
    try:
        if "fontTools.subset" not in sys.modules:
            spec = importlib.util.find_spec("fontTools.subset")
            if spec is not None and spec.loader is not None:
                spec.loader = importlib.util.LazyLoader(spec.loader)
                module = importlib.util.module_from_spec(spec)
                sys.modules["fontTools.subset"] = module
                spec.loader.exec_module(module)
                # the package attribute too: `from fontTools import subset` then binds the lazy module
                # without a second import, whose __spec__ check would load it at once
                sys.modules["fontTools"].subset = module  # type: ignore[attr-defined]
        name = "fontTools.varLib.instancer"
        if name not in sys.modules and importlib.util.find_spec("fontTools.varLib") is not None:
            stand_in = types.ModuleType(name)

            def real() -> Any:
                if sys.modules.get(name) is stand_in:
                    del sys.modules[name]
                return importlib.import_module(name)

            def instantiateVariableFont(*args: Any, **kwargs: Any) -> Any:  # noqa: N802 - fontTools' name
                return real().instantiateVariableFont(*args, **kwargs)

            stand_in.instantiateVariableFont = instantiateVariableFont  # type: ignore[attr-defined]

            def attribute(attr: str) -> Any:
                if attr.startswith("__"):  # the import system asks for __path__ and the like: not a use
                    raise AttributeError(attr)
                return getattr(real(), attr)

            stand_in.__getattr__ = attribute  # type: ignore[method-assign]
            sys.modules[name] = stand_in
            stand_ins.append((name, stand_in))
    except (ImportError, ValueError):
        pass  # fontTools is imported the ordinary way
    try:
        yield
    finally:
        for name, stand_in in stand_ins:
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]


def _speed_up_font_subsetting() -> None:
    """Hand WeasyPrint's fontTools subsetter each font without its GSUB and GPOS tables.

    Without the HarfBuzz-subset library (not on a fresh Debian/Ubuntu or in a venv), WeasyPrint
    subsets embedded fonts with fontTools and drops GSUB/GPOS from the result; but fontTools >= 4.6x
    decompiles both tables before dropping them, about 1 s of a 20-page report for the five faces
    (Sans, Bold, Mono and their synthetic obliques). Removing them first gives the same embedded
    subset (the PDF never uses them). Layout is untouched: Pango/HarfBuzz shape the text, kerning
    included, with the full font, before any subsetting. If WeasyPrint's internals differ from what
    this expects, nothing is patched and only speed is lost.

    The packaged DejaVu files skip fontTools altogether: gapcheck.fontsubset keeps their used glyphs
    in a few milliseconds (glyph ids, advances and outlines unchanged).
    """
    try:
        from weasyprint.pdf import fonts as wfonts
    except ImportError:
        return
    original = getattr(getattr(wfonts, "Font", None), "_fonttools_subset", None)
    if original is None or getattr(original, "_gapcheck_fast", False):
        return

    def subset(self: Any, to_unicode: Any, hinting: Any) -> Any:
        if _is_packaged_font(self.file_content):
            from gapcheck.fontsubset import subset_glyf_font

            small = subset_glyf_font(self.file_content, to_unicode)
            if small is not None:
                self.file_content = small
                return None
        self.file_content = _without_layout_tables(self.file_content)
        return original(self, to_unicode, hinting)

    subset._gapcheck_fast = True  # type: ignore[attr-defined]
    wfonts.Font._fonttools_subset = subset


def _keep_text_layouts() -> None:
    """Let WeasyPrint draw each line of text with the Pango layout that measured it.

    WeasyPrint drops the Pango layout of every line once the line is measured (Layout.deactivate)
    and builds it again, text shaped anew, when the page is drawn (Layout.reactivate): about 3,000
    times for a 20-page report, 5-9% of the time to make the PDF. Kept, a layout is drawn as it is
    when nothing has changed since: the same style object, no justification spacing to add (the
    report's text is never justified; justified text is built again as before). Its text is the
    line's final text, as the rebuilt layout's would be, so the PDF is the same byte for byte. The
    kept layouts cost a few MB for a 20-page report. If WeasyPrint's internals differ from what
    this expects, nothing is patched and only speed is lost.
    """
    try:
        from weasyprint.text import line_break
    except ImportError:
        return
    layout_class = getattr(line_break, "Layout", None)
    deactivate = getattr(layout_class, "deactivate", None)
    reactivate = getattr(layout_class, "reactivate", None)
    if deactivate is None or reactivate is None or getattr(reactivate, "_gapcheck_fast", False):
        return

    def keep(self: Any) -> None:
        if hasattr(self, "layout") and hasattr(self, "style") and hasattr(self, "justification_spacing"):
            self._gapcheck_kept = True
        else:
            deactivate(self)

    def reuse(self: Any, style: Any) -> None:
        if getattr(self, "_gapcheck_kept", False) and style is self.style and not self.justification_spacing:
            return
        self._gapcheck_kept = False
        reactivate(self, style)

    keep._gapcheck_original = deactivate  # type: ignore[attr-defined]
    reuse._gapcheck_original = reactivate  # type: ignore[attr-defined]
    reuse._gapcheck_fast = True  # type: ignore[attr-defined]
    layout_class.deactivate = keep
    layout_class.reactivate = reuse


def _is_packaged_font(font: bytes) -> bool:
    """Whether `font` is byte for byte one of the DejaVu files in templates/fonts."""
    import hashlib

    return len(font) in _packaged_fonts() and hashlib.sha256(font).digest() in _packaged_fonts()[len(font)]


@functools.lru_cache(maxsize=1)
def _packaged_fonts() -> dict[int, set[bytes]]:
    import hashlib

    from gapcheck.resources import data_dir

    out: dict[int, set[bytes]] = {}
    for name in FONT_FILES + CORE_FONT_FILES:
        try:
            data = (data_dir("templates") / "fonts" / name).read_bytes()
        except OSError:
            continue
        out.setdefault(len(data), set()).add(hashlib.sha256(data).digest())
    return out


@functools.lru_cache(maxsize=16)
def _without_layout_tables(font: bytes) -> bytes:
    """The font without GSUB/GPOS (and the legacy 'kern' table, which fontTools drops whenever GPOS
    exists): the subset it yields is the one WeasyPrint embeds from the full font. Raw tables are
    copied, nothing else is decompiled; the font is returned unchanged on any error."""
    from fontTools.ttLib import TTFont

    try:
        tt = TTFont(io.BytesIO(font), lazy=True)
        if "GSUB" not in tt and "GPOS" not in tt:
            return font
        drop = ("GSUB", "GPOS", "kern") if "GPOS" in tt else ("GSUB",)
        for tag in drop:
            if tag in tt:
                del tt[tag]
        out = io.BytesIO()
        tt.save(out)
        return out.getvalue()
    except Exception:  # noqa: BLE001 - a font fontTools cannot rewrite is subset as it is
        return font


def resolve_asset(url: str, options: ReportOptions) -> tuple[bytes, str]:
    """Bytes and MIME type of one packaged asset; anything else is refused (ValueError).

    Allowed: `gapcheck-asset:fonts/<one of FONT_FILES or CORE_FONT_FILES>` and `gapcheck-asset:logo` (the logo named in
    the options). No file path, http(s), data: or relative URL is ever opened.
    """
    if not url.startswith(ASSET_SCHEME):
        raise ValueError(f"blocked URL {url[:80]!r}: the report renderer fetches only its own assets")
    name = url[len(ASSET_SCHEME):].lstrip("/")
    if name == "logo" and options.logo is not None:
        return options.logo.read_bytes(), LOGO_TYPES[options.logo.suffix.lower()]
    if name.startswith("fonts/") and name[len("fonts/"):] in FONT_FILES + CORE_FONT_FILES:
        from gapcheck.resources import data_dir

        return (data_dir("templates") / "fonts" / name[len("fonts/"):]).read_bytes(), "font/ttf"
    raise ValueError(f"blocked URL {url[:80]!r}: not a packaged asset")


def url_fetcher(options: ReportOptions) -> Any:
    """A WeasyPrint URL fetcher that serves only `resolve_asset` (works with old and new WeasyPrint)."""
    import_weasyprint()
    from weasyprint import urls

    def fetch_asset(url: str) -> tuple[bytes, str]:
        return resolve_asset(url, options)

    if hasattr(urls, "URLFetcher"):  # WeasyPrint >= 68: a class with fetch()
        class AssetFetcher(urls.URLFetcher):
            def fetch(self, url: str, headers: Any = None) -> Any:
                body, mime = fetch_asset(url)
                return urls.URLFetcherResponse(url, body, {"Content-Type": mime})

        return AssetFetcher()

    def legacy(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
        body, mime = fetch_asset(url)
        return {"string": body, "mime_type": mime, "redirected_url": url}

    return legacy


def _render_page(report: Report, options: ReportOptions, for_pdf: bool) -> str:
    from markupsafe import Markup

    from gapcheck.resources import data_dir

    tdir = data_dir("templates")
    env = _jinja_env(str(tdir))
    ctx = build_context(report, options)
    logo_src = None
    if options.logo is not None:
        logo_src = f"{ASSET_SCHEME}logo" if for_pdf else _data_uri(options.logo)
    return env.get_template("report.html").render(
        **ctx, css=Markup(page_css(options, for_pdf)), for_pdf=for_pdf, logo_src=logo_src,
        chart=Markup(chart_svg(ctx["area_counts"], report)))


def page_css(options: ReportOptions, for_pdf: bool) -> str:
    """The report page's stylesheet: report.css after the accent colour (and, for the PDF, the fonts and paper)."""
    from gapcheck.resources import data_dir

    css = (data_dir("templates") / "report.css").read_text(encoding="utf-8")
    head = f":root {{ --accent: {options.accent_color}; }}\n"  # validated hex colour, safe in CSS
    if for_pdf:
        head += _font_faces()
        head += f"@page {{ size: {PAPERS[options.paper]}; }}\n"
    return head + css


@functools.lru_cache(maxsize=4)
def _jinja_env(folder: str) -> Any:
    """One Jinja environment per templates folder, with Jinja's per-user bytecode cache.

    Compiling report.html costs about 50 ms, on every CLI run without a cache; the cache is keyed by
    the template's source, so an edited template is compiled again. Jinja creates its cache folder
    private to the user (0700, owner checked); where it cannot, templates are compiled each time.
    """
    import jinja2

    try:
        cache: Any = jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        cache = None
    return jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              bytecode_cache=cache)


def _scope_note(scope: str) -> str:
    """'in the section for California residents', or nothing for text addressed to everyone."""
    from gapcheck.scope import ALL, ELSEWHERE, MINORS, describe

    if scope == MINORS:
        return "said of a child's data"
    if scope == ELSEWHERE:
        return "sent to another organisation"
    return "" if scope == ALL else f"in the section for {describe(scope)}"


def _font_faces() -> str:
    """@font-face rules: GapcheckSans/GapcheckMono are the small core files, *Full the complete DejaVu.

    The stylesheet names the core family first and the full one second, so Pango takes each
    character from the core file when it has it and from the full font otherwise: the same DejaVu
    glyphs as with the full files alone, and WeasyPrint subsets a file a quarter the size.
    """
    faces = (("GapcheckSans", "normal", "DejaVuSans-core.ttf"), ("GapcheckSans", "bold", "DejaVuSans-Bold-core.ttf"),
             ("GapcheckMono", "normal", "DejaVuSansMono-core.ttf"),
             ("GapcheckSansFull", "normal", "DejaVuSans.ttf"), ("GapcheckSansFull", "bold", "DejaVuSans-Bold.ttf"),
             ("GapcheckMonoFull", "normal", "DejaVuSansMono.ttf"))
    return "".join(f'@font-face {{ font-family: "{fam}"; font-weight: {w}; '
                   f'src: url("{ASSET_SCHEME}fonts/{f}"); }}\n' for fam, w, f in faces)


def _data_uri(path: Path) -> str:
    mime = LOGO_TYPES[path.suffix.lower()]
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


# --------------------------------------------------------------------------- template context

def build_context(report: Report, options: ReportOptions) -> dict[str, Any]:
    """Everything the templates need: the Report, its coverage rows and derived lists.

    Plain Python, not pandas: importing pandas alone cost about 0.5 s of every PDF run.
    """
    from gapcheck.models import status_counts
    from gapcheck.table import coverage_rows

    coverage = coverage_rows(report)
    area_counts = coverage_by_area_counts(coverage)
    laws = []
    for lr in report.laws:
        s: dict[str, Any] = {**status_counts(lr.results), "score": round(lr.score, 1)}
        high = [r for r in lr.results if r.requirement.severity == Severity.HIGH
                and r.status in (Status.MISSING, Status.PARTIAL)]
        laws.append({"lr": lr, "id": lr.checklist.law, "name": lr.checklist.name,
                     "version": lr.checklist.version, "score": lr.score, "counts": s,
                     "judged": int(s["met"] + s["partial"] + s["missing"]), "total": len(lr.results),
                     "high_gaps": len(high),
                     "rows": [row for row in coverage if row["law"] == lr.checklist.law]})
    gaps = sorted((r for r in report.results if r.status in (Status.MISSING, Status.PARTIAL)),
                  key=_gap_key(report))
    review = [r for r in report.results if r.status == Status.REVIEW]
    high_gaps = [r for r in gaps if r.requirement.severity == Severity.HIGH]
    blocking = [f for f in report.findings if f.severity == Severity.HIGH]
    upcoming = [r for r in report.results if r.upcoming]
    upcoming_dates: dict[str, int] = {}
    for r in upcoming:
        key = r.requirement.effective_from.isoformat() if r.requirement.effective_from else "a later date"
        upcoming_dates[key] = upcoming_dates.get(key, 0) + 1
    titles = {f.id: _finding_title(f) for f in report.findings}
    policy_name = _display_title(report.document.title) or safe_stem(report.document.source)
    return {
        "report": report, "doc": report.document, "options": options, "laws": laws,
        "coverage": coverage, "area_counts": area_counts,
        "gaps": gaps, "review": review, "high_gaps": high_gaps, "blocking": blocking,
        "upcoming": upcoming, "upcoming_dates": sorted(upcoming_dates.items()),
        "finding_titles": titles, "clause_map": clause_map(report),
        "law_names": {lr.checklist.law: lr.checklist.name for lr in report.laws},
        "marks": {r.requirement.id: {"override": getattr(r, "override", None), "waiver": getattr(r, "waiver", None)}
                  for r in report.results},
        "changes": _changes(report),
        "status_label": STATUS_LABEL, "client": options.client or "",
        "scope_note": _scope_note,
        "policy_name": policy_name,
        # a notice in another language: the checklists read English, the reader must know it
        "language_note": _language_note(report.document.language),
        "check_date": _long_date(report.as_of),
        "generated": report.generated_at.strftime("%Y-%m-%d %H:%M UTC"),
        "running_title": options.client or policy_name,
    }


def _changes(report: Report) -> Any:
    ch = getattr(report, "changes", None)
    return None if ch is None or getattr(ch, "empty", False) else ch


def _gap_key(report: Report) -> Callable[[RequirementResult], tuple]:
    order = {r.requirement.id: i for i, r in enumerate(report.results)}
    return lambda r: (SEVERITY_RANK[r.requirement.severity], 0 if r.status == Status.MISSING else 1,
                      order[r.requirement.id])


def _long_date(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


_FINDING_TITLES = {
    "draft-unresolved-notes": "Drafting note or reviewer comment left in",
    "draft-tracked-changes": "Tracked change not accepted or rejected",
    "draft-broken-contact": "Broken contact details",
    "draft-conversion-artifacts": "Conversion residue",
    "draft-vague-retention": "Vague retention wording",
    "draft-stale-date": "Stale or missing date",
    "draft-consent-by-use": "Consent deemed from mere use",
    "draft-readability": "Hard to read",
    "draft-outdated-reference": "Outdated legal reference",
}


#: Pictographs and their joiners and presentation selectors ("🛡️ Privacy Policy"): no report font has them, so a
#: heading's emoji would print as an empty box in the title and on every page's running head.
_PICTOGRAPHS = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0E\uFE0F\u200D]")


def _display_title(title: str | None) -> str:
    """The policy's title as the report shows it, without the pictographs a heading may carry."""
    return " ".join(_PICTOGRAPHS.sub(" ", title or "").split())


def _finding_title(f: Finding) -> str:
    return _FINDING_TITLES.get(f.id) or f.id.removeprefix("draft-").replace("-", " ").capitalize()


def clause_map(report: Report) -> list[dict[str, Any]]:
    """The policy's sections: heading, line range and the labels found, one row per heading path."""
    rows: list[dict[str, Any]] = []
    heading_line: int | None = None
    for ac in report.clauses:
        c = ac.clause
        if c.kind == "heading":  # a heading opens the section of the clauses that follow it
            heading_line = c.line_start if heading_line is None else heading_line
            continue
        heading = c.heading_text or "(before the first heading)"
        labels = set(ac.labels)
        if rows and rows[-1]["heading"] == heading and heading_line is None:
            rows[-1]["line_end"] = max(rows[-1]["line_end"], c.line_end)
            rows[-1]["labels"] |= labels
        else:
            start = min(c.line_start, heading_line) if heading_line is not None else c.line_start
            rows.append({"heading": heading, "line_start": start, "line_end": c.line_end, "labels": labels})
        heading_line = None
    for r in rows:
        r["labels"] = sorted(r["labels"])
    return rows


# --------------------------------------------------------------------------- chart (inline SVG)

def coverage_by_area_counts(coverage: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, int]]]:
    """law -> area (sorted) -> met / partial / missing counts, judged requirements only (the chart's data)."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    for row in coverage:
        if row["status"] in ("met", "partial", "missing"):
            c = out.setdefault(row["law"], {}).setdefault(row["area"], {"met": 0, "partial": 0, "missing": 0})
            c[row["status"]] += 1
    return {law: dict(sorted(areas.items())) for law, areas in out.items()}


def chart_svg(area_counts: Mapping[str, Mapping[str, Mapping[str, int]]], report: Report) -> str:
    """Coverage by law and by area as stacked bars (met / partial / missing) with counts in words.

    Pure SVG generated here: no scripts, no external references; every label is escaped. The three
    fills differ in lightness as well as hue, and each bar carries its numbers as text, so the
    chart reads in black and white.
    """
    esc = html.escape
    fills = {"met": "#1e7b34", "partial": "#e3a73b", "missing": "#f6d3cf"}
    label_w, bar_w, text_w, row_h, gap = 150, 300, 230, 20, 8
    width = label_w + bar_w + text_w
    rows: list[tuple[str, str, dict[str, int], bool]] = []  # (kind, label, counts, is_law)
    for lr in report.laws:
        law = lr.checklist.law
        sub = area_counts.get(law)
        total = {k: sum(c[k] for c in sub.values()) if sub else 0 for k in ("met", "partial", "missing")}
        rows.append(("law", f"{_law_short(lr.checklist.name, law)}: all areas", total, True))
        if sub:
            for area, row in sub.items():
                rows.append(("area", str(area).replace("_", " ").capitalize(),
                             {k: int(row[k]) for k in ("met", "partial", "missing")}, False))
    legend_h = 26
    height = legend_h + sum(row_h + (gap + 6 if is_law else gap // 2) for *_, is_law in rows) + 6
    out = [f'<svg class="chart" role="img" aria-label="Coverage by law and area" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" '
           'font-family="GapcheckSans, GapcheckSansFull, DejaVu Sans, sans-serif">']
    x = label_w
    for key, name in (("met", "Met"), ("partial", "Partial"), ("missing", "Missing")):
        out.append(f'<rect x="{x}" y="4" width="14" height="12" fill="{fills[key]}" stroke="#333" '
                   f'stroke-width="0.6"/><text x="{x + 19}" y="14" font-size="10">{name}</text>')
        x += 90
    y = legend_h
    for _kind, label, counts, is_law in rows:
        if is_law:
            y += 6
        n = sum(counts.values())
        weight = ' font-weight="bold"' if is_law else ""
        out.append(f'<text x="{label_w - 8}" y="{y + 14}" font-size="{10 if is_law else 9.5}" '
                   f'text-anchor="end"{weight}>{esc(_clip(label, 26))}</text>')
        out.append(f'<rect x="{label_w}" y="{y + 2}" width="{bar_w}" height="{row_h - 4}" fill="#ffffff" '
                   f'stroke="#555" stroke-width="0.6"/>')
        x = float(label_w)
        for key in ("met", "partial", "missing"):
            if n and counts[key]:
                w = bar_w * counts[key] / n
                out.append(f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{row_h - 4}" '
                           f'fill="{fills[key]}" stroke="#333" stroke-width="0.4"/>')
                x += w
        share = (counts["met"] + 0.5 * counts["partial"]) / n if n else None
        pct = f"{share * 100:.0f}%" if share is not None else "n/a"
        desc = f"{pct} · {counts['met']} met, {counts['partial']} partial, {counts['missing']} missing"
        out.append(f'<text x="{label_w + bar_w + 8}" y="{y + 14}" font-size="9"{weight}>{esc(desc)}</text>')
        y += row_h + (gap if is_law else gap // 2)
    out.append("</svg>")
    return "".join(out)


def _law_short(name: str, law: str) -> str:
    short = name.split("(")[0].split(",")[0].strip()
    return short if 0 < len(short) <= 20 else law.upper()


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


# --------------------------------------------------------------------------- XLSX

def to_xlsx(report: Report, options: ReportOptions | None = None) -> bytes:
    """Workbook: 'Coverage' (status cells coloured and spelt out), 'Findings', 'Summary'."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from gapcheck.table import coverage_table, summary_by_law

    wb = Workbook()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def sheet(ws: Any, header: list[str], rows: Iterable[list[Any]], widths: Mapping[str, int]) -> None:
        ws.append(header)
        for c in ws[1]:
            c.font = bold
        for row in rows:
            ws.append([_cell(v) for v in row])
            for c in ws[ws.max_row]:
                if isinstance(c.value, str):
                    c.data_type = "s"  # never a formula, whatever the policy text starts with
                c.alignment = wrap
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        for i, h in enumerate(header, start=1):
            ws.column_dimensions[get_column_letter(i)].width = widths.get(h, 14)

    df = coverage_table(report)
    ws = wb.active
    ws.title = "Coverage"
    cols = list(df.columns)
    sheet(ws, cols, df.astype(object).where(df.notna(), "").values.tolist(),
          {"title": 40, "citation": 28, "rationale": 60, "recommendation": 60, "id": 30, "evidence_lines": 16})
    scol = cols.index("status") + 1
    for row in ws.iter_rows(min_row=2, min_col=scol, max_col=scol):
        c = row[0]
        colour = STATUS_COLOUR.get(str(c.value))
        if colour:
            c.fill = PatternFill("solid", fgColor=colour[1:].upper())
            c.font = Font(bold=True, color="FFFFFF")
    fs = wb.create_sheet("Findings")
    sheet(fs, ["id", "defect", "severity", "line_start", "line_end", "quote", "message"],
          ([f.id, _finding_title(f), str(f.severity), f.line_start, f.line_end, f.quote, f.message]
           for f in report.findings),
          {"id": 28, "defect": 30, "quote": 60, "message": 70})
    sm = summary_by_law(report).reset_index()
    ss = wb.create_sheet("Summary")
    sheet(ss, [str(c) for c in sm.columns], sm.astype(object).values.tolist(), {})
    wb.properties.title = f"Gap analysis: {report.document.title or safe_stem(report.document.source)}"
    wb.properties.creator = (options.prepared_by if options and options.prepared_by else "gapcheck")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(v: Any) -> Any:
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int | float):
        return v
    return _ILLEGAL_XLSX.sub(" ", str(v))


# --------------------------------------------------------------------------- Markdown

def _md(s: str) -> str:
    """Policy text inside Markdown: HTML-escaped (so a viewer shows it as text) and pipes guarded."""
    return html.escape(" ".join(str(s).split()), quote=False).replace("|", "\\|").replace("`", "\\`")


def to_md(report: Report, options: ReportOptions | None = None) -> str:
    """A Markdown version of the report (summary, coverage table, gaps, drafting defects)."""
    options = options or ReportOptions()
    ctx = build_context(report, options)
    d = report.document
    out = [f"# Privacy policy gap analysis: {_md(ctx['policy_name'])}", ""]
    meta = [("Client", options.client), ("Prepared by", options.prepared_by), ("Firm", options.firm),
            ("Policy file", d.source), ("Check date", report.as_of.isoformat()),
            ("Laws", "; ".join(f"{lr.checklist.name} (checklist {lr.checklist.version})" for lr in report.laws))]
    out += [f"- **{k}:** {_md(v)}" for k, v in meta if v]
    if ctx["language_note"]:
        out += ["", f"**{_md(ctx['language_note'])}**"]
    out += ["", "## Executive summary", "", "| Law | Score | Met | Partial | Missing | To confirm | N/A |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for x in ctx["laws"]:
        c = x["counts"]
        out.append(f"| {_md(x['name'])} | {x['score']:.0f} | {c['met']} | {c['partial']} | {c['missing']} | "
                   f"{c['review']} | {c['not_applicable']} |")
    if ctx["high_gaps"]:
        out += ["", "High-severity gaps:", ""]
        out += [f"- {_md(r.requirement.title)} ({_md(r.requirement.citation)}): {STATUS_LABEL[r.status.value]}"
                for r in ctx["high_gaps"]]
    if ctx["blocking"]:
        out += ["", "Fix before publication:", ""]
        out += [f"- Line {f.line_start}: {_md(_finding_title(f))}: \"{_md(f.quote)}\"" for f in ctx["blocking"]]
    out += ["", "## Coverage", "", "| Requirement | Citation | Status | Evidence lines |", "|---|---|---|---|"]
    for r in report.results:
        status = STATUS_LABEL[r.status.value].upper() + (" (upcoming)" if r.upcoming else "")
        lines = ", ".join(str(n) for n in sorted({e.line_start for e in r.evidence})) or "—"
        out.append(f"| {_md(r.requirement.title)} `{r.requirement.id}` | {_md(r.requirement.citation)} | "
                   f"{status} | {lines} |")
    out += ["", "## Gaps", ""]
    for r in ctx["gaps"]:
        q = r.requirement
        out += [f"### {STATUS_LABEL[r.status.value].upper()}: {_md(q.title)}", "",
                f"- **The law requires:** {_md(q.citation)} ({q.severity.value} severity)"]
        if r.evidence:
            out.append("- **The policy says:**")
            out += [f"  > line {e.line_start}{(' (' + _scope_note(e.scope) + ')') if e.scope != 'all' else ''}: "
                    f"{_md(e.quote)}" for e in r.evidence]
        else:
            out.append("- **The policy says:** nothing found.")
            out += [f"  > nearest text on this topic, line {e.line_start}: {_md(e.quote)}" for e in r.related]
        out += [f"- **Why this is a gap:** {_md(r.rationale)}", f"- **Recommendation:** {_md(r.recommendation)}", ""]
    if not ctx["gaps"]:
        out += ["No gaps found.", ""]
    out += ["## Drafting defects", ""]
    if report.findings:
        out += ["| Lines | Defect | Text | What to fix |", "|---|---|---|---|"]
        for f in report.findings:
            ln = f"{f.line_start}" + (f"–{f.line_end}" if f.line_end != f.line_start else "")
            out.append(f"| {ln} | {_md(_finding_title(f))} ({f.severity.value}) | {_md(f.quote)} | {_md(f.message)} |")
    else:
        out.append("No drafting defects found.")
    out += ["", "---", "", _md(options.disclaimer), ""]
    return "\n".join(out)


# --------------------------------------------------------------------------- Word

def to_docx(report: Report, options: ReportOptions | None = None) -> bytes:
    """The editable Word report (gapcheck.render_docx; python-docx is imported only when asked for)."""
    from gapcheck import render_docx

    options = options or ReportOptions()
    return render_docx.to_docx(report, options, template=options.docx_template)


# --------------------------------------------------------------------------- writing

WRITERS: dict[str, Callable[..., str | bytes]] = {
    "json": to_json, "csv": to_csv, "html": to_html, "pdf": to_pdf, "xlsx": to_xlsx, "md": to_md,
    "docx": to_docx,
}


def output_file(outdir: Path, formats: Iterable[str]) -> bool:
    """Whether --output names a report file ("report.pdf") rather than a folder: it ends in the
    extension of a requested format and is not an existing folder. `gapcheck run p.txt -o report.pdf`
    then writes report.pdf, not a folder of that name."""
    ext = outdir.suffix.lower().lstrip(".")
    return ext in FORMATS and not outdir.is_dir()


def write_all(report: Report, outdir: Path, formats: Iterable[str],
              options: ReportOptions | None = None) -> list[Path]:
    """Write each requested format into outdir, or to the file outdir names (`output_file`), other
    formats beside it with the same name; returns the paths written."""
    formats = list(formats)
    as_file = output_file(outdir, formats)
    if as_file and outdir.suffix.lower().lstrip(".") not in formats:
        raise GapcheckError(f"{outdir}: the output names a .{outdir.suffix.lower().lstrip('.')} file but the "
                            f"format asked for is {', '.join(formats)}; name a folder, or a file that ends in "
                            f".{formats[0]}")
    if not as_file and outdir.exists() and not outdir.is_dir():
        raise GapcheckError(f"{outdir}: output path exists and is not a folder")
    options = options or ReportOptions()
    out: list[Path] = []
    try:
        for fmt in formats:
            if fmt not in WRITERS:
                raise GapcheckError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
            path = outdir.with_suffix(f".{fmt}") if as_file else outdir / report_name(report, fmt)
            data = WRITERS[fmt](report, options)
            atomic_write(path, data if isinstance(data, bytes) else data.encode("utf-8"))
            out.append(path)
    except PermissionError as e:
        raise GapcheckError(f"{outdir}: cannot write report ({e.strerror})") from e
    return out

