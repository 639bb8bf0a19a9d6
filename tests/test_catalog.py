"""The packaged checklists cover every requirement id of the catalog, exactly as spelled."""

from __future__ import annotations

import re

import pytest

from gapcheck import checklists

from .conftest import SHARED

CATALOG = SHARED / "catalog.md"


def catalog_ids() -> set[str]:
    text = CATALOG.read_text(encoding="utf-8")
    return set(re.findall(r"^\| ((?:gdpr|ccpa|caloppa|dpdp)-[a-z0-9-]+)", text, re.M))


@pytest.mark.skipif(not CATALOG.exists(), reason="shared catalog not available")
def test_every_catalog_id_has_a_checklist_item():
    ours = {r.id for law in checklists.packaged_laws() for r in checklists.load_law(law).requirements}
    missing = catalog_ids() - ours
    assert not missing, f"catalog ids without a checklist item: {sorted(missing)}"


def test_packaged_laws():
    assert set(checklists.packaged_laws()) >= {"gdpr", "ccpa", "dpdp"}


def test_ids_unique_across_laws():
    ids = [r.id for law in checklists.packaged_laws() for r in checklists.load_law(law).requirements]
    assert len(ids) == len(set(ids))


def test_generated_checklist_docs_are_in_sync():
    from .conftest import ROOT

    lists = tuple(checklists.load_law(law) for law in checklists.packaged_laws())
    want = checklists.to_markdown(lists)
    got = (ROOT / "docs" / "checklists.md").read_text(encoding="utf-8")
    assert got == want, "docs/checklists.md is stale: run `gapcheck checklists docs > docs/checklists.md`"
