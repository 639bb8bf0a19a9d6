"""The coverage table: one row per requirement, built with pandas (imported only here)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gapcheck.models import Report, Status

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ["law", "id", "title", "citation", "kind", "severity", "area", "status", "upcoming",
           "effective_from", "evidence_lines", "rationale", "recommendation"]
STATUS_ORDER = [s.value for s in (Status.MISSING, Status.PARTIAL, Status.REVIEW, Status.MET,
                                  Status.NOT_APPLICABLE)]


def coverage_rows(report: Report) -> list[dict[str, Any]]:
    """The coverage table as plain dicts: the PDF/HTML report uses these, so it need not import pandas
    (about half a second of every `gapcheck run`)."""
    rows = []
    for r in report.results:
        q = r.requirement
        rows.append({
            "law": q.law, "id": q.id, "title": q.title, "citation": q.citation,
            "kind": str(q.kind), "severity": str(q.severity), "area": q.area,
            "status": str(r.status), "upcoming": r.upcoming,
            "effective_from": q.effective_from.isoformat() if q.effective_from else "",
            "evidence_lines": ", ".join(str(n) for n in sorted({e.line_start for e in r.evidence})),
            "rationale": r.rationale, "recommendation": r.recommendation,
        })
    return rows


def coverage_table(report: Report) -> pd.DataFrame:
    """One row per requirement with its status and evidence line numbers."""
    import pandas as pd

    df = pd.DataFrame(coverage_rows(report), columns=COLUMNS)
    df["status"] = pd.Categorical(df["status"], categories=STATUS_ORDER)
    return df


def summary_by_law(report: Report) -> pd.DataFrame:
    """Counts per status and the severity-weighted score, one row per law."""
    import pandas as pd

    df = coverage_table(report)
    counts = (df.groupby(["law", "status"], observed=False).size().unstack(fill_value=0)
              .reindex(columns=STATUS_ORDER, fill_value=0))
    scores = pd.Series({lr.checklist.law: round(lr.score, 1) for lr in report.laws}, name="score")
    out = counts.join(scores)
    return out.reindex([lr.checklist.law for lr in report.laws])


def coverage_by_area(report: Report) -> pd.DataFrame:
    """Share of judged requirements met/partial per law and area (for the chart)."""
    df = coverage_table(report)
    judged = df[df["status"].isin(["met", "partial", "missing"])].copy()
    judged["value"] = judged["status"].map({"met": 1.0, "partial": 0.5, "missing": 0.0}).astype(float)
    return judged.groupby(["law", "area"], observed=True)["value"].agg(["mean", "count"]).reset_index()
