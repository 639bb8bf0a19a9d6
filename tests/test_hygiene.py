"""Drafting-defect detector: one positive and one negative case per finding id, plus the contract
(every quote is an exact substring of the lines it names) on every sample policy."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from gapcheck import annotate, hygiene, ingest, segment
from gapcheck.models import Finding, Severity

AS_OF = dt.date(2026, 11, 22)
ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
POLICY_DIRS = [SHARED / "policies", SHARED / "policies-extra", ROOT / "tests" / "fixtures" / "policies"]
DATED = "Privacy Policy\nLast updated: March 3, 2026\n\n"  # a fresh date keeps draft-stale-date quiet


def run(text: str, as_of: dt.date = AS_OF) -> tuple[Finding, ...]:
    doc = ingest.from_text(text)
    return hygiene.check(doc, annotate.annotate(segment.segment(doc)), as_of)


def ids(text: str, as_of: dt.date = AS_OF) -> list[str]:
    return [f.id for f in run(text, as_of)]


def of(text: str, fid: str) -> list[Finding]:
    return [f for f in run(text) if f.id == fid]


def assert_contract(text: str, findings: tuple[Finding, ...]) -> None:
    lines = text.splitlines()
    for f in findings:
        assert 1 <= f.line_start <= f.line_end <= len(lines), f
        assert f.quote and f.quote in "\n".join(lines[f.line_start - 1:f.line_end]), f
        assert f.message and f.message.endswith("."), f
        assert isinstance(f.severity, Severity)


# --------------------------------------------------------------------------- unresolved notes

@pytest.mark.parametrize("snippet,quote", [
    ("We notify you of any breach.[A1]", "[A1]"),
    ("Our reviewers checked this.[BJ1]", "[BJ1]"),
    ("We keep the data for as long as needed (include)", "(include)"),
    ("The retention period is TBD.", "TBD"),
    ("TODO: add the cookie table.", "TODO"),
    ("Call us on +91-XXXXX-XXXXX.", "XXXXX"),
    ("The controller is [Company Name], registered in India.", "[Company Name]"),
    ("Please write to insert company name at our office.", "insert company name"),
    ("Data are stored for 7 years [after the last journey].", "[after the last journey]"),
    ("We share data with our processors / our affiliates (delete as appropriate).", "(delete as appropriate)"),
    # a slot that describes what goes there, with its example address
    ("Please contact us at [Your Contact Email Address - e.g., steven@yourdomain.com].",
     "[Your Contact Email Address - e.g., steven@yourdomain.com]"),
])
def test_notes_positive(snippet: str, quote: str) -> None:
    found = of(DATED + snippet + "\n", "draft-unresolved-notes")
    assert any(quote in f.quote for f in found), found
    assert all(f.severity == Severity.HIGH and f.line_start == 4 for f in found)


def test_notes_comment_line_is_one_finding() -> None:
    text = DATED + "Body text.\n\n[A1]Please confirm\n"
    found = of(text, "draft-unresolved-notes")
    assert [(f.line_start, f.quote) for f in found] == [(6, "[A1]Please confirm")]


@pytest.mark.parametrize("snippet", [
    "See the study [1] and the [guidance](https://example.org/guide) for details.",
    "Our XXL T-shirts are sold in store.",
    "Article XX of the Convention and Chapter XXI apply; see section IV.",
    "Please confirm your e-mail address by clicking the link we send you after you register with us.",
    "Write to privacy(at)example.de or x [at] y [dot] de with any question.",
    "Our products include cameras (including lenses) and printers.",
    "Please choose one of the plans in your settings; you can select one at any time.",
    "Write to us at [privacy@example.org] with any question.",
])
def test_notes_negative(snippet: str) -> None:
    assert "draft-unresolved-notes" not in ids(DATED + snippet + "\n")


# --------------------------------------------------------------------------- template variables

@pytest.mark.parametrize("snippet,quote,fid", [
    ("Questions go to our {{ site.data.legal.privacy_team_email }} at any time.",
     "{{ site.data.legal.privacy_team_email }}", "draft-broken-contact"),
    ("You can reach the data protection officer via ${dpo_contact}.", "${dpo_contact}", "draft-broken-contact"),
    ("Requests may be sent to %(support_address)s by post.", "%(support_address)s", "draft-broken-contact"),
    ("Please write to us at {email} and we will answer.", "{email}", "draft-broken-contact"),
    ("Welcome to %{brand}s, the home of cloud photo albums.", "%{brand}s", "draft-unresolved-notes"),
    ("This notice is issued by {controller_name}, a company registered in Ireland.", "{controller_name}",
     "draft-unresolved-notes"),
    ("<<Business Name>> processes booking data as controller.", "<<Business Name>>", "draft-unresolved-notes"),
    ("The $COMPANY_NAME group shares data among its affiliates.", "$COMPANY_NAME", "draft-unresolved-notes"),
    ("Thanks for choosing {{siteName}} for your travel plans.", "{{siteName}}", "draft-unresolved-notes"),
    ("Prices are shown in {{ price | money: 'EUR' }} at checkout.", "{{ price | money: 'EUR' }}",
     "draft-unresolved-notes"),
    ("Our registered office is at [INSERT REGISTERED ADDRESS].", "INSERT REGISTERED ADDRESS",
     "draft-unresolved-notes"),
    # ERB / EJS; the reader's own address in a captured login dialog is no contact of the business
    ("Send your questions to <%= support_email %> and we will reply.", "<%= support_email %>", "draft-broken-contact"),
    ("Please enter the password for the account <% email %>", "<% email %>", "draft-unresolved-notes"),
    # a policy generator's slots, Markdown-escaped and listed in one pair of braces
    ("*   Email notifications delivery from [\\[{Notifications\\_Provider, Provider\\_City}\\]](https://example.com)",
     "{Notifications\\_Provider, Provider\\_City}", "draft-unresolved-notes"),
    # a template engine's directives left in the page: FreeMarker, a site generator's include (page furniture, not a
    # contact, whatever the included part is called)
    ('<#include "header.ftl"> <#assign m = messages>', '<#include "header.ftl">', "draft-unresolved-notes"),
    ("You can change your cookie settings: <? include cookie/settings-link ?>", "<? include cookie/settings-link ?>",
     "draft-unresolved-notes"),
    # a link the drafter meant to make
    ("You can learn more from the Digital Advertising Alliance [link to: http://www.aboutads.info/] and adapt "
     "your settings.", "[link to: http://www.aboutads.info/]", "draft-unresolved-notes"),
])
def test_template_variables(snippet: str, quote: str, fid: str) -> None:
    found = run(DATED + snippet + "\n")
    hits = [f for f in found if quote in f.quote]
    assert [f.id for f in hits] == [fid], found  # reported once, under the right id
    assert hits[0].line_start == 4


@pytest.mark.parametrize("snippet", [
    'An API response looks like `{"user": {"id": 42}}` and carries no personal data.',
    "Section headings carry anchors in the source {: #cookies .anchor }",
    "Sets are written {a, b, c} in the appendix; see note [2].",
    "Read the [cookie notice](https://example.com/cookies) and [our terms](/terms) first.",
    "Prices start at $5 per month; a 10% discount applies.",
    "We store settings such as {theme: dark} in your browser.",
    "Coordinates are given as {Latitude, Longitude} pairs in the export.",
    "Rank <#1> in our list is the most private browser.",
    '      breadcrumb={[{ label: "Home", href: "/" }, { label: "Privacy Policy" }]}',
])
def test_template_variable_traps(snippet: str) -> None:
    found = [f for f in run(DATED + snippet + "\n") if f.line_start == 4]
    assert found == [], found


def test_a_jsx_style_object_is_markup_not_a_template_variable() -> None:
    """A page's source left in ('<td style={{ padding: 10 }}>') is a conversion artefact, not a template."""
    found = run(DATED + '<td style={{ padding: 10 }}>Contact</td> <td style={{ width: "30%" }}>Name</td>\n')
    assert [f.id for f in found if f.line_start == 4] == ["draft-conversion-artifacts"], found


def test_template_variables_in_code_blocks_are_examples() -> None:
    text = DATED + "Our export looks like this:\n\n```\n{{ user.email }} ${account_id}\n```\n"
    assert [f for f in run(text) if f.line_start > 4] == []


# --------------------------------------------------------------------------- carried-over text

ZENTARO = ("Zentaro Privacy Policy\nLast updated: March 3, 2026\n\n"
           "Zentaro runs a photo app. Zentaro stores your photos in Ireland. Zentaro never sells them.\n\n"
           "Questions about Zentaro: privacy@zentaro.example\n\n")


@pytest.mark.parametrize("snippet,quote", [
    ("This Brightloop Privacy Statement explains how we use cookies.", "This Brightloop Privacy Statement"),
    ('Kelvora Ltd ("Kelvora", "we", "us") is the controller of your data.', 'Kelvora Ltd ("Kelvora", "we"'),
    ("Welcome to Harbex! We are glad you are here.", "Welcome to Harbex"),
])
def test_carried_over_name(snippet: str, quote: str) -> None:
    found = [f for f in run(ZENTARO + snippet + "\n") if f.id == "draft-unresolved-notes"]
    assert [(f.line_start, f.quote) for f in found] == [(8, quote)], found
    assert "Zentaro" in found[0].message


@pytest.mark.parametrize("snippet", [
    "This California Privacy Notice supplements the policy above.",
    "Google has its own rules; see the Google Privacy Policy for details.",
    'Zentaro Photos Ltd ("Zentaro", "we") is the controller.',
    "Welcome to Zentaro! We are glad you are here.",
    "Our Supplemental Privacy Notice covers job applicants.",
    "This Brightloop Privacy Statement covers our Brightloop widget. Brightloop is our new product line.",
    # a list of affiliates ending in a legal form, defined together as the notice's own name
    "Zentaro Health, for its affiliates Best Doctors, Inc. and Zentaro Physicians, P.A. (collectively referred to as "
    "“Zentaro”, “we”), runs this site.",
])
def test_carried_over_name_traps(snippet: str) -> None:
    assert "draft-unresolved-notes" not in ids(ZENTARO + snippet + "\n")


def test_a_name_in_capitals_in_the_title_is_the_notice_s_own() -> None:
    """A notice that writes its name in capitals ("# Privacy Notice | AEGEAN") speaks for that name, not for the
    most frequent capitalised word ("Flash" cookies): its "Welcome to AEGEAN's privacy notice" is its own."""
    text = ("# Privacy Notice | AEGEAN\n\nLast updated: March 3, 2026\n\n1.1 Welcome to AEGEAN\u2019s privacy notice. "
            "AEGEAN runs flights. AEGEAN is the controller.\n\n"
            + "We may use Flash cookies. A Flash cookie is a file. Flash settings manage them. Flash is by Adobe. "
              "Flash storage differs.\n")
    assert "draft-unresolved-notes" not in ids(text)


def test_carried_over_needs_a_clear_own_name() -> None:
    text = DATED + "This Brightloop Privacy Statement explains how we use cookies.\n"
    assert "draft-unresolved-notes" not in ids(text)


# --------------------------------------------------------------------------- broken contact

def test_cloudflare_residue_plain_and_nbsp() -> None:
    text = DATED + "Questions? Contact us at [email protected].\n\nOr by email: [email\u00a0protected]\n"
    found = of(text, "draft-broken-contact")
    assert [f.line_start for f in found] == [4, 6]
    assert "[email\u00a0protected]" in found[1].quote
    assert all(f.severity == Severity.HIGH for f in found)
    assert_contract(text, run(text))


def test_reference_to_missing_contact_section() -> None:
    text = DATED + ("You can send a request by mail to our address indicated in the HOW TO CONTACT US "
                    "segment.\n")
    assert [f.line_start for f in of(text, "draft-broken-contact")] == [4]
    with_section = text + "\nHow to Contact Us\n\nWrite to privacy@example.com.\n"
    assert of(with_section, "draft-broken-contact") == []


def test_reference_to_a_numbered_contact_section_with_a_run_in_label() -> None:
    """Sections that open with a bold run-in label ("**22. How to contact Kiva**. We take privacy ...") are
    sections too: a reference to "the contact information listed in Section 22" points at one."""
    ref = ("**14. Access**. Write to us by postal mail at the contact information listed in Section 22 (How to "
           "contact Acme) below.\n")
    assert [f.line_start for f in of(DATED + ref, "draft-broken-contact")] == [4]
    text = DATED + ref + "\n**22. How to contact Acme**. Send questions to privacy@example.com or to 1 Main St.\n"
    assert of(text, "draft-broken-contact") == []


@pytest.mark.parametrize("snippet,flagged", [
    ("Email address: DPO@prepaysolutions", True),
    ("Write to DPO@prepaysolutions. We answer within a month.", True),
    ("Write to dpo@prepaysolutions.com today.", False),
    ("Follow @acme on social media.", False),
    ("See https://example.com/user@host/path for details.", False),
])
def test_e_mail_address_without_a_domain_ending(snippet: str, flagged: bool) -> None:
    found = of(DATED + snippet + "\n", "draft-broken-contact")
    assert bool([f for f in found if "domain ending" in f.message]) is flagged, found


def test_contact_details_promised_below_but_missing() -> None:
    assert of(DATED + "Please mail the form using the contact data underneath.\n", "draft-broken-contact")
    ok = DATED + "Please contact us as indicated below.\n\nPrivacy Office\n\nprivacy@example.com\n"
    assert of(ok, "draft-broken-contact") == []


def test_no_contact_anywhere() -> None:
    text = DATED + ("We care about your data. How we handle it is described in our "
                    "[privacy policy](https://example.com/privacy/).\n\nThe app sends crash reports.\n")
    found = of(text, "draft-broken-contact")
    assert [f.line_start for f in found] == [4]
    assert "[privacy policy](https://example.com/privacy/)" in found[0].quote
    bare = DATED + "The app sends crash reports to improve stability.\n"
    assert [f.line_start for f in of(bare, "draft-broken-contact")] == [1]  # no pointer: cite the title
    # the sentence that asks the reader to get in touch shows the gap best; an archive's header is never cited
    asked = ("> *The following text is extracted and transformed from the example.com privacy policy that was "
             "archived on 2019-09-06. Please check the [original snapshot](https://web.archive.org/web/2019/"
             "https%3A//www.example.com/privacy) for the most accurate reproduction.*\n\n" + DATED +
             "We send offers.\n\nTo remove your data, please email Customer Service email address by country.\n")
    assert [f.line_start for f in of(asked, "draft-broken-contact")] == [8]


@pytest.mark.parametrize("snippet", [
    "Questions? Use our [contact form](https://example.com/help/new).",
    "Write to Example GmbH, Hauptstr. 5, 10115 Berlin.",
    "Call us on +44 20 7946 0000 with any question.",
    # a national number after its trunk "0", in groups
    "If you have questions about this Privacy Policy, contact us at 0860 60 50 40",
    "You can reach us at privacy@example.com.",
    "Details are in our [privacy policy](https://example.com/privacy); mail us via mailto:dpo@example.com.",
    # an address block with no number or postcode in it
    "Our registered address is :  \nCustomer Services  \nAcme Airport Office  \nBusiness Park  \nSwords  \nIreland",
])
def test_some_contact_is_enough(snippet: str) -> None:
    assert "draft-broken-contact" not in ids(DATED + snippet + "\n")


def test_no_contact_is_not_reported_twice() -> None:
    text = DATED + "Questions? Contact us at [email protected].\n"
    assert [f.line_start for f in of(text, "draft-broken-contact")] == [4]


@pytest.mark.parametrize("snippet", [
    "Contact our data protection officer at privacy(at)example.de.",
    "Datenschutzbeauftragter: datenschutz [at] example [dot] de",
    "Write to privacy@example.com or call +49 30 1234567.",
])
def test_deliberate_obfuscation_is_not_broken(snippet: str) -> None:
    assert "draft-broken-contact" not in ids(DATED + snippet + "\n")


# --------------------------------------------------------------------------- conversion artifacts

def conv(text: str) -> list[Finding]:
    return of(text, "draft-conversion-artifacts")


def test_corpus_header_and_title_line() -> None:
    text = ("> *The following text is extracted and transformed from the x.com privacy policy that was "
            "archived on 2019-05-27. Please check the [original snapshot](https://web.archive.org/x).*\n\n"
            "# X - Privacy\n\nWe collect your name.\n")
    found = run(text)
    assert ("draft-conversion-artifacts", 1) in [(f.id, f.line_start) for f in found]
    stale = [f for f in found if f.id == "draft-stale-date"]
    assert [(f.line_start, f.quote) for f in stale] == [(3, "X - Privacy")]  # the archive date is not a policy date


def test_tool_residue_and_run_together_words() -> None:
    text = DATED + ("TheCCPArequiresbusinessestoprovidenotice at collection.\n\n"
                    "Converted to HTML with WordToHTML.net\n")
    quotes = [f.quote for f in conv(text)]
    assert "TheCCPArequiresbusinessestoprovidenotice" in quotes
    assert any("WordToHTML" in q for q in quotes)


def test_jsx_space_residue() -> None:
    text = DATED + "We use Google Fonts, which is governed by {\" \"} Google's Privacy Policy.\n"
    assert [f.quote for f in conv(text)] == ['{" "}']


def test_lost_numbering() -> None:
    secs = "".join(f"  1.  Section {name}:\n\nText about {name}.\n\n" for name in
                   ("Collection", "Use", "Sharing", "Retention", "Rights"))
    text = DATED + secs + "2.6\u00a0A stray paragraph.\n"
    found = conv(text)
    assert len(found) == 2
    assert found[-1].quote == "2.6"
    ok = DATED + "".join(f"{n}. Section {n}:\n\nText.\n\n" for n in range(1, 6))
    assert conv(ok) == []


def test_markdown_auto_numbered_list_is_not_lost_numbering() -> None:
    """In Markdown source, "1." before every item with the item's text indented under it is one list that renders
    1, 2, 3 (auto-numbering); the same items with unindented text between them restart at 1 and are a defect."""
    names = ("Collection", "Use", "Sharing", "Retention", "Rights")
    body = "".join(f"1. **{n}**\n\n   Text about {n}.\n\n" for n in names)
    doc = ingest.from_text("# Privacy Policy\n\nLast updated: March 3, 2026\n\n" + body, fmt="markdown")
    assert [f for f in hygiene.check(doc, annotate.annotate(segment.segment(doc)), AS_OF)
            if "numbered" in f.message] == []
    broken = "".join(f"1. **{n}**\n\nText about {n}.\n\n" for n in names)
    doc = ingest.from_text("# Privacy Policy\n\nLast updated: March 3, 2026\n\n" + broken, fmt="markdown")
    assert [f for f in hygiene.check(doc, annotate.annotate(segment.segment(doc)), AS_OF) if "numbered" in f.message]


def test_link_residue_slug_and_click_here() -> None:
    text = DATED + ("Please review our Cookie Policy\u00a0cookie-policy\u00a0to learn more.\n\n"
                    "You can adjust your cookie preference by clicking here.\n")
    assert [f.line_start for f in conv(text)] == [4, 6]
    ok = DATED + ("You can opt-out at any time; [click here](https://example.com/optout) to change "
                  "your cookie-policy settings.\n")
    assert conv(ok) == []
    with_address = DATED + "To understand more about cookies, click here [https://www.aboutcookies.org](https://www.aboutcookies.org/).\n"
    assert conv(with_address) == []


def test_other_residue() -> None:
    merged = DATED + ("You have these rights:\n\n  * Right to information\n  * Right to correction\n"
                      "  * Right to object Right to data portability\n")
    assert [f.line_start for f in conv(merged)] == [8]
    dup = DATED + ("Sentence about data usage and your right of objection.\n\nBody.\n\n"
                   "Sentence about data usage and your right of objection.\n")
    assert [f.line_start for f in conv(dup)] == [4]
    ui = DATED + "Select country where you use the service:\n\nWe collect data.\n"
    assert [f.line_start for f in conv(ui)] == [4]
    zw = DATED + "Use the unsubscribe link in \u200beach newsletter.\n"
    assert [f.line_start for f in conv(zw)] == [4]
    lost = DATED + ("## a. Ads\n\nFor further information on the providers we commission, go to:\n\n"
                    "## b. Push notifications\n\nText.\n")
    assert [f.line_start for f in conv(lost)] == [6]


@pytest.mark.parametrize("snippet,quote", [
    ("Google offers a [browser add-on to opt out] (https://tools.example.com/optout) of tracking.",
     "[browser add-on to opt out] (https://tools.example.com/optout)"),
    ("More about cookies is in our [cookie notice](https://example.com/cookies", "[cookie notice](https://"),
    ("We collect your name and address.<br>We use them to ship orders.", "<br>"),
    ('<p class="MsoNormal">We keep invoices for ten years.</p>', '<p class="MsoNormal">'),
    ("You may object at any time.&nbsp;Write to us.", "&nbsp;"),
    ("Contact our office.</div>", "</div>"),
])
def test_markup_and_broken_links(snippet: str, quote: str) -> None:
    found = conv(DATED + snippet + "\n")
    assert [f.line_start for f in found] == [4], found
    assert quote in found[0].quote, found


MD = DATED + "See our [terms](https://example.com/terms), [cookies](/cookies) and [FAQ](#faq).\n\n"


@pytest.mark.parametrize("snippet", [
    "Opt out in the [settings](https://example.com/settings) or [here]( https://example.com/optout ).",
    "Items are numbered [1] to [3]; a [reference link][privacy] works too.\n\n[privacy]: https://example.com/p",
    "The home page (&lt;about:home&gt;) shows tips.",
    "Line one<br>line two in a table cell.",
    "| Purpose | Data |\n| --- | --- |\n| Billing | * Name<br/>* Card number <br>* Address |",
    "Water is H<sub>2</sub>O; the <strong>Controller</strong> is named below<sup>1</sup>.",
    "If a < b and c > d the rule applies.",
])
def test_markdown_source_markup_is_not_residue(snippet: str) -> None:
    assert conv(MD + snippet + "\n") == []


@pytest.mark.parametrize("snippet,quote", [
    ("<section class='top-section'>\n\nWe collect your name.\n\n</section>", "<section class='top-section'>"),
    ("<h1 style='text-align: center;'>PRIVACY POLICY</h1>", "<h1 style='text-align: center;'>"),
    ('<header class="modern-header">\n  <div class="container">\n    <h1>Privacy Policy</h1>',
     '<header class="modern-header">'),
    ("<div>\nWe keep invoices for ten years.\n</div>", "<div>"),
])
def test_page_structure_in_markdown_source_is_residue(snippet: str, quote: str) -> None:
    found = conv(MD + snippet + "\n")
    assert len(found) == 1, found  # one finding for the page's code, however many lines carry it
    assert found[0].line_start == 6 and quote in found[0].quote, found
    assert found[0].line_end >= found[0].line_start


def test_escaped_markup_in_markdown_source_is_residue() -> None:
    found = conv(MD + "We keep logs &lt;p&gt;for 30 days&lt;/p&gt; and then delete them.\n")
    assert [f.line_start for f in found] == [6]


def test_front_matter_is_source_format() -> None:
    text = ("---\ntitle: Example Privacy Statement\nredirect_from:\n  - /privacy/\n---\n\n"
            "Effective date: March 3, 2026\n\nWe collect your e-mail address to run your account. "
            "Questions: privacy@example.com\n")
    assert run(text) == ()
    undated = text.replace("Effective date: March 3, 2026", "Our commitment")
    assert [(f.id, f.line_start) for f in run(undated)] == [("draft-stale-date", 7)]  # the title is after it


def test_plain_text_has_no_conversion_artifacts() -> None:
    text = DATED + ("We collect your name, e-mail address and order history. We use them to deliver "
                    "your order, and we keep invoices for 10 years.\n\n"
                    "You may opt out of marketing at any time.\n")
    assert conv(text) == []


def test_template_slots_in_escaped_brackets_and_blank_fill_ins_are_unresolved_notes() -> None:
    slot = DATED + "We may process \\[data about your use of our website and services\\] (usage data).\n"
    assert [f.line_start for f in of(slot, "draft-unresolved-notes")] == [4]
    blank = DATED + "Chief Manager, Head Office, Kolkata - 700071, 033-22815483,__________\n"
    assert [f.line_start for f in of(blank, "draft-unresolved-notes")] == [4]
    # an illustration of a record ("e.g., \\[username\\] deleted \\[title of post\\]") is no open slot,
    # nor a Markdown rule or a Cloudflare-hidden address
    example = DATED + ("We log who did what (e.g., \\[username\\] deleted \u201c\\[title of post\\]\u201d at "
                       "\\[time/date\\]).\n")
    assert "draft-unresolved-notes" not in ids(example)
    assert "draft-unresolved-notes" not in ids(DATED + "We collect data.\n\n__________\n")
    hidden = DATED + "Email: [\\[email protected\\]](https://example.com/cdn-cgi/l/email-protection)\n"
    assert "draft-unresolved-notes" not in ids(hidden)


def test_a_phone_number_cut_off_after_its_area_code_is_a_broken_contact() -> None:
    found = of(DATED + "Acme e.V.\n    Telefon: 06201/\n    E-Mail: info@acme.example\n", "draft-broken-contact")
    assert [(f.line_start, f.quote) for f in found] == [(5, "Telefon: 06201/")]
    assert of(DATED + "Telefon: 06201/12345\nPhone: +44 20 7946 0000\n", "draft-broken-contact") == []


def test_deemed_consent_reads_across_a_web_address_in_the_sentence() -> None:
    text = DATED + ("By visiting [www.example.net](http://www.example.net/) and all sub-domains you are accepting and "
                    "consenting to the practices described in this statement.\n")
    assert [f.line_start for f in of(text, "draft-consent-by-use")] == [4]


def test_a_word_run_into_a_web_address_is_conversion_residue() -> None:
    glued = conv(DATED + "Verify our representative at GDPRhttps://example.com/verify/1 .\n")
    assert [f.line_start for f in glued] == [4]
    assert conv(DATED + "See https://example.com, [our page](https://example.com/p) or <https://example.com>.\n") == []


def test_a_closing_tag_whose_element_never_opens_is_conversion_residue_in_markdown() -> None:
    stray = conv(MD + "We log:\n\n- the IP address, and\n- the browser and browser version in use, and</li>\n")
    assert [f.line_start for f in stray] == [9], stray
    # HTML that Markdown holds whole is formatting, not residue
    assert conv(MD + "We log:\n\n<ul><li>the IP address</li>\n<li>the time</li></ul>\n") == []


def test_an_empty_contact_block_is_an_unresolved_template_but_a_readers_form_is_not() -> None:
    block = DATED + "## 10. Contact Details\n\nName:\n\nAddress:\n\nPhone Number:\n\nE-mail:\n\nDate:\n"
    found = of(block, "draft-unresolved-notes")
    assert [(f.line_start, f.quote) for f in found] == [(6, "Name:")]
    assert "Phone Number:" in found[0].message
    form = DATED + "Please use this request form:\n\nName:\n\nAddress:\n\nSignature:\n"
    assert of(form, "draft-unresolved-notes") == []
    filled = DATED + "## Contact\n\nName: Acme Ltd\n\nAddress: 1 Main St\n\nE-mail: privacy@acme.example\n"
    assert of(filled, "draft-unresolved-notes") == []


# --------------------------------------------------------------------------- vague retention

def test_vague_retention_flagged() -> None:
    text = DATED + ("We retain your personal data for as long as it is necessary to fulfil the purposes "
                    "for which it was collected. After this period, we delete it.\n")
    found = of(text, "draft-vague-retention")
    assert [f.line_start for f in found] == [4]
    assert found[0].quote.startswith("We retain your personal data for as long as it is necessary")


@pytest.mark.parametrize("snippet", [
    "We keep your data as long as necessary, and in any case no longer than 24 months after your last order.",
    "Your e-mail address is stored as long as you have an active account.",
    "You may ask us to delete your data, as long as they are no longer required for the contract.",
    "Invoices are kept for ten years as required by commercial law (§ 257 HGB).",
    # a cookie kept on the reader's device is not data the business keeps
    "Cookies are either stored temporarily for the duration of a session or they are permanently archived on your "
    "device (permanent cookies).",
    # the rule announces the periods that follow it
    "We retain your data only for as long as necessary:\n\n**Account Data:** Until account deletion\n"
    "**Payment Data:** 7 years for tax obligations",
])
def test_vague_retention_not_flagged(snippet: str) -> None:
    assert "draft-vague-retention" not in ids(DATED + snippet + "\n")


def test_vague_retention_with_the_criteria_laid_out_in_its_section() -> None:
    """The catalog asks for a period or the criteria: a section that lists the criteria setting the period
    gives them; the one-sentence boilerplate of generic factors does not (analysts flag it)."""
    listed = DATED + ("## Record Retention\n\nWe will retain your personal information for as long as it may be "
                      "relevant to fulfill the purposes set forth in this Privacy Statement.\n\n"
                      "The criteria we use to determine our retention periods include:\n\n"
                      "* The duration of our relationship with you, including any open accounts\n"
                      "* Whether we have a legal obligation to keep records of your transactions\n")
    assert "draft-vague-retention" not in ids(listed)
    boilerplate = DATED + ("## Data Retention\n\nWe keep Personal Information only for as long as necessary to "
                           "fulfill the purposes for which we have collected it.\n\nTo determine the appropriate "
                           "retention period, we consider the amount, nature, and sensitivity of the Personal "
                           "Information and the purposes for which we process it.\n")
    assert "draft-vague-retention" in ids(boilerplate)


@pytest.mark.parametrize("snippet", [
    "Generally, we keep customer records while your subscription runs or as needed to provide you our services.",
    "We retain data as needed to facilitate and personalize your use of the site, combat fraud and as required by law.",
    "Photos you upload may be stored indefinitely on our servers.",
    "Personal data may be stored for an undefined period of time.",
    "We store usage data as reasonably necessary for our business purposes.",
    "We keep your personal information for the lifetime of your account.",
    "Log files are retained permanently for security reasons.",
    "Documents which contain personal information will be retained in accordance with our normal document retention "
    "practices for accounting, legal and business purposes.",
    "Your personal data will be safe with us, but we’ll never keep it for longer than we need to.",
    "LINAGORA never keeps collected data any longer than strictly necessary to achieve the purpose it was for.",
    "We will collect and retain your personally identifiable information only to the extent that it is necessary "
    "to fulfil our services to you.",
    # processing "for as long as necessary"; isolating backups "until deletion is possible" gives no period
    "We will process your data for as long as necessary to achieve the purposes for which it was collected. If "
    "deletion is not possible, we will isolate your data from further processing until deletion is possible.",
    # need as the only rule, the condition first (as Australian notices word it)
    "If we no longer need your personal information for any of the purposes set out in this policy, we will take "
    "such steps as are reasonable in the circumstances to destroy the information or to de-identify it.",
    # kept on after the account ends, with no period
    "However, your information may remain stored in archive on our servers even after the deletion or the "
    "termination of your account.",
    "We retain personal information where we have an ongoing legitimate business need to do so (for example, to "
    "provide you with a service you have requested).",
    # a stretch of time without its length
    "Some information may need to be retained by us for a period of time following cancellation of your account.",
    "We may keep limited information in relation to you and that activity for a limited period of time.",
    # the rule negated, beside an age that is no period
    "We do not retain any personal data for longer than necessary. By using the Services, users over 13 years of age "
    "may receive notifications.",
    # a trigger in the next sentence ("indefinitely, until you inform us ...") is no period for this one
    "We will only retain your personal data for as long as necessary to fulfil the purposes for which we collected "
    "it. We may keep business contacts indefinitely, until you inform us you no longer want us to be in touch.",
    # a period put as "that necessary", in translation from Spanish
    "The period of preservation of your data will be that necessary for the maintenance of the contractual "
    "relationship and, once it is completed, by the legally established maximum as appropriate.",
    # "as necessary to" a task, with no period
    "We retain this information as necessary to resolve disputes, provide user support and troubleshoot problems.",
    # the need alone, after the deletion; a time left open; the purpose "remains"
    "Personal information is destroyed securely when no longer required by us.",
    "Any of this data will be destroyed/deleted after a reasonable period of time, as determined at our discretion.",
    "Your personal data is retained as long as the purpose for which it was collected remains and until it is no "
    "longer necessary for any other legal or business purposes.",
])
def test_vague_retention_other_wordings(snippet: str) -> None:
    assert [f.line_start for f in of(DATED + snippet + "\n", "draft-vague-retention")] == [4]


def test_general_lead_of_a_retention_schedule_is_not_vague() -> None:
    """'As long as we need it' opening a section that then gives periods per category is a lead-in to a
    schedule; the same sentence over one paragraph with a deadline or two is still the only rule."""
    schedule = ("## How long do we keep your information?\n\n"
                "We will always only keep your data for as long as we reasonably need it for the purposes above.\n\n"
                "Data about your visits to our website is kept for 1 year after collection.\n\n"
                "Merchant data is kept until 7 years after the end of the contract; enquiries for 2 years.\n")
    assert "draft-vague-retention" not in ids(DATED + schedule)
    thin = ("## Data retention\n\n"
            "We retain personal information for as long as your account is active or as needed to provide you "
            "services.\n\n"
            "After you close your account we delete your profile within 90 days, and backups within 30 days.\n")
    assert [f.line_start for f in of(DATED + thin, "draft-vague-retention")] == [6]
    # periods in another section do not settle this one
    elsewhere = ("## Data retention\n\nWe keep your data for as long as necessary to provide the services.\n\n"
                 "## Cookies\n\nSession cookies last 1 day.\n\nPreference cookies last 12 months.\n\n"
                 "Analytics cookies last 2 years.\n")
    assert [f.line_start for f in of(DATED + elsewhere, "draft-vague-retention")] == [6]
    # periods for account data beside "as long as necessary" for all other data: the rest has only that rule
    rest = ("## Data retention\n\nWe store account data while your account is active. If you close your account, "
            "we delete your account data within 14 days. We store other personal data for as long as necessary to "
            "carry out the purposes for which we collected it.\n")
    assert [f.quote[:30] for f in of(DATED + rest, "draft-vague-retention")] == ["We store other personal data f"]
    # deletion when the account goes, with the exceptions' periods listed under it, is a schedule
    on_deletion = ("## How long will we keep my data?\n\n"
                   "We keep your personal information only as long as we need it for legitimate business purposes.\n\n"
                   "In practice, we delete or anonymize your information upon deletion of your account, unless:\n\n"
                   "  1. we must keep it to comply with the law (for instance, traffic data is kept for one year);\n"
                   "  2. we must keep it as evidence (for instance, records of consents are kept for five years).\n")
    assert "draft-vague-retention" not in ids(DATED + on_deletion)


@pytest.mark.parametrize("snippet", [
    "We keep your personal information for the lifetime of your account.\n\nServer logs are deleted after 14 days.",
    "Aggregated statistics that no longer identify anyone may be kept indefinitely.",
    "We never keep payment card numbers indefinitely; they are deleted after the charge.",
    "We retain data as necessary to comply with our legal obligations and to resolve disputes.",
    "We may still retain your personal information to the extent necessary to comply with our legal obligations.",
    "Notification data is kept for at least 5 years (we retain it insofar as necessary to fulfil any request).",
    "Your drafts are stored indefinitely unless you delete them or ask us to remove them.",
    "As needed to provide the service, we share your address with the courier.",
    "Everything is done in temporary memory only; none of this information is permanently stored to disk.",
    "* No user data is permanently stored on the server.",
    "Invoices are stored for the necessary period of 10 years under the commercial code.",
    # limits put on others, and keeping the service (not data) up
    "We do not authorize our service providers to retain, use or disclose the data except as necessary to perform "
    "services on our behalf.",
    "We only use or disclose sensitive information as necessary to provide the Services and to verify, maintain, and "
    "improve the quality of our Services.",
    # the reader's right to erasure, and a deletion rule beside a period
    "You can request deletion of your personal information when it's no longer necessary for the purposes we "
    "collected it.",
    "When we no longer need your data for these purposes, we delete it within 30 days.",
    "Backups may remain stored for up to 30 days after the deletion of your account.",
    "We retain log data for a period of time of 30 days.",
    # a German template's per-process rule, beside periods elsewhere
    "The data will be deleted as soon as it is no longer necessary for the purpose of its collection.",
])
def test_vague_retention_other_wordings_traps(snippet: str) -> None:
    assert "draft-vague-retention" not in ids(DATED + snippet + "\n")


# --------------------------------------------------------------------------- stale date

def test_stale_date_quotes_the_date() -> None:
    text = "Informetric Privacy Policy\nLast Updated May 17, 2018\nWe collect data.\n"
    found = of(text, "draft-stale-date")
    assert [(f.line_start, f.quote) for f in found] == [(2, "Last Updated May 17, 2018")]
    assert "2018-05-17" in found[0].message


@pytest.mark.parametrize(("line", "iso"), [
    ("Last Update: June 30th, 2023", "2023-06-30"),  # the noun "update", an ordinal day
    ("Last modified: 2020.12.07", "2020-12-07"),  # year.month.day
    ("Last revised 16-OCT-2023", "2023-10-16"),  # day-MON-year, as database exports print it
    ("Last review: 2 December 2024", "2024-12-02"),  # the noun "review"
    ("Last Edited: October, 2021", "2021-10-01"),  # "edited", a month and year with a comma
])
def test_stale_date_in_other_formats(line: str, iso: str) -> None:
    found = of(f"Acme Privacy Policy\n{line}\nWe collect data.\n", "draft-stale-date")
    assert [(f.line_start, f.quote) for f in found] == [(2, line)]
    assert iso in found[0].message


@pytest.mark.parametrize(("line", "iso"), [
    ("**Last Updated: [21/11/25]**", "2025-11-21"),  # a two-digit year in a bracketed template slot
    ("_Last Revised: July 17th, 2024_", "2024-07-17"),  # Markdown underscore emphasis around the line
    ("This Privacy Policy applies from July 1, 2024.", "2024-07-01"),  # a version that "applies from"
    ("Privacy Policy for Acme websites Version 4.0, adopted on 13.05.2021", "2021-05-13"),  # "adopted on"
    ("© Acme – Version: 1.0, status: April 2018", "2018-04-01"),  # "status:" (German "Stand:")
    ("This is version 1.0 of the privacy policy, issued December 6th, 2007", "2007-12-06"),  # "issued"
])
def test_stale_date_is_found_in_markup(line: str, iso: str) -> None:
    found = of(f"Acme Privacy Policy\n{line}\nWe collect data.\n", "draft-stale-date")
    assert [f.line_start for f in found] == [2] and iso in found[0].message
    assert "No last-updated" not in found[0].message
    assert found[0].quote.count("[") == found[0].quote.count("]")


@pytest.mark.parametrize(("text", "line", "iso"), [
    # a numeric month and year under a title printed twice (a page header, then the setext title)
    ("   PRIVACY POLICY   \n\n![](logo.png)\n\nPRIVACY POLICY\n\nPrivacy Policy\n==============\n\n10/2023\n\n"
     "We collect data.\n", 10, "2023-10-01"),
    # a version number before a day-month-year date with dashes, under "Privacy policy, <service>"
    ("**Contents:**\n\n* 1. General\n* 2. Who we are\n* 3. Rights\n* 4. Changes\n\nPrivacy policy, Acme service\n"
     "============================\n\nVersion 1.6, 01-05-2023\n\nWe collect data.\n", 11, "2023-05-01"),
])
def test_stale_date_in_numeric_forms_under_the_title(text: str, line: int, iso: str) -> None:
    found = of(text, "draft-stale-date")
    assert [f.line_start for f in found] == [line] and iso in found[0].message


def test_recent_date_and_twelve_month_boundary() -> None:
    text = "Privacy Policy\nLast updated: November 22, 2025\n\nText.\n"
    assert "draft-stale-date" not in ids(text, dt.date(2026, 11, 22))
    assert "draft-stale-date" in ids(text, dt.date(2026, 11, 23))


def test_no_date_cites_title() -> None:
    found = of("\nOur Privacy Policy\n\nWe collect data.\n", "draft-stale-date")
    assert [(f.line_start, f.quote) for f in found] == [(2, "Our Privacy Policy")]
    assert "no last-updated" in found[0].message.lower()


def test_version_date_at_the_end() -> None:
    text = "# Privacy\n\nWe collect data.\n\n_Data protection declaration version date: 02/08/2018\n"
    found = of(text, "draft-stale-date")
    assert [f.line_start for f in found] == [5]
    assert "02/08/2018" in found[0].quote


# --------------------------------------------------------------------------- consent by use

@pytest.mark.parametrize("snippet", [
    "By using the Service, you expressly consent to the practices described in this policy.",
    "By visiting the Platform you accept and agree to be bound by this Privacy Policy.",
    "Your continued use of our services following any changes indicates your consent to the revised policy.",
    "You hereby expressly consent to the transfer of your data abroad.",
    "If you use the website without changing your settings, we'll assume that you are happy to receive cookies.",
    "If you do not agree with this policy, please do not use our website.",
    "By mere use of the Platform, you expressly consent to our use and disclosure of your personal information.",
    "By creating an account and using the Services, you authorize us to use your Personal Data as described here.",
    "By sharing your email address with us, you agree that we may share your pseudonymized contact data with partners.",
    "By your use of the app you agree to the collection of your location.",
    "By providing your number at Example.com you are authorizing Example to call you about offers.",
    "You understand and consent to having any information you provide transferred to and processed in the US.",
    "When you use our Services, you are agreeing to our rules and policies, including this Privacy Policy.",
    "Your continued use of the Platform gives your unconditional acceptance to such changes.",
    "You must accept the contents of this Policy in order to use or continue using our site.",
    "By entering and sending the data you give us your consent to process it for this purpose.",
    "Your use of the Website after the changes have been implemented implicitly expresses your acceptance.",
    # the reader in the third person; "in continuing to use"
    "By signing up for a loyalty card or using our website, customers agree to allow us to contact them about offers.",
    "We may modify this policy if the law requires it, and you accept these changes in continuing to use our Services.",
    # consent bundled with a decision to provide data or with accepting the terms; a submission that
    # "represents" agreement; anyone using the site "bound by" the policy
    "By deciding to provide the Information you agree to our methods of collection and use.",
    "Your consent to our Terms followed by your submission of such information represents your agreement to transfers.",
    "By accepting the Terms of Service you agree that we may collect and store your Personal Information.",
    "By accepting this Privacy Policy and submitting your email address, you are expressly consenting to our e-mails.",
    "Any person utilizing Example.com or any of its features shall be bound by this Privacy Policy.",
    # a subscription kept up as acceptance; a cookie banner's contraction
    "Your continued subscription to our Services constitutes an acceptance of the then-current Privacy Policy.",
    "By continuing on our site, you're giving us consent to feed your browser cookies.",
    # the consent as a noun, in a sentence that lost its verb
    "Your consent to such changes through your continued use of the Site.",
    # "any use" after the changes
    "We will set forth the date upon which the changes will become effective; any use of the app by the Customer "
    "will constitute the Customer's acceptance of these changes.",
    # a guardian's consent presumed from the child's use
    "It shall be automatically deemed that by allowing any person below the age of 18 years to transact on Acme, "
    "their legal guardians have expressly consented to their use.",
    "Where a minor uses the app, the parents shall be deemed to have consented to this policy.",
])
def test_consent_by_use_flagged(snippet: str) -> None:
    found = of(DATED + snippet + "\n", "draft-consent-by-use")
    assert [f.line_start for f in found] == [4]


@pytest.mark.parametrize("snippet", [
    "If you upload health records to your workspace, you are consenting to their storage on our servers in Canada.",
    "Browsing this site constitutes your acceptance of the practices set out below.",
    "Use of the mobile app means you agree to the collection of location data.",
    "If you create a profile, you will be deemed to have consented to the processing of your data.",
    "By submitting your CV, you agree to its transfer to our recruiters in the United States.",
    "Your registration for an event means that you consent to being photographed.",
    "Continuing to scroll after this banner is shown will be deemed acceptance of all cookies.",
    "By agreeing to our [terms of service](terms), you are also agreeing to this privacy policy.",
    "By registering an account, clicking \"I Agree\", or completing a transaction, you acknowledge that you have read, "
    "understood, and agreed to be bound by this Privacy Policy.",
    "You will be deemed to have been made aware of, and will be subject to, any material changes to the Privacy "
    "Policy after such notice has been posted.",
    # continued use after a change binds the reader to the new text
    "After we post any changes here, your continued use of the Services is subject to the updated Privacy Policy.",
    "Your continued use of the Service after the effective date will be governed by the new Privacy Policy.",
    "You consent to this data sharing by continuing to use your account.",
    "Users agree that becoming a User of the Website signifies their assent to this privacy policy.",
    "If a User uses the Service after notice of changes, such User hereby provides his/her/its consent to them.",
    "If you don't agree to those changes, then unfortunately we must ask you to cease using our services.",
    # consent presumed from silence
    "Unless you tell us not to, we assume we have your permission to tell you about products we think you like.",
    "We will assume that you are happy to receive our newsletter unless you opt out.",
    "Until you ask us otherwise, we will take it that you consent to calls from our partners.",
    "If you continue to use the Site having seen the notice then we assume you are happy for us to use cookies.",
    "By accessing or using the Platform, you signify that you have read, understood and agree to this notice.",
    "Continuing to use the app after we post changes to this policy means that you are consenting to the changes.",
    "If you do not object within one month, the changes are considered to be accepted.",
    "By downloading the app you hereby give your unconditional consent to the processing described here.",
    "By accessing or using this website, you signify your approval of the terms set out in this Privacy Policy.",
    "If you are a Merchant, by using our Services you are providing us with irrevocable consent to use any provider.",
    "N.B. that by registering with Acme you are granting us permission to disclose this information.",
    "The use of this service is subject to the Google Privacy Policy, which you — by using this service — have "
    "already agreed to.",
    "By divulging any information to us you agree to the terms and conditions of this Policy.",
    "By watching the video content, you agree that we may share your video viewing with analytics providers.",
    "By voluntarily providing us with Personal Data, you are consenting to our use of it under this Privacy Policy.",
    "By submitting the form, you consent to our processing of the data you entered.",
    # continued use after a change, said as a condition
    "If you continue to use the app after those changes are in effect, you agree to the revised Privacy Notice.",
    "Should you keep using the Services once the new version is posted, you will be deemed to accept it.",
    "Such consent is deemed to be provided by your registration with Acme.",
    # consent bundled with a purchase
    "By completing an order or signing up, you agree to receive our promotional e-mails.",
    # availing the service, consent agreed by using
    "By agreeing to avail the service offered by Acme you have agreed to the collection and use of your data.",
    "The privacy policy you agree to by using Acme apps and services.",
    "As a visitor or customer of the www.example.com website and apps, you have given your consent for our "
    "collection and use of your personal data.",
    # an objection waived, or consent declared as given, for the reader
    "In the course of performing the services, we may need to provide Information to third parties. You agree that "
    "you have no objection to such disclosure.",
    "You confirm and agree that you have no objection to the same.",
    "We share information under the following circumstances. You have consented to sharing information.",
    # the account as the act, with no comma; consent to a transfer declared beside it; users signifying
    # acceptance; consent presumed
    "When you create a Kraken Account you are agreeing to opt-in to all communications from us.",
    "Through your continued use you will be transferring your Personal Information into India and you consent to that "
    "transfer.",
    "Please note that you are transferring information to the U.S., and you consent to the transfer of information.",
    "By accessing and/or activating the functionalities of the Service, Users signify their understanding as well as "
    "their irrevocable and complete acceptance of the Privacy policy.",
    "Because this information is needed for the service you request, your consent to the collection is always assumed.",
    # the upload as the act, with an emphatic "do"; the users qualified by their age
    "Where you do upload and choose to tell us sensitive data about yourself, you are explicitly consenting to our "
    "processing of it.",
    "By using the Services and agreeing to this Privacy Policy, users over 13 years of age authorise us to use their "
    "information for our general commercial purposes.",
    # use of the service as the condition, and consent confirmed by the notice itself
    "If you are located outside the United States and choose to use the Platform, you hereby irrevocably and "
    "unconditionally consent to such transfer, processing, and use in the United States.",
    "If you use our Platform, you must agree with the terms and conditions set out herein.",
    "Accordingly, you hereby confirm that you grant your specific informed consent to our collection, use and "
    "transfer of your Personal Data.",
    # a long list of acts, and "approval" for consent
    "Visiting the Website, creating a demo account for the purpose of using the demo, creating an account in order to "
    "use the services, subscribing for the newsletter and/or a seminar, webinar or event implies your express approval "
    "of the Privacy Declaration.",
    "Registration or usage of the services implies your express consent to the collection of your information.",
    "Consent can be implied (eg. if the User is given an opportunity to opt-out of a form of sharing, but chooses "
    "not to do so, Acme implies consent).",
    "By continuing, your use of this site includes your acceptance of this Privacy Policy.",
    "The approval of the data subject is considered to have been given by entering in a contract when using the "
    "respective function or service.",
])
def test_deemed_consent_in_other_words(snippet: str) -> None:
    assert [f.line_start for f in of(DATED + snippet + "\n", "draft-consent-by-use")] == [4]


@pytest.mark.parametrize("snippet", [
    "We ask for your consent before we place analytics cookies.",
    "You may withdraw consent at any time; this does not affect earlier processing.",
    "Using the site does not constitute consent to marketing e-mails.",
    "If you give us information about a colleague, you agree that you have their permission to do so.",
    "When you give consent, you agree only to the purposes we list at that moment.",
    "Using cookies means that we can store your consent choices.",
    "Where we rely on consent, this means you can withdraw it at any time.",
    "We will not use your data for new purposes unless you consent.",
    "Your use of the Service is subject to our Terms of Service.",
    "If you do not agree to a change, you can close your account and we will delete your data.",
    "Unless you tell us otherwise, we will send the parcel to your billing address.",
    "We will assume that your request concerns all of your accounts unless you tell us otherwise.",
    "You can withdraw consent by using the feature we told you about when collecting your consent.",
    "Changes to your plan are considered accepted once you confirm them in the app.",
    "By viewing your order history, you can check which products you bought and when.",
    "By providing your consent, you allow us to send you our newsletter.",
    "If you continue to use the app after deleting your account, you will need to sign up again.",
    "You can withdraw your consent by using the unsubscribe link in any e-mail.",
    "You agree to receive push notifications by accessing the settings menu and switching them on.",
    "As a customer of our shop, you can ask for a copy of your data at any time.",
    # the opt-in act itself, not use of the service
    "By entering your user name and password, ticking the remain-logged-in box and clicking the login button, you "
    "consent to the option.",
    "You can withdraw your consent through your account settings at any time.",
    "If you have consented to sharing information with partners, you may withdraw that consent at any time.",
    "Where you have agreed to the use of analytics cookies, you can change your choice in the banner.",
    "You have agreed to the use of cookies by ticking the box in our cookie banner.",
    "We disclose it in connection with events where (if applicable) you have consented to disclosure.",
    "When you create an account you can choose which newsletters you receive.",
    "If you consent to the transfer, we will send the data to our office in India.",
    "Your consent is not presumed from silence or inactivity.",
    "Any use of personal data for a new purpose will be explained to you first.",
    "If you use our app, you can choose whether to agree to notifications.",
    "When you use the Platform, you can accept or reject analytics cookies in the banner.",
    # a relative clause about the service, not the reader deemed to agree
    "The Communications Act imposes restrictions on our use and sharing of CPNI when you use Services that are "
    "deemed telecommunications services.",
])
def test_deemed_consent_traps(snippet: str) -> None:
    assert "draft-consent-by-use" not in ids(DATED + snippet + "\n")


def test_consent_by_use_one_finding_per_clause() -> None:
    text = DATED + ("By using the Service, you consent to this policy.\n\n"
                    "By using the Service, you consent to transfers abroad.\n")
    assert [f.line_start for f in of(text, "draft-consent-by-use")] == [4, 6]


@pytest.mark.parametrize("snippet", [
    "We will ask for your consent before we send you newsletters.",
    "If you consent to marketing, we use your e-mail address to send offers.",
    "By using cookies, we can remember your preferences.",
    "You understand and agree that we are not responsible for the content of linked websites.",
    # the opt-in itself
    "By ticking the box you are giving us permission to send you our newsletter.",
])
def test_consent_by_use_not_flagged(snippet: str) -> None:
    assert "draft-consent-by-use" not in ids(DATED + snippet + "\n")


def test_a_misspelt_email_domain_is_a_broken_contact() -> None:
    text = DATED + ("We are Brightwave Limited, Dublin. To change your preferences, e-mail "
                    "preferences@brightwave.ie.\n\nFor a copy of your data, e-mail privacy@brigthwave.ie.\n")
    found = [f for f in run(text, AS_OF) if f.id == "draft-broken-contact"]
    assert [(f.line_start, f.quote) for f in found] == [(6, "privacy@brigthwave.ie")]
    # two different domains of one group are no misspelling
    ok = DATED + "E-mail privacy@example.com or support@examples.com.\n"
    assert not [f for f in run(ok, AS_OF) if f.id == "draft-broken-contact"]
    # nor the brand's accented spelling of the same domain in the text ("www.24Sèvres.com")
    ok = DATED + ("Manage your newsletters on the www.24Sèvres.com website.\n\n"
                  "Requests should be sent to the following dedicated address:  \nbonjour@24sevres.com\n")
    assert not [f for f in run(ok, AS_OF) if f.id == "draft-broken-contact"]


# --------------------------------------------------------------------------- outdated references

def outdated(text: str, as_of: dt.date = AS_OF) -> list[Finding]:
    return [f for f in run(text, as_of) if f.id == "draft-outdated-reference"]


@pytest.mark.parametrize("snippet", [
    "We have joined the EU-U.S. Privacy Shield Framework for data received from the EEA.",
    "We participate in and comply with the EU-U.S. Privacy Shield Framework for data received from the EEA.",
    "When we send your data to our hosting vendors under the Privacy Shield, we remain liable for them.",
    "Our company is certified under the Swiss-U.S. Privacy Shield program administered by the Commerce Department.",
    "We adhere to the U.S.-EU Safe Harbor Framework as regards data from European customers.",
    "Acme LLC has certified to the Safe Harbor Agreement between the United States and the European Union.",
    "EU residents may invoke binding Privacy Shield arbitration if no other remedy succeeds.",
    "This notice informs you as required by Article 10 of Directive 95/46/EC.",
    "We handle your data in line with the Data Protection Act 1998.",
    "The Privacy Act of 1993 gives you the right to access and correct your personal information.",
    "This policy is governed by the provisions of the Irish Data Protection Acts 1988 and 2003.",
    "An authorized agent may act for you as provided in Cal. Code Regs. tit. 11, § 999.326.",
    # the first standard contractual clauses, repealed in 2021
    "We conclude standard data protection clauses (2010/87/EU, 2001/497/EC or 2004/915/EC) with the recipients.",
    # the business's own framework document
    "For data from Europe, please see our [E.U. Safe Harbor Privacy Policy](https://example.com/safe-harbor).",
    # the principles in lower case, the business aligning itself with them
    "We align ourselves with the Safe Harbor privacy principles as set forth by the U.S. Department of Commerce "
    "regarding the collection, storage, use, transfer and other processing of personal data transferred from the "
    "European Economic Area to the United States.",
    # the terms applied to transfers, the condition first
    "In general, when transferring your personal data outside of the EU/EEA, we apply the terms of the EU-U.S. "
    "Privacy Shield and Swiss-U.S. Privacy Shield agreements.",
    # the law's name in the other order
    "We make every effort to comply with our obligations under the 1998 Data Protection Act.",
    # the transfer rests on it, with no subject named
    "Such transfers shall be based on a recognised legal basis, including but not limited to the EU-U.S. Privacy "
    "Shield or the Standard Contractual Clauses.",
])
def test_outdated_reference_flagged(snippet: str) -> None:
    found = outdated(DATED + snippet + "\n")
    assert [f.line_start for f in found] == [4], found
    assert found[0].severity == Severity.MEDIUM and found[0].quote in snippet
    # a long first sentence is quoted from its start, not from its second letter
    assert snippet.startswith(found[0].quote[:10]) or ". " in snippet[:snippet.index(found[0].quote)]


def test_outdated_reference_far_into_a_long_sentence_is_quoted_with_its_name() -> None:
    """"we will protect your personal information as described in this Privacy Notice and in a manner consistent
    with the principles of the EU-US and Swiss-US Privacy Shield framework": the verb stands well after "we", and
    the quote reaches the framework's name so a reviewer sees what is relied on."""
    snippet = ("In all such transfers, we will protect your personal information as described in this Privacy Notice "
               "and in a manner consistent with the principles of the EU-US and Swiss-US Privacy Shield framework.")
    found = outdated(DATED + snippet + "\n")
    assert [f.line_start for f in found] == [4], found
    assert "Privacy Shield" in found[0].quote and found[0].quote in snippet


def test_outdated_reference_own_name_as_subject() -> None:
    text = DATED + ("Zentaro hosts your files. Zentaro never sells data.\n\n"
                    "Zentaro complies with the EU-U.S. Privacy Shield Framework.\n")
    assert [f.line_start for f in outdated(text)] == [6]


@pytest.mark.parametrize("snippet", [
    "Our payment processor Stripe is certified under the EU-U.S. Privacy Shield.",
    'Facebook Inc., based in the USA, is certified under the "Privacy Shield", which guarantees an adequate level.',
    "Google has submitted to the EU-US Privacy Shield.",
    "The provider is enrolled in the Privacy Shield program.",
    "Both companies take part in the EU-US Privacy Shield framework.",
    "If the subcontractors are located in the United States, we make sure that they are subject to the agreement on "
    "the Privacy Shield.",
    "Used safeguards are: EU-US Privacy Shield, adequacy decision from European Commission, and model contracts.",
    "These subcontractors have joined the Privacy Shield, which has been deemed adequate by the European Commission.",
    # in lower case, as a mechanism in a list
    "We ensure that valid mechanisms are in place such as EU approved model clauses and US privacy shield "
    "certification.",
])
def test_outdated_reference_a_recipients_certification(snippet: str) -> None:
    """The policy offers the recipient's certification as the safeguard for the data it sends there."""
    assert [f.line_start for f in outdated(DATED + snippet + "\n")] == [4]


def test_outdated_reference_one_finding_per_passage() -> None:
    text = DATED + ("We comply with the EU-U.S. Privacy Shield Framework.\n\n"
                    "If there is a conflict, the Privacy Shield Principles shall govern.\n\n"
                    "We are certified under the Privacy Shield and you can see our entry on the list.\n")
    assert [f.line_start for f in outdated(text)] == [4]


@pytest.mark.parametrize("snippet", [
    "Following the invalidation of the Privacy Shield, we use standard contractual clauses for transfers.",
    "We no longer rely on the Privacy Shield; transfers rest on the EU Commission's SCCs.",
    "We comply with the EU-U.S. Data Privacy Framework, the successor to the Privacy Shield.",
    "Cookies are governed by the ePrivacy Directive 2002/58/EC.",
    "We take part in the kidSAFE Safe Harbor program for children's apps.",
    "The DMCA safe harbor protects hosting providers.",
    "Invoice number 999.123 was paid.",
    "We replaced the clauses of Decision 2010/87/EU with the 2021 standard contractual clauses.",
    "Read more about the Privacy Shield at privacyshield.gov.",
])
def test_outdated_reference_traps(snippet: str) -> None:
    assert outdated(DATED + snippet + "\n") == []


def test_spdi_rules_outdated_only_once_the_dpdp_act_applies() -> None:
    text = DATED + "We protect sensitive personal data as required by section 43A of the IT Act and the SPDI Rules.\n"
    assert outdated(text, dt.date(2026, 11, 22)) == []
    assert [f.line_start for f in outdated(text, dt.date(2027, 6, 1))] == [4]


# --------------------------------------------------------------------------- readability

SPUN = ("Outsider assortment of data\n\nWe may share data with believed outsider specialist co-ops. "
        "Admittance to Personal Information is given on an irrefutable shopper demand. You can practice your "
        "privileges by presenting a shopper solicitation. Performance of an agreement, consistence with a "
        "legitimate commitment. If it's not too much trouble, kindly audit our pamphlet. Wellsprings of "
        "Personal Information are Clients. We utilize outsiders for types of assistance.\n")


def test_spun_text_flagged_once() -> None:
    found = of(DATED + SPUN, "draft-readability")
    assert len(found) == 1 and found[0].severity == Severity.LOW
    assert "spun" in found[0].message


def test_plain_text_not_flagged_for_readability() -> None:
    text = DATED + ("We collect your name and e-mail address when you sign up. We use them to send you the "
                    "newsletter. You can unsubscribe at any time. We share data with third parties only to "
                    "deliver your order.\n") * 5
    assert "draft-readability" not in ids(text)


def test_readability_by_section() -> None:
    text = "Privacy\n\nIntro text is short. It is easy.\n\nData We Collect\n\nWe collect your name. We use it.\n"
    doc = ingest.from_text(text)
    secs = hygiene.readability_by_section(annotate.annotate(segment.segment(doc)))
    assert [s[:2] for s in secs] == [("Privacy", 1), ("Data We Collect", 5)]
    assert all(isinstance(s[2], float) for s in secs)
    hard = hygiene.flesch("Notwithstanding the aforementioned considerations, the organisation's "
                          "determinations regarding interoperability necessitate comprehensive documentation.")
    easy = hygiene.flesch("We keep your data safe. You can ask us to delete it. We will do so fast.")
    assert hard is not None and easy is not None and hard < 30 < easy


# --------------------------------------------------------------------------- real policies

def _policies() -> list[Path]:
    return sorted(p for d in POLICY_DIRS if d.is_dir() for p in d.glob("*.txt"))


@pytest.mark.skipif(not _policies(), reason="no sample policies (../shared absent)")
@pytest.mark.parametrize("path", _policies(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_quote_is_an_exact_substring(path: Path) -> None:
    doc = ingest.load(path)
    ctx = annotate.annotate(segment.segment(doc))
    start = time.perf_counter()
    found = hygiene.check(doc, ctx, AS_OF)
    elapsed = time.perf_counter() - start
    for f in found:
        assert 1 <= f.line_start <= f.line_end <= len(doc.lines), f
        assert f.quote in "\n".join(doc.lines[f.line_start - 1:f.line_end]), f
        assert f.id in hygiene.SEVERITY and f.severity == hygiene.SEVERITY[f.id]
    assert elapsed < 0.2  # generous: typically a few milliseconds
    assert (doc.text.count("protected]") > 0) == any(f.id == "draft-broken-contact" and "protected" in f.quote
                                                      for f in found)


def _by_name(name: str) -> Path | None:
    return next((p for p in _policies() if p.name.startswith(name)), None)


MUST_FIND = [
    ("003_", "draft-unresolved-notes", 72, "[A1]"),
    ("003_", "draft-unresolved-notes", 109, "[A1]Please confirm"),
    ("004_", "draft-unresolved-notes", 74, "(include)"),
    ("002_", "draft-broken-contact", 23, "protected]"),
    ("003_", "draft-broken-contact", 104, "protected]"),
    ("003_", "draft-conversion-artifacts", 111, "Converted to HTML with WordToHTML.net"),
    ("001_", "draft-stale-date", 2, "May 17, 2018"),
    ("004_", "draft-vague-retention", 74, "however long expected"),
]


@pytest.mark.parametrize("name,fid,line,quote", MUST_FIND)
def test_known_defects_in_seed_policies(name: str, fid: str, line: int, quote: str) -> None:
    path = _by_name(name)
    if path is None:
        pytest.skip("seed policy not available")
    doc = ingest.load(path)
    found = hygiene.check(doc, annotate.annotate(segment.segment(doc)), AS_OF)
    assert any(f.id == fid and f.line_start == line and quote in f.quote for f in found), \
        [f for f in found if f.id == fid]


def test_spun_policy_is_the_only_one_flagged_for_readability() -> None:
    paths = _policies()
    if not paths:
        pytest.skip("no sample policies")
    flagged = set()
    for p in paths:
        doc = ingest.load(p)
        if any(f.id == "draft-readability" for f in hygiene.check(doc, annotate.annotate(segment.segment(doc)),
                                                                   AS_OF)):
            flagged.add(p.name)
    assert flagged <= {"004_57f7f84f516b700c.txt"}
    if _by_name("004_"):
        assert flagged == {"004_57f7f84f516b700c.txt"}


@pytest.mark.parametrize("line,flagged", [
    ("Please confirm", True),
    ("Please confirm the retention period with IT", True),
    ("[A1]Please check", True),
    ("Please check back regularly.", False),
    ("Please check this page for updates.", False),
    ("Please confirm your e-mail address.", False),
])
def test_note_lines(line: str, flagged: bool) -> None:
    assert ("draft-unresolved-notes" in ids(DATED + "Body.\n\n" + line + "\n")) is flagged


def test_every_finding_id_has_a_report_title() -> None:
    from gapcheck import render

    assert set(hygiene.SEVERITY) <= set(render._FINDING_TITLES)


def test_an_announced_list_that_is_missing_is_flagged_unless_sub_sections_follow() -> None:
    lost = DATED + ("## Cookies\n\nThis website uses the following types of cookies, explained below:\n\n"
                    "## Your rights\n\nYou may ask for a copy of your data.\n")
    assert [f.line_start for f in conv(lost)] == [6]
    sub = DATED + ("### 12 Cookies\n\nThis website uses the following types of cookies, explained below:\n\n"
                   "#### 12.1 Transient cookies\n\nThey are deleted when you close the browser.\n")
    assert conv(sub) == []


def test_a_table_referred_to_but_absent_is_flagged_only_when_the_section_ends_there() -> None:
    lost = DATED + ("## Purposes\n\nWe may rely on more than one ground, as set out in the table below.\n\n"
                    "## Change of purpose\n\nWe only use your data for the purposes we collected it for.\n")
    assert [f.line_start for f in conv(lost)] == [6]
    kept = DATED + ("## Purposes\n\nThe following table sets out our purposes.\n\n"
                    "| Purpose | Legal basis |\n|---|---|\n| Orders | Contract |\n\n## Rights\n\nAsk us.\n")
    assert conv(kept) == []
    as_text = DATED + ("## Controllers\n\nThe chart below explains the controllers.\n\n"
                       "**Acme Inc.** 1 Main Street, Springfield\n\n## Rights\n\nAsk us.\n")
    assert conv(as_text) == []


def test_a_table_whose_header_cells_were_put_one_per_line_is_flagged_once() -> None:
    flat = DATED + ("## Cookies\n\nThe table below lists the cookies we set.\n\nCOOKIE name\n\n| \n\n"
                    "COOKIE Description  \n  \n---|---  \n  \nCART\n\n| \n\nYour shopping cart.\n")
    found = conv(flat)
    assert [(f.line_start, f.line_end, f.quote) for f in found] == [(8, 14, "COOKIE name")]
    table = DATED + "## Cookies\n\n| Cookie | Description |\n|---|---|\n| CART | Your shopping cart. |\n"
    assert conv(table) == []


@pytest.mark.parametrize("line, flagged", [
    ("![](/libs/cq/ui/resources/0.gif)", True),
    ("![](//insight.adsrvr.org/track/conv/?adv=mh6v0ck&fmt=3)", True),
    ("![](/img/spacer.gif)", True),
    ("![](https://example.com/logo.png)", False),
    ("![Company logo](/img/0.gif)", False),
])
def test_a_spacer_image_or_tracking_pixel_is_conversion_residue(line: str, flagged: bool) -> None:
    assert bool(conv(DATED + "## Cookies\n\nWe use cookies.\n\n" + line + "\n")) is flagged


def test_a_whole_sentence_left_in_square_brackets_is_an_unresolved_template_option() -> None:
    text = DATED + ("We must ask for your consent to cookies. [We have a clear cookies notice on the home page of the "
                    "website.] See [our cookie policy](https://example.com/cookies) and [1].\n")
    notes = of(text, "draft-unresolved-notes")
    assert [f.quote for f in notes] == ["[We have a clear cookies notice on the home page of the website.]"]


def test_a_link_lost_after_check_out_our_is_flagged() -> None:
    lost = DATED + "You can manage cookies at any time. Check out our for information about these tools.\n"
    assert [f.line_start for f in conv(lost)] == [4]
    kept = DATED + "You can manage cookies. Check out our [Cookie Policy](https://example.com/c) for information.\n"
    assert conv(kept) == []


def test_headings_numbered_through_empty_links_are_one_finding() -> None:
    text = DATED + ("## [1.]() What personal data we collect\n\nName and e-mail.\n\n"
                    "## [2.]() How we may use your personal data\n\nTo run the service.\n")
    found = conv(text)
    assert [(f.line_start, f.line_end) for f in found] == [(4, 8)]


def test_a_sentence_shared_by_parallel_sections_is_not_a_repeat() -> None:
    para = "The legal basis for this processing is Art. 6(1)(b) GDPR and our legitimate interest."
    parallel = DATED + f"## Facebook login\n\n{para}\n\n## Google login\n\n{para}\n"
    assert conv(parallel) == []
    same = DATED + f"## Login\n\n{para}\n\nWe use your name.\n\n{para}\n"
    assert [f.line_start for f in conv(same)] == [6]
    thrice = DATED + f"## A\n\n{para}\n\n## B\n\n{para}\n\n## C\n\n{para}\n"
    assert [f.line_start for f in conv(thrice)] == [6]


def test_a_contact_field_left_in_template_brackets_is_a_note() -> None:
    text = DATED + ("Grievance Officer\nEmail: [help@example.in]\nPhone: [+91 97751-95457]\n\n"
                    "Write to us at [privacy@example.com] any time.\n")
    notes = of(text, "draft-unresolved-notes")
    assert [f.quote for f in notes] == ["[help@example.in]", "[+91 97751-95457]"]


def test_the_same_legal_basis_closing_each_processing_operation_is_not_a_stray_copy() -> None:
    basis = ("This processing is necessary for the performance of our Terms of Use, based on Article 6.1.b of "
             "the GDPR.")
    ops = [f"Search results\nWe send your query and a truncated IP address to our search partner {k}.\n"
           f"The partner keeps the data for at most {k + 1} months and uses it only to answer the query.\n\n{basis}\n"
           for k in range(2)]
    text = DATED + "\n".join(ops)
    assert conv(text) == [], [f.message for f in conv(text)]


def test_a_subject_line_template_for_the_reader_is_not_a_placeholder() -> None:
    text = DATED + ('To ask for a copy, e-mail privacy@example.com with the subject line "Data Access Request - '
                    '[Your Name]".\n\nSubject line: Opt Out - [Marketing/Cookies/All]\n\nOur grievance officer is '
                    '[To be updated].\n')
    assert [f.quote for f in of(text, "draft-unresolved-notes")] == ["[To be updated]"]


@pytest.mark.parametrize("snippet", [
    "Once the legal retention periods have expired, we will permanently delete these categories of data.",
    "We keep your inputs for the period necessary to answer you and then for thirty (30) rolling days.",
    "You control what information on your site is shared publicly or kept private.",
])
def test_retention_that_is_not_vague(snippet: str) -> None:
    assert "draft-vague-retention" not in ids(DATED + snippet + "\n")


@pytest.mark.parametrize("snippet", [
    "We process your personal data for the time required for the performance of the above purposes.",
    "Personal data will be processed by hand or by electronic means that ensure security and confidentiality, "
    "for the time strictly necessary to achieve the purposes of its collection.",
    # the adjective before the noun, as Spanish notices put it in translation
    "The personal data will be processed for the necessary period of time to answer your question.",
    "We store the messages you send us for the requisite period and then archive them.",
])
def test_retention_put_as_processing_time_is_vague(snippet: str) -> None:
    """Italian and Hungarian notices in translation say how long data is 'processed', not kept."""
    assert "draft-vague-retention" in ids(DATED + snippet + "\n")


def test_masked_values_in_a_sample_data_table_are_not_placeholders() -> None:
    """A table showing what a record holds, its identifiers x-ed out on purpose beside real sample values,
    is not a template's blank; an x-run in a sentence still is."""
    table = DATED + ("We store these fields for each payment:\n\n"
                     "    payment | account number | amount | currency | timestamp\n"
                     "    xxxxxx  | xxxxxxxxxxxx   | 5.0    | USD      | 2016-12-09 10:38:23\n")
    assert "draft-unresolved-notes" not in ids(table)
    assert "draft-unresolved-notes" in ids(DATED + "Contact our officer at xxxxxx for any request.\n")


def test_keeping_data_permanently_is_vague() -> None:
    assert "draft-vague-retention" in ids(DATED + "We may keep your messages permanently.\n")


def test_contact_us_at_followed_by_an_address_block() -> None:
    block = DATED + ("For questions, please contact us at:\n\nAcme\n580 Main Street\nSuite 400\nSpringfield, IL 62701\n"
                     "privacy@acme.example\n")
    assert "draft-broken-contact" not in ids(block)
    lost = DATED + "For questions, please contact us at:\n\n## Changes\n\nWe may change this policy.\n"
    assert "draft-broken-contact" in ids(lost)


def test_a_notice_pasted_twice_is_one_finding() -> None:
    body = "".join(f"## Section {n}\n\nWe process the data of section {n} for the purposes explained here.\n\n"
                   for n in range(1, 8))
    found = of(DATED + body + body, "draft-conversion-artifacts")
    assert len(found) == 1 and "repeated" in found[0].message


def test_the_same_paragraph_in_sections_for_different_groups_is_no_stray_copy() -> None:
    para = "Before responding to any of your requests, we may ask you to provide us with some information.\n\n"
    groups = DATED + "## If you live in the EEA\n\n" + para + "## If you live in Brazil\n\n" + para
    assert "draft-conversion-artifacts" not in ids(groups)
    same = DATED + "## Your requests\n\n" + para + "We answer within a month.\n\n" + para
    assert "draft-conversion-artifacts" in ids(same)


# --------------------------------------------------------------------------- first contact, audit 4

def test_a_field_left_to_be_appointed_is_a_placeholder() -> None:
    text = DATED + "Grievance Redressal\n**Grievance Redressal Officer:** To be appointed\n"
    found = of(text, "draft-unresolved-notes")
    assert [f.quote for f in found] == ["To be appointed"]


def test_front_matter_lists_and_bracketed_definitions_are_not_notes() -> None:
    text = ('{\n    "title": "Privacy policy",\n    "aliases": [ "privacy-policy", "data-protection" ]\n}\n\n'
            + DATED + "We use your information for these purposes [individually and collectively referred to "
            "as (“Purposes”)].\n")
    assert "draft-unresolved-notes" not in ids(text)


def test_adjacent_bold_runs_are_not_stray_marks() -> None:
    text = DATED + "Write to **Acme Media, Opt-Out Postal,** **Attn: Circulation, 1 Main St, New York**.\n"
    assert "draft-conversion-artifacts" not in ids(text)


def test_bold_reopened_after_a_link_is_not_a_stray_mark() -> None:
    text = DATED + ("**To exercise your rights, please complete** [**this form**](https://example.com/form) "
                    "**, contact us at** [**privacy@example.com**](mailto:privacy@example.com) **or write to us.**\n")
    assert "draft-conversion-artifacts" not in ids(text)
    assert "draft-conversion-artifacts" in ids(DATED + "Contact our team **, or write to us today.\n")


def test_an_empty_bold_pair_beside_text_is_a_stray_mark_and_a_rule_line_is_not() -> None:
    assert "draft-conversion-artifacts" in ids(DATED + "Our system automatically registers data. ****\n")
    assert "draft-conversion-artifacts" in ids(DATED + "**(1)    **Language settings, search expressions ****\n")
    assert "draft-conversion-artifacts" not in ids(DATED + "We collect data.\n\n****\n\nWe keep it safe.\n")


def test_a_date_label_run_into_its_month_is_conversion_residue() -> None:
    assert "draft-conversion-artifacts" in ids("Privacy policy\n\nUpdatedNovember 14, 2023\n\nWe collect data.\n")
    assert "draft-conversion-artifacts" not in ids(DATED + "Updated November 14, 2023.\n")


def test_links_with_a_misspelt_scheme_are_one_finding() -> None:
    text = DATED + "See [Cookies](linkto:#ps-t3).\n\nSee [our site](htps://example.com).\n\n[ok](https://example.com)\n"
    found = [f for f in run(text, AS_OF) if f.id == "draft-conversion-artifacts"]
    assert len(found) == 1 and found[0].quote == "[Cookies](linkto:#ps-t3)" and "also lines 6" in found[0].message
    assert "draft-conversion-artifacts" not in ids(DATED + "See [our site](https://example.com) and [us](#contact).\n")


def test_a_regional_notice_title_is_not_another_business() -> None:
    text = DATED + ("Acme Media (\"Acme\", \"we\") runs this site. Acme sells magazines. Acme ships them. "
                    "Acme bills you. Acme answers questions.\n\nFor residents of certain states, this U.S. State "
                    "Privacy Notice supplements our Privacy Policy.\n")
    assert "draft-unresolved-notes" not in ids(text)


def test_month_year_signature_line_is_the_notice_date() -> None:
    """'Donkey Republic, October 2022' as the last line dates the notice: the finding names it
    instead of saying that no date exists."""
    text = "Privacy Policy\n\nWe process your data.\n\nAcme Republic, October 2022\n"
    found = of(text, "draft-stale-date")
    assert [f.line_start for f in found] == [5] and "2022-10-01" in found[0].message


def test_date_under_the_policy_title_after_a_captured_menu() -> None:
    """A captured page puts site menus above the title; '#### February 2024' under it is the date."""
    menu = "".join(f"* [Menu item {i}](https://example.com/{i})\n" for i in range(12))
    text = menu + "\nPrivacy Policy\n==============\n\n#### February 2024\n\nWe process your data.\n"
    found = of(text, "draft-stale-date")
    assert len(found) == 1 and "2024-02-01" in found[0].message and found[0].quote == "February 2024"


# --------------------------------------------------------------------------- links that go nowhere

def test_a_dead_request_link_is_a_broken_contact_and_a_dead_link_in_prose_a_conversion_defect() -> None:
    text = (DATED + "To opt out of sales, please see [Your Privacy Choices](#) in the footer.\n\n"
            "To submit a request:\n\n* From a mobile device, click this [link](http://about:blank);\n\n"
            "You can print this page [here](javascript:window.print()) for your records.\n"
            "\nQuestions? Write to privacy@example.com.\n")
    assert [f.line_start for f in of(text, "draft-broken-contact")] == [4, 8]
    assert [f.line_start for f in of(text, "draft-conversion-artifacts")] == [10]


def test_a_script_driven_menu_is_not_flagged() -> None:
    text = (DATED + "* [Support](#)\n    * [My Personal Credit](#)\n[**Menu**](javascript:void(0);)\n"
            "\nQuestions? Write to privacy@example.com.\n")
    assert not of(text, "draft-broken-contact") and not of(text, "draft-conversion-artifacts")


def test_a_see_whose_reference_was_lost_is_a_conversion_defect() -> None:
    text = (DATED + "You can unsubscribe at any time - see for further information.\n\n"
            "You can change your preferences by contacting us – see or by completing the form.\n\n"
            "As you can see, we keep your data safe. Please see our cookie policy for details.\n"
            "\nQuestions? Write to privacy@example.com.\n")
    assert [f.line_start for f in of(text, "draft-conversion-artifacts")] == [4, 6]


def test_a_policy_generators_instruction_left_in_is_an_unresolved_note() -> None:
    text = (DATED + "Once this privacy policy is created, we will add a link to it on our home page.\n"
            "\nQuestions? Write to privacy@example.com.\n")
    assert [f.line_start for f in of(text, "draft-unresolved-notes")] == [4]


def test_a_one_character_blank_for_a_name_is_an_unresolved_note_but_a_task_list_box_is_not() -> None:
    """Legal drafting leaves "[ ]" or "[\u25cf]" where the company name goes; "- [ ] item" is a Markdown checkbox."""
    text = (DATED + "By using the site you consent to [ ] (\u201cwe\u201d) using your data.\n\n"
            "The controller is [\u25cf] Limited, a company registered in England.\n\n"
            "- [ ] receive the newsletter\n- [x] accept the terms\n\n"
            "Questions? Write to privacy@example.com.\n")
    assert [(f.line_start, f.quote) for f in of(text, "draft-unresolved-notes")] == [(4, "[ ]"), (6, "[\u25cf]")]


def test_an_address_block_after_blank_lines_completes_the_contact_sentence() -> None:
    text = (DATED + "If you reside in the EEA, you can contact us at: \n\nExample Netherlands BV \n\n"
            "ATTN: Privacy Policy \n\nSchiphol Boulevard 195  \n1118 BG Schiphol,  \nNetherlands\n")
    assert not [f for f in of(text, "draft-broken-contact") if f.line_start > 3]


def test_a_mailto_link_to_another_address_is_a_broken_contact() -> None:
    text = DATED + ("Send requests to [info@harbourline.fi](mailto:info@harbourmark.fi).\n\n"
                    "Or write to [privacy@harbourline.fi](mailto:Privacy@harbourline.fi?subject=Privacy).\n\n"
                    # Markdown italics around the address shown are formatting, not part of it
                    "Our office: [_dpo@harbourline.fi_](mailto:dpo@harbourline.fi).\n\n"
                    "Or: [_sales@harbourline.fi_](mailto:dpo@harbourline.fi).\n")
    found = [f for f in run(text, AS_OF) if f.id == "draft-broken-contact"]
    assert [(f.line_start, f.quote) for f in found] == [(4, "[info@harbourline.fi](mailto:info@harbourmark.fi)"),
                                                        (10, "[_sales@harbourline.fi_](mailto:dpo@harbourline.fi)")]


def test_as_of_opening_a_sentence_about_a_feature_is_not_the_notice_date() -> None:
    """'As of June 2024, creators are able to ...' dates a feature; the change log at the end dates the notice."""
    text = ("Privacy Policy\n\nWe run a messenger.\n\nAs of June 2024, creators are able to offer paid posts.\n\n"
            "## Changes to this Privacy Policy\n\n**February 3, 2022**\n\n* Updated 8.4.\n\n**April 24, 2023**\n\n"
            "* Updated 1.4.\n\n**September 29, 2024**\n\n* Updated 10.4.\n\n"
            "Important changes will be notified to you.\n")
    found = [(f.line_start, f.quote) for f in run(text, AS_OF) if f.id == "draft-stale-date"]
    assert found == [(17, "September 29, 2024")]
    # a notice dated "as of" on a line of its own keeps that date
    dated = "Privacy Policy\n\nEffective as of June 1, 2024.\n\nWe run a messenger.\n"
    assert [f.line_start for f in run(dated, AS_OF) if f.id == "draft-stale-date"] == [3]


def test_a_yaml_list_in_front_matter_is_no_unresolved_insert() -> None:
    text = ("---\ndescription: What data we process.\nkeywords: [privacy, registrar, controller]\n"
            "---\n\n# Privacy Statement\nLast updated: March 3, 2026\n\nWe process [insert data categories].\n")
    assert [f.line_start for f in run(text, AS_OF) if f.id == "draft-unresolved-notes"] == [9]


def test_status_of_the_privacy_policy_dates_the_notice() -> None:
    """German "Stand der Datenschutzerklärung" in translation: "Status of the privacy policy: 23.01.2024"."""
    text = "# Privacy Policy\n\nWe run a shop.\n\nStatus of the privacy policy: 23.01.2024\n"
    assert [(f.line_start, f.quote) for f in run(text, AS_OF) if f.id == "draft-stale-date"] == [
        (5, "Status of the privacy policy: 23.01.2024")]
    # the same label in a sentence, with an ISO date
    text = "# Privacy Policy\n\nWe run a shop.\n\nThe current status of this Privacy Policy is 2025-03-31. We adapt.\n"
    assert [f.line_start for f in run(text, AS_OF) if f.id == "draft-stale-date"] == [5]


def _sample_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for d in POLICY_DIRS if d.is_dir() for p in sorted(d.glob("*.txt"))]
    return texts + ["Write to privacy@\nexample.com", "Call 0800\n123 4567 or visit us", "no channel here",
                    "Acme, 12345\nBerlin", "mail: info [at]\nexample.org", ""]


def test_whole_text_contact_search_agrees_with_the_line_by_line_one():
    """_any_line_has_channel (one search per pattern over the joined lines) says what searching every
    line says, on every sample policy, on each of its lines alone and on texts whose only match spans lines."""
    cases = []
    for text in _sample_texts():
        lines = tuple(text.split("\n"))
        cases.append(lines)
        cases += [(ln,) for ln in lines[:200]]
        cases += [lines[k:k + 3] for k in range(0, min(len(lines), 300), 3)]
    for lines in cases:
        assert hygiene._any_line_has_channel(lines) == any(map(hygiene._has_contact_channel, lines)), lines


def test_start_scanned_existence_agrees_with_search():
    """_has (leading words only) answers `rx.search(text) is not None` for the retention patterns, on every
    line and clause of the sample policies."""
    from gapcheck import ingest as ing

    texts = []
    for d in POLICY_DIRS:
        for p in sorted(d.glob("*.txt")) if d.is_dir() else []:
            doc = ing.load(p)
            texts += [ac.clause.text for ac in annotate.annotate(segment.segment(doc))] + list(doc.lines)
    texts += ["§ 5", "for 30 days", "٣٠ days", "until you close your account", "Art.6", "ＳＥＣＴＩＯＮ 5"]
    for rx in (hygiene._CONCRETE, hygiene._RETAIN_CORE, hygiene._DELETE, hygiene._RETAIN):
        for t in texts:
            assert hygiene._has(rx, t) == (rx.search(t) is not None), (rx.pattern[:40], t[:80])


def test_sections_captured_collapsed_are_a_conversion_artifact() -> None:
    text = DATED + ("## 1. Contact details\n\nWrite to us.\n\nSee more\n\n## 2. Information we collect\n\n"
                    "We collect some data.\n\nSee more\n\n## 3. Use\n\nWe use it.\n\nSee more\n")
    found = [f for f in run(text, AS_OF) if f.id == "draft-conversion-artifacts"]
    assert [(f.line_start, f.quote) for f in found] == [(8, "See more")]
    assert "3 times" in found[0].message
    # one "Read more" link under a teaser is no collapsed page
    assert "draft-conversion-artifacts" not in ids(DATED + "We use cookies.\n\nRead more\n")


def test_a_skip_link_of_the_page_is_a_conversion_artifact() -> None:
    found = [f for f in run("[Skip to main](#content)\n\n" + DATED + "We collect data.\n", AS_OF)
             if f.id == "draft-conversion-artifacts"]
    assert [f.line_start for f in found] == [1]


@pytest.mark.parametrize("sentence", [
    "We handle personal information in accordance with the New Zealand Privacy Act 1993.",
    "This policy is published under the Information Technology (Intermediaries Guidelines) Rules, 2011.",
    "We comply with the Federal Act on Data Protection of 19 June 1992.",
])
def test_repealed_national_laws_are_outdated_references(sentence: str) -> None:
    assert [f.line_start for f in run(DATED + sentence + "\n", AS_OF) if f.id == "draft-outdated-reference"] == [4]


def test_a_repealed_law_named_as_replaced_is_not_outdated() -> None:
    text = DATED + "The Privacy Act 2020 replaced the Privacy Act 1993.\n"
    assert "draft-outdated-reference" not in ids(text)


def test_links_a_page_capture_left_broken_are_conversion_defects() -> None:
    """Links with no text (icons, heading anchors), links a script failed to fill in, links rewritten by a
    mail filter and a tracking pixel are residue of copying the page, one finding per kind of residue."""
    text = ("# Privacy Policy\n\n[](#nav__mobile)\n\nLast updated: March 3, 2026\n\n"
            "### [](#1-introduction)1\\. Introduction\n\n"
            "We collect data as our [Terms](https://example.com/undefined) say.\n\n"
            "Write to our representative ([contact form](https://eur01.safelinks.protection.outlook.com/?url="
            "https%3A%2F%2Fexample.org%2Fform)) or privacy@example.com.\n\n"
            "![](https://www.facebook.com/tr?id=7495&ev=PageView&noscript=1)\n\n"
            "![](https://sb.scorecardresearch.com/p?c1=2&c2=7849854&cv=2.0)\n")
    found = [(f.line_start, f.line_end, f.quote[:30]) for f in of(text, "draft-conversion-artifacts")]
    assert found == [(3, 7, "[](#nav__mobile)"), (9, 9, "[Terms](https://example.com/un"),
                     (11, 11, "https://eur01.safelinks.protec"), (13, 13, "![](https://www.facebook.com/t"),
                     (15, 15, "![](https://sb.scorecardresear")]


def test_image_links_and_links_with_text_are_not_empty_links() -> None:
    text = (DATED + "[![Logo](https://example.com/logo.svg)](https://example.com/)\n\n"
            "See [our terms](https://example.com/terms) and the [null hypothesis](https://example.com/null-test).\n"
            "\nQuestions? Write to privacy@example.com.\n")
    assert not of(text, "draft-conversion-artifacts")


def test_a_control_label_repeated_under_every_section_is_one_finding() -> None:
    """A page's "Back to top" link under each section is one defect, reported once with its count."""
    section = "Section {} text about our data.\n\n[Back to top](#top \"Back to top\")\n\n"
    text = DATED + "".join(section.format(k) for k in range(4))
    found = of(text, "draft-conversion-artifacts")
    labels = [f for f in found if "Back to top" in f.quote]
    assert len(labels) == 1 and "4 times" in labels[0].message


def test_an_accent_split_from_its_letter_is_one_conversion_artifact() -> None:
    text = DATED + ("Payments go to Payco GmbH, Gr\u00a8ngasse 16, 1050 Vienna.\n\n"
                    "Identity checks are run by IDcheck GmbH, D\u00a8sseldorf.\n\n"
                    "We don\u00b4t sell your data, and the user\u00b4s settings stay on the device.\n")
    found = conv(text)
    assert [(f.line_start, f.line_end, f.quote) for f in found] == [(4, 6, "Gr\u00a8ngasse")], found
    assert "2 lines" in found[0].message


def test_a_capitalised_fill_in_marker_is_an_unresolved_note() -> None:
    text = DATED + "We are registered with the regulator under registration number: ***INSERT***.\n"
    assert [f.line_start for f in of(text, "draft-unresolved-notes")] == [4]
    assert [f.line_start for f in of(DATED + "Our office: **ADD ADDRESS**\n", "draft-unresolved-notes")] == [4]
    # emphasis around an ordinary word is not a marker
    assert "draft-unresolved-notes" not in ids(DATED + "Please **add** your e-mail address in the settings.\n")


@pytest.mark.parametrize(("snippet", "quote"), [
    ("To opt out, visit http://www. networkadvertising.org/managing/opt_out.asp today.",
     "http://www. networkadvertising.org/managing/opt_out.asp"),
    ("Read more at www. example.com.", "www. example.com"),
    ("See the [ ](http://studentprivacypledge.org/?page_id=45) pledge we signed.",
     "[ ](http://studentprivacypledge.org/?page_id=45)"),
])
def test_broken_addresses_and_blank_links_are_conversion_residue(snippet: str, quote: str) -> None:
    """A space inside a web address after "www." (a re-flowed line) and a link whose text is a blank."""
    found = of(DATED + snippet + "\n", "draft-conversion-artifacts")
    assert [(f.line_start, f.quote) for f in found] == [(4, quote)]


def test_a_sentence_ending_in_www_is_no_broken_address() -> None:
    assert not of(DATED + "Our shop is on the www. Prices include VAT.\n", "draft-conversion-artifacts")



def test_a_template_variable_on_many_lines_is_one_finding_naming_them() -> None:
    text = DATED + "".join(f"Section {k}: {{{{ site.company }}}} processes your data for {{{{ site.company }}}}.\n\n"
                           for k in range(1, 5))
    found = of(text, "draft-unresolved-notes")
    assert [(f.line_start, f.line_end) for f in found] == [(4, 10)]
    assert "(also lines 6, 8, 10)" in found[0].message and found[0].quote == "{{ site.company }}"


def test_a_masked_account_number_in_a_cookie_name_is_not_a_placeholder() -> None:
    """A cookie name in a code span with its account number masked ("`_dc_gtm_UA-XXXXXXX-X`") is how the cookie is
    named, not a template's blank; the same run in a phone number is."""
    cookies = DATED + ("| Google Tag Manager | `_ga`, `_gid`, `_dc_gtm_UA-XXXXXXX-X`, `__lc.visitor_id.XXXXXXX` "
                       "| 2 years |\n")
    assert "draft-unresolved-notes" not in ids(cookies)
    assert "draft-unresolved-notes" in ids(DATED + "Call our grievance officer on +91-XXXXX-XXXXX.\n")


# --------------------------------------------------------------------------- references to missing sections

def test_a_reference_to_a_section_the_notice_lacks_is_carried_over_text() -> None:
    """"defined in the Analytics and Advertising section above" in a notice with no such section: template text."""
    text = DATED + ("## Sharing\n\nWe share data with service providers.\n\n## Your choices\n\n"
                    "* Processing for targeted advertising using Matched Ads (defined in the Analytics and Advertising "
                    "section above); and\n")
    found = of(text, "draft-unresolved-notes")
    assert [f.line_start for f in found] == [10]
    assert "Analytics and Advertising section above" in found[0].quote


@pytest.mark.parametrize("text", [
    # the section exists as a heading, as a run-in bold heading, or with its words in another order or form
    "## Analytics and Advertising\n\nWe use cookies.\n\n## Choices\n\nSee the ads defined in the Analytics and "
    "Advertising section above.\n",
    "**10\\. California Residents.** California residents have rights.\n\nWe may sell data, as described in the "
    "“California Residents” section below.\n",
    "## How We Share Information\n\nWe share data.\n\n## Rights\n\nRecipients are listed in the Sharing "
    "Information section above.\n",
    # a lower-case topic is no title
    "## Rights\n\nYou have rights, as described in the sharing section below.\n",
    # the title run into the end of another line by a page capture
    "We never give your e-mail address to others, as detailed in the \"Sharing Your Information\" section below.\n\n"
    "**Basically,** We use cookies to remember you. Sharing Your Information\n\nWe share data with providers.\n",
])
def test_a_reference_to_a_section_the_notice_has_is_fine(text: str) -> None:
    assert "draft-unresolved-notes" not in ids(DATED + text)


def test_an_editors_instruction_left_for_a_link_is_a_note() -> None:
    text = DATED + ("Manage your Flash settings in the Settings Manager provided online from Adobe: Put the new "
                    "URLThis site also uses Google Analytics.\n")
    assert [f.quote for f in of(text, "draft-unresolved-notes")] == ["Put the new URL"]
    assert "draft-unresolved-notes" not in ids(DATED + "Please put the correct address on the envelope.\n")


def test_template_slot_left_open_and_alternatives_left_side_by_side() -> None:
    """A template's choices half made: an escaped bracket opened and never closed on its line, and two options
    joined by a capital OR in a sentence in lower case. A run of OR for emphasis, and capitals lines, are not."""
    text = (DATED + "5.2 The European Commission has made an adequacy decision with respect to \\[the data protection "
            "laws of each of these countries.\n\n"
            "The legal basis for this processing is consent OR our legitimate interests, namely marketing.\n\n"
            "We may collect it when you set up an account OR when you call us OR when you enter a contest.\n\n"
            "THE SERVICE IS PROVIDED AS IS OR AS AVAILABLE.\n\n"
            "We may process \\[data about your use of our website\\] (usage data).\n")
    got = [(f.line_start, f.quote[:30]) for f in of(text, "draft-unresolved-notes")]
    assert [i for i, _q in got] == [4, 6, 12]
    assert "consent OR our" in of(text, "draft-unresolved-notes")[1].quote


def test_email_address_that_lost_its_at_sign() -> None:
    text = (DATED + "To make a request, you can email privacytrustpilot.com with your name.\n\n"
            "Visit supportcenter.com.\n")
    assert [(f.line_start, f.quote) for f in of(text, "draft-broken-contact")] == [
        (4, "email privacytrustpilot.com")]
    assert not of(DATED + "You can email privacy@example.com.\n", "draft-broken-contact")


def test_blade_directives_are_unrendered_template_code() -> None:
    text = DATED + "@include('en.navbar-fixed')\n\nWe process your data. Write to privacy@example.com.\n"
    assert [f.line_start for f in of(text, "draft-unresolved-notes")] == [4]


def test_markdown_footnote_references_are_not_notes() -> None:
    text = (DATED + "Under the General Data Protection Regulation,[^1] we must inform you.\n\n"
            "[^1]: Regulation (EU) 2016/679.\n")
    assert not of(text, "draft-unresolved-notes")
