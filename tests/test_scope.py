"""Jurisdiction scope: a section for one group of people is not a statement to another.

The policies below are shaped like real ones (a US service with an EEA section, a European service
with a California addendum), written for these tests.
"""

from __future__ import annotations

import pytest

from gapcheck import annotate, ingest, pipeline, scope, segment

US_WITH_EEA_SECTION = """\
Acme Cloud Privacy Notice

Last updated: 3 November 2026

Information we collect
We collect your name, e-mail address and billing details when you sign up, and usage data when
you use the service.

How we use information
We use your information to provide and improve the service and to bill you.

Your choices
You can unsubscribe from marketing e-mails with the link in every message.

Additional information for users in the European Economic Area and the United Kingdom
If you are located in the EEA or the UK, you have the right to access, rectify or erase your
personal data, to restrict or object to its processing, and to data portability.
You may also lodge a complaint with your local supervisory authority.

Contact
Write to privacy@acme-cloud.example.
"""

EU_WITH_CALIFORNIA_ADDENDUM = """\
Privacy Policy of Beispiel GmbH

Controller
Beispiel GmbH, Hauptstrasse 1, 10115 Berlin, Germany, privacy@beispiel.example.

Data we process
We process the e-mail address and name you give us to run your account.

Notice to California Residents
California residents have the right to request that we correct inaccurate personal information
we hold about them, and the right to request deletion of their personal information.
To exercise these rights, e-mail privacy@beispiel.example.
"""

INLINE_CONDITION = """\
Your rights

Where the GDPR applies, you may ask us to rectify inaccurate personal data we hold about you.
"""


def _bullet_scopes(text: str) -> list[str]:
    """The scope of each list item of the text, in order."""
    return [c.scope for c in segment.segment(ingest.from_text(text, source="x")) if c.kind == "bullet"]


def _statuses(text: str, tmp_path, law: str) -> dict:
    p = tmp_path / "policy.txt"
    p.write_text(text, encoding="utf-8")
    rep = pipeline.analyze(p, laws=[law], as_of=None)
    return {r.requirement.id: r for r in rep.results}


def test_headings_and_conditions_set_scope():
    assert scope.heading_scope("Additional information for users in the European Economic Area") == "eea-uk"
    assert scope.heading_scope("Your California Privacy Rights") == "california"
    assert scope.heading_scope("Notice to Nevada Residents") == "us-other"
    assert scope.heading_scope("For residents of California, Virginia and Colorado") == "california+us-other"
    assert scope.heading_scope("11 Indian Data Protection (DPDP Act 2023)") == "india"
    assert scope.heading_scope("European Data Protection Law") == "eea-uk"
    # naming a place is not addressing its people
    for h in ("Transfers outside the EEA", "Our EU Representative", "Privacy Shield", "CONTACT US", "Your rights",
              "Data protection in the EU", "Indian data protection officer"):
        assert scope.heading_scope(h) is None, h
    assert scope.sentence_scope("Where the GDPR applies, you may ask us to rectify your data.") == "eea-uk"
    assert scope.sentence_scope("As a California resident, you may request deletion.") == "california"
    assert scope.sentence_scope("If you are located outside the EEA, we process data in the US.") is None
    assert scope.sentence_scope("We transfer your data to the United States.") is None
    assert scope.sentence_scope("These rights apply to all users regardless of where you live.") == "all"
    # a rule for each group ("13 (for U.S. users) or 16 (for non-U.S. users)") is a rule for everyone
    assert scope.sentence_scope("We do not collect data from users under the age of 13 (for U.S. users) or 16 "
                                "(for non-U.S. users).") == "all"


def test_clause_scope_follows_heading_path_and_lead_in():
    doc = ingest.from_text(US_WITH_EEA_SECTION + "\nIf you are a California resident, you have the right to:\n"
                           "- know what we collect;\n- delete it.\n")
    ctx = annotate.annotate(segment.segment(doc))
    eea_para = next(ac for ac in ctx if "rectify" in ac.clause.text)
    assert eea_para.clause.scope == "eea-uk"
    assert next(ac for ac in ctx if ac.clause.text.startswith("We collect")).clause.scope == "all"
    items = [ac for ac in ctx if ac.clause.kind == "bullet"]
    assert items and all(ac.clause.scope == "california" for ac in items)


def test_eea_only_rights_do_not_make_ccpa_rights_met(tmp_path):
    ccpa = _statuses(US_WITH_EEA_SECTION, tmp_path, "ccpa")
    for rid in ("ccpa-right-correct", "ccpa-right-delete", "ccpa-right-know"):
        r = ccpa[rid]
        assert r.status != "met", rid
        if r.status == "partial":
            assert "only for people in the EEA" in r.rationale
            assert all(e.scope == "eea-uk" for e in r.evidence)
    gdpr = _statuses(US_WITH_EEA_SECTION, tmp_path, "gdpr")
    assert gdpr["gdpr-right-rectification"].status == "met"  # the same text is a GDPR statement
    assert gdpr["gdpr-right-rectification"].evidence[0].scope == "eea-uk"


def test_california_section_does_not_make_gdpr_met(tmp_path):
    gdpr = _statuses(EU_WITH_CALIFORNIA_ADDENDUM, tmp_path, "gdpr")
    for rid in ("gdpr-right-rectification", "gdpr-right-erasure"):
        assert gdpr[rid].status == "partial", rid
        assert "California residents" in gdpr[rid].rationale
    ccpa = _statuses(EU_WITH_CALIFORNIA_ADDENDUM, tmp_path, "ccpa")
    assert ccpa["ccpa-right-correct"].status == "met"
    assert ccpa["ccpa-right-delete"].status == "met"
    assert {e.scope for e in ccpa["ccpa-right-correct"].evidence} == {"california"}


def test_inline_condition_scopes_one_sentence(tmp_path):
    ccpa = _statuses(INLINE_CONDITION, tmp_path, "ccpa")
    assert ccpa["ccpa-right-correct"].status == "partial"
    gdpr = _statuses(INLINE_CONDITION, tmp_path, "gdpr")
    assert gdpr["gdpr-right-rectification"].status == "met"


def test_unscoped_policy_is_unchanged_by_scoping(tmp_path):
    text = INLINE_CONDITION.replace("Where the GDPR applies, you", "You")
    for law, rid in (("ccpa", "ccpa-right-correct"), ("gdpr", "gdpr-right-rectification")):
        assert _statuses(text, tmp_path, law)[rid].status == "met"


@pytest.mark.parametrize("law", ["gdpr", "ccpa", "dpdp"])
def test_json_evidence_carries_scope(tmp_path, law):
    p = tmp_path / "policy.txt"
    p.write_text(US_WITH_EEA_SECTION, encoding="utf-8")
    doc = pipeline.analyze(p, laws=[law]).to_dict()
    evs = [e for r in doc["requirements"] for e in r["evidence"] + r["related"]]
    assert evs and all(e["scope"] in {"all", "eea-uk"} for e in evs)


def test_report_names_the_section_scope(tmp_path):
    from gapcheck import render

    p = tmp_path / "policy.txt"
    p.write_text(EU_WITH_CALIFORNIA_ADDENDUM, encoding="utf-8")
    rep = pipeline.analyze(p, laws=["gdpr"])
    html = render.to_html(rep)
    assert "in the section for California residents" in html


FLAT_HEADINGS = """\
Privacy Policy

How We Use Data
We use your data to provide the service.

Consumer Rights Under the CCPA
This section describes the rights California consumers have and how to exercise them:

Access to Personal Information
You may request that we disclose the personal information we collected about you.

Deletion Requests
You may request that we delete your personal information.

Contact Us
Write to privacy@example.com.
"""


def test_flat_headings_after_an_announcing_scoped_section_are_its_subsections():
    ctx = annotate.annotate(segment.segment(ingest.from_text(FLAT_HEADINGS)))
    scope_of = {ac.clause.text.splitlines()[0]: ac.clause.scope for ac in ctx}
    assert scope_of["Access to Personal Information"] == "california"
    assert scope_of["You may request that we delete your personal information."] == "california"
    assert scope_of["Contact Us"] == "all"  # a general topic ends the section
    assert scope_of["We use your data to provide the service."] == "all"


def test_headings_whose_closing_emphasis_was_lost_still_scope_their_section():
    """'__California privacy rights' then '__EU privacy/data protection rights' (converted markdown):
    both are headings, so the EU rights list is not read as California's."""
    from gapcheck import ingest, segment

    text = ("Privacy Policy\n\n__California privacy rights\n\nCalifornia residents may request a list of third "
            "parties.\n\n__EU privacy/data protection rights\n\nThe GDPR has provided the below rights to the EU "
            "residents:\n\n  * **Right to restriction of processing**\n  * **Right to data portability**\n")
    clauses = segment.segment(ingest.from_text(text))
    bullets = [c for c in clauses if c.kind == "bullet"]
    assert bullets and all(c.scope == "eea-uk" for c in bullets)
    assert [c.kind for c in clauses if c.text.startswith("__")] == ["heading", "heading"]


def test_us_as_u_dot_s_dot_is_a_region_and_a_us_title_is_not_a_section_scope():
    from gapcheck import ingest, segment
    from gapcheck.scope import heading_scope, sentence_scope

    assert heading_scope("U.S. data subjects") == "us-states"
    assert sentence_scope("If you are located in certain countries, including those that fall under the scope "
                          "of the GDPR, you have rights, including the rights to:") == "eea-uk"
    text = ("# Acme U.S. Privacy Statement\n\nWe collect your name.\n\n## Your rights\n\nYou may request access.\n\n"
            "## U.S. data subjects\n\nCertain states give you more rights.\n")
    scopes = {c.text: c.scope for c in segment.segment(ingest.from_text(text))}
    assert scopes["We collect your name."] == "all" and scopes["You may request access."] == "all"
    assert scopes["Certain states give you more rights."] == "us-states"


@pytest.mark.parametrize("heading", ["US state-specific rights disclosures", "State-Specific Privacy Rights",
                                     "U.S. State-Specific Privacy Notice"])
def test_state_specific_sections_are_us_state_scoped(heading: str) -> None:
    """Rights listed under a US state-specific section are not general (GDPR/DPDP) rights."""
    from gapcheck import ingest, segment

    text = (f"# Privacy Policy\n\nWe collect your name.\n\n### {heading}\n\n**Your Rights.** Residents of Certain "
            "States have rights:\n\n* The right to correct inaccuracies in your data.\n")
    scopes = {c.text: c.scope for c in segment.segment(ingest.from_text(text))}
    assert scopes["We collect your name."] == "all"
    assert scopes["* The right to correct inaccuracies in your data."] == "us-states"


def test_yaml_front_matter_is_one_block_that_scopes_nothing() -> None:
    """A Markdown source's front matter ("intro: In accordance with the GDPR / (GDPR)") is metadata:
    a "(GDPR)" line in it must not become a heading that makes the whole notice EEA-only."""
    text = ("---\ntype: privacy\ntitle: Privacy Policy\nintro:\n  text: >-\n    In accordance with the General Data "
            "Protection Regulation\n    (GDPR)\n\n    – on the protection of natural persons –\n---\n"
            "The Data Controller\n\nYou can ask for information on your data.\n")
    clauses = segment.segment(ingest.from_text(text))
    assert (clauses[0].kind, clauses[0].line_start, clauses[0].line_end) == ("paragraph", 1, 10)
    assert all(c.scope == "all" for c in clauses)


MARKDOWN_BOLD_SUBHEADINGS = """\
# Brand Privacy Policy

We collect your name and e-mail address when you subscribe.

### **U.S. State Privacy Notice**

For residents covered under the state privacy laws, this notice explains your rights.

#### **Your Privacy Rights**

**The Right to Deletion**

You have the right to request the deletion of personal information we have collected from you.

**European Privacy Notice**

**This European Privacy Notice applies solely to individuals located in the EEA, the UK or Switzerland.**

**Controller of your Personal Data**

The controller of your personal data is Brand Media Ltd., 1 Main Street, Dublin.

**International Transfers**

We transfer personal data to the United States under the standard contractual clauses.
"""


def _scopes(text: str) -> dict[str, str]:
    doc = ingest.from_text(text)
    return {c.text.splitlines()[0][:40]: c.scope for c in segment.segment(doc)}


def test_bold_lines_in_markdown_are_subsections_of_the_hash_heading():
    s = _scopes(MARKDOWN_BOLD_SUBHEADINGS)
    assert s["You have the right to request the deleti"] == "us-states"


def test_a_notice_that_applies_solely_to_a_group_keeps_its_general_topics():
    s = _scopes(MARKDOWN_BOLD_SUBHEADINGS)
    assert s["The controller of your personal data is "] == "eea-uk"
    assert s["We transfer personal data to the United "] == "eea-uk"
    assert s["We collect your name and e-mail address "] == "all"


STATES_INTRO = ("# Privacy Statement\n\nLast updated: June 1, 2026\n\nWe collect your name and e-mail address.\n\n"
                "## Consumer Rights Requests\n\n"
                "Residents of Colorado, Connecticut, Texas and Virginia have the right to submit the following "
                "privacy rights requests to us.\n\n**Correction**\n\nYou have the right to make a verifiable request "
                "to correct inaccurate personal information.\n\n**Deletion**\n\nYou have the right to make a "
                "verifiable request to delete the personal information we maintain about you.\n\n"
                "## Changes\n\nWe may change this statement and will post the new version here.\n")


def test_a_section_opened_by_a_sentence_naming_a_group_is_that_groups():
    """The heading names no group; its opening sentence does and announces what follows."""
    clauses = segment.segment(ingest.from_text(STATES_INTRO))
    by_start = {c.text.split("\n")[0][:20]: c.scope for c in clauses}
    assert by_start["You have the right t"] == "us-other"
    assert by_start["**Deletion**"] == "us-other"
    assert by_start["We may change this s"] == "all" and by_start["We collect your name"] == "all"


def test_rights_for_listed_states_do_not_make_gdpr_rights_met(tmp_path):
    gdpr = _statuses(STATES_INTRO, tmp_path, "gdpr")
    assert gdpr["gdpr-right-rectification"].status == "partial"
    assert gdpr["gdpr-right-erasure"].status == "partial"
    # without the group, the same section speaks to everyone
    everyone = STATES_INTRO.replace("Residents of Colorado, Connecticut, Texas and Virginia have", "You have")
    assert _statuses(everyone, tmp_path, "gdpr")["gdpr-right-erasure"].status == "met"


def test_a_groups_heading_followed_at_once_by_headings_holds_them_until_a_closing_topic():
    text = ("Privacy Policy\n\nLast updated: June 1, 2026\n\nWe collect your name and e-mail address.\n\n"
            "If you live in Brazil\n\nData Sharing\n\nWe share data with our payment providers.\n\n"
            "Your rights as a Data Subject\n\nYou have the right to correct inaccurate data.\n\n"
            "Changes to this policy\n\nWe will post any changes on this page.\n")
    clauses = segment.segment(ingest.from_text(text))
    by_start = {c.text[:16]: c.scope for c in clauses}
    assert by_start["You have the rig"] == "other" and by_start["We share data wi"] == "other"
    assert by_start["We will post any"] == "all" and by_start["We collect your "] == "all"


PARENTS_ONLY = ("Privacy Policy\n\nLast updated: June 1, 2026\n\nWe collect your name and e-mail address to run "
                "your account.\n\nWe do not knowingly collect data from children under 16. A parent may review "
                "the personal information we hold about their child and ask us to delete it.\n")


def test_a_parents_right_over_a_childs_data_is_not_the_readers_own(tmp_path):
    clauses = annotate.annotate(segment.segment(ingest.from_text(PARENTS_ONLY)))
    para = next(ac for ac in clauses if "A parent may" in ac.clause.text)
    assert para.sentence_scopes[-1] == "minors" and para.sentence_scopes[0] == "all"
    gdpr = _statuses(PARENTS_ONLY, tmp_path, "gdpr")
    assert gdpr["gdpr-right-erasure"].status == "partial"
    assert "data of children or teens" in gdpr["gdpr-right-erasure"].rationale
    assert gdpr["gdpr-children"].status == "met"  # the children's item reads it in full
    ccpa = _statuses(PARENTS_ONLY, tmp_path, "ccpa")
    assert ccpa["ccpa-right-delete"].status == "partial"


@pytest.mark.parametrize(("text", "want"), [
    ("**Delete Your Information** (CO, CT, OR, TX, UT, VA Residents).", "us-other"),
    ("If you are a Consumer residing in CO, CT, OR, TX, VA, or UT, you may appeal.", "us-other"),
    ("THE SERVICE IS PROVIDED AS IS, WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED.", None),
    ("Call us at 1-800-555-0100 (toll free).", None),
    ("The CCPA permits consumers who are California residents to ask us about the data we hold.", "california"),
])
def test_state_postal_codes_in_a_run_and_bracketed_group_tags_scope_a_sentence(text, want):
    assert scope.sentence_scope(text) == want


def test_a_bracketed_group_tag_after_a_label_frames_its_paragraph(tmp_path):
    text = ("Privacy Policy\n\nLast updated: June 1, 2026\n\nWe collect your name.\n\n"
            "**Delete Your Information** (CO, CT, OR, TX, UT, VA Residents). You have the right to request the "
            "deletion of your personal data.\n")
    assert _statuses(text, tmp_path, "gdpr")["gdpr-right-erasure"].status == "partial"


@pytest.mark.parametrize(("heading", "want"), [
    ("**Teen User Data Requests**", "minors"), ("Parental Rights", "minors"),
    ("Your Privacy Rights", None), ("Children's Privacy", None), ("Your Choices and Controls", None),
])
def test_a_heading_of_teens_or_parents_rights_scopes_its_section(heading, want):
    assert scope.heading_scope(heading) == want


def test_a_list_is_the_groups_when_an_earlier_sentence_of_its_lead_in_names_the_group_and_announces_it():
    text = ("**9. Residents.** If you are located in the European Economic Area (EEA) you may have the following "
            "additional rights under the GDPR. To the extent required by law, we will grant you the following "
            "rights, provided we can verify your identity:\n"
            "* The right to rectification (the right to require us to correct any mistakes in your data);\n")
    assert _bullet_scopes(text) == ["eea-uk"]
    # a group named in a sentence that does not announce the list leaves the list for everyone
    other = ("If you are located in the EEA, you may also complain to your supervisory authority. "
             "You have the right to:\n* correct your data;\n")
    assert _bullet_scopes(other) == ["all"]


def test_a_group_given_rights_before_the_sentence_that_announces_the_list_owns_the_list():
    """"Residents of specific states have certain rights ... You may exercise the following rights:" gives
    the list to those residents; a group named in a sentence about something else does not."""
    text = ("Residents of specific states have certain rights with respect to personal information processed "
            "under state privacy laws. You may exercise the following rights, subject to exceptions:\n"
            "* Right to Delete: You have the right to request deletion of your personal information.\n")
    assert _bullet_scopes(text) == ["us-states"]
    other = ("We are based in the United States and serve customers everywhere. "
             "You may exercise the following rights:\n* Right to Delete: request deletion of your data.\n")
    assert _bullet_scopes(other) == ["all"]


def test_a_groups_grant_of_rights_closed_by_a_full_stop_owns_the_list_under_it():
    """"You have a number of rights ... if you are an EU citizen." over a numbered list of rights gives the list
    to that group, though the sentence ends in a full stop; a full-stop sentence naming a group but no rights,
    or granting rights to everyone, leaves the list for everyone."""
    text = ("You have a number of rights under European data protection law if you are an EU citizen.\n\n"
            "  1. Right of access: you can request a copy of your data.\n"
            "  2. Right to erasure: you can have your data deleted in certain circumstances.\n")
    assert _bullet_scopes(text) == ["eea-uk", "eea-uk"]
    no_rights = ("If you are located in the EEA, our representative is Acme Ireland Ltd.\n\n"
                 "  1. You can request a copy of your data.\n")
    assert _bullet_scopes(no_rights) == ["all"]
    everyone = "You have a number of rights over your data.\n\n  1. Right of access: request a copy of your data.\n"
    assert _bullet_scopes(everyone) == ["all"]


@pytest.mark.parametrize(("text", "want"), [
    ("The below information applies to consumers in the United States of America.", "us-states"),
    ("This section applies only to California residents.", "california"),
    ("The following applies to residents of the EEA.", "eea-uk"),
    ("This policy applies to all users of our services.", "all"),
    ("This policy applies to the services we offer.", None),
])
def test_a_sentence_saying_whom_text_applies_to_scopes_it(text, want):
    assert scope.sentence_scope(text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("The GDPR provides our users in the European Union new and important rights to control their data.", "eea-uk"),
    ("California law grants California residents the following rights.", "california"),
    # the law as the giver, its group unnamed
    ("The GDPR also provides relevant individuals with additional rights including the right to erasure.", "eea-uk"),
    ("The CCPA gives you additional rights.", "california"),
    # a European notice's own law gives its readers their rights
    ("The GDPR grants you comprehensive rights with regard to data protection.", None),
    ("The General Data Protection Regulation grants the data subject a number of rights.", None),
    ("We give our users rights over their data.", None),
    ("The GDPR requires us to keep records of processing.", None),
])
def test_a_sentence_giving_a_group_rights_scopes_it(text, want):
    assert scope.sentence_scope(text) == want


GIVEN_RIGHTS = ("# Privacy\n\nWe collect your name and e-mail address.\n\n## Your rights\n\n"
                "The GDPR provides our users in the European Union important rights to control their data. "
                "You have the right to access your personal data we store about you.\n\n"
                "You also have the right to be forgotten: delete your profile and we delete your data.\n\n"
                "## Changes\n\nWe may change this policy and will post the new version here.\n")


def test_a_section_opened_by_a_law_giving_a_group_rights_is_that_groups(tmp_path):
    """The heading names no group; its first sentence says the law gives one group the rights that follow."""
    ccpa = _statuses(GIVEN_RIGHTS, tmp_path, "ccpa")
    assert ccpa["ccpa-right-know"].status == "partial"
    assert ccpa["ccpa-right-delete"].status == "partial"
    assert _statuses(GIVEN_RIGHTS, tmp_path, "gdpr")["gdpr-right-erasure"].status == "met"
    everyone = GIVEN_RIGHTS.replace("The GDPR provides our users in the European Union important rights to "
                                    "control their data. ", "")
    assert _statuses(everyone, tmp_path, "ccpa")["ccpa-right-delete"].status == "met"


def test_a_condition_opening_the_last_conjunct_is_not_the_sentences():
    """"... to access or amend your data, to request that we delete it, and, if you are an EEA resident, to
    exercise your opt-out rights": only the last offer is for EEA residents."""
    late = ("You may also contact our privacy coordinator, as set forth below, to access or amend your personal "
            "information, to request that we rectify or delete it, and, if you are an EEA resident, to exercise "
            "your opt-out rights.")
    assert scope.sentence_scope(late) is None
    assert scope.sentence_scope("If you are an EEA resident, you may object to processing.") == "eea-uk"
    assert scope.sentence_scope("You may object to processing if you are an EEA resident.") == "eea-uk"


def test_a_section_opened_by_an_applies_to_sentence_is_that_groups(tmp_path):
    text = ("# Privacy\n\nWe are Example Inc.\n\n## Opting out\n\n"
            "The below information applies to consumers in the United States of America.\n\n"
            "To request deletion or a copy of your data, or to correct it, visit our privacy portal.\n")
    gdpr = _statuses(text, tmp_path, "gdpr")
    assert gdpr["gdpr-right-erasure"].status != "met"

@pytest.mark.parametrize("text, want", [
    ("An individual who seeks access, or who seeks to correct, amend, delete inaccurate data or withdraw consent "
     "for further contact should direct his or her query to the Client or User they deal with directly.", True),
    ("If you are an end user of one of our customers, please submit your request to that organization.", True),
    ("Please direct your questions to our customer service team at help@example.com.", False),
    ("You may direct your request to our Data Protection Officer at dpo@example.com.", False),
    # a people-search site sends the reader to the keepers of the public records its data comes from
    ("If you have a compelling privacy issue, you may wish to contact the official custodians of those public "
     "records, such as your county's land records office, to determine how to remove your information from the "
     "public record.", True),
    ("Please contact us to remove your information from our site.", False),
])
def test_a_request_sent_to_another_organisation_is_not_the_businesss_own_offer(text, want):
    assert scope.elsewhere_sentence(text) is want


def test_a_withdrawal_sent_to_the_client_is_not_the_right_offered(tmp_path):
    text = ("Privacy Policy\n\nLast updated: 1 November 2026\n\nWe process contact data on behalf of our "
            "Clients. An individual who seeks access, or who seeks to correct, amend, delete inaccurate data or "
            "withdraw consent for further contact should direct his or her query to the Client they deal with "
            "directly.\n")
    got = _statuses(text, tmp_path, "gdpr")["gdpr-withdraw-consent"]
    assert got.status == "partial" and got.evidence[0].scope == "elsewhere"
    assert got.rationale.startswith("The policy sends this request to another organisation")


def test_a_group_sent_to_its_own_section_leaves_the_list_that_follows_for_everyone_else():
    text = ("Privacy Rights and Choices\n==========================\n\n"
            "If you are in the European Economic Area (EEA) or a resident of California, please refer to the "
            "respective dedicated sections below. Otherwise, at your request, and as required by applicable "
            "law, we will:\n\n"
            "*   Amend or correct such personal data;\n*   Delete such personal data.\n")
    clauses = segment.segment(ingest.from_text(text, source="x"))
    assert {c.scope for c in clauses if c.kind in ("paragraph", "bullet")} == {"all"}


def test_a_quoted_address_block_is_no_heading_and_sets_no_scope():
    """Blockquoted address lines ("> USA", "> Northgate GDPR Representative Services") are content:
    read as headings, "> USA" put what followed in a US section."""
    text = ("Privacy Policy\n\nWrite to us at:\n\n> Acme Inc.\n> \n> 1 Main Street\n> \n> Springfield, IL 62701\n> \n"
            "> USA\n\nYou have the right to access your data.\n")
    clauses = segment.segment(ingest.from_text(text))
    assert [c.kind for c in clauses if c.text.startswith(">")] == ["paragraph"]
    rights = next(c for c in clauses if "right to access" in c.text)
    assert not any("USA" in h for h in rights.heading_path) and rights.scope == "all"


@pytest.mark.parametrize("title, scoped", [("TIDAL U.S. PRIVACY POLICY", False), ("Acme US Privacy Notice", False),
                                           ("U.S. State Privacy Notice", True)])
def test_a_national_title_under_the_page_title_scopes_nothing(title: str, scoped: bool) -> None:
    """A page titled "Privacy Policy | Acme" whose first line of content is "Acme U.S. Privacy Policy" is a
    national policy, not a US section of one: its rights are the reader's, whoever reads it. A
    state notice at the same place is still for those states' residents."""
    from gapcheck import ingest, segment

    text = (f"> archived copy of the page\n\n# Privacy Policy | Acme\n\n## {title}\n\nEffective May 1, 2024.\n\n"
            "### Your rights\n\nYou may ask us to correct your data.\n")
    scopes = {c.text: c.scope for c in segment.segment(ingest.from_text(text))}
    assert (scopes["You may ask us to correct your data."] != "all") is scoped
    assert (scopes["Effective May 1, 2024."] != "all") is scoped


def test_a_us_heading_after_text_is_still_a_section() -> None:
    from gapcheck import ingest, segment

    text = ("# Privacy Policy\n\n## Acme U.S. Privacy Policy\n\nWe collect your name.\n\n"
            "## Acme U.S. Privacy Notice\n\n"
            "You may ask us to correct your data.\n")
    scopes = {c.text: c.scope for c in segment.segment(ingest.from_text(text))}
    assert scopes["We collect your name."] == "all"
    assert scopes["You may ask us to correct your data."] == "us-states"


def test_a_groups_opening_grant_of_certain_rights_scopes_its_section() -> None:
    """ "### Data subject's rights" / "If you are located in the European Economic Area, ... you have certain
    rights with respect to your personal data." / "You have the right to request access ...": the rights
    paragraph spells out the EEA group's rights, it is no grant to Californians."""
    from gapcheck import ingest, segment

    text = ("# Privacy Policy\n\nWe collect your name.\n\n### 4. Data subject's rights\n\nIf you are located in the "
            "European Economic Area, in accordance with European Union data protection regulations, you have "
            "certain rights with respect to your personal data.\n\nYou have the right to request access to your "
            "personal data and to correct or delete it.\n\n### 5. Information security\n\nWe encrypt data.\n")
    scopes = {c.text[:20]: c.scope for c in segment.segment(ingest.from_text(text))}
    assert scopes["You have the right t"] == "eea-uk"
    assert scopes["We encrypt data."] == "all" and scopes["We collect your name"] == "all"


def test_sentence_scope_by_forms_is_the_whole_alternation():
    """sentence_scope searches each form by its leading words and keeps the leftmost match (the earliest
    form at one position): the whole alternation's first match, on every sentence and lead-in of the
    sample policies and the texts above."""
    from pathlib import Path

    def whole(text: str) -> str | None:
        if scope._EVERYONE.search(text):
            return scope.ALL
        m = scope._SENTENCE.search(text)
        return None if scope._last_conjunct(text, m) else scope._scope_of(m)

    root = Path(__file__).resolve().parent / "fixtures"
    texts = [US_WITH_EEA_SECTION, "If you are a California resident, you may ask us.",
             "Regardless of where you live, we answer.",
             "As an EEA user you have rights; and, if you are in the UK, more."]
    for policy in sorted((root / "policies").glob("*.txt")) + sorted((root / "unseen").glob("*.md"))[:20]:
        for c in segment.segment(ingest.load(policy)):
            texts += [c.text, c.lead_in] + [c.text[s.start:s.end] for s in annotate.sentences(c.text)]
    for t in texts:
        assert scope.sentence_scope(t) == whole(t), t[:100]


def test_scoped_view_keeps_exactly_the_clauses_that_speak_to_the_law():
    """evaluate.scoped_view tests each distinct scope once: a clause is kept as it is (the same object)
    exactly when its scope and every sentence's cover the audience, and otherwise its foreign sentences
    are blanked with the offsets kept, on every sample policy and every law's audience."""
    from pathlib import Path

    from gapcheck import evaluate

    lists = pipeline.resolve_laws(["all"])
    auds = {evaluate.item_audience(r, cl.audience) for cl in lists for r in cl.requirements} - {frozenset()}
    assert auds
    root = Path(__file__).parent / "fixtures" / "policies"
    for p in sorted(root.glob("*.txt"))[:5]:
        ctx = annotate.annotate(segment.segment(ingest.load(p)))
        for aud in auds:
            view = evaluate.scoped_view(ctx, aud)
            for ac, v in zip(ctx, view, strict=True):
                mine = scope.covers(ac.clause.scope, aud) and all(scope.covers(s, aud) for s in ac.sentence_scopes)
                assert (v is ac) == mine, (p.name, ac.clause.text[:60])
                text = ac.match_text or ac.clause.text
                assert len(v.match_text or v.clause.text) == len(text)
                for sp, sc in zip(ac.sentences, ac.sentence_scopes, strict=False):
                    if not scope.covers(sc, aud):
                        assert not (v.match_text or v.clause.text)[sp.start:sp.end].strip()


def test_shared_view_is_the_scoped_view_once_per_blanking():
    """evaluate.shared_view gives each audience the clauses scoped_view gives it (same texts, labels,
    heading context), and audiences that blank the same sentences get one view object and one match
    cache (a view's matches depend on its clauses alone). An audience that blanks nothing sees the
    document itself, with the document's cache."""
    from pathlib import Path

    from gapcheck import evaluate

    lists = pipeline.resolve_laws(["all"])
    auds = {evaluate.item_audience(r, cl.audience) for cl in lists for r in cl.requirements} - {frozenset()}
    root = Path(__file__).parent / "fixtures" / "policies"
    shared_some = False
    for p in sorted(root.glob("*.txt")):
        ctx = annotate.annotate(segment.segment(ingest.load(p)))
        cache: dict = {}
        by_plan: dict = {}
        for aud in sorted(auds, key=sorted):
            view, vcache = evaluate.shared_view(ctx, cache, aud)
            want = evaluate.scoped_view(ctx, aud)
            if want is ctx:
                assert view is ctx and vcache is cache
                continue
            assert vcache is not cache
            for v, w in zip(view, want, strict=True):
                assert (v.match_text, v.clause, v.labels, v.heading_labels) == \
                    (w.match_text, w.clause, w.labels, w.heading_labels)
            plan = tuple(i for i, (a, b) in enumerate(zip(ctx, want, strict=True)) if a is not b)
            blanked = tuple(w.match_text for w in want)
            if (plan, blanked) in by_plan:
                assert by_plan[(plan, blanked)] is view
                shared_some = True
            by_plan[(plan, blanked)] = view
    assert shared_some  # the samples have a section for one group, blanked alike for two audiences

def test_underlined_sub_sections_in_a_capitalised_section_keep_its_scope() -> None:
    """A page converted to Markdown underlines every heading with '---' (one level); where sections are in
    capitals and their sub-sections are not, the sub-sections stay inside the section and its scope."""
    text = ("Privacy Policy\n==============\n\nEffective date: March 24, 2022\n------------------------------\n\n"
            "USE OF INFORMATION\n------------------\n\nWe use data to run the service.\n\n"
            "Account Information\n-------------------\n\nYou can edit your profile.\n\n"
            "ADDITIONAL DISCLOSURES FOR INDIVIDUALS IN EUROPE\n-----------------------------------------------\n\n"
            "If you are located in the EEA, this section applies to you.\n\n"
            "Data Subject Requests\n---------------------\n\nYou have the right to ask us to correct your data.\n\n"
            "CONTACT US\n----------\n\nWrite to privacy@example.com.\n")
    clauses = segment.segment(ingest.from_text(text))
    by_text = {c.text.split("\n")[0]: c for c in clauses}
    assert by_text["You have the right to ask us to correct your data."].heading_path[-2:] == (
        "ADDITIONAL DISCLOSURES FOR INDIVIDUALS IN EUROPE", "Data Subject Requests")
    assert by_text["You have the right to ask us to correct your data."].scope == "eea-uk"
    assert by_text["You can edit your profile."].heading_path[-2:] == ("USE OF INFORMATION", "Account Information")
    assert by_text["Write to privacy@example.com."].heading_path[-1] == "CONTACT US"
    assert by_text["Write to privacy@example.com."].scope == "all"


SUPPLEMENT = """\
**Privacy Notice**

We collect your name and e-mail address to run the service.

**Additional U.S. State Privacy Disclosures**

These Additional U.S. State Privacy Disclosures supplement the above information for residents of the States of
California, Colorado, Connecticut, Utah, and Virginia.

**Your Privacy Choices**

You may be able to exercise the following rights:

| Right | What it means |
| --- | --- |
| **The Right to Deletion** | The right to have us delete the personal data we maintain about you. |
"""


def test_a_supplement_naming_its_states_holds_its_bold_subsections(tmp_path):
    """"These Additional U.S. State Privacy Disclosures supplement ..." opens a section whose bold sub-headings
    look like siblings: its rights are the states' residents', not a GDPR statement."""
    assert _statuses(SUPPLEMENT, tmp_path, "gdpr")["gdpr-right-erasure"].status == "partial"


@pytest.mark.parametrize("lead", [
    "Depending on your state of residency and subject to certain legal limitations, you may be able to exercise "
    "some or all of the following rights:",
    "Depending upon your state of residence, you may have the right to:",
    "Depending on the state where you live, you may have the following rights:",
    "You may have certain rights under the laws of the state in which you reside:",
    "Your state's privacy law may give you the following rights:",
])
def test_rights_depending_on_the_state_of_residence_are_us_state_rights(lead: str, tmp_path) -> None:
    text = f"{lead}\n\n* The right to have us delete the personal data we maintain about you.\n"
    assert scope.sentence_scope(lead) == "us-states"
    assert _statuses(text, tmp_path, "gdpr")["gdpr-right-erasure"].status == "partial"


_THESE = " These may include the right to request access and obtain a copy of your personal information."


@pytest.mark.parametrize("text", [
    "In some regions (like the European Economic Area), you have certain rights under applicable data protection "
    "laws." + _THESE,
    "In some regions, such as the European Economic Area, you have rights that allow you greater control." + _THESE,
    "Residents of certain jurisdictions, such as the EU, may request a copy of their personal information.",
])
def test_a_group_named_by_example_scopes_the_rights_that_follow(text: str, tmp_path) -> None:
    """A template's "In some regions (like the EEA), you have certain rights ... These may include the right (i) to
    request access ...": the rights are the EEA's, not a statement to Californians."""
    assert scope.sentence_scope(text.split(". ")[0]) == "eea-uk"
    assert _statuses(text + "\n", tmp_path, "ccpa")["ccpa-right-know"].status == "partial"


def test_an_example_country_in_a_statement_to_everyone_is_no_group() -> None:
    assert scope.sentence_scope("We may transfer your data to certain countries, such as the United States.") is None


def test_rights_regardless_of_the_state_are_not_scoped() -> None:
    """"Regardless of the state in which you reside" names no group: the rights are everyone's."""
    lead = "Regardless of the state in which you reside, you may ask us to delete your data."
    assert scope.sentence_scope(lead) is None


NUMBERED = ("# Privacy notice\n\n## 2. Your data\n\n### 2.1 Your rights under the GDPR\n\n"
            "You have the right to access and correct your data.\n\n#### 2.1.1 Erasure\n\n"
            "You may ask us to erase your data.\n\n#### 2.2 What we collect and why\n\n"
            "We collect your e-mail address to send you notifications about missed messages.\n\n"
            "#### 2.2.1 Account data\n\nYour username is used to sign you in.\n")


def test_outline_numbers_decide_section_levels_when_hash_counts_disagree():
    """"#### 2.2" after "### 2.1 ... under the GDPR" is the next section (not in the GDPR one), and
    "#### 2.2.1" after "#### 2.2" is its sub-section."""
    clauses = segment.segment(ingest.from_text(NUMBERED))
    by_start = {c.text.split("\n")[0][:18]: c for c in clauses}
    assert by_start["You may ask us to "].scope == "eea-uk"
    assert by_start["We collect your e-"].scope == "all"
    assert by_start["Your username is u"].heading_path[-2:] == ("2.2 What we collect and why", "2.2.1 Account data")


WRAPPED = """\
Privacy Policy of Beispiel GmbH

Last updated: 3 November 2026

According to the Federal Data Protection Act (BDSG), you have the right
to free information about your stored data as well as a right of
correction, blocking or deletion of your data.

With regard to the processing described below, users have the right

* to confirmation of whether data concerning them is being processed and
  to copies of the data (cf. also Art. 15 GDPR);
* to correct or complete incorrect or incomplete data (cf. also Art. 16
  GDPR);
* to the immediate deletion of data concerning them (cf. also Art. 17
  GDPR), or, alternatively, to restrict said processing per Art. 18
  GDPR;
* to file complaints with the supervisory authority (see also Art. 77
  GDPR).
"""


def test_text_wrapped_at_a_fixed_width_reads_as_its_paragraphs(tmp_path):
    """A plain-text policy wrapped at 72 columns: a line that runs on into the next is no heading,
    and neither is a list item's last line ("  GDPR);"), so the items stay under their lead-in."""
    p = tmp_path / "wrapped.txt"
    p.write_text(WRAPPED, encoding="utf-8")
    clauses = segment.segment(ingest.load(p))
    headings = [c.text.strip() for c in clauses if c.kind == "heading"]
    assert headings == ["Privacy Policy of Beispiel GmbH"], headings
    items = [c for c in clauses if c.kind == "bullet"]
    assert len(items) == 4 and all(c.lead_in.endswith("users have the right") for c in items)
    gdpr = _statuses(WRAPPED, tmp_path, "gdpr")
    for rid in ("gdpr-right-access", "gdpr-right-rectification", "gdpr-right-erasure", "gdpr-right-restriction"):
        assert gdpr[rid].status == "met", rid
    assert gdpr["gdpr-right-access"].evidence[0].line_start in (5, 10, 12)


QUOTED = "\n".join("> " + ln if ln else ">" for ln in """\
**www.acme.example** is a web site of Acme Pty Ltd. This is our Internet Privacy Policy.

Personal Information

Personal information about visitors is collected only when knowingly submitted, such as your name and e-mail address.

Disclosure

We do not disclose personal information to third parties except as required by law.

Access to Information

If you discover that information held about you is incorrect, you may contact us to have the information corrected.

Cookies

We use cookies to measure the number of page views on our web sites.

Problems or questions

If you have any queries relating to our privacy policy, please contact us at privacy@acme.example.""".splitlines())


def test_a_policy_quoted_as_a_whole_reads_as_its_sections(tmp_path):
    """An archive that quoted the page ("> Personal Information" / ">" / "> ..."): the quote's empty lines part its
    paragraphs and its short lines are headings, while every clause keeps the policy's own lines."""
    p = tmp_path / "quoted.md"
    p.write_text("# Acme privacy policy\n\n" + QUOTED + "\n", encoding="utf-8")
    doc = ingest.load(p)
    clauses = segment.segment(doc)
    headings = [c.text for c in clauses if c.kind == "heading"]
    assert headings == ["# Acme privacy policy", "> Personal Information", "> Disclosure", "> Access to Information",
                        "> Cookies", "> Problems or questions"]
    for c in clauses:
        assert c.text == "\n".join(doc.lines[c.line_start - 1:c.line_end])
    rectify = [c for c in clauses if "corrected" in c.text][0]
    assert rectify.heading_path[-1] == "Access to Information" and rectify.line_start == rectify.line_end


def test_an_aside_for_a_childs_case_leaves_the_sentence_everyones():
    everyone = ("We will not change how we use any personal information in any material way without providing notice "
                "of the change via email to you (or in the case of a Child User, to your Parent).")
    assert not scope.minors_sentence(everyone)
    assert scope.minors_sentence("A parent may review the personal information we hold about their child.")


BOLD_SECTIONS = """\
WELCOME!

**1\\. What we collect**

**Information You Provide**

We collect your name and e-mail address when you register.

[Back to top](#top)

**2\\. State-Specific Privacy Disclosures and Rights**

Residents of California, Virginia and Colorado

These additional disclosures apply to individuals who reside in California, Virginia or Colorado.

RIGHT TO ACCESS, CORRECT OR DELETE YOUR INFORMATION

You have the right to request access to, and a copy of, your personal information, and to request that we
correct or delete it.

APPEALS

If we deny a privacy request, you may appeal the decision to us at dpo@example.com.

**3\\. Contact Us**

Questions? Write to privacy@example.com.
"""


def test_unnumbered_headings_between_numbered_sections_are_inside_them() -> None:
    """Bold numbered sections ("**2\\\\. State-Specific ...**") hold the headings in capitals that follow them up to
    section 3: the capitals do not rank above the section and end its scope; "[Back to top](#top)" is no heading."""
    clauses = segment.segment(ingest.from_text(BOLD_SECTIONS))
    heads = {c.text.strip("*")[:20]: c for c in clauses if c.kind == "heading"}
    assert not any(t.startswith("[Back to top") for t in heads)
    assert heads["RIGHT TO ACCESS, COR"].scope == "us-states"
    assert heads["RIGHT TO ACCESS, COR"].heading_path[-1] == "2\\. State-Specific Privacy Disclosures and Rights"
    assert heads["3\\. Contact Us"].scope == "all"
    assert heads["Information You Prov"].heading_path[-1] == "1\\. What we collect"


def test_rights_inside_a_numbered_state_section_are_the_states_and_their_contact_counts_for_all(tmp_path) -> None:
    """The access right of a numbered state section is at most partial for the GDPR, and the rationale names each
    group once; a contact detail is a fact about the business, so the DPO mailbox given there counts in full."""
    res = _statuses(BOLD_SECTIONS, tmp_path, "gdpr")
    assert res["gdpr-right-access"].status == "partial"
    assert res["gdpr-dpo-contact"].status == "met"
    text = ("## California and Virginia Residents\n\nYou may request a copy of your personal information.\n\n"
            "## Virginia Residents\n\nYou may also request access to your personal information.\n")
    access = _statuses(text, tmp_path, "gdpr")["gdpr-right-access"]
    assert access.status == "partial"
    assert access.rationale.startswith("The policy says this only for California residents and residents of other "
                                       "US states, not for")


def test_bold_contents_links_head_nothing_but_a_self_linked_heading_does() -> None:
    """A table of contents captured as bold in-page links ("**_[Record Retention](#_Record_Retention)_**", one per
    line) names sections; read as headings, the last entry ("Updates to Privacy Statement") was taken for a
    section on changes to the notice. One such line over its own text is a page's self-linked heading."""
    toc = ("# Privacy Statement\n\n**_[Security](#_Security)_**\n\n**_[Record Retention](#_Record_Retention)_**\n\n"
           "**_[Updates to Privacy Statement](#_Updates)_**\n\n### Categories of Personal Information\n\n"
           "We collect your name.\n")
    clauses = segment.segment(ingest.from_text(toc))
    assert [c.kind for c in clauses if "](#" in c.text] == ["paragraph"] * 3
    own = "# Privacy\n\n[Data retention policy](#data-retention-policy)\n\n* Logs are deleted after 90 days.\n"
    clauses = segment.segment(ingest.from_text(own))
    assert next(c for c in clauses if "](#" in c.text).kind == "heading"
    assert "Data retention policy" in " ".join(next(c for c in clauses if "90 days" in c.text).heading_path)


def test_pdf_symbol_font_bullets_are_list_items() -> None:
    """Text extracted from a PDF keeps the Symbol font's bullet glyph (U+F0B7) before each item: the lines are a
    list under their lead-in, so "access control (buildings and car parks)" is a use of the card, not a safeguard."""
    text = "The UMcard can be used for the following purposes:\n\uf0b7   access control (buildings and car parks);\n" \
           "\uf0b7   payments;\n"
    items = [c for c in segment.segment(ingest.from_text(text)) if c.kind == "bullet"]
    assert len(items) == 2 and all(c.lead_in.endswith("purposes:") for c in items)
