"""Analysts' merges: logged, applied to stored and future briefs, and reversible."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from briefgraph.app import make_writer
from core.bootstrap import Stores
from services.app import create_app

BRIEFS = [
    {
        "title": "Syria: Northern front flares",
        "date": "2025-01-05",
        "url": "https://example.org/briefs/northern-front",
        "description": "Hayat Tahrir al-Sham fighters clashed with the Syrian National Army near Manbij on "
        "January 4. Turkey urged Hayat Tahrir al-Sham to halt the advance.",
    },
    {
        "title": "Syria: Talks in Ankara",
        "date": "2025-01-08",
        "url": "https://example.org/briefs/ankara-talks",
        "description": "Turkish officials met Hayat Tahrir al-Sham envoys in Ankara on January 7.",
    },
]


@pytest.fixture
def client(fake_stores: Stores) -> Iterator[TestClient]:
    with TestClient(create_app(stores=fake_stores, writer_factory=make_writer)) as test_client:
        response = test_client.post("/briefs", json={"briefs": BRIEFS})
        assert response.status_code == 200, response.text
        yield test_client


def _counterparts(client: TestClient, actor: str) -> set[str]:
    return {c["actor"]["id"] for c in client.get(f"/actors/{actor}").json()["counterparts"]}


def test_merge_then_split(client: TestClient) -> None:
    assert "group:hts" in _counterparts(client, "TUR")
    merged = client.post("/actors/group:hts/merge", json={"into": "SYR", "reason": "acts as the state from 2025"})
    assert merged.status_code == 200, merged.text
    assert merged.json()["briefs_rewritten"] == 2
    assert client.get("/merges").json()[0]["source_id"] == "group:hts"
    assert "group:hts" not in _counterparts(client, "TUR")
    assert "SYR" in _counterparts(client, "TUR")
    assert client.get("/actors/group:hts").status_code == 404

    # a brief ingested after the merge is merged too
    later = {
        "title": "Syria: More talks",
        "date": "2025-01-20",
        "url": "https://example.org/briefs/more",
        "description": "Turkish diplomats met Hayat Tahrir al-Sham officials in Damascus on January 19.",
    }
    assert client.post("/briefs", json={"briefs": [later]}).status_code == 200
    assert client.get("/actors/group:hts").status_code == 404

    split = client.post("/actors/group:hts/split")
    assert split.status_code == 200 and split.json()["briefs_rewritten"] == 3
    assert client.get("/merges").json() == []
    assert "group:hts" in _counterparts(client, "TUR")


def test_merge_errors_are_clear(client: TestClient) -> None:
    assert client.post("/actors/TUR/merge", json={"into": "TUR", "reason": "same"}).status_code == 400
    missing = client.post("/actors/nobody/merge", json={"into": "TUR", "reason": "nope"})
    assert missing.status_code == 404 and "nobody" in missing.json()["detail"]
    assert client.post("/actors/TUR/split").status_code == 404
