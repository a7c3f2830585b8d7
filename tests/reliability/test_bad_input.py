"""A folder of bad files next to a good brief: each bad one is skipped with a message a person can act on, and
the good brief (and the good lines of a partly broken feed) still reach both stores."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.bootstrap import Stores
from core.settings import IngestSettings
from ingest.extraction import Extractor
from ingest.pipeline import IngestPipeline
from tests.conftest import SEED_BRIEF
from tests.reliability.conftest import IRAN, TALKS, record, snapshot

GOOD = (
    "Turkey and Israel Hold Talks in Baku\n\n"
    "Description: Turkish and Israeli officials held technical talks in Baku on April 9, 2025.\n\n"
    "Impact: The talks lower the risk of a direct clash over Syria.\n"
)


def _bad_folder(folder: Path) -> dict[str, str]:
    """Write one file per kind of bad input; returns file name -> the reason the report must give."""
    folder.mkdir()
    (folder / "good_2025-04-10.txt").write_text(GOOD)
    files = {
        "empty.txt": (b"", "empty file"),
        "blank.md": (b"\n\n   \n", "empty file"),
        "binary.txt": (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8, "binary file (NUL bytes)"),
        "latin1.txt": ("Réunion à Genève: Turkey and Israel met.".encode("latin-1"), "not valid UTF-8 (byte 0xe9"),
        "utf16.txt": (GOOD.encode("utf-16-le"), "UTF-16 text without a byte-order mark"),
        "malformed.json": (b'{"title": "x", "body": "unterminated}', "malformed JSON at line 1"),
        "scripts.html": (
            b"<html><head><script>alert('Turkey')</script></head><body><script>x()</script></body></html>",
            "HTML page has no text content",
        ),
        "noise.txt": (b"Skip to main content\nBrief\nShare this:\n", "no brief text left after removing page noise"),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    oversized = folder / "oversized.txt"
    oversized.write_text(GOOD)
    os.truncate(oversized, 50_000)
    feed = folder / "feed.jsonl"
    feed.write_text(
        json.dumps(record("feed-ok", IRAN, title="Iran and the US Talk in Muscat"))
        + "\n{not json\n"
        + json.dumps({"title": "no text"})
        + "\n"
    )
    reasons = {name: reason for name, (_, reason) in files.items()}
    reasons["oversized.txt"] = "file is 50,000 bytes, over the 20,000 bytes limit"
    return reasons


def test_each_bad_file_is_skipped_with_its_reason_and_the_rest_goes_through(
    tmp_path: Path, fake_stores: Stores, extractor: Extractor
) -> None:
    reasons = _bad_folder(tmp_path / "briefs")
    limited = fake_stores.settings.model_copy(update={"ingest": IngestSettings(max_file_bytes=20_000)})
    stores = dataclasses.replace(fake_stores, settings=limited)
    report = IngestPipeline(stores, extractor).ingest_paths([tmp_path / "briefs", tmp_path / "missing"])

    skipped = {Path(o.source).name: o.detail for o in report.of("skipped")}
    for name, reason in reasons.items():
        assert name in skipped, f"{name} was not reported: {report.summary()}"
        assert reason in skipped[name], (name, skipped[name])
    assert "no such file or folder" in skipped["missing"]
    feed_details = [o.detail for o in report.of("skipped") if o.source.endswith("feed.jsonl")]
    assert sorted(feed_details) == [
        "line 3: record has no text (expected 'body' or 'description'/'impact')",
        "malformed JSON on line 2: Expecting property name enclosed in double quotes",
    ]
    assert all(o.brief_id is None for o in report.of("skipped"))

    ingested = sorted(o.title or "" for o in report.of("ingested"))
    assert ingested == ["Iran and the US Talk in Muscat", "Turkey and Israel Hold Talks in Baku"]
    assert report.ok and report.of("failed") == []
    state = snapshot(fake_stores)
    assert state.counts.briefs == 2 and set(state.graph_hashes) == set(state.vector_hashes)
    assert state.counts.interactions >= 2

    summary = report.summary()
    assert "skipped 12" in summary and "ingested 2" in summary
    assert "UTF-16 text without a byte-order mark" in summary


def test_brief_without_a_date_is_ingested_with_a_warning(pipeline: IngestPipeline, fake_stores: Stores) -> None:
    undated = {"title": "Undated talks", "body": TALKS.replace(" on April 9, 2025", "")}
    report = pipeline.ingest_records([undated], source="api")
    assert [o.status for o in report.outcomes] == ["ingested"]
    assert report.warnings == [("api#0", "no date found; the brief and its interactions are undated")]
    brief_id = report.outcomes[0].brief_id
    assert brief_id is not None
    info = fake_stores.graph.get_brief(brief_id)
    assert info is not None and info.date is None
    interactions = fake_stores.graph.brief_interactions(brief_id)
    assert interactions and all(r.interaction.date is None for r in interactions)


def test_api_reports_bad_records_and_keeps_the_good_one(client: TestClient, fake_stores: Stores) -> None:
    body = {"briefs": [record("ok", TALKS), {"title": "only a title"}, {"body": "   "}]}
    response = client.post("/briefs", json=body)
    assert response.status_code == 200
    outcomes = response.json()["outcomes"]
    assert [o["status"] for o in outcomes] == ["skipped", "skipped", "ingested"]
    assert all("record has no text" in o["detail"] for o in outcomes[:2])
    assert snapshot(fake_stores).counts.briefs == 1


def test_api_with_only_bad_records_answers_422_and_writes_nothing(client: TestClient, fake_stores: Stores) -> None:
    before = snapshot(fake_stores)
    response = client.post("/briefs", json={"briefs": [{"title": "t"}, {"description": "   ", "impact": ""}]})
    assert response.status_code == 422
    assert [o["status"] for o in response.json()["outcomes"]] == ["skipped", "skipped"]
    assert snapshot(fake_stores) == before


@pytest.mark.skipif(not SEED_BRIEF.exists(), reason="../shared is not beside this checkout")
def test_seed_brief_goes_through_beside_broken_files(tmp_path: Path, pipeline: IngestPipeline) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / SEED_BRIEF.name).write_bytes(SEED_BRIEF.read_bytes())
    (folder / "broken.json").write_text("[{")
    report = pipeline.ingest_paths([folder])
    assert [o.title for o in report.of("ingested")] == [
        "Turkey and Israel: Governments Engage in Deconfliction Negotiations Over Syria"
    ]
    assert [Path(o.source).name for o in report.of("skipped")] == ["broken.json"]
