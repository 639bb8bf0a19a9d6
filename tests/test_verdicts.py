"""Verdict classes from issue 8, on real-world-shaped text written for these tests."""

from __future__ import annotations

import pytest

from gapcheck import pipeline

from .conftest import FIXTURES


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
    from gapcheck.checklists import lexicon

    for concept in lexicon().values():
        for pat in concept.patterns:
            for name in SAMPLE_NAMES:
                assert not re.search(rf"\b{re.escape(name)}\b", pat), f"lexicon {concept.name}: {name!r} in {pat[:80]}"


def test_lexicon_concept_defined_twice_is_an_error(monkeypatch, tmp_path):
    from gapcheck import checklists, lexicon

    (tmp_path / "lexicon").mkdir()
    entry = "concepts:\n  x.y:\n    means: m\n    patterns: ['a']\n    examples: {match: [a]}\n"
    (tmp_path / "lexicon" / "a.yaml").write_text(entry)
    (tmp_path / "lexicon" / "b.yaml").write_text(entry)
    monkeypatch.setattr(lexicon, "packaged_dir", lambda: tmp_path)
    monkeypatch.setattr(lexicon, "_LEXICON", {})
    with pytest.raises(checklists.ChecklistError, match="already defined in a.yaml"):
        checklists.lexicon()


def test_lexicon_is_checked_then_cached(monkeypatch, tmp_path):
    """A lexicon that passed its checks is cached (JSON) and read back the same; a bad pattern is
    never cached, so it fails with file:line in every process, and a corrupt cache is ignored."""
    from gapcheck import checklists, lexicon

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("GAPCHECK_NO_CACHE", raising=False)
    (tmp_path / "lexicon").mkdir()
    f = tmp_path / "lexicon" / "a.yaml"
    f.write_text("concepts:\n  x.y:\n    means: m\n    patterns: ['a\\s+b']\n"
                 "    examples: {match: [a b], no_match: [ab]}\n")
    monkeypatch.setattr(lexicon, "packaged_dir", lambda: tmp_path)
    monkeypatch.setattr(lexicon, "_LEXICON", {})
    parsed = dict(checklists.lexicon())
    assert list((tmp_path / "cache" / "gapcheck").glob("lexicon-*.json"))
    monkeypatch.setattr(lexicon, "_parse_lexicon", lambda *a: pytest.fail("parsed although cached"))
    monkeypatch.setattr(lexicon, "_LEXICON", {})
    assert checklists.lexicon() == parsed
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(lexicon, "packaged_dir", lambda: tmp_path)
    for cached in (tmp_path / "cache" / "gapcheck").glob("lexicon-*.json"):
        cached.write_text("{not json")
    monkeypatch.setattr(lexicon, "_LEXICON", {})
    assert checklists.lexicon() == parsed
    f.write_text(f.read_text().replace("a\\s+b", "a(b"))
    for _ in range(2):
        monkeypatch.setattr(lexicon, "_LEXICON", {})
        with pytest.raises(checklists.ChecklistError, match=r"a\.yaml.*does not compile"):
            checklists.lexicon()


def test_heading_and_lead_in_speak_concepts():
    from gapcheck import checklists

    text = ("law: acme\nitems:\n  - {id: acme-x, title: X, citation: c, kind: m, severity: low, recommendation: r,\n"
            "     met_when: {same_clause: [{heading: {concept: right.erase}}, {lead_in: {concept: frame.grant}}]},\n"
            "     examples: {met: [Deletion rights]}}\n")
    item = checklists.parse_checklist(text).requirements[0]
    lines = checklists.describe_requirement(item)
    assert "under a heading saying right.erase" in "\n".join(lines)
    assert "a list item introduced by frame.grant" in "\n".join(lines)
    with pytest.raises(checklists.ChecklistError, match="heading takes"):
        checklists.parse_checklist(text.replace("{concept: right.erase}", "{concepts: right.erase}"))


def test_same_part_keeps_to_one_part_between_semicolons():
    """`same_part` is `same_sentence` cut at semicolons: a party in one part of a run-on list and an
    activity in the next are two statements."""
    import datetime as dt

    from gapcheck import checklists, examples

    text = ("law: acme\nitems:\n  - {id: acme-x, title: X, citation: c, kind: m, severity: low, recommendation: r,\n"
            "     met_when: {same_part: [{regex: '\\badvertisers\\b'}, {regex: '\\bother websites\\b'}]},\n"
            "     examples: {met: [Our advertisers track you on other websites.]}}\n")
    item = checklists.parse_checklist(text).requirements[0]
    assert "in one part of a sentence" in "\n".join(checklists.describe_requirement(item))

    def status(t: str) -> str:
        return examples.status_of(item, t, dt.date(2026, 12, 6), None)

    assert status("Our advertisers track you on other websites.") == "met"
    assert status("Offers from our advertisers; content tailored to you on other websites.") == "missing"
    assert status("Our advertisers may track you. You may see our ads on other websites.") == "missing"


def test_a_title_naming_the_notice_gives_its_sections_no_topic(tmp_path):
    """"Security and privacy policy" titles the whole document: a clause under it is not in a security
    section. A region in the title still covers every clause ("Privacy Notice for California Residents")."""
    body = ("\n## Analytics\n\nWe use a web analytics service. By means of IP anonymisation enabled on this "
            "website, the IP address will be shortened before it is transmitted.\n")
    assert _law("# Security and privacy policy\n" + body, tmp_path, "dpdp")["dpdp-security"] == "partial"
    assert _law("# Privacy policy\n\n## How we protect your data\n" + body.replace("## Analytics\n", ""),
                tmp_path, "dpdp")["dpdp-security"] == "met"
    from gapcheck import annotate, ingest, segment

    doc = ingest.from_text("# Privacy Notice for California Residents\n\n## Your rights\n\nYou may ask us.\n")
    acs = annotate.annotate(segment.segment(doc))
    assert "california" in acs[-1].heading_labels and "rights" in acs[-1].heading_labels


# --------------------------------------------------------------------------- phrasing: enumerations and concepts

def _law(text, tmp_path, law):
    return {k: v.status for k, v in _results(text, tmp_path, law).items()}


def test_rights_as_a_run_of_bare_nouns(tmp_path):
    text = ("Your rights\nUnder data protection law you have the right to information, correction, erasure, "
            "limitation, opposition and portability.\n")
    gdpr = _law(text, tmp_path, "gdpr")
    for rid in ("gdpr-right-access", "gdpr-right-rectification", "gdpr-right-erasure", "gdpr-right-restriction",
                "gdpr-right-portability"):
        assert gdpr[rid] == "met", rid
    ccpa = _law(text, tmp_path, "ccpa")
    assert ccpa["ccpa-right-correct"] == "met" and ccpa["ccpa-right-delete"] == "met"


def test_rights_offered_as_methods(tmp_path):
    text = "We offer you simple methods of accessing, correcting, or deleting the data we have collected.\n"
    gdpr = _law(text, tmp_path, "gdpr")
    assert gdpr["gdpr-right-rectification"] == "met"
    assert gdpr["gdpr-right-erasure"] == "met"


def test_a_list_ends_where_a_new_statement_starts(tmp_path):
    text = "You have the right to access your personal data; we correct errors in our records every month.\n"
    assert _law(text, tmp_path, "gdpr")["gdpr-right-rectification"] != "met"


def test_rights_in_a_bulleted_list_with_a_lead_in(tmp_path):
    text = "You are entitled to:\n- rectification of inaccurate data;\n- erasure of your data;\n- data portability.\n"
    gdpr = _law(text, tmp_path, "gdpr")
    assert gdpr["gdpr-right-rectification"] == "met" and gdpr["gdpr-right-erasure"] == "met"
    assert gdpr["gdpr-right-portability"] == "met"


def test_rights_in_table_rows_under_a_rights_heading(tmp_path):
    text = ("## Your rights\n\n| Right | How |\n|---|---|\n| Rectification | Write to privacy@example.com |\n"
            "| Erasure | Use the form in your account |\n")
    gdpr = _law(text, tmp_path, "gdpr")
    assert gdpr["gdpr-right-rectification"] == "met" and gdpr["gdpr-right-erasure"] == "met"


def test_reserving_a_right_is_not_granting_one(tmp_path):
    text = "We reserve the right to correct, delete or restrict any content at our discretion.\n"
    gdpr = _law(text, tmp_path, "gdpr")
    assert gdpr["gdpr-right-rectification"] != "met" and gdpr["gdpr-right-erasure"] != "met"


def test_a_sentence_on_what_a_law_contains_grants_nothing(tmp_path):
    """A generator's note on national law ("The BDSG contains special provisions on the right to information,
    the right to deletion, the right to object ...") names rights as a statute's subject: for no law do they
    become rights the policy gives; a grant in the next sentence still counts."""
    note = ("National data protection regulations: in addition to the GDPR, national rules apply. The Federal "
            "Data Protection Act contains special provisions on the right to information, the right to deletion "
            "and the right to object.\n")
    for law, rid in (("gdpr", "gdpr-right-access"), ("gdpr", "gdpr-right-erasure"), ("gdpr", "gdpr-right-object"),
                     ("ccpa", "ccpa-right-know"), ("ccpa", "ccpa-right-delete"), ("dpdp", "dpdp-right-access")):
        assert _law(note, tmp_path, law)[rid] == "missing", rid
    granted = note + "You have the right to request deletion of your personal data.\n"
    assert _law(granted, tmp_path, "gdpr")["gdpr-right-erasure"] == "met"


def test_a_definition_of_a_term_is_not_a_statement_of_practice(tmp_path):
    """Definitions ('"Vendor Partner" shall mean third party providers ...') say what a word means: the parties
    they name receive nothing and the data types they list are not said to be collected. A definition that
    names the business with its legal form still identifies it."""
    defs = ("Definitions\n\n"
            '- "TPSP" shall mean a third-party service provider.\n'
            '- "Vendor Partner" shall mean third party providers who offer rental services on the platform.\n'
            '- "Personal Information" shall mean information such as your name, e-mail address and phone number.\n')
    assert _law(defs, tmp_path, "gdpr")["gdpr-recipients"] == "missing"
    assert _law(defs, tmp_path, "ccpa")["ccpa-third-parties"] == "missing"
    assert _law(defs, tmp_path, "dpdp")["dpdp-personal-data"] == "missing"
    shared = defs + "We share your e-mail address with our payment service providers to process payments.\n"
    assert _law(shared, tmp_path, "gdpr")["gdpr-recipients"] != "missing"
    company = '"Company" shall mean Northwind Rentals Private Limited, having its office at 4 Park Street, Kolkata.\n'
    assert _law(company, tmp_path, "gdpr")["gdpr-controller-identity"] != "missing"


# --------------------------------------------------------------------------- evidence that supports the verdict

BROWSER_NOTICE = """\
Browser Data Notice

Health report: the browser collects performance data and sends it back to your browser so you can see
how your browser performance changes over time.

Secure certificates: when you visit a secure website, the browser validates the website's certificate.
If you disable the online verification feature, the browser cannot confirm the identity of the website
you are visiting.

In the general release version of the browser, this feature is turned off by default.
"""


def test_sentences_about_something_else_are_not_evidence(tmp_path):
    ccpa = _law(BROWSER_NOTICE, tmp_path, "ccpa")
    assert ccpa["ccpa-verification"] == "missing"  # a certificate check is not request verification
    gdpr = _law(BROWSER_NOTICE, tmp_path, "gdpr")
    assert gdpr["gdpr-right-access"] == "missing"  # seeing your browser's performance is not access
    assert gdpr["gdpr-right-rectification"] == "missing"
    assert gdpr["gdpr-policy-changes"] == "missing"  # "version of the browser" is not a policy version


def test_retention_period_for_one_category_is_partial(tmp_path):
    text = ("Data retention\nWe delete your account data within 30 days after you close your account. "
            "Usage data and logs are kept for as long as needed to provide the services.\n")
    assert _law(text, tmp_path, "gdpr")["gdpr-retention-period"] == "partial"
    whole = ("Data retention\nWe delete your account data within 30 days after you close your account. "
             "Server logs are deleted after 14 days.\n")
    assert _law(whole, tmp_path, "gdpr")["gdpr-retention-period"] == "met"


def test_plain_and_translated_wording(tmp_path):
    text = ("Your rights\n"
            "Tell us if you want to see the personal data we keep about you and we will send it to you. "
            "You can request the limitation of processing of your data. "
            "You may revoke your consent at any time with effect for the future. "
            "You can have your data transferred to another service provider. "
            "You can object to the use of your data for direct marketing at any time, and to other processing "
            "based on our legitimate interests.\n")
    gdpr = _law(text, tmp_path, "gdpr")
    for rid in ("gdpr-right-access", "gdpr-right-restriction", "gdpr-withdraw-consent", "gdpr-right-portability",
                "gdpr-right-object"):
        assert gdpr[rid] == "met", rid


def test_a_vendor_transfer_is_not_portability(tmp_path):
    text = "We transfer your data to another service provider that hosts our website.\n"
    assert _law(text, tmp_path, "gdpr")["gdpr-right-portability"] == "missing"


def test_a_right_restated_is_not_a_disclosure(tmp_path):
    text = ("Your California Privacy Rights\nIf you are a California resident, you have the right to:\n"
            "- know what personal information we have collected about you, including the categories of sources "
            "and the categories of third parties to whom we sold it;\n"
            "- request deletion of your personal information.\n")
    assert _law(text, tmp_path, "ccpa")["ccpa-sources"] != "met"


LEGAL_BASES_TABLE = """\
# Privacy notice

## Why we process your data and on what legal basis

| Purpose | Data | Legal basis |
|---|---|---|
| Providing your account | name, e-mail address, password | Performance of a contract (Art. 6(1)(b) GDPR) |
| Sending our newsletter | e-mail address | Your consent (Art. 6(1)(a) GDPR) |
| Preventing fraud | IP address, device data | Our legitimate interest in preventing fraud (Art. 6(1)(f) GDPR) |
"""


def test_a_legal_bases_table_is_read_row_by_row(tmp_path):
    p = tmp_path / "notice.md"
    p.write_text(LEGAL_BASES_TABLE, encoding="utf-8")
    res = {r.requirement.id: r for r in pipeline.analyze(p, laws=["gdpr"]).results}
    for rid in ("gdpr-legal-basis", "gdpr-purposes"):
        assert res[rid].status == "met", rid
        assert {e.line_start for e in res[rid].evidence} >= {7, 8}, rid  # quoted row by row
        assert all(e.quote.startswith("| ") for e in res[rid].evidence)


def test_headings_are_quoted_only_when_nothing_else_supports_the_verdict(tmp_path):
    res = {r.requirement.id: r for r in pipeline.analyze(_write(tmp_path, LEGAL_BASES_TABLE), laws=["gdpr"]).results}
    assert all(not e.quote.startswith("#") for e in res["gdpr-legal-basis"].evidence)


def _write(tmp_path, text, name="notice.md"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_a_lexicon_change_counts_as_a_checklist_change(monkeypatch, tmp_path):
    """Re-checks compare checklist digests: the shared vocabulary is part of every checklist."""
    from gapcheck import checklists, lexicon

    text = "law: acme\nitems:\n  - {id: acme-x, title: X, citation: c, kind: m, severity: low, recommendation: r,\n" \
           "     met_when: {concept: right.erase}, examples: {met: [delete your data]}}\n"
    before = checklists.parse_checklist(text).digest
    (tmp_path / "lexicon").mkdir()
    for path in checklists.lexicon_files():
        (tmp_path / "lexicon" / path.name).write_text(path.read_text(encoding="utf-8") + "\n# edited\n")
    monkeypatch.setattr(lexicon, "packaged_dir", lambda: tmp_path)
    assert checklists.parse_checklist(text).digest != before


def test_we_as_controller_does_not_name_a_controller(tmp_path):
    """'Where we act as controller' names no one: with only an e-mail address the identity is partial."""
    text = ("Privacy notice\n\nWhere we act as a data controller, this notice explains how we use your data.\n"
            "If you have questions, write to privacy@shopfront.example.\n")
    r = _results(text, tmp_path, "gdpr")["gdpr-controller-identity"]
    assert r.status.value == "partial", r.status


def test_a_paragraph_opened_for_eea_residents_grants_no_ccpa_rights(tmp_path):
    """'If you are located in the EEA ..., you have a number of rights. For example, ...': the opening
    condition frames the whole paragraph, so the rights that follow are the EEA's, not Californians'."""
    text = ("Your choices\n\nIf you live in the EEA or the UK, you have several rights regarding your personal "
            "data. For example, you have the right to access your data and to have it corrected or deleted. "
            "To exercise them, e-mail privacy@adnet.example.\n")
    res = _results(text, tmp_path, "ccpa")
    for rid in ("ccpa-right-know", "ccpa-right-delete", "ccpa-right-correct"):
        assert res[rid].status.value != "met", rid
    assert _results(text, tmp_path, "gdpr")["gdpr-right-access"].status.value == "met"


def test_a_copy_of_the_transfer_clauses_is_not_a_copy_of_your_data(tmp_path):
    text = ("International transfers\n\nWe transfer data to the United States under standard contractual clauses. "
            "You can contact us to request a copy of our Standard Contractual Clauses.\n")
    assert _results(text, tmp_path, "ccpa")["ccpa-right-know"].status.value == "missing"


def test_emphasis_marks_around_a_heading_do_not_hide_its_scope():
    from gapcheck.scope import heading_scope

    assert heading_scope("__EU privacy/data protection rights") == "eea-uk"
    assert heading_scope("**California Residents**") == "california"



def test_single_mark_emphasis_around_a_heading_does_not_hide_its_words(tmp_path):
    """"_Data Protection Officer:_" over an e-mail: the DPO heading with its contact ("_" is a word
    character, so the marks hid the heading's first word)."""
    from gapcheck.segment import heading_of

    assert heading_of("_Data Protection Officer:_  ") == (2, "Data Protection Officer:")
    text = ("Privacy Notice\n\nWe process your data as described here.\n\nContact information:\n\n"
            "_Data Protection Officer:_  \n[privacy@example.com](mailto:privacy@example.com)  \nExample Oy\n")
    assert _results(text, tmp_path, "gdpr")["gdpr-dpo-contact"].status.value == "met"


def test_withdrawal_by_switching_off_one_feature_is_partial(tmp_path):
    text = ("Location\n\nWith your consent we use your precise location to show nearby shops. You can withdraw your "
            "consent at any time by turning off location services on your phone.\n\nWe send newsletters with your "
            "consent.\n")
    assert _results(text, tmp_path, "gdpr")["gdpr-withdraw-consent"].status.value == "partial"


def test_an_ad_industry_opt_out_is_not_the_direct_marketing_objection(tmp_path):
    text = ("Your rights\n\nYou have the right to object to processing based on our legitimate interests.\n\n"
            "Advertising\n\nWe send you offers by e-mail. To opt out of interest-based advertising at any time, visit "
            "the Digital Advertising Alliance's opt-out page.\n")
    assert _results(text, tmp_path, "gdpr")["gdpr-right-object"].status.value == "partial"


def test_changes_announced_beyond_the_policy_page_are_a_notification_process(tmp_path):
    text = ("Changes to this Privacy Policy\n\nWe may amend this policy from time to time. If we make any substantial "
            "changes to this policy we will notify you by posting a prominent announcement on our home page.\n")
    assert _results(text, tmp_path, "gdpr")["gdpr-policy-changes"].status.value == "met"
    assert _results(text, tmp_path, "ccpa")["caloppa-change-process"].status.value == "met"
    posted = ("Changes to this Privacy Policy\n\nWe will notify you of any changes by posting the new Privacy Policy "
              "on this page.\n")
    assert _results(posted, tmp_path, "gdpr")["gdpr-policy-changes"].status.value == "partial"


def test_right_to_object_needs_the_marketing_objection_only_where_there_is_marketing(tmp_path):
    general = ("Your rights\n\nYou have the right to object to processing based on our legitimate interests, on "
               "grounds relating to your particular situation.\n")
    assert _results(general, tmp_path, "gdpr")["gdpr-right-object"].status.value == "met"
    marketing = general + "\nNewsletter\n\nWe send our newsletter to customers who sign up for it.\n"
    assert _results(marketing, tmp_path, "gdpr")["gdpr-right-object"].status.value == "partial"


def test_pii_is_personal_information(tmp_path):
    """US policies say "PII": a request to correct or delete any PII is the CCPA request."""
    text = ("Updating or deleting your PII\n\nIf you'd like us to update, correct, delete, or deactivate any PII that "
            "you have provided to us, send your request to privacy@adco.example and we will process it promptly.\n")
    res = _results(text, tmp_path, "ccpa")
    assert res["ccpa-right-delete"].status.value == "met"
    assert res["ccpa-right-correct"].status.value == "met"


def test_privacy_shield_choice_boilerplate_is_no_way_to_withdraw_consent(tmp_path):
    text = ("Privacy Shield\n\nWe do not sell personal data. If this practice should change in the future, we will "
            "update this policy and provide individuals with opt-out or opt-in choice as appropriate.\n\n"
            "Consent\n\nWe record support calls with your consent.\n")
    assert _results(text, tmp_path, "dpdp")["dpdp-withdraw-consent"].status.value == "missing"
    assert _results(text, tmp_path, "gdpr")["gdpr-withdraw-consent"].status.value != "partial"


def test_eu_establishment_is_ours_not_a_recipients(tmp_path):
    shared = ("Privacy Policy\n\nWe are an online grocery based in Pune.\n\nHow We Share Your Information\n\n"
              "- **Ad Platform Ireland Limited**, 1 Grand Canal Square, Dublin 2, Ireland\n\n"
              "We offer delivery to customers in Germany and France.\n")
    assert _results(shared, tmp_path, "gdpr")["gdpr-eu-representative"].status.value != "not_applicable"
    ours = "Privacy Policy\n\nWho we are. Tallbird is a French company incorporated in Paris.\n"
    assert _results(ours, tmp_path, "gdpr")["gdpr-eu-representative"].status.value == "not_applicable"


# ----------------------------------------------------------- first contact, audit 4 (US ad-tech, CPRA-era)

AD_TECH = """\
Information We Collect
We collect your name, e-mail address and postal address when you subscribe to our magazines.

How Long We Keep Information
Browsing data about users is kept for a maximum of 13 months, after which it is de-identified.

How We Share Information
We may share a hashed or encrypted e-mail address with our advertising partners to help recognise
you across devices. Our partners may collect information on our sites through a pixel.

Security
We maintain reasonable administrative, technical and physical safeguards to protect your information.

Business transfers
If we sell all or a portion of our business, we will seek to notify you of the change in ownership
by e-mail.

Changes to this Policy
We may update this Privacy Policy periodically. If we make material changes, we will indicate the
date of the latest revision at the top of this page. We may also provide notice of material changes
in other manners at our discretion. We encourage you to periodically review this page.
"""


def test_one_retention_period_for_one_category_is_partial(tmp_path):
    assert _results(AD_TECH, tmp_path, "gdpr")["gdpr-retention-period"].status == "partial"


def test_periods_for_several_categories_are_met(tmp_path):
    text = AD_TECH.replace(
        "after which it is de-identified.",
        "after which it is de-identified.\nSubscriber records are deleted two years after your "
        "subscription ends, and invoices are kept for seven years as tax law requires.")
    assert _results(text, tmp_path, "gdpr")["gdpr-retention-period"].status == "met"


def test_hashed_email_for_ad_matching_is_not_a_security_measure(tmp_path):
    assert _results(AD_TECH, tmp_path, "gdpr")["gdpr-security"].status == "partial"


def test_sale_notice_and_discretionary_notice_are_not_a_change_process(tmp_path):
    assert _results(AD_TECH, tmp_path, "gdpr")["gdpr-policy-changes"].status == "partial"
    assert _results(AD_TECH, tmp_path, "ccpa")["caloppa-change-process"].status == "partial"



# --------------------------------------------------------------------------- audit 5 (blind, unseen policies)

def test_evidence_keeps_the_sentence_that_decided_over_a_footer_of_links(tmp_path):
    """A sentence with six links (six hits of one leaf) must not push out the sentence holding both
    the complaint channel and its deadline: a reviewer has to see why the verdict is "met"."""
    links = " ".join(f"[Page {k}](https://example.com/p{k})" for k in range(6))
    text = (f"Acme Privacy Policy\n\n{links}\n\n{links}\n\n{links}\n\n{links}\n\n"
            "Complaints\nIf you have a complaint about how we handle your data, write to privacy@example.com. "
            "We will resolve any complaint within 30 days of receipt.\n")
    r = _results(text, tmp_path, "dpdp")["dpdp-grievance"]
    assert r.status == "met"
    assert any("within 30 days" in e.quote for e in r.evidence), [e.quote[:60] for e in r.evidence]


def test_markdown_underscore_emphasis_does_not_hide_words(tmp_path):
    """'_' is a word character: `\\blast` did not match in "_Last Revised: ..._", so the date row
    was missing although the policy is dated."""
    text = "Acme Privacy Policy\n\nWe collect your e-mail address.\n\n_Last Revised: July 17th, 2024_\n"
    r = _results(text, tmp_path, "ccpa")["ccpa-last-updated"]
    assert r.status == "partial" and r.evidence[0].line_start == 5
    from gapcheck.annotate import mask_long_runs

    s = "See __Your rights__ and the user_id field, _Last Revised_."
    masked = mask_long_runs(s)
    assert len(masked) == len(s) and "user_id" in masked and "__" not in masked and "_Last" not in masked


def test_cloudflare_email_link_is_not_a_web_link(tmp_path):
    """"[\\[email protected\\]](https://host/cdn-cgi/l/email-protection)" is residue of an address the
    page script never showed: its link made the rights row 'met' as if a request link were given.
    The words stay (an e-mail channel, broken), the link is not read."""
    from gapcheck.annotate import mask_long_runs

    link = "[\\[email protected\\]](https://example.com/cdn-cgi/l/email-protection#a1b2)"
    s = f"Send your request to {link} today."
    masked = mask_long_runs(s)
    assert len(masked) == len(s) and "https" not in masked and "email protected" in masked
    text = ("Acme Privacy Policy\n\nYour rights\n\nYou can exercise these rights by sending your requests to "
            f"{link}. We may ask for reasonable evidence to verify your identity.\n")
    r = _results(text, tmp_path, "dpdp")["dpdp-rights-exercise"]
    assert r.status == "partial", r.status


def test_star_emphasis_split_inside_a_phrase_is_read_through(tmp_path):
    """A capture that bolds each fragment ("**Limit the** **processing**") put marks between the words
    of a phrase; the join is blanked for matching, while run-in labels keep their marks (sentences)."""
    from gapcheck.annotate import mask_long_runs, sentences

    s = "You may **Limit the** **processing** of your data, or *object to* *it*. **Access.** You can ask."
    masked = mask_long_runs(s)
    assert len(masked) == len(s) and "Limit the     processing" in masked and "object to   it" in masked
    assert "**Access.**" in masked and len(sentences(masked)) == len(sentences(s))
    text = "Your rights\n\nYou have the right to **Limit the** **processing** of your personal data.\n"
    r = _results(text, tmp_path, "gdpr")["gdpr-right-restriction"]
    assert r.status == "met" and "**Limit the** **processing**" in r.evidence[0].quote


def test_lead_in_to_a_list_shown_only_as_an_image_is_not_the_list(tmp_path):
    """A capture that keeps a table only as an image leaves its lead-in ("... is listed below:") with
    nothing after it; the lead-in alone does not name the categories (it made the row a false met)."""
    base = ("Privacy Policy\n\nLast updated: November 1, 2026\n\nCalifornia Privacy Notice\n\n"
            "We use sensitive personal information only for purposes permitted under the CCPA.\n\n"
            "The sensitive personal information we collect, or have collected in the last 12 months, is listed below:"
            "\n\n* * *\n\nSensitive Personal Information\n\n")
    image = base + "[![](https://cdn.example.com/table.png)](https://charts.example.com/x/1/)\n\n* * *\n"
    listed = base + "* Account log-in credentials\n* Precise geolocation\n"
    r = _results(image, tmp_path, "ccpa")["ccpa-sensitive-pi"]
    assert r.status == "partial" and not any("listed below" in e.quote for e in r.evidence)
    assert _results(listed, tmp_path, "ccpa")["ccpa-sensitive-pi"].status == "met"


def test_portable_copy_alone_is_not_the_access_right(tmp_path):
    text = ("Your rights\nYou can access and update your profile information through the app.\n\n"
            "Data portability\nYou can request a copy of your personal information in a portable format.\n")
    assert _law(text, tmp_path, "gdpr")["gdpr-right-access"] == "partial"
    assert _law(text, tmp_path, "ccpa")["ccpa-right-know"] == "partial"
    both = "Your rights\nYou have the right to access your data and to receive a copy of it in a portable format.\n"
    assert _law(both, tmp_path, "gdpr")["gdpr-right-access"] == "met"


NESTED_RIGHTS = """\
13\\. Your Privacy Choices and Rights
------------------------------------

1.  **Your Privacy Choices.** The privacy choices you have are described below.
    1.  **Email Communications.** You may opt out by using the unsubscribe link in our e-mails.
2.  **Your Privacy Rights.** Depending on what laws apply to your Personal Data, you may have the right to:
    1.  **Request Access** to your personal information;
    2.  **Request Correction** of your personal information where it is inaccurate or outdated;
    3.  **Request Restriction of or Object to** our processing of your personal information;
3.  **Contact.** Write to privacy@example.com.
"""


def test_a_list_item_ending_in_a_colon_introduces_the_items_nested_under_it(tmp_path):
    """Rights named as bold nested items ("**Request Correction** of your ...") were read with no
    lead-in, so correction and restriction came out missing; the Markdown setext heading
    ("13\\. Title" over dashes) was one paragraph with its underline."""
    from gapcheck import ingest, segment

    got = _law(NESTED_RIGHTS, tmp_path, "gdpr")
    assert got["gdpr-right-rectification"] == "met" and got["gdpr-right-restriction"] == "met"
    p = tmp_path / "rights.md"
    p.write_text(NESTED_RIGHTS, encoding="utf-8")
    clauses = segment.segment(ingest.load(p))
    assert clauses[0].kind == "heading" and (clauses[0].line_start, clauses[0].line_end) == (1, 2)
    by_line = {c.line_start: c for c in clauses}
    assert by_line[8].lead_in.endswith("you may have the right to:")
    assert by_line[5].lead_in == "" and by_line[10].lead_in == ""  # siblings and other lists are not led in
    assert by_line[8].heading_path == ("13. Your Privacy Choices and Rights",)


RESTARTED_LIST = ("Acme Privacy Policy\n\nYour rights\n\n"
                  "17. We keep your data for two years.\n\n"
                  "18. Depending on where you live, you may have the following rights, subject to the law:\n\n"
                  "1. To **access** the personal information we hold about you;\n"
                  "2. To request **we correct** any inaccurate personal information we hold about you;\n"
                  "3. To **restrict** the processing of personal information we hold about you;\n"
                  "4. To **object** to the processing of personal information we hold about you.\n\n"
                  "19. We may ask you to verify your identity.\n")


def test_a_list_that_restarts_its_numbering_under_an_item_ending_in_a_colon_is_nested_under_it(tmp_path):
    """Converted pages lose the indent of a nested ordered list: "18. ... the following rights:" then
    "1. To **restrict** ...". The restart at 1 is the nesting; "19." resumes the outer list."""
    from gapcheck import ingest, segment

    got = _law(RESTARTED_LIST, tmp_path, "gdpr")
    assert got["gdpr-right-restriction"] == "met" and got["gdpr-right-object"] == "met"
    p = tmp_path / "restart.md"
    p.write_text(RESTARTED_LIST, encoding="utf-8")
    by_line = {c.line_start: c for c in segment.segment(ingest.load(p))}
    assert all(by_line[n].lead_in.endswith("subject to the law:") for n in (9, 10, 11, 12))
    assert by_line[14].lead_in == "" and by_line[7].lead_in == ""


def test_a_business_that_neither_sells_nor_shares_leaves_the_signal_duty_to_confirm(tmp_path):
    """review_when: the text does not meet the opt-out-signal duty, but a clean no-sale/no-sharing
    statement may take the business out of it (11 CCR 7025(c)(1)): "to confirm", quoted, not a gap."""
    text = ("Acme Privacy Policy\n\nWe collect your e-mail address.\n\n"
            "We do not share or sell information to any third party.\n")
    r = _results(text, tmp_path, "ccpa")["ccpa-opt-out-signal"]
    assert r.status == "review" and r.evidence[0].line_start == 5 and "7025(c)(1)" in r.rationale
    hedged = text.replace("to any third party.", "to any third party, except to our advertising partners.")
    assert _results(hedged, tmp_path, "ccpa")["ccpa-opt-out-signal"].status == "missing"


def _address(*lines: str) -> str:
    return "  \n".join(lines) + "\n"  # Markdown hard line breaks: two spaces at the end of each line


ADDRESS_BLOCK = (
    "# Privacy Policy\n\n### **1\\. Who We Are**\n\n"
    "If you live in the European Economic Area, the company responsible for your data is:\n\n"
    + _address("Acme Dating Ireland Limited", "1 Harbour Street Upper", "Dublin 2", "Ireland")
    + "\nIf you live outside the EEA, the company responsible for your data is:\n\n"
    + _address("Acme Dating, Inc.", "809 Main Street", "New York, NY 10014", "United States")
    + "\n### **2\\. Your Rights**\n\nYou have the right to access, correct, restrict or delete your personal "
    "data, and to port it to another company.\n"
)


def test_address_lines_are_not_headings_and_do_not_scope_what_follows(tmp_path):
    """'United States' as the last line of an address (Markdown hard line breaks) opened a US-states
    section over the rest of a dating app's policy; every GDPR right came out partial."""
    from gapcheck import ingest, segment

    p = tmp_path / "policy.md"
    p.write_text(ADDRESS_BLOCK, encoding="utf-8")
    clauses = segment.segment(ingest.load(p))
    assert not any(c.kind == "heading" and c.text.strip() in ("United States", "Ireland", "Dublin 2")
                   for c in clauses)
    rights = next(c for c in clauses if c.text.startswith("You have the right"))
    assert rights.scope == "all" and rights.heading_path[-1].endswith("Your Rights")
    got = _law(ADDRESS_BLOCK, tmp_path, "gdpr")
    assert got["gdpr-right-restriction"] == "met" and got["gdpr-right-portability"] == "met"


def test_first_line_of_an_address_block_after_a_lead_in_is_not_a_heading(tmp_path):
    """"... contact the person responsible for data protection directly:" over "Acme AG  " / "Main
    Street 2  " / ...: the company line was read as a heading, which cut the DPO lead-in off its
    address, so the grievance channel was missing and the entity line was never quoted."""
    from gapcheck import ingest, segment

    text = ("# Privacy Policy\n\nWe have appointed a data protection officer.\n\nIf you have any questions about data "
            "protection, please send us an email or contact the person responsible for data protection in our "
            "organization directly:\n\n" + _address("Acme AG", "Bucherstrasse 2", "9322 Egnach", "Switzerland",
                                                     "[info@acme.example](mailto:info@acme.example)")
            + "\n## What we collect\n\nWe collect search queries.\n")
    p = tmp_path / "policy.md"
    p.write_text(text, encoding="utf-8")
    clauses = segment.segment(ingest.load(p))
    assert not any(c.kind == "heading" and c.text.strip() == "Acme AG" for c in clauses)
    block = next(c for c in clauses if c.text.startswith("Acme AG"))
    assert "Bucherstrasse 2" in block.text
    r = _results(text, tmp_path, "dpdp")["dpdp-grievance"]
    assert r.status == "partial" and any("Acme AG" in e.quote for e in r.evidence), r


def test_collapsible_section_toggle_captured_as_a_table_row_is_a_heading(tmp_path):
    """A page of collapsible sections, captured with each toggle as a one-row table ("|   |   |" /
    "| --- | --- |" / "| **6\\. European Territory Visitors** | **+** |"): the toggles were table rows, so the
    European visitors' rights read as everyone's and the California section never closed."""
    from gapcheck import ingest, segment

    def toggle(title: str) -> str:
        return f"|     |     |\n| --- | --- |\n| **{title}** | **+** |\n\n"

    text = ("# Privacy Policy\n\n" + toggle("1\\. Who we are") + "We are Acme Inc.\n\n"
            + toggle("6\\. European Territory Visitors")
            + "You have the right to access, rectify and erase your personal data.\n\n"
            + toggle("7\\. California Privacy Rights") + "We do not sell your personal information.\n\n"
            + toggle("8\\. Do Not Track Disclosure") + "We do not respond to Do Not Track signals.\n")
    p = tmp_path / "policy.md"
    p.write_text(text, encoding="utf-8")
    clauses = segment.segment(ingest.load(p))
    heads = {c.text.split("**")[1]: c.scope for c in clauses if c.kind == "heading" and c.text.startswith("|")}
    assert heads == {"1\\. Who we are": "all", "6\\. European Territory Visitors": "eea-uk",
                     "7\\. California Privacy Rights": "california", "8\\. Do Not Track Disclosure": "all"}, heads
    rights = next(c for c in clauses if c.text.startswith("You have the right"))
    assert rights.scope == "eea-uk"
    # a real table whose rows happen to look like toggles stays a table
    table = "| Data | Kept |\n| --- | --- |\n| **Logs** | - |\n| **Orders** | - |\n"
    assert all(c.kind == "table" for c in segment.segment(ingest.from_text(table)))


TWO_PART_NOTICE = """\
Privacy Policy
==============

I. Privacy Policy for our customers
-----------------------------------

### Your rights

You have the right to access, rectify and erase your personal data.

II. North America Privacy Policy
--------------------------------

For users incorporated in the USA, Canada, Australia and New Zealand

### Children

We do not knowingly collect personal information from children under 16. If we learn that we
have, we delete it.
"""


def test_plain_heading_inside_a_markdown_section_does_not_close_it(tmp_path):
    """A plain line ("For users incorporated in the USA ...") after a setext heading closed it, so the
    North America part of a two-part notice read as addressed to everyone: its children statement
    made GDPR's children row met."""
    from gapcheck import ingest, segment

    p = tmp_path / "policy.md"
    p.write_text(TWO_PART_NOTICE, encoding="utf-8")
    clauses = segment.segment(ingest.load(p))
    kids = next(c for c in clauses if c.text.startswith("We do not knowingly"))
    assert kids.scope == "us-states" and "II. North America Privacy Policy" in kids.heading_path
    rights = next(c for c in clauses if c.text.startswith("You have the right"))
    assert rights.scope == "all"
    assert _law(TWO_PART_NOTICE, tmp_path, "gdpr")["gdpr-children"] != "met"


def test_where_data_goes_counts_in_any_section(tmp_path):
    """`any_section`: hosting abroad stated in the EEA section is a fact for Indian readers too
    (dpdp-cross-border met), while a right stated there stays partial for DPDP."""
    text = ("Privacy notice\n\nInformation for users in the EEA\n\n"
            "The Services are hosted and operated in the United States and your data is stored on servers there.\n\n"
            "You have the right to request correction and erasure of your personal data.\n")
    got = _law(text, tmp_path, "dpdp")
    assert got["dpdp-cross-border"] == "met"
    assert got["dpdp-right-correction-erasure"] == "partial"


def test_any_section_must_be_true_or_false(tmp_path):
    from gapcheck import checklists
    from gapcheck.errors import ChecklistError

    src = (checklists.packaged_dir() / "dpdp.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "dpdp.yaml"
    bad.write_text(src.replace("any_section: true", "any_section: sometimes", 1), encoding="utf-8")
    with pytest.raises(ChecklistError, match="any_section"):
        checklists.load_checklist(bad)


def test_rights_under_a_heading_naming_eu_legislation_are_eea_only(tmp_path):
    """'YOUR RIGHTS BASED ON EU/EEA LEGISLATION' scopes its section: the rights there made the CCPA
    right-to-know and deletion rows met for a Swedish app."""
    text = ("PRIVACY POLICY\n\n1. HOW WE USE DATA\n\nWe use your data to provide the service.\n\n"
            "2. YOUR RIGHTS BASED ON EU/EEA LEGISLATION\n\n"
            "* Right of access: you have the right to access the personal data we process about you.\n"
            "* Right to erasure: you have the right to request that we delete your personal data.\n")
    ccpa = _law(text, tmp_path, "ccpa")
    assert ccpa["ccpa-right-know"] == "partial" and ccpa["ccpa-right-delete"] == "partial"
    assert _law(text, tmp_path, "gdpr")["gdpr-right-erasure"] == "met"


def test_list_under_a_sentence_that_stops_mid_way_is_read_with_it(tmp_path):
    """'... users and data subjects have the right' (no colon) over '* to correct ...' items: each
    item is a right (an Austrian app's whole rights section was missed)."""
    text = ("The rights of users\n\nWith regard to the data processing described below, users and data "
            "subjects have the right\n\n"
            "* to correct or complete incorrect or incomplete data (cf. Art. 16 GDPR);\n"
            "* to receive copies of the data provided by them and to have the same transmitted to other "
            "providers/controllers (cf. Art. 20 GDPR);\n"
            "* to file complaints with the supervisory authority if they believe that their data is processed "
            "in breach of data protection provisions (see Art. 77 GDPR).\n")
    got = _law(text, tmp_path, "gdpr")
    for rid in ("gdpr-right-rectification", "gdpr-right-portability", "gdpr-complaint-authority"):
        assert got[rid] == "met", rid


# --------------------------------------------------------------------------- audits 13-17 (blind, unseen policies)

@pytest.mark.parametrize(("name", "law", "rid", "want"), [
    # rights listed only under "US state-specific rights disclosures" are not general GDPR rights
    ("plex.md", "gdpr", "gdpr-right-rectification", "partial"),
    ("plex.md", "gdpr", "gdpr-right-portability", "partial"),
    ("plex.md", "ccpa", "ccpa-right-correct", "met"),
    # "If you would like to review, change or delete ..., please contact us"
    ("policyboss.com.md", "gdpr", "gdpr-right-access", "met"),
    ("policyboss.com.md", "gdpr", "gdpr-right-rectification", "met"),
    # "we will inform you by posting such changes here" is no notification process
    ("policyboss.com.md", "ccpa", "caloppa-change-process", "partial"),
    # "We will inform you of the material updates and recommend that you consult this policy"
    ("ubisoft.md", "gdpr", "gdpr-policy-changes", "partial"),
    ("ubisoft.md", "gdpr", "gdpr-complaint-authority", "met"),
    ("ubisoft.md", "ccpa", "ccpa-last-updated", "partial"),  # "10/2023": month and year only
    # "Yelp does not sell your personal information and will not do so ... opt-out of such sale"
    ("yelp.md", "ccpa", "ccpa-sale-sharing", "partial"),
    ("yelp.md", "gdpr", "gdpr-statutory-requirement", "partial"),  # "we will make this clear at the relevant time"
    # ---------------------------------------------------------------- audits 16-17
    # "These rights are –" over "* To correct incorrect info", "* To stop or restrict certain processes"
    ("trainline.md", "gdpr", "gdpr-right-rectification", "met"),
    ("trainline.md", "gdpr", "gdpr-right-restriction", "met"),
    ("trainline.md", "gdpr", "gdpr-right-portability", "met"),
    # "we'll never keep it for longer than we need to"
    ("trainline.md", "gdpr", "gdpr-retention-period", "partial"),
    # "If there's a significant change, we will notify you": no channel, no timing
    ("trainline.md", "gdpr", "gdpr-policy-changes", "partial"),
    ("trainline.md", "ccpa", "caloppa-change-process", "partial"),
    # ads shown "when you're browsing elsewhere on the internet": tracking across sites
    ("trainline.md", "ccpa", "caloppa-dnt", "missing"),
    # rights only for "(CO, CT, OR, TX, UT, VA Residents)"
    ("pandora.md", "gdpr", "gdpr-right-erasure", "partial"),
    ("pandora.md", "gdpr", "gdpr-right-access", "partial"),
    ("pandora.md", "ccpa", "ccpa-right-delete", "partial"),
])
def test_audit_classes_on_real_policies(name: str, law: str, rid: str, want: str) -> None:
    got = {r.requirement.id: r for r in pipeline.analyze(FIXTURES / "unseen" / name, laws=[law]).results}[rid]
    assert got.status.value == want, (rid, got.status.value, [e.quote[:80] for e in got.evidence])


def test_a_table_of_contents_entry_is_no_evidence(tmp_path):
    toc = ("Privacy Policy\n\nLast updated: June 1, 2026\n\nContents\n\n"
           "* [Your right to have us delete your data](#delete)\n"
           "* [Transfers of your data to the United States](#transfers)\n\n"
           "We collect your name and e-mail address.\n")
    res = _results(toc, tmp_path, "gdpr")
    assert res["gdpr-right-erasure"].status == "missing"
    body = toc + "\nYou have the right to have us delete your personal data.\n"
    assert _results(body, tmp_path, "gdpr")["gdpr-right-erasure"].status == "met"
    # a word processor's nested contents with "_Toc" anchors and hard line breaks is the same
    word = toc.replace("* [Your right to have us delete your data](#delete)\n",
                       "5. [How you can change what we hold](#_Toc520738045)  \n"
                       "    [Your right to have us delete your data](#_Toc520738046)\n")
    assert _results(word, tmp_path, "gdpr")["gdpr-right-erasure"].status == "missing"


def test_a_contents_list_whose_links_were_lost_is_no_evidence(tmp_path):
    # a page capture keeps the contents as bare lines; each repeats a heading further down
    titles = ["What we collect", "Your right to be forgotten", "Cookies", "Contact us"]
    body = {"What we collect": "We collect your e-mail address when you write to us.",
            "Your right to be forgotten": "You may ask us to delete your personal data at any time.",
            "Cookies": "We set one cookie to remember your language.",
            "Contact us": "Write to privacy@example.com."}
    text = "Privacy Policy\n\nLast updated: June 1, 2026\n\n" + "\n\n".join(titles) + "\n\n" + \
        "\n\n".join(f"## {t}\n\n{body[t]}" for t in titles) + "\n"
    contents_lines = range(5, 12)
    got = _results(text, tmp_path, "gdpr")["gdpr-right-erasure"]
    assert got.status == "met"
    assert got.evidence and not any(e.line_start in contents_lines for e in got.evidence)
    # the same line with no heading of that title further down is a line of its own, and is read
    alone = text.replace("## Your right to be forgotten", "## Deletion")
    got = _results(alone, tmp_path, "gdpr")["gdpr-right-erasure"]
    assert any(e.line_start in contents_lines for e in got.evidence)


def test_one_retention_statement_split_by_a_semicolon_is_one_place(tmp_path):
    one = ("Privacy Policy\n\nLast updated: June 1, 2026\n\nWe permanently destroy your biometric information when "
           "the first of the following occurs: (i) the purpose of collecting it has been satisfied; or (ii) within "
           "three (3) years of your last interaction with us.\n")
    assert _results(one, tmp_path, "gdpr")["gdpr-retention-period"].status == "partial"
    two = one.replace("(ii) within three (3) years", "(ii) we delete account data within three (3) years") + \
        "\nServer logs are deleted after 30 days.\n"
    assert _results(two, tmp_path, "gdpr")["gdpr-retention-period"].status == "met"


# --------------------------------------------------------------------------- round 18 classes

def test_obligation_and_consequence_in_consecutive_paragraphs_of_one_section(tmp_path):
    body = ("It is necessary to provide certain personal data, such as login information, to create an account.\n\n"
            "If you choose not to provide it, you may not be able to use all features of the Services.\n")
    same = _results("## Your data\n\n" + body, tmp_path, "gdpr")["gdpr-statutory-requirement"]
    assert same.status == "met" and len({e.line_start for e in same.evidence}) == 2
    # the same two paragraphs under different headings are two statements
    split = body.replace("\n\nIf you", "\n\n## Cookies\n\nIf you")
    assert _results("## Your data\n\n" + split, tmp_path, "gdpr")["gdpr-statutory-requirement"].status == "partial"


def test_a_heading_or_the_policys_overview_names_a_right_without_offering_it(tmp_path):
    text = ("This Privacy Policy describes how we collect and use your data. It also describes your choices "
            "regarding use, access and correction of your personal information and how to contact us or "
            "supervisory authorities in the event you have a complaint.\n\n"
            "### How to request deletion of your personal information\n\n"
            "We allow you to close your account. Our help centre explains how.\n")
    g = _results(text, tmp_path, "gdpr")
    assert g["gdpr-complaint-authority"].status == "partial"
    assert g["gdpr-right-erasure"].status == "partial"
    assert _results(text, tmp_path, "ccpa")["ccpa-right-correct"].status == "partial"


def test_account_self_service_in_a_rights_list_is_not_the_access_right(tmp_path):
    text = ("Below is a summary of your rights:\n\n"
            "* We provide you with the tools to access, review or update your personal information at any time "
            "through your account.\n"
            "* You can ask us to delete your personal information by contacting privacy@example.com.\n")
    assert _results(text, tmp_path, "gdpr")["gdpr-right-access"].status == "partial"
    assert _results(text, tmp_path, "ccpa")["ccpa-right-know"].status == "partial"
    with_request = text.replace("through your account.", "through your account, or request a copy from us.")
    assert _results(with_request, tmp_path, "gdpr")["gdpr-right-access"].status == "met"


def test_a_site_menu_kept_by_the_page_capture_states_nothing(tmp_path):
    menu = ("* [Sell with Acme](https://www.example.com/business/)\n"
            "* [Kids & Family](https://www.example.com/shop/kids/)\n")
    text = "Privacy notice\n\nWe use your data to run the service.\n\n" + menu
    r = _results(text, tmp_path, "ccpa")
    assert r["ccpa-sale-sharing"].status == "missing"
    assert r["ccpa-minors-sale"].status != "partial"
    # a footer's privacy-choice link is the statement itself, and stays evidence
    footer = text + "* [Do Not Sell or Share My Personal Information](https://www.example.com/dnss/)\n"
    assert _results(footer, tmp_path, "ccpa")["ccpa-right-opt-out"].status == "met"


def test_a_footer_menu_captured_as_one_line_of_links_states_nothing(tmp_path):
    """'Resources[FAQs](...)[Cryptography Whitepaper](...)[Encryption Overview](...)' names pages; it describes no
    safeguard."""
    text = ("Privacy notice\n\nWe use your data to run the service.\n\n"
            "Resources[FAQs](https://www.example.com/faq \"FAQs\")[Cryptography Whitepaper]"
            "(https://www.example.com/crypto.pdf \"Cryptography Whitepaper\")[Encryption Overview]"
            "(https://www.example.com/encryption)\n")
    assert _results(text, tmp_path, "dpdp")["dpdp-security"].status == "missing"
    # the same words in a sentence are a safeguard described
    prose = text + "\nAll messages are protected with end-to-end encryption.\n"
    assert _results(prose, tmp_path, "dpdp")["dpdp-security"].status != "missing"


SPANISH = """Declaración de privacidad

Nosotros recopilamos los datos personales que nos proporcionas cuando utilizas nuestros servicios, por ejemplo tu
nombre, tu dirección de correo electrónico y los datos de tu póliza. Usamos estos datos para prestar los servicios,
para la prevención del fraude y para cumplir con la ley. Tienes el derecho de solicitar que se borre la información
personal que tenemos sobre ti. No discriminaremos contra ti por ejercer tus derechos. Nosotros no vendemos tus datos
personales. Para ejercer tus derechos, llama al número de teléfono gratuito o visita nuestra página web.
"""


def test_a_policy_in_another_language_is_marked_to_confirm_not_missing(tmp_path):
    from gapcheck import ingest

    assert ingest.language_of(SPANISH) == "es"
    assert ingest.language_of((FIXTURES / "policies" / "bolt.eu.txt").read_text(encoding="utf-8")) == "en"
    p = tmp_path / "politica.txt"
    p.write_text(SPANISH, encoding="utf-8")
    report = pipeline.analyze(p, laws=["ccpa"])
    assert report.document.language == "es" and report.to_dict()["policy"]["language"] == "es"
    assert not [r for r in report.results if r.status == "missing"]
    unread = [r for r in report.results if r.status == "review" and "written in Spanish" in r.rationale]
    assert len(unread) > 15
    assert report.score < 30  # the rows it could not read count as gaps in the score, not as met


def test_a_numbered_contents_entry_is_no_heading_and_no_evidence(tmp_path):
    text = ("Privacy Policy\n\n7. [Cross-Border Data Transfers](#transfers)\n\n"
            "9. [How Long We Retain Your Data](#retention)\n\nWe use your data to run the service.\n")
    r = _results(text, tmp_path, "gdpr")
    assert r["gdpr-retention-period"].status == "missing"
    assert r["gdpr-international-transfers"].status in ("missing", "review")


def test_a_contents_entry_linking_to_its_section_by_full_address_is_no_evidence(tmp_path):
    text = ("Privacy Policy\n\n10. [Changes in Privacy Policy](https://example.com/privacy#changes)\n\n"
            "* [Your Rights of Access and Erasure](https://example.com/privacy#rights)\n\n"
            "We use your data to run the service.\n")
    r = _results(text, tmp_path, "gdpr")
    assert r["gdpr-policy-changes"].status == "missing"
    assert r["gdpr-right-erasure"].status == "missing"


def test_a_reviewers_verdict_on_a_policy_in_another_language_is_kept(tmp_path):
    p = tmp_path / "politica.txt"
    p.write_text(SPANISH, encoding="utf-8")
    review = tmp_path / "r.yaml"
    review.write_text("clauses: []\nverdicts:\n  - id: ccpa-right-correct\n    override: {status: missing, "
                      "reason: \"no correction right in the Spanish text\", by: \"A. Consultant\"}\n",
                      encoding="utf-8")
    r = {x.requirement.id: x for x in pipeline.analyze(p, laws=["ccpa"], review=review).results}
    assert r["ccpa-right-correct"].status == "missing" and r["ccpa-right-correct"].override is not None


def test_a_long_lead_in_still_introduces_its_list(tmp_path):
    """A rights lead-in longer than 300 characters ("You have the following rights, under applicable
    law (except where ...), which can be exercised by contacting ...:") still frames its items."""
    lead = ("6.1 You have the following rights, under applicable data protection laws (except where the exercise "
            "of these is restricted under applicable laws, for example due to judicial proceedings or the carrying "
            "out of investigations by a public authority of competent jurisdiction), which can be exercised by "
            "contacting the relevant Data Protection Officer at the contact details provided in paragraph 12.1 "
            "below, free of charge and within the time limits that the applicable laws set:")
    text = f"Your rights\n\n{lead}\n\na) rectification of your Personal Data.\n\nb) erasure of your Personal Data.\n"
    assert len(lead) > 300
    assert _law(text, tmp_path, "ccpa")["ccpa-right-correct"] == "met"


def test_a_sentence_opening_in_bold_or_with_a_template_variable_is_its_own_sentence(tmp_path):
    """A sentence may open in bold or italics or with a template variable ("... for the delivery.
    **{{% legal name %}}** is not responsible for ... data provided by the customer"): it is split from
    the one before, so the customer-provided data of a disclaimer is not read as a named source."""
    from gapcheck.annotate import sentences

    s = ("Consent is needed for the delivery. **{{% legal name %}}** is not responsible. *Note* that we may ask. "
         "{{ site.name }} keeps logs. A list, e.g. **this** one, stays whole.")
    assert [s[x.start:x.end] for x in sentences(s)] == [
        "Consent is needed for the delivery.", "**{{% legal name %}}** is not responsible.",
        "*Note* that we may ask.", "{{ site.name }} keeps logs.", "A list, e.g. **this** one, stays whole."]
    text = ("Acme Privacy Policy\n\nThe customer will be responsible for the information provided to us for the "
            "delivery. **{{% legal name %}}** is not responsible for the use of false or outdated data provided "
            "by the customer.\n")
    r = _results(text, tmp_path, "gdpr")["gdpr-data-sources"]
    assert r.status.value in ("review", "missing"), (r.status, [e.quote for e in r.evidence])


def test_a_two_word_company_form_does_not_end_a_sentence(tmp_path):
    """"NextBillion Technology Pvt. Ltd." is one name: the stop after "Pvt." does not end the sentence, so the
    controller's legal name is read whole."""
    from gapcheck.annotate import sentences

    s = ("This site is owned by NextBillion Technology Pvt. Ltd. and its affiliates. Acme Sdn. Bhd. runs it. "
         "Acme & Co. We care.")
    assert [s[x.start:x.end] for x in sentences(s)] == [
        "This site is owned by NextBillion Technology Pvt. Ltd. and its affiliates.", "Acme Sdn. Bhd. runs it.",
        "Acme & Co.", "We care."]


PIPELESS_TABLE = """\
Privacy Policy

The table below sets out why we use your data and on what legal basis.

Purpose for which data is used | Data | Legal basis
---|---|---
To provide the service | Name, e-mail address | Contractual necessity
To verify your identity and prevent fraud | Phone number | Legitimate interests
To answer the queries you send us | E-mail address | Legitimate interests

How long we keep your data
We keep your data while your account is open.
"""


def test_a_table_without_outer_pipes_is_read_row_by_row(tmp_path):
    """A Markdown table written without outer pipes ("a | b" over "---|---") is a table: one row per clause,
    so identity checks against fraud in one row and "queries you send us" in another do not make a verification
    process for rights requests, and each row's purpose and basis count together."""
    from gapcheck import ingest, segment

    clauses = segment.segment(ingest.from_text(PIPELESS_TABLE))
    rows = [c for c in clauses if c.kind == "table"]
    assert [c.line_start for c in rows] == [5, 6, 7, 8, 9]
    assert _results(PIPELESS_TABLE, tmp_path, "ccpa")["ccpa-verification"].status == "missing"
    # a line with a '|' over a rule of another cell count is no table
    other = "Name | Value\n---|---|---\nsome text\n"
    assert not any(c.kind == "table" for c in segment.segment(ingest.from_text(other)))


CUT_STEM = """\
Privacy notice

9. Data subject's rights

You have the right to

1. receive information on the processing of your data and to access your data;
2. require the rectification of your data;
3. require the erasure of your data.
"""


def test_a_short_line_that_stops_mid_sentence_introduces_the_list_under_it(tmp_path):
    """"You have the right to" on a line of its own is read as a heading for its shortness; it still stops
    mid-sentence, so it is the lead-in of the numbered rights under it, as "You have the right to:" would be. A
    short line that is a complete title ("Data we collect") introduces nothing."""
    from gapcheck import ingest, segment

    got = _results(CUT_STEM, tmp_path, "gdpr")
    for rid in ("gdpr-right-access", "gdpr-right-rectification", "gdpr-right-erasure"):
        assert got[rid].status == "met", rid
    titled = "Privacy notice\n\nData we collect\n\n1. Your name and e-mail address.\n"
    items = [c for c in segment.segment(ingest.from_text(titled)) if c.kind == "bullet"]
    assert [c.lead_in for c in items] == [""]


def test_numbered_template_sections_read_as_sections(tmp_path):
    """The numbered layout of a widely used UK template: "6. **Retaining and deleting personal data**" is a
    section title (bold, whatever its case) and "6.3 We will retain your personal data as follows:" opens a list
    rather than a section, so the lettered periods under it stay in section 6 and read as its schedule."""
    from gapcheck.segment import heading_of

    assert heading_of("6. **Retaining and deleting personal data**") is not None
    assert heading_of("3.1    In this Section 3 we have set out:") is None
    assert heading_of("6.3    We will retain your personal data as follows:") is None
    assert heading_of("2.1 Information You Give Us:") is not None  # a titled one stays a heading
    text = ("Privacy policy\n\nLast updated: 1 March 2026\n\n5. **Our details**\n\n5.1 We are Example Ltd.\n\n"
            "6. **Retaining and deleting personal data**\n\n"
            "6.1 Personal data that we process for any purpose shall not be kept for longer than is necessary for "
            "that purpose.\n\n6.2 We will retain your personal data as follows:\n\n"
            "(a) usage data will be retained for a minimum period of _5 years_ following the date of collection;\n\n"
            "(b) account data will be retained for a minimum period of _5 years_ following the date of closure of "
            "the relevant account;\n\n"
            "(c) enquiry data will be retained for a maximum period of _2 years_ following the date of the enquiry.\n")
    assert _results(text, tmp_path, "gdpr")["gdpr-retention-period"].status.value == "met"
    p = tmp_path / "p.md"
    p.write_text(text)
    found = pipeline.analyze(p, ["gdpr"]).findings
    assert "draft-vague-retention" not in {f.id for f in found}
