"""The web UI in a real browser: what a new user does on the five seeds."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

ACCENT = "rgb(31, 79, 122)"  # --accent: a lit sentence in the side-by-side reader

# A press release of the genre, written for this test: uploading it must store it.
UPLOAD_TEXT = """PRESS RELEASE

On the meeting of the Council of Ministers of Foreign Affairs of the Shanghai Cooperation Organization Member States

On 12 April 2021, a meeting of the Council of Ministers of Foreign Affairs of the Shanghai Cooperation Organization Member States was held in Dushanbe.

The ministers agreed to prepare a draft programme of cooperation on water resources before the end of 2022.

The parties noted that the fight against terrorism, separatism and extremism remains a priority of the Organization.
"""


def test_search_and_facet(page: Any, server: Any, snap: Any) -> None:
    page.goto(f"{server.url}/")
    snap(page, "browse")
    page.fill("form.search input[name=q]", "terrorism")
    page.press("form.search input[name=q]", "Enter")
    page.wait_for_selector("article.result")
    assert page.locator("article.result mark").count() > 0
    snap(page, "search")
    # the language facet: only English documents are left, and the facet shows as active
    page.locator(".facet a", has_text="English").first.click()
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.locator(".facet a.active").count() == 1
    langs = page.locator("article.result .badge.lang").all_inner_texts()
    assert langs and {x.lower() for x in langs} == {"en"}


def test_document_and_parallel_reader(page: Any, server: Any, snap: Any) -> None:
    page.goto(f"{server.url}/?q=foreign+ministers&lang=en")
    # The 2002 communiqué (it has a Chinese version), wherever the engine ranks it.
    page.locator("article.result h2 a", has_text="Joint Communique").first.click()
    page.wait_for_selector(".reader .text")
    assert page.locator(".text .m-state").count() > 0
    # a highlighted state links to its entity page
    state = page.locator(".text a.m-state").first
    assert re.match(r"^/entities/[A-Z]{2}$", state.get_attribute("href") or "")
    snap(page, "document")
    switch = page.locator("a.parallel-link")
    assert switch.count() >= 1, "the 2002 communiqué has a Chinese version among the seeds"
    switch.first.click()
    page.wait_for_selector(".parallel .pl-row:not(.pl-head)")
    rows = page.locator(".parallel .pl-row:not(.pl-head)")
    assert rows.count() > 10
    # a row whose both sides hold sentences: hovering the left lights the right
    row = page.locator(".pl-row:not(.pl-head):not(.unlinked)").nth(4)
    counterpart = row.locator(".pl-cell").nth(1).locator(".pl-s").first
    before = counterpart.evaluate("e => getComputedStyle(e).color")
    row.locator(".pl-cell").first.locator(".pl-s").first.hover()
    after = counterpart.evaluate("e => getComputedStyle(e).color")
    assert before != after and after == ACCENT
    assert row.locator(".pl-cell").nth(1).get_attribute("lang") == "zh"
    snap(page, "parallel")


def test_commitments_tracker(page: Any, server: Any, snap: Any) -> None:
    page.goto(f"{server.url}/commitments")
    rows = page.locator("table.commitments-table tbody tr")
    assert rows.count() > 0
    first = rows.first.locator("details.commitment-row")
    assert first.get_attribute("open") is None
    first.locator("summary").click()
    assert first.get_attribute("open") is not None
    quote = first.locator(".evidence-pair .quote").first
    assert quote.is_visible()
    # the commitment's sentence is one click from the reader
    assert re.match(r"^/documents/\d+#s\d+$", quote.locator("a").first.get_attribute("href") or "")
    snap(page, "commitments")
    # filter by status: every row left has that status
    page.locator(".status-filter a", has_text="Fulfilled").click()
    page.wait_for_url(re.compile(r"status=fulfilled"))
    statuses = page.locator("table.commitments-table .pill").all_inner_texts()
    assert statuses and set(statuses) == {"Fulfilled"}


def test_organization_at_a_date(page: Any, server: Any, snap: Any) -> None:
    page.goto(f"{server.url}/at")
    page.fill("input[type=date][name=date]", "2003-05-29")
    page.locator("#at-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"date=2003-05-29"))
    assert "29 May 2003" in page.locator("h1").inner_text()
    members = page.locator(".state-members .state-list li")
    assert members.count() >= 6
    assert page.locator(".state-members a.src").first.get_attribute("href", timeout=5000)
    snap(page, "at-date", full=True)


def test_entity_positions_and_meetings(page: Any, server: Any, snap: Any) -> None:
    page.goto(f"{server.url}/entities")
    page.locator(".entity-card", has_text="Kazakhstan").first.click()
    page.wait_for_selector("svg.chart rect.bar")
    assert "哈萨克斯坦" in page.locator("dl.names").inner_text()
    snap(page, "entity")
    page.goto(f"{server.url}/positions?issue=TERRORISM")
    assert page.locator(".position-group").count() >= 3
    assert page.locator(".version[lang=zh] .statement").count() > 0
    snap(page, "positions")
    page.goto(f"{server.url}/meetings")
    assert page.locator(".tl-item").count() >= 3
    assert page.locator("svg.multiples rect.bar").count() > 0
    snap(page, "meetings")


def test_upload_with_a_token(page: Any, server: Any, snap: Any, tmp_path: Path) -> None:
    doc = tmp_path / "press_release_2021.txt"
    doc.write_text(UPLOAD_TEXT, encoding="utf-8")
    bad = tmp_path / "notes.exe"
    bad.write_bytes(b"MZ not a document")
    page.goto(f"{server.url}/upload")
    # a wrong token first: the result says so and nothing is stored
    page.fill("#token", "cq_000000000000_" + "x" * 43)
    page.set_input_files("#files", [str(doc)])
    page.click("#upload-button")
    page.wait_for_selector("#upload-rows tr.res-failed")
    assert "invalid" in page.locator("#upload-rows").inner_text()
    page.fill("#token", server.token)
    page.set_input_files("#files", [str(doc), str(bad)])
    page.click("#upload-button")
    page.wait_for_selector("#upload-rows tr.res-stored")
    page.wait_for_selector("#upload-rows tr.res-failed")
    assert "2 of 2 files done" in page.locator("#upload-progress").inner_text()
    text = page.locator("#upload-rows").inner_text()
    assert "press_release_2021.txt" in text and "not accepted" in text
    snap(page, "upload")
    page.locator("#upload-rows tr.res-stored a").click()
    page.wait_for_selector(".reader h1")
    assert "Dushanbe" in page.locator(".reader .text").inner_text()


def test_chinese_pages_and_api_reference(page: Any, server: Any, snap: Any) -> None:
    page.goto(f"{server.url}/?q=恐怖主义")
    page.wait_for_selector("article.result")
    assert page.locator("article.result .hit mark").count() > 0
    snap(page, "search-zh")
    page.locator("article.result h2 a").first.click()
    page.wait_for_selector(".reader .text[lang=zh]")
    assert page.locator(".text[lang=zh] .m-state").count() > 0
    snap(page, "document-zh")
    page.goto(f"{server.url}/docs")
    assert "/api/v1/commitments" in page.content()
    snap(page, "api")
