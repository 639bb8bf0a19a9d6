"""Write a Report as JSON, CSV and HTML files, atomically (temp file, then rename)."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from gapcheck.errors import GapcheckError
from gapcheck.models import Report

SAFE = re.compile(r"[^A-Za-z0-9._-]+")


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


def to_json(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def to_csv(report: Report) -> str:
    from gapcheck.table import coverage_table

    return coverage_table(report).to_csv(index=False)


def to_html(report: Report) -> str:
    """The report page: self-contained HTML, policy text always escaped."""
    import jinja2

    from gapcheck.resources import data_dir
    from gapcheck.table import summary_by_law

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    css = (data_dir("templates") / "report.css").read_text(encoding="utf-8")
    summary = summary_by_law(report)
    by_law = [(lr, summary.loc[lr.checklist.law].to_dict()) for lr in report.laws]
    return env.get_template("report.html").render(report=report, by_law=by_law, css=css,
                                                   doc=report.document)


WRITERS = {"json": to_json, "csv": to_csv, "html": to_html}


def write_all(report: Report, outdir: Path, formats: Iterable[str]) -> list[Path]:
    """Write each requested format into outdir; returns the paths written."""
    if outdir.exists() and not outdir.is_dir():
        raise GapcheckError(f"{outdir}: output path exists and is not a folder")
    out: list[Path] = []
    try:
        for fmt in formats:
            path = outdir / report_name(report, fmt)
            atomic_write(path, WRITERS[fmt](report).encode("utf-8"))
            out.append(path)
    except PermissionError as e:
        raise GapcheckError(f"{outdir}: cannot write report ({e.strerror})") from e
    return out
