"""A brief's identity keeps what tells entries apart, and a write over a stored brief says so.

The scenario of issue 12: a monthly digest page carries one entry per anchor (`...#South-Africa-2024-10`). Each
entry is its own brief, whether the entries are posted one per request or in one batch; the same page without
anchors keeps its entries apart by their title and date; a write that replaces a stored brief with different
content is reported `replaced`, with what it replaced, in the API report, the CLI summary and the log.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from briefgraph import cli
from core.bootstrap import Stores, build_stores
from core.settings import Settings
from tests.fakes import HashingEmbedder

PAGE = "https://www.crisisgroup.org/crisiswatch/october-alerts-and-september-trends-2024"

# (anchor, title, text): one short entry per country, written for this test
ENTRIES = [
    ("South-Africa-2024-10", "South Africa", "Coalition partners in Pretoria argued over a new education law."),
    ("China-Japan-2024-11", "China/Japan", "Chinese and Japanese diplomats met in Beijing to discuss seafood imports."),
    ("Sudan-2024-10", "Sudan", "The army advanced on positions held by the Rapid Support Forces near Khartoum."),
    ("Mozambique-2024-10", "Mozambique", "Protests followed the announcement of the general election results."),
    ("Haiti-2024-10", "Haiti", "Gangs attacked the town of Pont-Sondé and killed dozens of residents."),
    ("Lebanon-2024-10", "Lebanon", "Israeli ground forces pushed into southern Lebanon as Hezbollah fired rockets."),
    ("Myanmar-2024-10", "Myanmar", "Resistance groups took more territory from the military in Shan State."),
    ("Georgia-2024-10", "Georgia", "The ruling party claimed victory in parliamentary elections disputed by rivals."),
    ("Moldova-2024-10", "Moldova", "Voters narrowly approved a referendum on joining the European Union."),
    ("Pakistan-2024-10", "Pakistan", "Parliament passed a constitutional amendment on the appointment of judges."),
]


def entry(
    index: int, *, anchored: bool = True, body: str | None = None, date: str = "2024-10-31", title: str | None = None
) -> dict[str, Any]:
    anchor, own_title, text = ENTRIES[index]
    url = f"{PAGE}#{anchor}" if anchored else PAGE
    return {"title": title or own_title, "date": date, "url": url, "body": body or text}


# scraped digest entries often carry the page's title rather than their own: then only the anchor tells them apart
PAGE_TITLE = "CrisisWatch: October Alerts and September Trends 2024"
TITLES = pytest.mark.parametrize("title", [None, PAGE_TITLE], ids=["own titles", "the page title"])


def _post(client: TestClient, *records: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post("/briefs", json={"briefs": list(records)})
    assert response.status_code == 200, response.text
    outcomes: list[dict[str, Any]] = response.json()["outcomes"]
    return outcomes


def _brief_count(client: TestClient) -> int:
    ready = client.get("/readyz").json()
    count: int = ready["counts"]["briefs"]
    return count


@TITLES
def test_ten_anchored_entries_posted_one_per_request_are_ten_briefs(client: TestClient, title: str | None) -> None:
    outcomes = [outcome for index in range(10) for outcome in _post(client, entry(index, title=title))]
    assert [o["status"] for o in outcomes] == ["ingested"] * 10
    assert len({o["brief_id"] for o in outcomes}) == 10
    assert _brief_count(client) == 10
    for outcome, (anchor, own_title, _) in zip(outcomes, ENTRIES, strict=True):
        brief = client.get(f"/briefs/{outcome['brief_id']}").json()["brief"]
        assert brief["title"] == (title or own_title) and brief["url"].endswith(f"#{anchor}")

    again = [outcome for index in range(10) for outcome in _post(client, entry(index, title=title))]
    assert [o["status"] for o in again] == ["unchanged"] * 10
    assert _brief_count(client) == 10


@TITLES
def test_ten_anchored_entries_posted_in_one_batch_are_ten_briefs(client: TestClient, title: str | None) -> None:
    outcomes = _post(client, *(entry(index, title=title) for index in range(10)))
    assert [o["status"] for o in outcomes] == ["ingested"] * 10
    assert len({o["brief_id"] for o in outcomes}) == 10
    assert _brief_count(client) == 10
    # the same entries one by one afterwards: the same ten ids, nothing new
    single = [outcome["brief_id"] for index in range(10) for outcome in _post(client, entry(index, title=title))]
    assert single == [o["brief_id"] for o in outcomes]
    assert _brief_count(client) == 10


def test_tracking_parameters_still_do_not_make_a_new_brief(client: TestClient) -> None:
    (first,) = _post(client, entry(0))
    tracked = entry(0) | {"url": f"{PAGE}?utm_source=newsletter&utm_medium=email#South-Africa-2024-10"}
    (second,) = _post(client, tracked)
    assert second["status"] == "unchanged" and second["brief_id"] == first["brief_id"]


@pytest.mark.parametrize("batch", [True, False], ids=["one batch", "one per request"])
def test_entries_of_a_page_without_anchors_are_kept_apart_by_title_and_date(client: TestClient, batch: bool) -> None:
    records = [entry(index, anchored=False) for index in range(10)]
    if batch:
        outcomes = _post(client, *records)
    else:
        outcomes = [outcome for record in records for outcome in _post(client, record)]
    assert [o["status"] for o in outcomes] == ["ingested"] * 10
    assert len({o["brief_id"] for o in outcomes}) == 10
    assert _brief_count(client) == 10


def test_an_edited_article_under_its_url_replaces_it_and_says_so(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    (first,) = _post(client, entry(2, anchored=False))
    (other,) = _post(client, entry(3))
    before = client.get(f"/briefs/{other['brief_id']}").json()

    edited = entry(2, anchored=False, body="The army retook a bridge in Khartoum from the Rapid Support Forces.")
    with caplog.at_level(logging.WARNING, logger="ingest.pipeline"):
        (second,) = _post(client, edited)
    assert second["status"] == "replaced" and second["brief_id"] == first["brief_id"]
    assert (second["previous_title"], second["previous_date"]) == ("Sudan", "2024-10-31")
    assert "replaced" in second["detail"]
    assert any(first["brief_id"] in r.getMessage() and "replaced" in r.getMessage() for r in caplog.records)
    assert _brief_count(client) == 2
    assert client.get(f"/briefs/{other['brief_id']}").json() == before  # the other brief is untouched

    (third,) = _post(client, edited)
    assert third["status"] == "unchanged"


def test_an_edited_anchored_entry_replaces_only_that_entry(client: TestClient) -> None:
    outcomes = _post(client, *(entry(index) for index in range(10)))
    (edited,) = _post(client, entry(4, body="Gangs burned houses in Pont-Sondé; thousands of residents fled."))
    assert edited["status"] == "replaced" and edited["brief_id"] == outcomes[4]["brief_id"]
    assert edited["previous_title"] == "Haiti"
    assert _brief_count(client) == 10


# ------------------------------------------------------------------ the CLI summary


@pytest.fixture
def cli_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The CLI on on-disk stores in a temp folder, with the fake embedder."""
    for name in list(os.environ):
        if name.startswith("BRIEFGRAPH_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("BRIEFGRAPH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BRIEFGRAPH_INGEST__WORKERS", "0")

    def fake_build(settings: Settings, **kwargs: Any) -> Stores:
        return build_stores(settings, embedder=HashingEmbedder(), **kwargs)

    monkeypatch.setattr(cli, "build_stores", fake_build)
    yield tmp_path


def test_cli_summary_counts_and_lists_replaced_briefs(cli_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = cli_data / "page.jsonl"
    page.write_text("\n".join(json.dumps(entry(index)) for index in range(10)) + "\n")
    assert cli.main(["ingest", str(page), "--no-progress"]) == 0
    assert "ingested 10, replaced 0, unchanged 0" in capsys.readouterr().err

    edited = [entry(index) for index in range(10)]
    edited[1] = entry(1, body="Chinese and Japanese officials agreed to resume talks on seafood imports.")
    page.write_text("\n".join(json.dumps(record) for record in edited) + "\n")
    assert cli.main(["ingest", str(page), "--no-progress"]) == 0
    summary = capsys.readouterr().err
    assert "ingested 0, replaced 1, unchanged 9" in summary
    assert "replaced b-" in summary and "was 'China/Japan' (2024-10-31)" in summary


# ------------------------------------------------------------------ `briefgraph check`: id collisions


def test_check_reports_an_id_that_a_different_text_took_but_not_an_edit(
    cli_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A page that reuses one anchor for a new entry each month: the second entry replaces the first under one id.
    The write reports `replaced`; `check` lists the id as a collision, with what was replaced. An edit of a text
    (most of its words kept) is reported `replaced` too, but is no collision."""
    reused = f"{PAGE}#latest"
    first = cli_data / "first.json"
    first.write_text(json.dumps([entry(5) | {"url": reused}, entry(6)]))
    assert cli.main(["ingest", str(first), "--no-progress"]) == 0
    second = cli_data / "second.json"
    edited = entry(6, body="Resistance groups took more territory from the military in northern Shan State.")
    second.write_text(json.dumps([entry(8) | {"url": reused}, edited]))
    assert cli.main(["ingest", str(second), "--no-progress"]) == 0
    assert "ingested 0, replaced 2" in capsys.readouterr().err

    assert cli.main(["check"]) == 0  # a collision is a finding, not drift between the stores
    report = json.loads(capsys.readouterr().out)
    (collision,) = report["id_collisions"]
    assert (collision["title"], collision["replaced_title"]) == ("Moldova", "Lebanon")
    assert collision["replaced_url"].endswith("#latest") and collision["replaced_date"] == "2024-10-31"
