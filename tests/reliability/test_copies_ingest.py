"""Copies through the write path: the same wire story under two URLs stays two briefs, linked as copies, and
an event they both report is corroborated only by an independent report."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from core.adapters.cypher_graph import CypherGraphStore
from core.bootstrap import Stores
from ingest.consistency import check_stores
from ingest.extraction import Extractor
from ingest.pipeline import IngestPipeline

WIRE = (
    "Turkish and Israeli officials held technical talks in Baku on April 9, 2025, to avoid clashes over Syria. "
    "The two delegations agreed to set up a hotline between their militaries and to meet again within weeks."
)
REPOST = WIRE.replace("within weeks.", "within weeks, a diplomat said.")
INDEPENDENT = (
    "In Baku on April 9, 2025, Israel and Turkey held talks on deconfliction in Syria, according to officials "
    "of both governments, who described the meeting as a first step."
)


def brief(url: str, title: str, body: str) -> dict[str, Any]:
    return {"title": title, "date": "2025-04-10", "url": url, "body": body}


def _post(client: TestClient, *records: dict[str, Any]) -> list[str]:
    response = client.post("/briefs", json={"briefs": list(records)})
    assert response.status_code == 200, response.text
    outcomes = response.json()["outcomes"]
    assert [o["status"] for o in outcomes] == ["ingested"] * len(records), outcomes
    return [o["brief_id"] for o in outcomes]


def _copies(client: TestClient, brief_id: str) -> list[str]:
    return [ref["id"] for ref in client.get(f"/briefs/{brief_id}").json()["copies"]]


def _corroborated(client: TestClient) -> int:
    summary = client.get("/actors/TUR/interactions", params={"with": "ISR"}).json()["summary"]
    count: int = summary["corroborated_events"]
    return count


def test_a_wire_story_under_two_urls_is_two_briefs_linked_as_copies(client: TestClient) -> None:
    (wire,) = _post(client, brief("https://wire.example/story/1", "Turkey and Israel hold talks", WIRE))
    (repost,) = _post(client, brief("https://outlet.example/news/77", "Talks in Baku", REPOST))
    assert wire != repost
    assert _copies(client, wire) == [repost] and _copies(client, repost) == [wire]
    assert client.get("/readyz").json()["counts"]["briefs"] == 2
    assert _corroborated(client) == 0  # one text, one source

    (independent,) = _post(client, brief("https://paper.example/a", "Deconfliction talks", INDEPENDENT))
    assert _copies(client, independent) == []
    assert _corroborated(client) == 1


def test_copies_in_one_batch_are_linked_too(client: TestClient) -> None:
    wire, repost, exact = _post(
        client,
        brief("https://wire.example/story/1", "Turkey and Israel hold talks", WIRE),
        brief("https://outlet.example/news/77", "Talks in Baku", REPOST),
        brief("https://other.example/x", "Talks", WIRE),
    )
    assert sorted(_copies(client, wire)) == sorted([repost, exact])
    assert _corroborated(client) == 0


def test_rewriting_stored_briefs_keeps_their_copy_links(
    client: TestClient, fake_stores: Stores, extractor: Extractor
) -> None:
    """Actor merges and `check --repair` rewrite briefs from the text the graph keeps: origins and keys stay."""
    wire, repost = _post(
        client,
        brief("https://wire.example/story/1", "Turkey and Israel hold talks", WIRE),
        brief("https://outlet.example/news/77", "Talks in Baku", REPOST),
    )
    origin = fake_stores.graph.get_brief(wire)
    IngestPipeline(fake_stores, extractor).rewrite_stored([repost, wire])
    assert fake_stores.graph.get_brief(wire) == origin
    assert _copies(client, wire) == [repost] and _copies(client, repost) == [wire]
    (later,) = _post(client, brief("https://third.example/c", "Baku talks", WIRE))
    assert sorted(_copies(client, later)) == sorted([wire, repost])


def test_the_brief_page_lists_its_copies(client: TestClient) -> None:
    wire, repost = _post(
        client,
        brief("https://wire.example/story/1", "Turkey and Israel hold talks", WIRE),
        brief("https://outlet.example/news/77", "Talks in Baku", REPOST),
    )
    (independent,) = _post(client, brief("https://paper.example/a", "Deconfliction talks", INDEPENDENT))
    page = client.get("/ui/brief", params={"id": wire}).text
    assert "Copies of this text" in page and f"/ui/brief?id={repost}" in page
    assert "https://outlet.example/news/77" in page
    assert "Copies of this text" not in client.get("/ui/brief", params={"id": independent}).text


def test_check_repair_links_briefs_written_before_copy_detection(client: TestClient, fake_stores: Stores) -> None:
    """An upgraded store: a brief written before copy detection has no origin and no keys, so a later copy of it
    is not linked. `check` counts such briefs, `check --repair` gives them keys and origins, and the pair is linked."""
    (old,) = _post(client, brief("https://crisis.example/page", "Monthly page", WIRE))
    graph = fake_stores.graph
    assert isinstance(graph, CypherGraphStore)
    graph._write(  # as the brief was stored before copy detection
        [
            ("MATCH (b:Brief {id: $id})-[h:HAS_COPY_KEY]->(:CopyKey) DELETE h", [{"id": old}]),
            ("MATCH (b:Brief {id: $id}) SET b.origin = NULL", [{"id": old}]),
            ("MATCH ()-[r:INTERACTS]->() WHERE r.brief_id = $id SET r.origin = NULL", [{"id": old}]),
        ]
    )
    (anchored,) = _post(client, brief("https://crisis.example/page#Turkey-2025-04", "Turkey", WIRE))
    assert _copies(client, anchored) == []
    drift = check_stores(fake_stores)
    assert drift.consistent and drift.before_copy_detection == 1

    repaired = check_stores(fake_stores, repair=True)
    assert repaired.linked == [old]
    assert _copies(client, anchored) == [old] and _copies(client, old) == [anchored]
    assert check_stores(fake_stores).before_copy_detection == 0


def test_copies_are_found_across_batches_and_against_briefs_stored_before_the_run(
    fake_stores: Stores, extractor: Extractor
) -> None:
    """Copies are linked batch by batch, while extraction runs ahead: a brief stored before the run and one
    written by an earlier batch of the same run are both found, as if the run were one batch."""
    pipeline = IngestPipeline(fake_stores, extractor, batch_size=1)
    (wire,) = [
        o.brief_id
        for o in pipeline.ingest_records([brief("https://wire.example/1", "Talks", WIRE)], source="a").outcomes
    ]
    run = pipeline.ingest_records(
        [
            brief("https://paper.example/a", "Deconfliction talks", INDEPENDENT),
            brief("https://outlet.example/77", "Talks in Baku", REPOST),
            brief("https://paper.example/b", "Deconfliction talks again", INDEPENDENT),
            brief("https://other.example/x", "Talks", WIRE),
        ],
        source="b",
    )
    independent, repost, independent_again, exact = [o.brief_id for o in run.outcomes]
    assert [o.status for o in run.outcomes] == ["ingested"] * 4

    def origin(brief_id: str | None) -> str | None:
        info = fake_stores.graph.get_brief(brief_id or "")
        assert info is not None
        return info.origin

    assert origin(repost) == origin(exact) == origin(wire)  # copies of a brief stored before the run
    assert origin(independent_again) == origin(independent) != origin(wire)  # a copy from an earlier batch
