"""Command line: a thin layer over the library. Every user error is one line and exit code 2."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gapcheck import __version__
from gapcheck.errors import GapcheckError

if TYPE_CHECKING:
    from gapcheck.render import ReportOptions

FORMATS = ("pdf", "html", "json", "csv", "xlsx", "md", "docx")


class UsageError2(click.ClickException):
    """A user error: printed as one line, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(f"gapcheck: error: {self.format_message()}", err=True)


def _fail(e: Exception) -> UsageError2:
    return UsageError2(str(e).splitlines()[0] if str(e) else e.__class__.__name__)


def _split_formats(values: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for v in values:
        for f in v.split(","):
            f = f.strip().lower()
            if not f:
                continue
            if f not in FORMATS:
                raise UsageError2(f"unknown format {f!r} (choose from {', '.join(FORMATS)})")
            if f not in out:
                out.append(f)
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gapcheck")
def cli() -> None:
    """gapcheck: privacy-policy compliance gap analysis with quoted evidence."""


@cli.command()
@click.argument("policy")
@click.option("--law", "laws", multiple=True, metavar="LAW",
              help="gdpr, ccpa, dpdp or all (repeatable; default all unless --checklist is given).")
@click.option("--checklist", "checklist_files", multiple=True, type=click.Path(path_type=Path),
              help="A checklist YAML of your own, run beside --law (or alone).")
@click.option("--profile", type=click.Path(path_type=Path), help="YAML of business facts (sells_data: true, ...).")
@click.option("--format", "formats", multiple=True, default=("pdf",), show_default=True,
              help="pdf, html, json, csv, xlsx, md, docx (repeatable or comma-separated).")
@click.option("--config", "report_config", type=click.Path(path_type=Path), default=None,
              help="Report config YAML: client, prepared_by, firm, logo, accent_color, disclaimer, paper "
                   "(default: the 'report:' section of ./gapcheck.yaml, if any).")
@click.option("--client", default=None, help="Client name for the cover and running header.")
@click.option("--prepared-by", "prepared_by", default=None, help="Who prepared the report (cover).")
@click.option("--paper", type=click.Choice(["a4", "letter"], case_sensitive=False), default=None,
              help="PDF paper size (default a4, or the config's paper).")
@click.option("--output", "-o", default="reports", show_default=True,
              help="Output folder, a report file (report.pdf: other formats are written beside it), "
                   "or '-' for the JSON document on stdout.")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Check date (default today): decides stale dates and upcoming obligations.")
@click.option("--max-bytes", type=int, default=None,
              help="Refuse policies with more text than this many bytes (default 2 MiB; a web page itself may be "
                   "ten times larger).")
@click.option("--history", "history_path", type=click.Path(path_type=Path), default=None,
              help="History database (default: $GAPCHECK_HISTORY or the user data folder).")
@click.option("--no-history", is_flag=True, help="Do not record this check or compare with earlier ones.")
@click.option("--name", default=None, help="Policy identity in the history (default: its path or URL).")
@click.option("--review", "review_file", type=click.Path(path_type=Path), default=None,
              help="A review file from `gapcheck annotate` with label corrections and verdict overrides.")
@click.option("--waivers", "waivers_file", type=click.Path(path_type=Path), default=None,
              help="YAML with a 'waivers:' list (id, reason, by, until) of accepted gaps.")
@click.option("--docx-template", "docx_template", type=click.Path(path_type=Path), default=None,
              help="A firm's .docx whose styles, header and footer the Word report (--format docx) uses.")
@click.option("--review-from-comments", "from_comments", is_flag=True,
              help="POLICY is a .docx from `gapcheck markup`: replies 'accepted: ...' / 'not a gap: ...' to its "
                   "comments become waivers / overrides.")
def run(policy: str, laws: tuple[str, ...], checklist_files: tuple[Path, ...], profile: Path | None,
        formats: tuple[str, ...], output: str, as_of: dt.datetime | None, max_bytes: int | None,
        history_path: Path | None, no_history: bool, name: str | None, review_file: Path | None,
        waivers_file: Path | None, report_config: Path | None = None, client: str | None = None,
        prepared_by: str | None = None, paper: str | None = None, docx_template: Path | None = None,
        from_comments: bool = False) -> None:
    """Analyse POLICY and write the report (PDF by default; also HTML, JSON, CSV, XLSX, Markdown, Word)."""
    fmts = _split_formats(formats)
    with _one_shot_gc():
        report_opts = (None if output == "-" else
                       _report_options(report_config, client, prepared_by, paper, docx_template=docx_template))
        worker = None
        if "pdf" in fmts and output != "-":
            from gapcheck import pdfworker

            worker = pdfworker.start(report_opts)  # WeasyPrint loads and warms up in a child meanwhile
        try:
            _run(policy, laws, checklist_files, profile, fmts, output, as_of, max_bytes, history_path, no_history,
                 name, review_file, waivers_file, report_opts, from_comments)
        finally:
            if worker is not None:
                pdfworker.stop(worker)


@contextlib.contextmanager
def _one_shot_gc() -> Iterator[None]:
    """Python's cyclic garbage collector off for one `gapcheck run`, and back as it was afterwards.

    One policy, one report, then the process ends: the collector would walk the loaded checklists,
    lexicon and compiled patterns again and again (about a tenth of the command's CPU time) and free
    next to nothing (a run's peak memory is the same without it). The PDF worker forked inside
    inherits the setting. A caller that runs the command in-process gets its collector back.
    """
    import gc

    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _run(policy: str, laws: tuple[str, ...], checklist_files: tuple[Path, ...], profile: Path | None,
         fmts: list[str], output: str, as_of: dt.datetime | None, max_bytes: int | None,
         history_path: Path | None, no_history: bool, name: str | None, review_file: Path | None,
         waivers_file: Path | None, report_opts: ReportOptions | None, from_comments: bool) -> None:
    from gapcheck import ingest, pipeline

    for law in laws:
        if law.lower() not in ("gdpr", "ccpa", "dpdp", "all"):
            from gapcheck.checklists import packaged_laws

            if law.lower() not in packaged_laws():
                raise UsageError2(f"unknown law {law!r} (choose from gdpr, ccpa, dpdp, all)")
    if not laws and not checklist_files:
        laws = ("all",)
    try:
        waivers = _load_waivers(waivers_file) if waivers_file else ()
        analyze = pipeline.analyze
        if from_comments:
            from gapcheck.markup import analyze_reviewed as analyze  # type: ignore[assignment]
        report = analyze(policy, laws=laws, checklist_files=checklist_files, profile=profile,
                         as_of=as_of.date() if as_of else None,
                         max_bytes=max_bytes or ingest.MAX_BYTES_DEFAULT, review=review_file, waivers=waivers)
    except GapcheckError as e:
        raise _fail(e) from None
    hist = None if no_history else _history(history_path)
    try:
        if hist is not None:
            from gapcheck.history import attach_changes, policy_identity

            ident = policy_identity(str(policy), name)
            report = attach_changes(hist, report, ident)
        if output == "-":
            sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
            paths: list[Path] = []
        else:
            from gapcheck import render

            try:
                paths = render.write_all(report, Path(output), fmts, report_opts)
            except GapcheckError as e:
                raise _fail(e) from None
        if hist is not None:
            hist.record(report, ident)  # after the report is written: a failed write records nothing
    finally:
        if hist is not None:
            hist.close()
    for p in paths:
        click.echo(str(p))
    if paths:
        _summary(report)
    if from_comments:
        from gapcheck.markup import read_replies

        decided = {r.requirement.id for r in report.results if r.override or r.waiver}
        ds = [d for d in read_replies(Path(policy).read_bytes(), policy).decisions if d.id in decided]
        click.echo(f"from Word replies: {sum(d.kind == 'accepted' for d in ds)} accepted, "
                   f"{sum(d.kind == 'not_a_gap' for d in ds)} not a gap", err=True)


@cli.command("batch")
@click.argument("paths", nargs=-1, required=True)
@click.option("--law", "laws", multiple=True, metavar="LAW",
              help="gdpr, ccpa, dpdp or all (repeatable; default all unless --checklist is given).")
@click.option("--checklist", "checklist_files", multiple=True, type=click.Path(path_type=Path),
              help="A checklist YAML of your own, run beside --law (or alone).")
@click.option("--profile", type=click.Path(path_type=Path), help="YAML of business facts, applied to every policy.")
@click.option("--out", "out", type=click.Path(path_type=Path), required=True,
              help="Coverage matrix: results.parquet, .csv or .xlsx (resumed if it exists).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Parallel workers (processes; Dask workers for a LocalCluster).")
@click.option("--reports", "reports_dir", type=click.Path(path_type=Path), default=None,
              help="Also write each policy's report into this folder (formats from --format).")
@click.option("--format", "formats", multiple=True, default=("pdf",), show_default=True,
              help="Report formats for --reports: pdf, html, json, csv, xlsx, md.")
@click.option("--fail-on", "fail_on", type=click.Choice(["errors"]), default=None,
              help="Exit 3 when any policy could not be analysed.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local process pool, or Dask distributed (pip install 'gapcheck[dask]').")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Dask scheduler address (default with --executor dask: a LocalCluster of --jobs workers).")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Check date (default today).")
@click.option("--max-bytes", type=int, default=None, help="Refuse policy files larger than this.")
@click.option("--history", "history_path", type=click.Path(path_type=Path), default=None,
              help="Record every check in this history database (off by default in a batch).")
def batch_cmd(paths: tuple[str, ...], laws: tuple[str, ...], checklist_files: tuple[Path, ...],
              profile: Path | None, out: Path, jobs: int, reports_dir: Path | None, formats: tuple[str, ...],
              fail_on: str | None, executor: str, scheduler: str | None, as_of: dt.datetime | None,
              max_bytes: int | None, history_path: Path | None) -> None:
    """Analyse many policies (folders, globs, .csv/.txt lists, URLs) into one coverage matrix.

    Beside OUT it writes <out>.summary.csv (share of policies missing each requirement, by law) and
    <out>.dashboard.html. A failed policy is an error row, never fatal; policies already complete in
    OUT (same text and checklists) are skipped, so an interrupted batch resumes.
    """
    from gapcheck import batch, ingest, pipeline

    if not laws and not checklist_files:
        laws = ("all",)
    try:
        job = batch.BatchJob(
            laws=tuple(laws), checklist_files=tuple(str(p) for p in checklist_files),
            profile=pipeline.load_profile(profile), as_of=as_of.date() if as_of else dt.date.today(),
            max_bytes=max_bytes or ingest.MAX_BYTES_DEFAULT,
            reports_dir=str(reports_dir) if reports_dir else None, formats=tuple(_split_formats(formats)),
            report_options=_report_options(None, None, None, None) if reports_dir else None,
            history=str(history_path) if history_path else None)
        stats = batch.run_batch(paths, out, job, jobs=jobs, executor=executor, scheduler=scheduler)
    except GapcheckError as e:
        raise _fail(e) from None
    for p in stats.outputs:
        click.echo(str(p))
    click.echo(f"{stats.inputs} policies: {stats.analysed} analysed, {stats.skipped} already in {out.name}, "
               f"{stats.errors} errors", err=True)
    for m in stats.error_messages[:5]:
        click.echo(f"  error: {m}", err=True)
    if fail_on == "errors" and stats.errors:
        sys.exit(3)


def _summary(report) -> None:  # type: ignore[no-untyped-def]
    """A line per law on stderr, so a consultant sees the result without opening the report."""
    from gapcheck.models import status_counts

    if report.document.language != "en":
        from gapcheck.ingest import language_name

        click.echo(f"warning: the policy is written in {language_name(report.document.language)}; the checklists "
                   "read English, so what was not found is marked 'to confirm', not missing", err=True)
    for lr in report.laws:
        c = status_counts(lr.results)
        click.echo(f"{lr.checklist.law}: score {lr.score:.0f}/100 - {c['met']} met, {c['partial']} partial, "
                   f"{c['missing']} missing, {c['review']} to confirm", err=True)
    if report.findings:
        click.echo(f"drafting defects: {len(report.findings)}", err=True)
    if report.changes is not None:
        ch = report.changes
        click.echo(f"since check {ch.from_check}: {len(ch.new_gaps)} new gaps, {len(ch.gaps_closed)} closed", err=True)


def _report_options(config: Path | None, client: str | None, prepared_by: str | None,
                    paper: str | None, docx_template: Path | None = None) -> object:
    """Report options from --config (or ./gapcheck.yaml's report: section) and the run options."""
    from gapcheck import render

    try:
        return render.load_options(config, client=client, prepared_by=prepared_by,
                                   paper=paper.lower() if paper else None, docx_template=docx_template)
    except GapcheckError as e:
        raise _fail(e) from None


def _load_waivers(path: Path) -> tuple:
    import yaml

    from gapcheck.review import waivers_from

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise GapcheckError(f"{path}: cannot read waivers ({getattr(e, 'strerror', None) or e})") from e
    return waivers_from(data if isinstance(data, dict) else {}, str(path))


@cli.command()
@click.argument("policy", type=click.Path(path_type=Path))
@click.option("--numbers/--no-numbers", default=True, help="Prefix each line with its number.")
def text(policy: Path, numbers: bool) -> None:
    """Print the text of POLICY that line numbers in reports refer to."""
    from gapcheck import ingest

    try:
        doc = ingest.load(policy)
    except GapcheckError as e:
        raise _fail(e) from None
    width = len(str(len(doc.lines)))
    for i, line in enumerate(doc.lines, start=1):
        click.echo(f"{i:>{width}}  {line}" if numbers else line)


@cli.command("annotate")
@click.argument("policy")
@click.option("--law", "laws", multiple=True, metavar="LAW", help="Laws whose verdicts to include (default all).")
@click.option("--output", "-o", "out", type=click.Path(path_type=Path), required=True,
              help="Review file to write (YAML), e.g. policy.review.yaml.")
@click.option("--review", "review_file", type=click.Path(path_type=Path), default=None,
              help="Start from an existing review file (its corrections are applied first).")
def annotate_cmd(policy: str, laws: tuple[str, ...], out: Path, review_file: Path | None) -> None:
    """Write the clause map and verdicts of POLICY as a review file a consultant can correct."""
    from gapcheck import pipeline, render
    from gapcheck.review import review_template

    try:
        report = pipeline.analyze(policy, laws=laws or ("all",), review=review_file)
        render.atomic_write(out, review_template(report).encode("utf-8"))
    except GapcheckError as e:
        raise _fail(e) from None
    click.echo(str(out))


@cli.command("markup")
@click.argument("policy")
@click.option("--law", "laws", multiple=True, metavar="LAW", help="gdpr, ccpa, dpdp or all (repeatable; default all).")
@click.option("--checklist", "checklist_files", multiple=True, type=click.Path(path_type=Path),
              help="A checklist YAML of your own, run beside --law (or alone).")
@click.option("--profile", type=click.Path(path_type=Path), help="YAML of business facts (sells_data: true, ...).")
@click.option("--output", "-o", "out", type=click.Path(path_type=Path), default=None,
              help="Word file to write (default: <policy>.reviewed.docx in the current folder).")
@click.option("--config", "report_config", type=click.Path(path_type=Path), default=None,
              help="Report config YAML (its prepared_by is the comments' author).")
@click.option("--prepared-by", "prepared_by", default=None, help="Author of the comments (default: the config's).")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), help="Check date (default today).")
@click.option("--max-bytes", type=int, default=None, help="Refuse policy files larger than this.")
@click.option("--review", "review_file", type=click.Path(path_type=Path), default=None,
              help="A review file from `gapcheck annotate` with label corrections and verdict overrides.")
@click.option("--waivers", "waivers_file", type=click.Path(path_type=Path), default=None,
              help="YAML with a 'waivers:' list (id, reason, by, until) of accepted gaps.")
def markup_cmd(policy: str, laws: tuple[str, ...], checklist_files: tuple[Path, ...], profile: Path | None,
               out: Path | None, report_config: Path | None, prepared_by: str | None, as_of: dt.datetime | None,
               max_bytes: int | None, review_file: Path | None, waivers_file: Path | None) -> None:
    """Write POLICY back as Word with a margin comment on each gap and drafting defect.

    A .docx policy is kept as it is (only comments are added); other formats become a clean document.
    Reply "accepted: <reason>" or "not a gap: <reason>" to a comment, then run
    `gapcheck run FILE --review-from-comments`.
    """
    from gapcheck import ingest, markup, pipeline, render

    opts = _report_options(report_config, None, prepared_by, None)
    if not laws and not checklist_files:
        laws = ("all",)
    macro = Path(policy).suffix.lower() == ".docm"  # kept as it is, macros included: it stays a .docm
    target = out or Path(render.safe_stem(policy) + (".reviewed.docm" if macro else ".reviewed.docx"))
    if macro and target.suffix.lower() != ".docm":
        raise UsageError2(f"{policy} is a macro-enabled Word file and is kept as it is: name the output .docm")
    try:
        waivers = _load_waivers(waivers_file) if waivers_file else ()
        analyze = pipeline.analyze
        if Path(policy).suffix.lower() in (".docx", ".docm") and Path(policy).is_file():
            # a file gapcheck marked up before: its comments and the replies to them are not drafting
            # defects, and the replies' decisions apply (as with run --review-from-comments)
            analyze = markup.analyze_reviewed  # type: ignore[assignment]
        report = analyze(policy, laws=laws, checklist_files=checklist_files, profile=profile,
                         as_of=as_of.date() if as_of else None,
                         max_bytes=max_bytes or ingest.MAX_BYTES_DEFAULT, review=review_file, waivers=waivers)
        original = None
        if report.document.fmt == "docx" and Path(policy).is_file():
            original = Path(policy).read_bytes()
        data = markup.markup(report, original, getattr(opts, "prepared_by", None))
        render.atomic_write(target, data)
    except GapcheckError as e:
        raise _fail(e) from None
    except PermissionError as e:
        raise _fail(GapcheckError(f"{target}: cannot write ({e.strerror})")) from None
    click.echo(str(target))
    n = sum(1 for r in report.results if r.status.value in ("partial", "missing")) + len(report.findings)
    click.echo(f"{n} comments: {sum(r.status.value == 'partial' for r in report.results)} partial, "
               f"{sum(r.status.value == 'missing' for r in report.results)} missing, "
               f"{len(report.findings)} drafting defects", err=True)


@cli.group("checklists")
def checklists_group() -> None:
    """List, show and validate requirement checklists."""


@checklists_group.command("list")
def checklists_list() -> None:
    """List the packaged checklists."""
    from gapcheck import checklists

    try:
        for law in checklists.packaged_laws():
            cl = checklists.load_law(law)
            click.echo(f"{cl.law:6} {cl.version:10} {len(cl.requirements):3} requirements  {cl.name}")
    except GapcheckError as e:
        raise _fail(e) from None


@checklists_group.command("show")
@click.argument("law")
def checklists_show(law: str) -> None:
    """Show every requirement of LAW (id, kind, severity, citation, title) and what decides it."""
    from gapcheck import checklists

    try:
        cl = checklists.load_law(law)
    except GapcheckError as e:
        raise _fail(e) from None
    click.echo(f"{cl.name} (checklist version {cl.version}, {len(cl.requirements)} requirements)")
    for r in cl.requirements:
        eff = f"  [in force from {r.effective_from}]" if r.effective_from else ""
        click.echo(f"- {r.id} [{r.kind}, {r.severity}] {r.title}{eff}\n    {r.citation}")
        for line in checklists.describe_requirement(r):
            click.echo("    " + line)


@checklists_group.command("docs")
def checklists_docs() -> None:
    """Print the packaged checklists as Markdown (the source of docs/checklists.md)."""
    from gapcheck import checklists

    try:
        lists = tuple(checklists.load_law(law) for law in checklists.packaged_laws())
    except GapcheckError as e:
        raise _fail(e) from None
    click.echo(checklists.to_markdown(lists), nl=False)


@checklists_group.command("validate")
@click.argument("file", type=click.Path(path_type=Path))
def checklists_validate(file: Path) -> None:
    """Validate a checklist YAML and run its example sentences."""
    from gapcheck import checklists, examples

    try:
        cl = checklists.load_checklist(file)
    except GapcheckError as e:
        raise _fail(e) from None
    try:
        failures = examples.check_examples(cl)
    except GapcheckError as e:  # e.g. a pattern stopped by the regex time limit
        raise _fail(e) from None
    for f in failures:
        click.echo(f"FAIL {f}", err=True)
    if failures:
        raise UsageError2(f"{file}: {len(failures)} example(s) do not give the expected status")
    n = sum(len(v) for r in cl.requirements for v in r.examples.values())
    click.echo(f"{file}: OK ({len(cl.requirements)} requirements, {n} examples pass)")


def _history(path: Path | None):  # type: ignore[no-untyped-def]
    from gapcheck.history import History

    try:
        return History(path)
    except GapcheckError as e:
        raise _fail(e) from None


_history_opt = click.option("--history", "history_path", type=click.Path(path_type=Path), default=None,
                            help="History database (default: $GAPCHECK_HISTORY or the user data folder).")
_name_opt = click.option("--name", default=None, help="Policy identity in the history (default: its path or URL).")


@cli.command("history")
@click.argument("policy")
@_history_opt
@_name_opt
def history_cmd(policy: str, history_path: Path | None, name: str | None) -> None:
    """List past checks of POLICY (id, date, laws, score, text hash)."""
    from gapcheck.history import policy_identity

    with _history(history_path) as h:
        rows = h.checks(policy_identity(policy, name))
        if not rows:
            raise UsageError2(f"no checks of {policy} recorded in {h.path}")
        click.echo(f"{'id':>5}  {'checked at':25} {'as of':10}  {'laws':16} {'score':>5}  sha256")
        for r in rows:
            click.echo(f"{r.id:>5}  {r.created_at:25} {r.as_of:10}  {','.join(r.laws):16} {r.score:5.1f}  "
                       f"{r.sha256[:12]}")


@cli.command("diff")
@click.argument("policy")
@click.option("--from", "from_id", type=int, default=None, help="Older check id (default: the one before --to).")
@click.option("--to", "to_id", type=int, default=None, help="Newer check id (default: the latest).")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@_history_opt
@_name_opt
def diff_cmd(policy: str, from_id: int | None, to_id: int | None, as_json: bool, history_path: Path | None,
             name: str | None) -> None:
    """Compare two checks of POLICY: gaps closed, new gaps, findings, text and checklist changes."""
    from gapcheck.history import compare, format_changes, policy_identity

    with _history(history_path) as h:
        ids = [r.id for r in h.checks(policy_identity(policy, name))]
        if to_id is None:
            to_id = ids[-1] if ids else None
        if from_id is None and to_id in ids:
            i = ids.index(to_id)
            from_id = ids[i - 1] if i > 0 else None
        if to_id is None or from_id is None:
            raise UsageError2(f"need two recorded checks of {policy} to compare ({len(ids)} found in {h.path})")
        try:
            ch = compare(h.load(from_id), h.load(to_id))
        except GapcheckError as e:
            raise _fail(e) from None
    click.echo(json.dumps(ch.to_dict(), indent=2) if as_json else format_changes(ch))


@cli.command("recheck")
@click.option("--config", "config", type=click.Path(path_type=Path), default=Path("gapcheck.yaml"),
              show_default=True, help="Portfolio file listing clients, sources, laws and cadence.")
@click.option("--force", is_flag=True, help="Run every entry, due or not.")
@click.option("--fail-on", "fail_on", type=click.Choice(["new-gaps", "never"]), default="never", show_default=True,
              help="Exit 3 when a re-check found a new gap (for cron or CI alerts).")
def recheck_cmd(config: Path, force: bool, fail_on: str) -> None:
    """Re-check the portfolio entries that are due or whose policy or checklist changed."""
    from gapcheck import portfolio

    try:
        pf = portfolio.load(config)
        outcomes = portfolio.recheck(pf, force=force)
    except GapcheckError as e:
        raise _fail(e) from None
    click.echo(portfolio.format_outcomes(outcomes))
    if any(o.error for o in outcomes):
        sys.exit(2)
    if fail_on == "new-gaps" and any(o.new_gaps for o in outcomes):
        sys.exit(3)


@cli.command("schedule")
@click.option("--config", "config", type=click.Path(path_type=Path), default=Path("gapcheck.yaml"),
              show_default=True)
@click.option("--every", default="daily", show_default=True, help="systemd OnCalendar value for the timer.")
def schedule_cmd(config: Path, every: str) -> None:
    """Print a crontab line and a systemd timer that run `gapcheck recheck` (it is safe to run often)."""
    import shutil

    from gapcheck import portfolio

    click.echo(portfolio.schedule_text(config, every, shutil.which("gapcheck") or "gapcheck"))


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM: unwinds like an exception, so a report being written is removed (never left
    half-written, the previous one survives) and an open history transaction is rolled back.
    Not a KeyboardInterrupt, which click would turn into "Aborted!" and exit code 1."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum: int, frame: object) -> None:
    import signal

    signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the clean-up
    raise Interrupted(signum)


def main() -> None:
    """Console entry point; internal errors exit 1 with one line, not a traceback."""
    import gc
    import signal

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _on_signal)
    from gapcheck import recache

    gc.disable()
    recache.install()  # compiled patterns from the last run: a third of a run's start-up otherwise
    # What start-up loaded (modules, the kept patterns) lives as long as the process: the collector
    # need not walk it again in every full collection
    gc.freeze()
    gc.enable()
    try:
        cli.main(standalone_mode=True)
    except (KeyboardInterrupt, Interrupted) as e:
        signum = getattr(e, "signum", signal.SIGINT)
        click.echo(f"gapcheck: interrupted ({signal.Signals(signum).name}); no report file or history record "
                   "was left half-written", err=True)
        sys.exit(128 + signum)
    except SystemExit:
        raise
    except GapcheckError as e:  # e.g. a broken lexicon file met while importing a stage: the user's error
        click.echo(f"gapcheck: error: {str(e).splitlines()[0] if str(e) else e.__class__.__name__}", err=True)
        sys.exit(2)
    except Exception as e:  # noqa: BLE001 - last-resort guard
        click.echo(f"gapcheck: internal error: {e.__class__.__name__}: {e}", err=True)
        sys.exit(1)
    finally:
        # The interpreter's last full collection at exit walks every object the command made (0.1-0.2 s
        # after a run) to find reference cycles, whose memory the system takes back a moment later
        # anyway. Exit handlers (the pattern caches are saved there) still run, and objects are still
        # freed as the modules are torn down.
        gc.freeze()


if __name__ == "__main__":
    main()
