"""In a real browser: the Results page draws each tab only while it is open, and Streamlit forgets an uploader that a
run did not draw. A results file chosen on "Results per placement" is kept while the Report is looked at: opened
again, the tab shows the same preview and says the file is the one chosen before; "Remove" lets it go."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from planner.core.i18n import TEXT
from tests.e2e.conftest import after, results_tab, shot

pytestmark = pytest.mark.e2e
LONG = 180_000  # ms: a shared 2-core machine; never a timing assertion


def test_a_chosen_file_outlives_its_tab_being_closed_until_removed(app_url, browser):
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        page = results_tab(ctx, app_url, tab="Results per placement")
        data = b"handle;platform;orders\nnobody_here_at_all;instagram;5\n"
        upload = page.locator("[data-testid='stFileUploader'] input[type='file']").first
        after(page, lambda: upload.set_input_files({"name": "kept.csv", "mimeType": "text/csv", "buffer": data}))
        preview = page.get_by_text("Rows read: 1")
        expect(preview).to_be_visible(timeout=LONG)
        kept_line = page.get_by_text(TEXT["upload.kept"]["en"].split("{")[0])
        expect(kept_line).to_have_count(0)

        after(page, lambda: page.get_by_role("tab", name="Report").click())
        expect(preview).to_have_count(0)  # the tab is not drawn
        after(page, lambda: page.get_by_role("tab", name="Results per placement").click())
        expect(preview).to_be_visible(timeout=LONG)  # the same file's preview, from the kept file
        expect(kept_line).to_be_visible(timeout=LONG)
        assert "kept.csv" in kept_line.inner_text()
        shot(page, "results_kept_upload")

        after(page, lambda: page.get_by_role("button", name=TEXT["upload.forget"]["en"]).click())
        expect(preview).to_have_count(0)
        expect(kept_line).to_have_count(0)
        assert "Traceback" not in page.inner_text("body")
    finally:
        ctx.close()
