"""Through the API, on briefs written for this test: talks between named officials are a dyad of the two people
(by name or id, registry or not) and still count for their states; communities are actors of their own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from briefgraph.app import make_writer
from core.bootstrap import Stores
from services.app import create_app

pytestmark = pytest.mark.model

BRIEFS = [
    {
        "title": "Russia and Ukraine meet in Istanbul",
        "date": "2025-05-16",
        "url": "https://example.org/briefs/istanbul-talks",
        "description": "Russian delegation head Vladimir Medinsky and Ukrainian Defence Minister Rustem Umerov "
        "held talks in Istanbul on Friday. Medinsky said Russia was ready to continue contacts.",
    },
    {
        "title": "US and Iran envoys meet in Muscat",
        "date": "2025-04-13",
        "url": "https://example.org/briefs/muscat-talks",
        "description": "US special envoy Steve Witkoff met Iranian Foreign Minister Abbas Araghchi in Muscat "
        "on Saturday.",
    },
    {
        "title": "Sweida fighting",
        "date": "2025-07-15",
        "url": "https://example.org/briefs/sweida",
        "description": "Druze fighters clashed with Bedouin tribesmen in Sweida province on Monday.",
    },
]


@pytest.fixture
def client(fake_stores: Stores) -> Iterator[TestClient]:
    with TestClient(create_app(stores=fake_stores, writer_factory=make_writer)) as test_client:
        response = test_client.post("/briefs", json={"briefs": BRIEFS})
        assert response.status_code == 200, response.text
        yield test_client


def _dyad(client: TestClient, actor: str, other: str) -> list[dict[str, Any]]:
    response = client.get(f"/actors/{actor}/interactions", params={"with": other})
    assert response.status_code == 200, response.text
    records: list[dict[str, Any]] = response.json()["interactions"]
    return [record["interaction"] for record in records]


def test_two_delegation_heads_are_a_dyad_by_name_and_their_states_count_it(client: TestClient) -> None:
    for actor, other in (("Medinsky", "Umerov"), ("person:rustem-umerov", "Vladimir Medinsky")):
        talks = _dyad(client, actor, other)
        assert [(i["event_type"], i["source_id"], i["target_id"]) for i in talks] == [("CONSULT", "RUS", "UKR")]
    assert [i["event_type"] for i in _dyad(client, "Russia", "Ukraine")] == ["CONSULT"]


def test_an_envoy_and_a_foreign_minister(client: TestClient) -> None:
    assert [i["event_type"] for i in _dyad(client, "Witkoff", "Araghchi")] == ["CONSULT"]
    assert [i["event_type"] for i in _dyad(client, "United States", "Iran")] == ["CONSULT"]


def test_communities_are_actors_with_their_own_dyad(client: TestClient) -> None:
    clash = _dyad(client, "the Druze", "Bedouin")
    assert [(i["event_type"], i["source_id"], i["target_id"]) for i in clash] == [("FIGHT", "SYR", "SYR")]
    druze = client.get("/actors/Druze").json()
    assert druze["actor"]["id"] == "collective:druze" and druze["actor"]["kind"] == "collective"
