"""The web pages render on hand-built briefs (no browser: tests/e2e/test_web_ui.py drives a real Chromium):
labelled controls, state in the query string, escaped text, errors as HTML pages, static files served from the
package with no reference to anything off this server."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.alias_scan import alias_index
from core.bootstrap import Stores
from core.registry import ActorRegistry
from core.settings import ApiSettings
from graph_schema.ontology import EventType
from services.app import create_app
from services.schemas import MonthSummary
from services.web.pages import _highlight_sentence, answer_blocks, monthly_series
from tests.graph_fixtures import HEZ, ISR, SYR, TUR, make_brief

WEB = Path(__file__).resolve().parents[2] / "services" / "web"
PAGES = [
    "/",
    "/ui/brief?id=b1",
    "/ui/actor?name=TUR",
    "/ui/dyad?a=TUR&b=ISR",
    "/ui/graph?actor=TUR",
    "/ui/ask",
    "/ui/add",
    "/ui/actor",  # the empty forms too
    "/ui/dyad",
    "/ui/graph",
]


@pytest.fixture
def client(fake_stores: Stores) -> Iterator[TestClient]:
    fake_stores.graph.replace_briefs(
        [
            make_brief(
                "b1",
                dt.date(2025, 3, 2),
                [
                    (TUR, ISR, EventType.CONSULT, False, "Turkish and Israeli officials held talks in Baku."),
                    (ISR, SYR, EventType.ASSAULT, True, "Israel struck a base <script>alert(1)</script> in Syria."),
                ],
            ),
            make_brief("b2", dt.date(2025, 4, 9), [(HEZ, ISR, EventType.ASSAULT, True, "Hezbollah fired rockets.")]),
        ]
    )
    with TestClient(create_app(stores=fake_stores)) as test_client:
        yield test_client


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_with_labelled_controls(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<a class="skip" href="#main">' in html and '<main id="main"' in html
    for control in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        if 'type="hidden"' in control:
            continue
        control_id = re.search(r'\bid="([^"]+)"', control)
        assert control_id, control
        assert f'<label for="{control_id.group(1)}"' in html, control


def test_brief_page_marks_actors_triggers_and_the_cited_sentence(client: TestClient) -> None:
    html = client.get("/ui/brief", params={"id": "b1", "s": 1}).text
    assert '<span id="s0" class="sentence has-event">' in html
    assert 'id="s1" class="sentence cited has-event" aria-current="true"' in html
    assert '<a class="actor" href="/ui/actor?name=ISR">Israel</a>' in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "/static/js/cited.js" in html


def test_dyad_page_embeds_the_monthly_series_for_the_chart(client: TestClient) -> None:
    html = client.get("/ui/dyad", params={"a": "Türkiye", "b": "Israel"}).text
    data = re.search(r'<script type="application/json" id="monthly-data">(.*?)</script>', html, re.S)
    assert data is not None
    assert '"months": ["2025-03"]' in data.group(1) and '"totals": [1]' in data.group(1)
    assert "/export/interactions.csv?actor=TUR&amp;with=ISR" in html
    assert "/static/vendor/chartjs/chart.umd.min.js" in html


def test_graph_page_names_its_data_source_and_lists_paths(client: TestClient) -> None:
    html = client.get("/ui/graph", params={"actor": "TUR", "target": "Hizballah", "hops": 3}).text
    assert 'data-actor="TUR"' in html and 'data-other="group:hezbollah"' in html
    assert "Paths from Turkey to Hezbollah" in html and "Hezbollah fired rockets." in html


def test_errors_are_html_pages_with_the_api_status(client: TestClient) -> None:
    missing = client.get("/ui/brief", params={"id": "nope"})
    assert missing.status_code == 404 and "no brief with id" in missing.text
    assert missing.headers["content-type"].startswith("text/html")
    bad_date = client.get("/ui/dyad", params={"a": "TUR", "b": "ISR", "from": "spring"})
    assert bad_date.status_code == 400 and "must be a date" in bad_date.text
    assert client.get("/ui/actor", params={"name": "nobody at all"}).status_code == 404
    for path, params in (("/ui/graph", {"actor": "TUR", "hops": "9"}), ("/ui/brief", {"id": "b1", "s": "²"})):
        response = client.get(path, params=params)
        assert response.status_code == 400 and "must be a whole number" in response.text, path
        assert response.headers["content-type"].startswith("text/html")


def test_pages_stay_out_of_the_api_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p == "/" or p.startswith(("/ui", "/static"))]


def test_static_files_are_served_and_nothing_is_fetched_from_elsewhere(client: TestClient) -> None:
    for asset in ("/static/css/app.css", "/static/js/graph.js", "/static/vendor/cytoscape/cytoscape.min.js"):
        assert client.get(asset).status_code == 200, asset
    own = [p for p in WEB.rglob("*") if p.suffix in {".html", ".js", ".css"} and "vendor" not in p.parts]
    assert len(own) >= 10
    for path in own:
        assert not re.search(r"(src|href)=\"(https?:)?//", path.read_text(encoding="utf-8")), path
        assert "import(" not in path.read_text(encoding="utf-8") or path.suffix != ".js", path


def test_vendored_libraries_carry_their_licences_and_versions() -> None:
    notice = (WEB / "static" / "vendor" / "NOTICE.md").read_text(encoding="utf-8")
    for folder, licence in (("cytoscape", "LICENSE"), ("chartjs", "LICENSE.md")):
        assert (WEB / "static" / "vendor" / folder / licence).is_file()
        assert f"vendor/{folder}/" in notice
    assert re.search(r"cytoscape \| 3\.\d+\.\d+", notice) and re.search(r"chart\.js \| 4\.\d+\.\d+", notice)


def test_sentence_highlighting_marks_aliases_and_triggers_and_escapes_the_rest(registry: ActorRegistry) -> None:
    html = _highlight_sentence("Ankara <b>held talks</b> with the Israelis.", alias_index(registry), ["held talks"])
    assert str(html) == (
        '<a class="actor" href="/ui/actor?name=TUR">Ankara</a> &lt;b&gt;'
        '<mark class="trigger" title="event trigger">held talks</mark>&lt;/b&gt; with the '
        '<a class="actor" href="/ui/actor?name=ISR">Israelis</a>.'
    )


def test_answer_references_link_to_their_sentence_and_bullets_become_a_list() -> None:
    blocks = answer_blocks(
        "2 interactions since 2025-03-01.\n\nKey events:\n"
        '- 2025-04-09: Turkey ↔ Israel, CONSULT — "Talks <b>in</b> Baku." [b-0a15, sentence 0]\n'
        '- 2025-04-10: Israel → Syria, ASSAULT — "Strikes." [b-77, sentence 12]'
    )
    assert [kind for kind, _ in blocks] == ["p", "p", "list"]
    first, second = blocks[2][1]
    assert str(first).endswith('<a class="ref" href="/ui/brief?id=b-0a15&amp;s=0#s0">[b-0a15, sentence 0]</a>')
    assert "&lt;b&gt;in&lt;/b&gt;" in str(first)
    assert 'href="/ui/brief?id=b-77&amp;s=12#s12"' in str(second)


def test_the_chart_has_every_month_between_the_first_and_the_last() -> None:
    def month(name: str, total: int, score: float) -> MonthSummary:
        return MonthSummary(month=name, counts={"CONSULT": total}, total=total, mean_score=score)

    series = monthly_series([month("2024-11", 2, 1.0), month("2025-02", 1, -9.0), month("undated", 1, 0.0)])
    assert series["months"] == ["2024-11", "2024-12", "2025-01", "2025-02", "undated"]
    assert series["totals"] == [2, 0, 0, 1, 1]
    assert series["scores"] == [1.0, None, None, -9.0, 0.0]
    assert monthly_series([]) == {"months": [], "totals": [], "scores": []}


def test_pages_need_the_key_when_reads_are_protected(fake_stores: Stores) -> None:
    keyed = fake_stores.settings.model_copy(
        update={"api": ApiSettings(write_keys=["page-key"], protect_reads=True)}  # type: ignore[list-item]
    )
    with TestClient(create_app(stores=replace(fake_stores, settings=keyed))) as client:
        for path in ("/", "/ui/actor?name=TUR", "/ui/add"):
            response = client.get(path)
            assert response.status_code == 401 and response.json()["code"] == "AccessDeniedError", path
        assert client.get("/", headers={"X-API-Key": "page-key"}).status_code == 200
        assert client.get("/static/css/app.css").status_code == 200  # no data in the static files


HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "') DETACH DELETE n //",
    "{{7*7}}",
    "\u202e",
    "ñ" * 300,
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_page_parameters_come_back_escaped_and_never_fail_the_server(client: TestClient, hostile: str) -> None:
    requests = [
        ("/", {"q": hostile, "actor": hostile}),
        ("/ui/brief", {"id": hostile, "s": hostile}),
        ("/ui/actor", {"name": hostile}),
        ("/ui/dyad", {"a": hostile, "b": "ISR", "type": hostile}),
        ("/ui/graph", {"actor": "TUR", "target": hostile, "from": hostile}),
        ("/ui/ask", {"q": hostile}),
    ]
    for path, params in requests:
        response = client.get(path, params=params)
        assert response.status_code < 500, (path, response.text[:300])
        assert "<script>alert" not in response.text and "<img src=x" not in response.text, path
        assert "49" not in response.text or hostile != "{{7*7}}", path  # templates are never built from input
