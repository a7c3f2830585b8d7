"""The web UI in a real headless Chromium (Debian's `chromium` package, driven by Playwright for Python) on the
demo corpus with the real model: search -> brief -> actor -> dyad (the chart has the seed's Turkey–Israel months)
-> graph (both actors and their edge) -> ask (citations open the cited brief at the cited sentence); a brief added
through the page becomes searchable. Every page is saved as a screenshot, in BRIEFGRAPH_SCREENSHOTS or else the
test's temporary folder (the run prints where).

Playwright's own browser download is never used: the tests launch /usr/bin/chromium, which `.ci/run` installs
with apt when it is missing. Without it the tests skip (and fail under CI)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefgraph.app import make_writer
from core.bootstrap import Stores, build_stores
from core.settings import Settings
from ingest.pipeline import IngestPipeline
from services.app import create_app
from tests.conftest import EXAMPLES, SEED_BRIEF
from tests.support.servers import serve_in_thread

pytestmark = pytest.mark.model

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUESTION = "How have Turkey and Israel interacted over Syria since March 2025?"


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests: .ci/run installs chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("BRIEFGRAPH_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nweb UI screenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require(SEED_BRIEF.exists(), f"the seed brief is missing at {SEED_BRIEF}")
    stores: Stores = build_stores(Settings(data_dir=tmp_path_factory.mktemp("web-demo")))
    try:
        report = IngestPipeline(stores).ingest_paths([EXAMPLES, SEED_BRIEF.parent])
        assert not report.of("failed"), report.summary()
        with serve_in_thread(create_app(stores=stores, writer_factory=make_writer)) as url:
            yield url
    finally:
        stores.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _require(CHROMIUM.exists(), f"no Chromium at {CHROMIUM}: apt-get install chromium chromium-driver")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is a dev dependency (pip install -e .[dev])"
    )
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(base_url=base_url, viewport={"width": 1366, "height": 900})
    context.set_default_timeout(60_000)  # generous: a busy two-core CI machine answers slowly, never wrongly
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    off_server: list[str] = []
    tab.on(
        "request",
        lambda request: None if request.url.startswith((base_url, "data:")) else off_server.append(request.url),
    )
    try:
        yield tab
    finally:
        context.close()
    assert problems == [], problems  # no script failed and nothing the pages asked for was missing
    assert off_server == [], off_server  # works offline: nothing is fetched from anywhere else


def _shot(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    assert (folder / f"{name}.png").stat().st_size > 10_000


def test_search_brief_actor_dyad_graph_ask(page: Any, screenshots: Path) -> None:
    # Search: keyboard first, the skip link leads to the content
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.get_by_label("Words or a question").fill("Turkish Israeli deconfliction talks in Baku")
    page.get_by_label("Words or a question").press("Enter")
    page.wait_for_selector(".result")
    assert "q=Turkish+Israeli+deconfliction" in page.url  # the state is in the URL
    _shot(page, screenshots, "1-search")

    # Brief: the seed brief, with actors and event words marked and its interactions listed
    page.locator(".result h3 a", has_text=re.compile("Deconfliction|Baku|Azerbaijan", re.I)).first.click()
    page.wait_for_selector("h1")
    assert "/ui/brief?id=" in page.url
    assert page.locator("a.actor").count() > 0 and page.locator("mark.trigger").count() > 0
    assert page.locator("table.evidence tbody tr", has_text="CONSULT").count() >= 1
    _shot(page, screenshots, "2-brief")

    # Actor: Turkey, from a chip in the interactions table
    page.locator('table.evidence a.chip[href="/ui/actor?name=TUR"]').first.click()
    page.wait_for_selector("h1:has-text('Turkey')")
    assert page.locator("#counterparts-heading").is_visible()
    _shot(page, screenshots, "3-actor")

    # Dyad: Turkey–Israel, the chart holds the seed's April 2025 month
    page.get_by_label("Dyad Turkey and Israel").click()
    page.wait_for_selector("h1:has-text('Turkey – Israel')")
    page.wait_for_function("window.briefgraphChart !== undefined")
    chart = page.evaluate(
        """() => {
            const c = window.briefgraphChart;
            const points = c.getDatasetMeta(1).data.map((p) => [p.x, p.y]);
            return {labels: c.data.labels, totals: c.data.datasets[0].data, scores: c.data.datasets[1].data, points};
        }"""
    )
    assert "2025-04" in chart["labels"], chart["labels"]
    april = chart["labels"].index("2025-04")
    assert chart["totals"][april] >= 1 and len(chart["points"]) == len(chart["labels"])
    assert all(isinstance(v, (int, float)) for v in chart["points"][april])  # drawn on the canvas
    assert page.locator("table.evidence tbody tr", has_text="Azerbaijan").count() >= 1
    _shot(page, screenshots, "4-dyad")
    page.get_by_label("Actor B").fill("Türki")  # the typeahead offers actors by alias
    page.wait_for_selector('#actor-options option[value="TUR"]', state="attached")

    # Graph: both actors and the edge between them; an edge's evidence from the keyboard; a node opens its page
    page.get_by_role("link", name="graph and paths").click()
    page.wait_for_selector('#graph[data-ready="true"]')
    graph = page.evaluate(
        """() => {
            const cy = window.briefgraphGraph.cy;
            const between = cy.edges().filter((e) => [e.source().id(), e.target().id()].sort().join() === "ISR,TUR");
            return {tur: cy.$id("TUR").length, isr: cy.$id("ISR").length, edges: between.length,
                    types: between.map((e) => e.data("event_type"))};
        }"""
    )
    assert graph["tur"] == 1 and graph["isr"] == 1 and graph["edges"] >= 1, graph
    assert "CONSULT" in graph["types"]
    evidence = (
        page.locator("#edge-table tbody tr", has_text="Israel").filter(has_text="CONSULT").first.get_by_role("button")
    )
    evidence.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#edge-evidence li")
    assert page.locator("#paths-heading").is_visible()
    _shot(page, screenshots, "5-graph")
    # the evidence list scrolled the page: bring the graph back, drop the selected edge's label (drawn over
    # nodes), then click the node where it is drawn
    page.locator("#graph").scroll_into_view_if_needed()
    box = page.locator("#graph").bounding_box()
    spot = page.evaluate(
        "() => { const cy = window.briefgraphGraph.cy; cy.edges().unselect();"
        " cy.edges().removeClass('hover'); return cy.$id('ISR').renderedPosition(); }"
    )
    page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
    page.wait_for_url(re.compile(r"/ui/actor\?name=ISR$"))

    # Ask: the answer cites sentences; a citation opens its brief at that sentence
    page.get_by_role("link", name="Ask", exact=True).click()
    page.get_by_label("Question").fill(QUESTION)
    page.get_by_label("Question").press("Enter")
    page.wait_for_selector(".citations li a")
    assert "CONSULT" in page.locator(".answer").inner_text()
    _shot(page, screenshots, "6-ask")
    cited = page.locator(".citations li", has_text="Azerbaijan").first
    sentence = cited.locator("q").inner_text()
    cited.get_by_role("link").click()
    page.wait_for_selector(".sentence.cited")
    assert re.search(r"/ui/brief\?id=[^&]+&s=\d+#s\d+$", page.url), page.url
    assert page.locator(".sentence.cited").inner_text().strip() == sentence.strip()
    assert page.evaluate("document.activeElement.classList.contains('cited')")
    _shot(page, screenshots, "7-cited-sentence")


def test_a_brief_added_through_the_page_becomes_searchable(page: Any, screenshots: Path) -> None:
    page.goto("/ui/add")
    page.get_by_label("Title", exact=True).fill("Lake Tana water talks resume")
    page.get_by_label("Date", exact=True).fill("2025-05-12")
    page.get_by_label("Brief text").fill(
        "Ethiopian and Egyptian negotiators held talks in Addis Ababa on 12 May 2025 about releases of water "
        "from the Grand Ethiopian Renaissance Dam. Sudan joined the meeting as an observer and offered to host "
        "the next round of talks."
    )
    page.get_by_role("button", name="Add").click()
    page.wait_for_selector('#add-outcomes tbody tr[data-status="ingested"]')
    assert "1 ingested" in page.locator("#add-status").inner_text()
    _shot(page, screenshots, "8-add")

    page.locator("#add-outcomes tbody a").first.click()
    page.wait_for_selector("h1:has-text('Lake Tana water talks resume')")
    page.goto("/?q=" + "Renaissance Dam water releases talks")
    page.wait_for_selector(".result")
    assert page.locator(".result h3 a", has_text="Lake Tana water talks resume").count() == 1
    _shot(page, screenshots, "9-search-added")


def test_files_uploaded_through_the_page_are_ingested(page: Any, screenshots: Path, tmp_path: Path) -> None:
    text = tmp_path / "jordan_syria_border_talks_2025-06-03.txt"
    text.write_text(
        "Jordanian and Syrian officials met in Amman on 3 June 2025 to discuss smuggling across their shared border. "
        "Jordan agreed to reopen the Jaber crossing for trucks.",
        encoding="utf-8",
    )
    records = tmp_path / "more.jsonl"
    records.write_text(
        '{"title": "Qatar hosts Gaza ceasefire talks", "date": "2025-06-05", '
        '"body": "Qatari mediators hosted Egyptian and American envoys in Doha to discuss a ceasefire in Gaza."}\n',
        encoding="utf-8",
    )
    markdown = tmp_path / "notes.md"
    markdown.write_text(
        "# Oman hosts indirect Iran talks\n\nOmani diplomats carried messages between Iranian and American "
        "negotiators in Muscat on 7 June 2025.\n",
        encoding="utf-8",
    )
    page.goto("/ui/add")
    page.get_by_label("Or upload files").set_input_files([str(text), str(records), str(markdown)])
    page.get_by_role("button", name="Add").click()
    page.wait_for_selector("#add-status:has-text('Done')")
    assert page.locator('#add-outcomes tbody tr[data-status="ingested"]').count() == 3
    titles = page.locator("#add-outcomes tbody a").all_inner_texts()
    # the text file's title from its name, the record's own, the Markdown heading
    assert titles == ["Jordan syria border talks", "Qatar hosts Gaza ceasefire talks", "Oman hosts indirect Iran talks"]
    _shot(page, screenshots, "10-upload")
