"""Real web pages: ASP.NET forms, cookie dialogs before the policy, tables, and pages of several MB.

The pages are shaped like the ones that failed in issue 8: a whole body inside one <form>, a
OneTrust dialog first in the DOM, a 2-3 MB page whose text is a small share of its markup.
"""

from __future__ import annotations

import html
import json
import subprocess
import sys
import time

import pytest

from gapcheck import ingest, pipeline
from gapcheck.errors import InputError
from gapcheck.readers import html as html_reader

from .conftest import FIXTURES

POLICY = FIXTURES / "policies" / "lowes.com.txt"

BANNER = ('<div id="cookie-banner" class="cookie-notice"><p>We use cookies to improve your experience. By '
          'continuing to browse you accept our use of cookies.</p><a href="#" class="btn">Accept all cookies</a>'
          ' <a href="#">Manage preferences</a></div>')

ONETRUST = ('<div id="onetrust-consent-sdk"><div class="onetrust-pc-dark-filter"></div>'
            '<div id="onetrust-banner-sdk" class="otFlat" role="dialog" aria-label="Cookie banner">'
            '<div id="onetrust-policy"><h2 id="onetrust-policy-title">Your privacy choices</h2>'
            '<p id="onetrust-policy-text">ONETRUST-TEXT We and our partners store and access information on your '
            'device, such as cookies, and process personal data for personalised ads and content, ad and content '
            'measurement, audience insights and product development.</p></div>'
            '<button id="onetrust-accept-btn-handler">Accept All Cookies</button>'
            '<button id="onetrust-reject-all-handler">Reject All</button></div></div>')

LEGAL_BASES = """<table class="table"><thead><tr><th>Purpose</th><th>Data</th><th>Legal basis</th></tr></thead>
<tbody><tr><td>Processing your orders</td><td>Name, address, payment details</td><td>Performance of a contract</td></tr>
<tr><td>Marketing e-mails</td><td>E-mail address</td><td>Consent</td></tr>
<tr><td>Fraud prevention</td><td>IP address, device identifiers</td><td>Legitimate interests</td></tr>
</tbody></table>"""
ROWS = ["| Purpose | Data | Legal basis |",
        "| Processing your orders | Name, address, payment details | Performance of a contract |",
        "| Marketing e-mails | E-mail address | Consent |",
        "| Fraud prevention | IP address, device identifiers | Legitimate interests |"]

POLICY_BODY = """<h1>Privacy Policy</h1>
<p>Last updated: March 3, 2026</p>
<p>Acme Outdoor Supply, Inc. ("Acme", "we", "us") respects your privacy. This Privacy Policy explains how we
collect, use and disclose personal information when you visit our stores or use acme-outdoor.example.</p>
<h2>Information We Collect</h2>
<p>We collect personal information you give us, such as your name, postal address, e-mail address, telephone
number and payment card details when you place an order or create an account.</p>
<p>We also collect information automatically, including your IP address, browser type, device identifiers and the
pages you visit, through cookies and similar technologies.</p>
<h2>How We Use Your Information</h2>
<p>We use personal information to process and deliver your orders, to provide customer service, to send you
marketing communications where permitted, to prevent fraud and to comply with our legal obligations.</p>
<h2>Legal Bases for Processing</h2>
LEGAL-BASES-TABLE
<h2>How We Share Your Information</h2>
<p>We share personal information with service providers who process it on our behalf, such as payment processors
and delivery companies. We do not sell your personal information and we do not share it for cross-context
behavioral advertising.</p>
<h2>California Residents</h2>
<p>If you are a California resident, the California Consumer Privacy Act (CCPA) gives you the following rights
regarding your personal information:</p>
<ul>
<li>The right to know what personal information we have collected about you, including the categories of sources
and the purposes for which we use it.</li>
<li>The right to delete personal information that we have collected from you, subject to certain exceptions.</li>
<li>The right to correct inaccurate personal information that we maintain about you.</li>
<li>The right to opt out of the sale or sharing of your personal information.</li>
<li>The right to limit the use and disclosure of sensitive personal information.</li>
<li>The right not to be discriminated against for exercising any of your privacy rights.</li>
</ul>
<p>To exercise your rights, call us toll-free at 1-800-555-0199 or e-mail privacy@acme-outdoor.example. We will
verify your identity before responding to your request. You may use an authorized agent to submit a request on
your behalf.</p>
<h2>Data Retention</h2>
<p>We keep order records for seven years to meet our tax obligations and delete account data within 90 days after
you close your account.</p>
<h2>Contact Us</h2>
<p>If you have questions about this Privacy Policy, contact our Privacy Office at privacy@acme-outdoor.example or
write to Acme Outdoor Supply, Inc., 100 Trail Road, Sacramento, CA 95814.</p>
""".replace("LEGAL-BASES-TABLE", LEGAL_BASES)

ASPNET_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Privacy Policy | Acme Outdoor Supply</title>
<link rel="stylesheet" href="/Content/site.css"><script src="/Scripts/jquery.js"></script>
<script>var _gaq = _gaq || []; _gaq.push(['_setAccount', 'UA-1234']);</script></head>
<body class="policy-page">
<form method="post" action="./privacy.aspx" id="aspnetForm">
<div class="aspNetHidden"><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1MmRk" />
</div>
<header id="ctl00_Header"><div class="logo"><a href="/">Acme Outdoor Supply</a></div>
<nav class="main-nav"><ul><li><a href="/shop">Shop Camping Gear</a></li><li><a href="/stores">Store Locator</a></li>
<li><a href="/account">My Account</a></li></ul></nav>
<div class="search"><input type="text" name="q" placeholder="Search products"><button type="submit">Search</button>
</div></header>
{BANNER}
<div id="ctl00_MainContent" class="content-wrapper"><div class="row"><div class="col-md-9">
{POLICY_BODY}
</div>
<div class="col-md-3 sidebar"><h3>Related links</h3><ul><li><a href="/terms">Terms of Use</a></li>
<li><a href="/accessibility">Accessibility</a></li></ul></div>
</div></div>
<footer><p>&copy; 2026 Acme Outdoor Supply, Inc. All rights reserved.</p></footer>
<script type="text/javascript">Sys.Application.initialize();</script>
</form>
</body></html>"""


def _ccpa(doc) -> dict[str, str]:
    rep = pipeline.analyze_document(doc, pipeline.resolve_laws(["ccpa"]))
    return {r.requirement.id: r.status.value for r in rep.results}


RIGHTS = ("ccpa-right-know", "ccpa-right-delete", "ccpa-right-correct", "ccpa-right-opt-out", "ccpa-right-limit",
          "ccpa-non-discrimination")


# =========================================================================== ASP.NET: the whole page in a <form>

def test_aspnet_page_inside_a_form_keeps_the_policy_and_drops_nav_and_banner():
    doc = ingest.from_bytes(ASPNET_PAGE.encode(), "privacy.aspx.html", ".html")
    lines = doc.lines
    assert doc.fmt == "html"
    for heading in ("# Privacy Policy", "## Information We Collect", "## California Residents", "## Contact Us"):
        assert heading in lines, heading  # a heading is its own line, so the segmenter sees it
    assert "- The right to delete personal information that we have collected from you, subject to certain " \
           "exceptions." in lines
    assert any("We do not sell your personal information" in ln for ln in lines)
    assert any(ln.startswith("To exercise your rights, call us toll-free at 1-800-555-0199") for ln in lines)
    for junk in ("Shop Camping Gear", "Store Locator", "We use cookies to improve", "Accept all cookies",
                 "Manage preferences", "Search products", "__VIEWSTATE", "_gaq", "Sys.Application", "All rights"):
        assert junk not in doc.text, junk
    assert doc.title == "Privacy Policy" and str(doc.last_updated) == "2026-03-03"


def test_aspnet_page_analysis_finds_the_ccpa_rights(tmp_path):
    page = tmp_path / "privacy.html"
    page.write_text(ASPNET_PAGE, encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "gapcheck", "run", str(page), "--law", "ccpa", "--format", "json",
                        "--output", "-", "--no-history"], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    got = {r["id"]: r["status"] for r in json.loads(p.stdout)["requirements"]}
    for rid in RIGHTS + ("ccpa-request-methods", "ccpa-verification", "ccpa-authorized-agent"):
        assert got[rid] in ("met", "partial"), (rid, got[rid])


def test_old_extractor_failure_is_fixed_form_wrapped_policy_is_not_empty():
    """The form's text is kept by both extractions: trafilatura gets the form unwrapped."""
    page = "<html><body><form id='aspnetForm'><div>" + POLICY_BODY + "</div></form></body></html>"
    assert html_reader._main_blocks(page)  # trafilatura found content inside the form
    text = html_reader.html_to_text(page)
    assert "## California Residents" in text.splitlines()
    assert "We keep order records for seven years" in text


# =========================================================================== consent dialogs

@pytest.mark.parametrize("wrap", [pytest.param(("<main><article>", "</article></main>"), id="article-main-content"),
                                  pytest.param(("<div class='c'>", "</div>"), id="div-soup-visible-text")])
def test_onetrust_dialog_before_the_policy_is_left_out(wrap):
    page = ("<!DOCTYPE html><html><head><title>Privacy</title></head><body>" + ONETRUST
            + wrap[0] + POLICY_BODY + wrap[1] + "</body></html>")
    doc = ingest.from_bytes(page.encode(), "p.html", ".html")
    assert "ONETRUST-TEXT" not in doc.text and "Your privacy choices" not in doc.text
    assert "Accept All Cookies" not in doc.text
    assert "# Privacy Policy" in doc.lines and "## California Residents" in doc.lines
    assert all(_ccpa(doc)[rid] in ("met", "partial") for rid in RIGHTS)


def test_cookie_dialog_by_role_and_text_is_left_out_but_a_cookie_section_is_kept():
    dialog = ('<div class="modal" role="dialog" aria-modal="true"><p>DIALOG-TEXT This site uses cookies for '
              'analytics.</p><a href="#">OK</a></div>')
    section = ('<section id="cookies" class="policy-section"><h2>Cookies</h2><p>We use cookies and similar '
               'technologies to remember your preferences and to measure traffic.</p></section>')
    page = "<html><body>" + dialog + "<div>" + POLICY_BODY + section + "</div></body></html>"
    text = html_reader.html_to_text(page)
    assert "DIALOG-TEXT" not in text
    assert "## Cookies" in text.splitlines() and "remember your preferences" in text


def test_consent_predicate():
    assert html_reader._consent_rule({"id": "onetrust-banner-sdk"}) == "vendor"
    assert html_reader._consent_rule({"id": "CybotCookiebotDialog"}) == "vendor"
    assert html_reader._consent_rule({"class": "cookie-notice js-cookie"}) == "banner"
    assert html_reader._consent_rule({"aria-label": "Cookie consent"}) == "banner"
    assert html_reader._consent_rule({"role": "alertdialog"}) == "dialog"
    for content in ({"id": "cookies"}, {"class": "cookie-policy"}, {"id": "consent"}, {"class": "gdpr-rights"},
                    {"id": "cookie-settings"}, {"id": "iubenda_policy", "class": "iubenda_fluid_policy"},
                    {"id": "cmplz-document", "class": "cmplz-document cmplz-cookie-statement"},
                    {"id": "CookieDeclaration"}, {"class": "cookie-notice-privacy"}):
        assert html_reader._consent_rule(content) is None, content


def test_a_policy_hosted_by_a_consent_vendor_is_kept():
    """iubenda, Complianz and OneTrust also publish the policy itself, under their own names."""
    page = ('<html><body><div id="iubenda-cs-banner"><p>BANNER-TEXT We use cookies.</p></div>'
            '<div id="iubenda_policy" class="iubenda_fluid_policy"><div id="wbars">' + POLICY_BODY
            + '</div></div></body></html>')
    lines = html_reader.html_to_text(page).splitlines()
    assert "## California Residents" in lines and not any("BANNER-TEXT" in ln for ln in lines)


# =========================================================================== tables

@pytest.mark.parametrize("wrap", [
    pytest.param(lambda b: "<html><body><div class='x'>" + b + "</div></body></html>", id="div-soup"),
    pytest.param(lambda b: "<html><body><main><article>" + b + "</article></main></body></html>", id="article"),
])
def test_legal_bases_table_reads_one_row_per_line(wrap):
    doc = ingest.from_bytes(wrap(POLICY_BODY).encode(), "p.html", ".html")
    i = doc.lines.index(ROWS[0])
    assert list(doc.lines[i:i + 4]) == ROWS


def test_list_items_holding_paragraphs_keep_their_bullet():
    page = ("<html><body><div><p>You have the right to:</p><ul><li><p><strong>Access.</strong> Ask for a copy of "
            "your data.</p></li><li><p>Deletion. Ask us to erase it.</p></li></ul></div></body></html>")
    lines = html_reader.html_to_text(page).splitlines()
    assert "- Access. Ask for a copy of your data." in lines and "- Deletion. Ask us to erase it." in lines


def test_layout_table_cells_with_paragraphs_are_not_rows():
    page = ("<html><body><table><tr><td>Logo</td><td><p>We collect your name.</p><p>We keep it for 30 days.</p>"
            "</td></tr></table></body></html>")
    lines = html_reader.html_to_text(page).splitlines()
    assert "We collect your name." in lines and "We keep it for 30 days." in lines


# =========================================================================== size limits

def _big_page(copies: int = 4, pad: int = 3_000_000) -> str:
    """A real policy (lowes.com) repeated `copies` times inside a page of inline styles, scripts and
    JSON state, like a saved page of a modern site: about `pad` bytes of markup around the text."""
    paras = [" ".join(p.split()) for p in POLICY.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    style = ("font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
             "margin:0 0 16px 0;line-height:1.5;color:#1a1a1a;")
    body: list[str] = []
    for c in range(copies):
        body.append(f'<section class="policy-copy-{c}"><h2 style="{style}">Part {c + 1}</h2>')
        for p in paras:
            body.append(f'<div class="css-1x2y3z"><div class="css-4a5b6c" style="{style}">'
                        f'<p class="css-p" style="{style}">{html.escape(p)}</p></div></div>')
        body.append("</section>")
    page = "".join(body)
    state = json.dumps({"props": {"items": [{"sku": i, "name": f"Product {i}", "price": i * 1.5,
                                              "tags": ["a", "b", "c"]} for i in range(200)]}})
    scripts: list[str] = []
    size = len(page)
    while size < pad:
        chunk = f'<script type="application/json" id="s{len(scripts)}">{state}</script>' \
                f'<style>.c{len(scripts)}{{{style * 20}}}</style>'
        scripts.append(chunk)
        size += len(chunk)
    return ("<!DOCTYPE html><html><head><title>Privacy</title>" + "".join(scripts[: len(scripts) // 2])
            + "</head><body><div id='__next'><main>" + page + "</main></div>" + "".join(scripts[len(scripts) // 2:])
            + "</body></html>")


@pytest.fixture(scope="module")
def big_page(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "privacy.html"
    path.write_text(_big_page(), encoding="utf-8")
    return path


def test_three_megabyte_page_is_accepted_under_the_default_limit(big_page):
    size = big_page.stat().st_size
    assert size > 3_000_000 > ingest.MAX_BYTES_DEFAULT
    t = time.monotonic()
    doc = ingest.load(big_page)
    took = time.monotonic() - t
    text_bytes = len(doc.text.encode())
    assert 120_000 < text_bytes < ingest.MAX_BYTES_DEFAULT
    assert sum(1 for ln in doc.lines if ln.startswith("## Part ")) == 4
    assert "application/json" not in doc.text and "font-family" not in doc.text
    assert took < 60, took


def test_page_whose_text_is_over_the_limit_is_one_line_exit_2(tmp_path):
    path = tmp_path / "privacy.html"
    path.write_text(_big_page(copies=4, pad=300_000), encoding="utf-8")
    assert path.stat().st_size < 10 * 100_000  # the raw page is within ten times the limit ...
    p = subprocess.run([sys.executable, "-m", "gapcheck", "run", str(path), "--max-bytes", "100000", "--output", "-",
                        "--no-history"], capture_output=True, text=True, timeout=300)
    assert p.returncode == 2, p.stderr
    err = p.stderr.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err  # ... its text is not
    assert "page's text is" in err and "over the 100,000-byte limit" in err and "--max-bytes" in err
    assert p.stdout == ""


def test_raw_page_over_ten_times_the_limit_is_refused_before_parsing(big_page, monkeypatch):
    def never(*a, **kw):
        raise AssertionError("the page must not be parsed")

    monkeypatch.setattr(ingest, "html_to_text", never)
    t = time.monotonic()
    with pytest.raises(InputError, match="over the 2,000,000-byte limit for a web page") as ei:
        ingest.load(big_page, max_bytes=200_000)
    assert "\n" not in str(ei.value) and "--max-bytes" in str(ei.value)
    assert time.monotonic() - t < 2
    with pytest.raises(InputError, match="over the 2,000,000-byte limit for a web page"):
        ingest.from_bytes(big_page.read_bytes(), "privacy.html", ".html", max_bytes=200_000)


def test_text_file_keeps_the_plain_limit(tmp_path):
    """Only a web page gets the tenfold allowance: a .txt of the same size is refused as before."""
    path = tmp_path / "policy.txt"
    path.write_text("We collect your name.\n" * 20_000, encoding="utf-8")
    with pytest.raises(InputError, match="over the 100,000-byte limit"):
        ingest.load(path, max_bytes=100_000)
    page = tmp_path / "saved-page.txt"  # a saved web page with the wrong name is still a web page
    page.write_text("<!DOCTYPE html><html><body>" + "<div style='color:red'></div>" * 5000
                    + "<p>We collect your name.</p></body></html>", encoding="utf-8")
    assert page.stat().st_size > 100_000
    assert ingest.load(page, max_bytes=100_000).fmt == "html"
    with pytest.raises(InputError, match="over the 1,000-byte limit"):  # bytes from a URL: the same rule
        ingest.from_bytes(b"%PDF-1.7\n" + b" " * 5000, "policy.pdf", ".pdf", max_bytes=1000)


# =========================================================================== same verdicts as the text

def test_html_and_text_of_the_same_policy_agree():
    paras = [" ".join(p.split()) for p in POLICY.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    page = "<html><body><div class='content'>" + "".join(f"<p>{html.escape(p)}</p>" for p in paras) \
           + "</div></body></html>"
    txt = "\n\n".join(paras) + "\n"
    a = _ccpa(ingest.from_bytes(page.encode(), "p.html", ".html"))
    b = _ccpa(ingest.from_text(txt))
    assert a == b


# =========================================================================== nothing fetched, nothing printed

def test_reading_a_page_full_of_urls_opens_no_socket(monkeypatch):
    """trafilatura gets a parsed tree and no URL: extraction connects nowhere, whatever the page names."""
    import socket

    def refuse(*a, **kw):
        raise AssertionError(f"a socket was opened: {a!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    u = "http://127.0.0.1:9"
    page = (f'<!DOCTYPE html><html><head><base href="{u}/"><link rel="canonical" href="{u}/c">'
            f'<meta http-equiv="refresh" content="0;url={u}/r"><link rel="stylesheet" href="{u}/a.css">'
            f'<script src="{u}/s.js"></script></head><body><main><article>{POLICY_BODY}'
            f'<img src="{u}/p.png"><iframe src="{u}/f"></iframe><object data="{u}/o"></object>'
            f'<a href="{u}/more">More</a></article></main></body></html>')
    doc = ingest.from_bytes(page.encode(), "p.html", ".html")
    assert "## California Residents" in doc.lines and "127.0.0.1" not in doc.text


def test_extraction_prints_nothing(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html><body><div>" + "<p>x</p>" * 3 + "</div><p>We collect your name.</p></body></html>")
    p = subprocess.run([sys.executable, "-m", "gapcheck", "text", str(page)], capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 0 and p.stderr == "", p.stderr
    assert "We collect your name." in p.stdout


# =========================================================================== boilerplate trimmed

TEASERS = "".join(f'<div class="teaser"><h3>Outdoor guide {i}: how to choose a tent for every season</h3>'
                  f'<div class="teaser-body">Our experts compare {i + 3} lightweight tents for backpacking, '
                  'car camping and winter trips, with tips on poles, fabrics and weight.</div>'
                  '<div class="more">Read more</div></div>' for i in range(12))
MEGA_MENU = '<div class="mega-menu">' + "".join(
    f'<div class="col"><div class="col-title">Department {i}</div>'
    + "".join(f'<div class="link">Category {i}.{j} gear and accessories</div>' for j in range(8)) + "</div>"
    for i in range(6)) + "</div>"


def test_div_soup_boilerplate_around_the_policy_is_trimmed_and_the_policy_kept():
    page = ("<html><body>" + MEGA_MENU + '<div class="page"><div class="content">' + POLICY_BODY
            + '</div><div class="recent">' + TEASERS + "</div></div></body></html>")
    visible = html_reader._visible_blocks(page)
    main = html_reader._main_blocks(page)
    share = html_reader._chars(main) / html_reader._chars(visible)
    assert html_reader.MAIN_SHARE <= share < html_reader.NEARLY_ALL, share  # substantial boilerplate
    lines = html_reader.html_to_text(page).splitlines()
    assert lines[0] == "# Privacy Policy" and lines[-1].startswith("If you have questions about this Privacy")
    assert "## California Residents" in lines and ROWS[1] in lines
    assert not any("Category 1.1" in ln or "Outdoor guide" in ln for ln in lines)


def test_a_page_whose_text_opens_with_navigation_rows_takes_its_title_from_the_title_element():
    page = ("<html><head><title>Privacy Policy | Shopfront</title></head><body><table><tr><td>| Home |</td>"
            "<td>Login</td></tr></table><p>" + "This privacy policy covers how Shopfront treats the personal "
            "information it collects when you use the site and its services. " * 2 + "</p></body></html>")
    doc = ingest.from_bytes(page.encode(), "p.html", ".html")
    assert doc.title == "Privacy Policy | Shopfront"


def test_markdown_front_matter_gives_the_title():
    doc = ingest.from_text("---\ntitle: Privacy policy\ndescription: x\n---\n\n# Privacy policy\n\nWe collect data.\n")
    assert doc.title == "Privacy policy"
    doc = ingest.from_text("---\nlayout: page\n---\n\n# Our privacy notice\n\nWe collect data.\n")
    assert doc.title == "Our privacy notice"


def test_the_notices_own_header_keeps_its_title_and_date_and_drops_the_site_header():
    """A page may put the notice's title and "Last updated" line in a <header> of its own, outside
    <article>/<main>: they are kept (without them the report says the notice has no date); the site's
    banner header, with its menu, is still dropped."""
    body = "".join(f"<p>We collect your name and e-mail address to run your account, paragraph {i}.</p>"
                   for i in range(6))
    page = ("<html><body><header class='site'><a href='/'>Home</a><a href='/login'>Sign in</a></header>"
            "<div class='container'><header class='policy-header'><h1>PRIVACY POLICY</h1>"
            "<p class='last-updated'>Last updated: January 2023</p></header>"
            "<nav><a href='#a'>User Acceptance</a><a href='#b'>Definitions</a></nav>"
            f"<section>{body}</section></div><footer><p>Careers</p><p>Press</p></footer></body></html>")
    lines = [ln for ln in html_reader.html_to_text(page).splitlines() if ln.strip()]
    assert lines[:2] == ["# PRIVACY POLICY", "Last updated: January 2023"], lines[:3]
    assert not any(w in " ".join(lines) for w in ("Sign in", "Careers", "User Acceptance"))
    doc = ingest.from_bytes(page.encode(), "p.html", ".html")
    assert doc.last_updated is not None and doc.last_updated.year == 2023


def test_page_inside_a_route_file_is_read_as_a_page(tmp_path):
    """A .md holding a web framework's route file that returns the policy page is read as the page:
    its headings scope the sections under them and no quote carries markup."""
    page = tmp_path / "route.md"
    page.write_text(
        "import { NextResponse } from 'next/server'\n\nexport async function GET() {\n"
        "  const html = `<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>Privacy</title></head>\n<body>\n"
        "<h2>Your Rights</h2>\n<ul><li>You can access your personal data in the app settings</li></ul>\n"
        "<h2>California Residents</h2>\n<p>California residents have the right to request correction of"
        " inaccurate personal information.</p>\n</body>\n</html>`\n  return new NextResponse(html)\n}\n",
        encoding="utf-8")
    doc = ingest.load(page)
    assert doc.fmt == "html"
    assert not any("<li>" in line or "<h2>" in line for line in doc.lines)
    assert "## California Residents" in doc.lines
    assert not any("NextResponse" in line or "`" in line for line in doc.lines)  # the code is not the policy


def test_markdown_that_mentions_a_tag_stays_markdown(tmp_path):
    """Naming a tag in prose is no page: without a body and a closing tag the file stays text."""
    md = tmp_path / "policy.md"
    md.write_text("# Privacy\n\nOur e-mails use the <html> format and may contain images.\n", encoding="utf-8")
    assert ingest.load(md).fmt == "markdown"


def test_server_template_code_in_a_page_is_kept_whole_and_flagged(tmp_path):
    """PHP left in a page's source ends at its first ">" when parsed; it is shown whole and named as a
    template variable instead of leaking its tail into the text."""
    page = tmp_path / "policy.html"
    page.write_text('<!DOCTYPE html><html><head><?= $this->element("title-meta", array("title" => "Acme")) ?>'
                    '</head><body><h1>Privacy Policy</h1><p>Last updated: 1 June 2026</p><p>We collect your name '
                    'and e-mail address to run your account.</p><p>Our partners: <?= $this->element("partners", '
                    'array("list" => "short")) ?></p></body></html>', encoding="utf-8")
    doc = ingest.load(page)
    code = '<?= $this->element("partners", array("list" => "short")) ?>'
    assert any(code in line for line in doc.lines)
    assert not any('"Acme"' in line or line.startswith('"short")') for line in doc.lines)
    report = pipeline.analyze(page, laws=["gdpr"])
    assert [f.quote for f in report.findings if f.id == "draft-unresolved-notes"] == [code]


_TAGGED_MD = """---
lastUpdated: false
---

<h1>Data privacy</h1>
<h2>Privacy notice</h2>
<p>We respect the privacy of our customers. These laws include, in particular:</p>
<ul>
<li>the European Union General Data Protection Regulation ("GDPR")</li>
<li>the UK General Data Protection Regulation ("UK GDPR")</li>
</ul>
<p>The party responsible for processing your personal data under this Privacy Notice is:</p>
<p>Acme GmbH<br>
Hauptstrasse 1<br>
1010 Wien<br>
Austria<br>
hello@acme.example</p>
<h3>Rights of Data Subjects</h3>
<h4>Right of Access</h4>
<p>You have the right to request at any time information about the personal data we store about you.</p>
<h4>Right to Rectification</h4>
<p>Should your data be inaccurate or incomplete, we will rectify it upon request.</p>
<h4>Right to Erasure</h4>
<p>You have the right to have the personal data processed by us deleted.</p>
"""


def test_markdown_written_in_html_block_tags_is_read_by_its_tags(tmp_path):
    """A docs site's page source saved as .md has no blank line and no '#' heading: read by its tags it is a
    title, headings and paragraphs, and each clause is still the file's own lines (quotes and line numbers
    are the file's)."""
    from gapcheck import segment

    f = tmp_path / "tagged.md"
    f.write_text(_TAGGED_MD, encoding="utf-8")
    doc = ingest.load(f)
    clauses = segment.segment(doc)
    assert len(clauses) > 10
    covered = {n for c in clauses for n in range(c.line_start, c.line_end + 1)}
    assert {i + 1 for i, ln in enumerate(doc.lines) if ln.strip()} <= covered
    for c in clauses:
        assert c.text == "\n".join(doc.lines[c.line_start - 1:c.line_end])
    rect = next(c for c in clauses if "rectify it upon request" in c.text)
    at = next(i + 1 for i, ln in enumerate(doc.lines) if "rectify it upon request" in ln)
    assert rect.heading_path[-1] == "Right to Rectification" and rect.line_start == rect.line_end == at
    assert next(c for c in clauses if "the UK General" in c.text).kind == "bullet"

    report = pipeline.analyze(f, laws=["gdpr"])
    status = {r.requirement.id: r for r in report.results}
    assert status["gdpr-right-rectification"].status == "met"
    quote = status["gdpr-right-rectification"].evidence[0]
    # the sentence, without the "<p>" and "</p>" around it, and on its own line
    assert quote.quote == "Should your data be inaccurate or incomplete, we will rectify it upon request."
    assert quote.quote in doc.lines[quote.line_start - 1]


def test_a_few_tags_in_an_ordinary_markdown_file_change_nothing():
    from gapcheck import segment

    lines = ("# Privacy", "", "<p>We collect your name.</p>", "", "We use it to send invoices.")
    assert segment._html_view(lines) is None
