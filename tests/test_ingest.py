"""Reading policies in any common encoding and format; headings and bullets are segmented."""

from __future__ import annotations

import codecs
import datetime as dt

import pytest

from gapcheck import ingest, segment
from gapcheck.errors import InputError

TEXT = "Privacy Policy\nLast updated: 3 March 2026\n\nWe collect your name – and your “e-mail”.\n"


@pytest.mark.parametrize("raw", [
    TEXT.encode("utf-8"),
    codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    TEXT.encode("utf-16"),          # with BOM
    TEXT.encode("utf-16-le"),       # without BOM
    TEXT.encode("utf-16-be"),
    TEXT.encode("cp1252"),
    TEXT.replace("\n", "\r\n").encode("utf-8"),
    TEXT.replace("\n", "\r").encode("utf-8"),
])
def test_encodings_decode_to_the_same_lines(raw):
    doc = ingest.from_bytes(raw, "p.txt", ".txt")
    assert doc.lines == tuple(TEXT.splitlines())
    assert doc.last_updated == dt.date(2026, 3, 3)
    assert doc.title == "Privacy Policy"


def test_html_main_text_only():
    html = """<html><head><title>T</title><style>p{color:red}</style><script>alert(1)</script></head>
    <body><nav>Home | About</nav><h1>Privacy Notice</h1><p>We keep logs for <b>30 days</b>.</p>
    <ul><li>Name</li><li>E-mail</li></ul><footer>© Acme</footer></body></html>"""
    doc = ingest.from_bytes(html.encode(), "p.html", ".html")
    assert "alert" not in doc.text and "color" not in doc.text and "Home" not in doc.text
    assert "© Acme" not in doc.text
    assert "# Privacy Notice" in doc.lines
    assert "We keep logs for 30 days." in doc.lines
    assert "- Name" in doc.lines
    assert doc.fmt == "html"


@pytest.mark.parametrize(("s", "want"), [
    ("Last Updated May 17, 2018", dt.date(2018, 5, 17)),
    ("Effective date: 2025-01-31", dt.date(2025, 1, 31)),
    ("Last revised on 17th May 2024.", dt.date(2024, 5, 17)),
    ("Stand: 01.02.2023", dt.date(2023, 2, 1)),
    ("Last modified: Sept. 3, 2021", dt.date(2021, 9, 3)),
    # a bare "Date:" label over a written date (not "Your start date: ...")
    ("Date: 1st April 2015", dt.date(2015, 4, 1)),
    ("Your start date: 1st April 2015", None),
    ("_Revision Date: February 14th, 2024_", dt.date(2024, 2, 14)),
    ("This Privacy Statement came into effect on 1 July 2024.", dt.date(2024, 7, 1)),
    # a law's start, not the notice's
    ("In accordance with the GDPR, which came into force on 25 May 2018, this notice informs you.", None),
    ("**v1.5 - February 2024**", dt.date(2024, 2, 1)),
    ("Version 1.2 — May 22, 2018", dt.date(2018, 5, 22)),
    ("We support TLS v1.2 and later.", None),
    # the date of the version in force, under its label
    ("**Latest version:** 1st of June 2023", dt.date(2023, 6, 1)),
    ("Current version - 12.03.2024", dt.date(2024, 3, 12)),
    ("Our latest version was released on 1 June 2023 with dark mode.", None),
    ("**Posted: 01 April 2019.**", dt.date(2019, 4, 1)),
    # "As of <date>, <clause>" dates the notice when the clause is about the notice
    ("As of September 30, 2020, the policy applied for all will be the one presented below.", dt.date(2020, 9, 30)),
    ("As of June 2024, creators are able to offer paid posts.", None),
    # the law's start date: "as of 25 May 2018 -- the General Data Protection Regulation"
    ("Processing is based on the data protection laws and as of 25 May 2018 -- the General Data Protection Regulation.",
     None),
    ("The job was posted on 1 April 2019 by our recruiter.", None),
    # the label run into its date when a conversion lost the space
    ("Last update3/20/2024", dt.date(2024, 3, 20)),
    ("Please update3 times a day.", None),
    # emphasis marks inside the date, as a page capture leaves them
    ("_Last Updated: _30 May_ 2024_  ", dt.date(2024, 5, 30)),
    ("**Last Updated:** _30 May_ 2024", dt.date(2024, 5, 30)),
    ("_Last updated: 30-09-2024_", dt.date(2024, 9, 30)),
    ("**Date:** April 28, 2026", dt.date(2026, 4, 28)),
    ("Version 9 - Date of Publication 2 May 2019", dt.date(2019, 5, 2)),
    ("Publication date: 14 March 2024", dt.date(2024, 3, 14)),
    ("Latest update: May 22, 2018", dt.date(2018, 5, 22)),
    ("**Most recent revision** - 3 March 2021", dt.date(2021, 3, 3)),
    ("Our latest update on 5 May 2024 added dark mode.", None),
    # a bare label opening its line
    ("Modified 24 May 2018", dt.date(2018, 5, 24)),
    ("Updated: March 3, 2021", dt.date(2021, 3, 3)),
    ("We may share the modified 24 May 2018 file.", None),
    ("This Privacy Notice was modified in August 2026.", dt.date(2026, 8, 1)),
    ("The app was modified in May 2024 to add dark mode.", None),
])
def test_last_updated_formats(s, want):
    assert ingest.find_last_updated((s,))[0] == want


def test_empty_and_binary_refused():
    with pytest.raises(InputError, match="empty"):
        ingest.from_bytes(b"  \n ", "x.txt", ".txt")
    with pytest.raises(InputError, match="binary"):
        ingest.from_bytes(bytes(range(256)) * 50, "x.txt", ".txt")


def test_segment_headings_bullets_and_paths():
    text = "\n".join([
        "PRIVACY POLICY", "", "1. Information We Collect", "We collect the following:",
        "• Name", "• E-mail address", "", "2.6 Retention:", "We keep data for 30 days.", "",
        "## Your Rights", "- the right to access;", "- the right to erasure.", "",
        "Contact Us", "Write to privacy@example.com.",
    ])
    clauses = segment.segment(ingest.from_text(text))
    kinds = [(c.kind, c.line_start) for c in clauses]
    assert ("heading", 1) in kinds and ("heading", 3) in kinds and ("heading", 11) in kinds
    bullets = [c for c in clauses if c.kind == "bullet"]
    assert [c.line_start for c in bullets] == [5, 6, 12, 13]
    assert bullets[0].heading_path == ("PRIVACY POLICY", "1. Information We Collect")
    rights = bullets[2]
    assert rights.heading_path[-1] == "Your Rights"
    contact = clauses[-1]
    assert contact.heading_path[-1] == "Contact Us" and contact.kind == "paragraph"


def test_name_over_contact_lines_after_a_lead_in_is_no_heading():
    """The first line of an address block announced by "...:" is the block's, in plain text as with hard breaks;
    a Title-Case line over ordinary text still heads a section."""
    text = "\n".join(["Privacy notice", "", "Questions? You can write to our data protection officer:", "",
                      "Maria Keller", "privacy-office@harbourline.example", "+49 40 555 0100", "",
                      "Your Choices", "You can unsubscribe from our newsletter at any time."])
    clauses = segment.segment(ingest.from_text(text))
    heads = [c.text for c in clauses if c.kind == "heading"]
    assert "Maria Keller" not in heads and "Your Choices" in heads
    block = next(c for c in clauses if c.line_start == 5)
    assert block.kind == "paragraph" and block.line_end == 7
    # a short "...:" line read as a heading announces the block too, and a street line is no numbered heading
    text = "\n".join(["Our representative in the European Union is:", "", "Harbour Rep Services Ltd",
                      "2 Quay Street", "Dublin 2, Ireland", "", "3. Your Rights", "You may ask for a copy."])
    clauses = segment.segment(ingest.from_text(text))
    assert [(c.kind, c.line_start, c.line_end) for c in clauses] == [
        ("heading", 1, 1), ("paragraph", 3, 5), ("heading", 7, 7), ("paragraph", 8, 8)]


def test_paragraph_announcing_the_following_items_is_their_lead_in():
    """"... in any of the following cases." closes with a full stop but introduces the numbered items below it."""
    text = "\n".join(["Contact Us", "", "Please contact us at privacy@example.com in any of the following cases.", "",
                      "  1. If any of your personal information changes.", "  2. To ask a question.", "",
                      "We reply within a week.", "", "* Not introduced"])
    clauses = segment.segment(ingest.from_text(text))
    items = [c for c in clauses if c.kind == "bullet"]
    lead = "Please contact us at privacy@example.com in any of the following cases."
    assert [c.lead_in for c in items[:2]] == [lead, lead]
    assert items[2].lead_in == ""


def test_html_line_breaks_keep_an_address_block_together():
    """"Acme GmbH <br/>" over "Main Street 8<br/>": the lines of one block, not headings."""
    text = "\n".join(["Who can I contact?", "", "Responsible for this website is:  <br/>", "Harbour OS GmbH <br/>",
                      "Lindenallee 8<br/>", "1020 Vienna<br/>", "Austria", "", "E-Mail: privacy@harbour.example"])
    clauses = segment.segment(ingest.from_text(text))
    block = next(c for c in clauses if c.line_start == 3)
    assert block.kind == "paragraph" and block.line_end == 7


def test_sentence_case_headings_standing_alone():
    text = "\n".join(["Privacy notice", "", "Your rights", "",
                      "You can ask us for a copy of your data and have it corrected or deleted.", "",
                      "How we use your data", "",
                      "We use your e-mail address to send the newsletter you subscribed to."])
    clauses = segment.segment(ingest.from_text(text))
    heads = [c.text for c in clauses if c.kind == "heading"]
    assert "Your rights" in heads and "How we use your data" in heads
    assert clauses[-1].heading_path[-1] == "How we use your data"


def test_list_items_carry_their_lead_in():
    text = "You have the right to:\n- correct inaccurate data;\n- delete your data.\n\nThanks.\n- other item"
    clauses = segment.segment(ingest.from_text(text))
    bullets = [c for c in clauses if c.kind == "bullet"]
    assert [c.lead_in for c in bullets] == ["You have the right to:", "You have the right to:", ""]


def test_a_question_standing_as_a_list_item_introduces_the_list_under_it():
    """"* What information do we collect?" over "*     1. Your contact details" and "    2. ...": the nested
    items are read under the question; the next question at the same level closes that list."""
    text = "\n".join(["  * What information does the shop collect?", "  *     1. Your contact details such as name.",
                      "    2. Your previous orders.", "  * How does the shop use information?", "  * Other item"])
    bullets = [c for c in segment.segment(ingest.from_text(text)) if c.kind == "bullet"]
    lead = "* What information does the shop collect?"
    # (an item at the question's own level that is not a restarted "1." is a sibling, not nested)
    assert [c.lead_in for c in bullets] == ["", lead, lead, "", ""]


@pytest.mark.parametrize(("intro", "lead"), [
    ("We take requests from you to exercise your rights. These rights are –", "These rights are –"),
    ("Your personal data is used as follows.", "Your personal data is used as follows."),
    ("**Your rights include:**", "**Your rights include:**"),  # a short line read as a heading
])
def test_a_dash_as_follows_or_a_heading_with_a_colon_introduces_a_list(intro, lead):
    clauses = segment.segment(ingest.from_text(f"{intro}\n\n* To access your data\n* To port data\n"))
    assert [c.lead_in for c in clauses if c.kind == "bullet"] == [lead, lead]


def test_a_date_label_on_its_own_line_takes_the_date_below_it():
    doc = ingest.from_text("Privacy\n\n**DATE EFFECTIVE**\n\nMay 12, 2024\n\nText.\n")
    assert str(doc.last_updated) == "2024-05-12" and doc.last_updated_line == 5
    assert ingest.from_text("Privacy\n\nLast updated:\n\nWe have collected data since May 12, 2014, for years.\n"
                            ).last_updated is None


def test_a_section_asking_when_the_policy_was_updated_takes_its_answer():
    """"12. When was this policy last updated?" over a sentence and "September 10, 2024.": the policy
    was reported undated ("no date was found") although its date closes the text."""
    text = ("Privacy Policy\n\nWe collect data.\n\n12\\. When was this policy last updated?\n"
            "---------------------------------------\n\nKeep in mind that we can update this Policy.\n\n"
            "September 10, 2024.\n")
    doc = ingest.from_text(text)
    assert str(doc.last_updated) == "2024-09-10" and doc.last_updated_line == 10
    assert ingest.from_text("Privacy\n\nWhen was this policy last updated?\n\nWe review it each year since "
                            "May 12, 2014, and more.\n").last_updated is None


def test_a_laws_own_date_is_not_the_policys():
    from gapcheck import ingest

    text = "Privacy\n\nThe Personal Data Protection Code (Legislative Decree no. 196 dated June 30, 2003) applies.\n"
    assert ingest.from_text(text).last_updated is None
    assert str(ingest.from_text("Privacy Policy dated 1 May 2020\n\nText.\n").last_updated) == "2020-05-01"
    # nor a court's judgment or a government notification cited by the notice
    for cited in ("a) Judgement of Honorable Supreme Court dated September 2018",
                  "under the notification dated 11 April 2011 of the Ministry"):
        assert ingest.from_text(f"Privacy\n\nWe follow:\n\n{cited}\n").last_updated is None, cited


def test_dates_in_long_lines_and_after_a_bare_date_label():
    from gapcheck import ingest

    long_line = "This policy is effective as of 30th April, 2012. " + "Any material change will be described. " * 12
    assert str(ingest.from_text("Privacy\n\n" + long_line + "\n").last_updated) == "2012-04-30"
    assert str(ingest.from_text("Privacy\n\n(Version 2.0 – Date 31.01.2017)\n\nText.\n").last_updated) == "2017-01-31"
    assert ingest.from_text("Privacy\n\nYour date of birth: 01.02.1990 is needed.\n").last_updated is None


@pytest.mark.parametrize(("text", "want"), [
    ("16-OCT-2023", dt.date(2023, 10, 16)),  # day-MON-year
    ("[21/11/25]", dt.date(2025, 11, 21)),  # two-digit year, day first (21 > 12)
    ("11/21/25", dt.date(2025, 11, 21)),  # two-digit year, month first
    ("July 17th, 2024", dt.date(2024, 7, 17)),
    ("last updated on the May the 17th 2018", dt.date(2018, 5, 17)),  # "the" before the day
    ("version 1.2.25", None),  # dots with a two-digit year are a version number, not a date
    ("10/2023", dt.date(2023, 10, 1)),  # a numeric month and year
    ("June 2024_", dt.date(2024, 6, 1)),  # month and year closing Markdown emphasis ("_Last Updated: June 2024_")
    ("Version 1.6, 01-05-2023", dt.date(2023, 5, 1)),  # dashes, day first
    ("05-13-2023", dt.date(2023, 5, 13)),  # dashes, month first when the day cannot be the month
    ("Last updated 05-11-23", dt.date(2023, 11, 5)),  # dashes with a two-digit year (stale either way round)
    ("call 1-800-555-1212", None),  # a phone number is not a date
    ("Organic Law 3/2018 of 5 December", None),  # a law's number, not March 2018
])
def test_parse_date_forms(text, want):
    assert ingest.parse_date(text) == want


def test_last_updated_prefers_the_later_date_of_the_header_block():
    """'Effective Date: January 1, 2020' over 'Updated: April 17, 2023': the notice changed in 2023."""
    import datetime as dt

    from gapcheck.ingest import find_last_updated

    lines = ("Acme Privacy Policy", "", "**Effective Date: January 1, 2020**", "", "**Updated: April 17, 2023**",
             "", "This policy applies to Acme.", "", "", "", "", "Colorado law (effective July 1, 2024) gives rights.")
    assert find_last_updated(lines) == (dt.date(2023, 4, 17), 5)


def test_a_version_that_took_effect_on_a_date_dates_the_policy():
    lines = ("# Privacy", "", "We collect your e-mail address.", "",
             "This version of our privacy questions and answers took effect June 3, 2020.")
    assert ingest.find_last_updated(lines) == (dt.date(2020, 6, 3), 5)
    law = ("# Privacy", "", "The CCPA, which took effect January 1, 2020, gives you rights.")
    assert ingest.find_last_updated(law) == (None, None)


def test_a_front_matter_date_dates_a_policy_whose_body_gives_none():
    lines = ("---", "title: Privacy Policy", "lastEdited: 2020-04-16", "version: 0.9.0", "---", "", "# Privacy Policy",
             "", "We collect your e-mail address.")
    assert ingest.find_last_updated(lines) == (dt.date(2020, 4, 16), 3)
    published = ("---", "author: Jane", "published: 2018-05-24T23:01:00Z", "---", "", "Last updated: 1 March 2021")
    assert ingest.find_last_updated(published) == (dt.date(2021, 3, 1), 6)  # the body's own date comes first
    camel = ("---", "title: 'Privacy Policy'", "date: '2014-04-03'", "updatedDate: '2015-01-06'", "---", "", "Text.")
    assert ingest.find_last_updated(camel) == (dt.date(2015, 1, 6), 4)
    hugo = ("---", "title: Privacy Policy", "slug: privacy", "lastmod: 2022-03-11", "show_lastmod: 1", "---", "",
            "Text.")
    assert ingest.find_last_updated(hugo) == (dt.date(2022, 3, 11), 4)  # Hugo's own key



@pytest.mark.parametrize("lines, want", [
    (("# Privacy Policy", "", "We collect data."), "Privacy Policy"),
    # a page source: the heading's tags are markup
    (("---", "lastUpdated: false", "---", "", "<h1>Data privacy</h1>", "<h2>Privacy notice</h2>"), "Data privacy"),
    # a template's directives drew the page header: skipped, and a numbered first section is no title
    (('<#include "head.ftl">', "", "## Privacy statement"), "Privacy statement"),
    (('<%= render "home/shared/header", title: "Privacy Policy" %>', "", "## 1. Scope"), None),
])
def test_title_of_a_policy(lines, want):
    assert ingest.find_title(lines) == want


def test_a_laws_own_as_of_date_does_not_date_the_policy() -> None:
    """"Regulation No. 2016/679 as of 27 April 2016": the law's date, not the notice's."""
    lines = ("# Privacy", "", "In accordance with the General Data Protection Regulation No. 2016/679 as of 27 April "
             "2016 and Act No. 78/17 as of 6 January 1978, we collect your data.")
    assert ingest.find_last_updated(lines) == (None, None)
    own = ("# Privacy", "", "Privacy notice as of 27 April 2026")
    assert ingest.find_last_updated(own) == (dt.date(2026, 4, 27), 3)


def test_a_version_label_over_a_dotted_date_dates_the_policy() -> None:
    assert ingest.find_last_updated(("# Privacy", "", "Version: 12.04.2022", "", "Text.")) == (dt.date(2022, 4, 12), 3)
    assert ingest.find_last_updated(("# Privacy", "", "Version: 2.1", "", "Text.")) == (None, None)
