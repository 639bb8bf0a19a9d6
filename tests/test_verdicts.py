"""Verdict classes from issue 8, on real-world-shaped text written for these tests."""

from __future__ import annotations

from gapcheck import pipeline


def _results(text: str, tmp_path, law: str, profile: dict | None = None) -> dict:
    p = tmp_path / "policy.txt"
    p.write_text(text, encoding="utf-8")
    return {r.requirement.id: r for r in pipeline.analyze(p, laws=[law], profile=profile).results}


# --------------------------------------------------------------------------- conditional rows the text settles

TRACKING = """\
Cookies and similar technologies
We and our advertising partners use cookies and pixels to show you interest-based ads on other
websites and to measure how our campaigns perform.
"""


def test_text_showing_cross_site_tracking_makes_missing_dnt_a_gap(tmp_path):
    r = _results(TRACKING, tmp_path, "ccpa")["caloppa-dnt"]
    assert r.status == "missing"
    assert "The policy shows that this applies (line 2" in r.rationale


def test_without_tracking_dnt_stays_a_question(tmp_path):
    text = "Cookies\nWe use a session cookie to keep you signed in.\n"
    assert _results(text, tmp_path, "ccpa")["caloppa-dnt"].status == "review"


def test_profile_still_wins_over_the_text(tmp_path):
    r = _results(TRACKING, tmp_path, "ccpa", {"tracks_across_sites": False})["caloppa-dnt"]
    assert r.status == "not_applicable"


# --------------------------------------------------------------------------- no tuning to the samples

#: Companies, products and people named in the labelled policies (tests/fixtures and ../shared).
SAMPLE_NAMES = ("Affintrix", "Informetric", "Infinext", "Clicen", "Softpire", "Ecosia", "Electric Ireland",
                "ESB", "Taxify", "Bolt", "Abelssoft", "Ascora", "Lowe", "GitHub", "Mozilla", "Firefox",
                "Disqus", "Big Head Labs", "Mailchimp", "Rocket Science", "Bing", "HockeyApp", "Workable",
                "Typeform", "JAMS", "SafeBrowsing")


def test_no_sample_names_in_checklist_patterns():
    import re

    import yaml

    from gapcheck.checklists import packaged_dir

    def patterns(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("examples", "notes", "rationale", "recommendation", "title", "description", "name"):
                    continue
                yield from patterns(v)
        elif isinstance(node, list):
            for x in node:
                yield from patterns(x)
        elif isinstance(node, str):
            yield node

    for path in packaged_dir().glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in data["items"]:
            for pat in patterns(item):
                for name in SAMPLE_NAMES:
                    found = re.search(rf"\b{re.escape(name)}\b", pat)
                    assert not found, f"{path.name} {item['id']}: {name!r} in {pat[:80]}"
