"""Graph export (GraphML for Gephi / Cytoscape desktop, JSON for the web UI) and interactions as CSV, through the
API on hand-built briefs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from core.bootstrap import Stores
from graph_schema.ontology import EventType
from services.app import create_app
from tests.graph_fixtures import HEZ, ISR, LBN, SYR, TUR, make_brief

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture
def client(fake_stores: Stores) -> Iterator[TestClient]:
    fake_stores.graph.replace_briefs(
        [
            make_brief(
                "b1",
                dt.date(2025, 3, 2),
                [
                    (TUR, ISR, EventType.CONSULT, False, "Turkish and Israeli officials met in a neutral capital."),
                    (ISR, SYR, EventType.ASSAULT, True, '=HYPERLINK("x") Israeli aircraft struck a base in Syria.'),
                ],
            ),
            make_brief(
                "b2",
                dt.date(2025, 4, 9),
                [
                    (ISR, TUR, EventType.CONSULT, False, "Delegations from both countries talked again."),
                    (HEZ, ISR, EventType.ASSAULT, True, "The group fired rockets across the border."),
                ],
            ),
            make_brief(
                "b3",
                dt.date(2024, 11, 20),
                [(LBN, HEZ, EventType.COERCE, True, "Beirut pressed the group to withdraw.")],
            ),
        ]
    )
    with TestClient(create_app(stores=fake_stores)) as test_client:
        yield test_client


def test_whole_graph_as_json_aggregates_edges_per_pair_and_type(client: TestClient) -> None:
    body = client.get("/export/graph", params={"format": "json"}).json()
    assert body["center"] is None and body["truncated"] is False
    assert {n["id"] for n in body["nodes"]} == {"TUR", "ISR", "SYR", "group:hezbollah", "LBN"}
    edges = {(e["source"], e["target"], e["event_type"]): e for e in body["edges"]}
    assert len(edges) == 4  # the two undirected Turkey–Israel talks fold into one edge
    talks = edges["ISR", "TUR", "CONSULT"]
    assert talks["directed"] is False and talks["count"] == 2 and talks["briefs"] == 2
    assert (talks["first_date"], talks["last_date"]) == ("2025-03-02", "2025-04-09")
    assert edges["ISR", "SYR", "ASSAULT"]["directed"] is True and edges["ISR", "SYR", "ASSAULT"]["mean_score"] < 0
    assert body["edges"][0]["id"] == talks["id"]  # heaviest first
    israel = next(n for n in body["nodes"] if n["id"] == "ISR")
    assert israel["name"] == "Israel" and israel["kind"] == "country" and israel["interactions"] == 4


def test_neighbourhood_with_filters(client: TestClient) -> None:
    body = client.get("/export/graph", params={"actor": "Türkiye"}).json()
    assert body["center"] == "TUR"
    assert {n["id"] for n in body["nodes"]} == {"TUR", "ISR"}
    hez = client.get("/export/graph", params={"actor": "group:hezbollah", "from": "2025-01-01"}).json()
    assert {(e["source"], e["target"]) for e in hez["edges"]} == {("group:hezbollah", "ISR")}
    typed = client.get("/export/graph", params={"actor": "ISR", "type": "ASSAULT"}).json()
    assert {e["event_type"] for e in typed["edges"]} == {"ASSAULT"} and len(typed["edges"]) == 2


def test_graphml_parses_and_keeps_direction_and_weight(client: TestClient) -> None:
    response = client.get("/export/graph", params={"format": "graphml", "actor": "ISR"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/graphml+xml")
    assert 'filename="briefgraph-ISR.graphml"' in response.headers["content-disposition"]
    root = ET.fromstring(response.text)
    graph = root.find(f"{GRAPHML}graph")
    assert graph is not None and graph.get("edgedefault") == "directed"
    nodes = {n.get("id") for n in graph.iter(f"{GRAPHML}node")}
    assert nodes == {"ISR", "TUR", "SYR", "group:hezbollah"}
    edges = {(e.get("source"), e.get("target")): e for e in graph.iter(f"{GRAPHML}edge")}
    talks = edges["ISR", "TUR"]
    assert talks.get("directed") == "false"
    data = {d.get("key"): d.text for d in talks.iter(f"{GRAPHML}data")}
    assert data["event_type"] == "CONSULT" and data["weight"] == "2"
    assert edges["ISR", "SYR"].get("directed") is None
    keys = {(k.get("id"), k.get("for"), k.get("attr.type")) for k in root.iter(f"{GRAPHML}key")}
    assert ("weight", "edge", "int") in keys and ("name", "node", "string") in keys


def test_dyad_evidence_as_csv(client: TestClient) -> None:
    response = client.get("/export/interactions.csv", params={"actor": "Israel", "with": "Syria"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert 'filename="briefgraph-ISR-SYR.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 1
    row = rows[0]
    assert (row["date"], row["event_type"], row["source_id"], row["target_id"]) == (
        "2025-03-02",
        "ASSAULT",
        "ISR",
        "SYR",
    )
    assert row["sentence"].startswith("'=HYPERLINK")  # a formula in a brief stays text in a spreadsheet
    assert row["brief_id"] == "b1" and row["sentence_index"] == "1" and row["directed"] == "yes"
    dyad = list(csv.DictReader(io.StringIO(client.get("/export/interactions.csv", params={"actor": "TUR"}).text)))
    assert [r["date"] for r in dyad] == ["2025-03-02", "2025-04-09"]  # date order


def test_export_errors_are_problems(client: TestClient) -> None:
    missing = client.get("/export/graph", params={"actor": "nobody at all"})
    assert missing.status_code == 404 and missing.json()["code"] == "NotFoundError"
    assert client.get("/export/graph", params={"format": "gexf"}).json()["code"] == "ValidationError"
    backwards = client.get(
        "/export/interactions.csv", params={"actor": "TUR", "from": "2025-05-01", "to": "2025-01-01"}
    )
    assert backwards.status_code == 400
    assert client.get("/export/interactions.csv", params={"actor": "TUR", "type": "NOPE"}).status_code == 400
